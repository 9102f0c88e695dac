"""Logging expression sessions: sessions, the assessment, the coach and the dashboard."""
