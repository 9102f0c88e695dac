"""Flash messages: a one-time message for the next page (POST, redirect, GET), kept on the
browser's session row and cleared as it is read."""

from __future__ import annotations

from sqlalchemy.orm import Session

from letdown.services.accounts.users import Viewer
from letdown.store.models import WebSession


def set_flash(db: Session, viewer: Viewer, message: str) -> None:
    row = db.get(WebSession, viewer.token_hash)
    if row is not None:  # a session ended meanwhile has no page to show it on
        row.flash = message
        db.commit()


def take_flash(db: Session, viewer: Viewer) -> str | None:
    """The one-time message for this page, cleared as it is read."""
    if viewer.flash is None:
        return None
    row = db.get(WebSession, viewer.token_hash)
    if row is not None:
        row.flash = None
        db.commit()
    return viewer.flash
