"""letdown: a self-hostable companion for parents who express breast milk."""

__version__ = "0.1.0"
