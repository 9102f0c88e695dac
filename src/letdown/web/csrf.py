"""The CSRF check of the web app's forms: each signed-in browser's session has a random token
(made with it, ``services/accounts/users.py``) that every form and the page's script send back."""

from __future__ import annotations

import hmac


def csrf_ok(expected: str | None, given: str | None) -> bool:
    """Whether the form's token is the session's, compared in constant time."""
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
