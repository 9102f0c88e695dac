"""Rendering that is not a use case: stash labels (text, SVG, PDF) and the report (HTML, PDF, CSV)."""
