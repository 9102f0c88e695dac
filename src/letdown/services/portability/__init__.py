"""Portability: export and import, the report, the demo data."""
