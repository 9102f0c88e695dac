"""Request and response shapes shared by the API and the web pages (never routes)."""
