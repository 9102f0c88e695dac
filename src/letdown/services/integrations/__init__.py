"""Integrations with other apps (Baby Buddy)."""
