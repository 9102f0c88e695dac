"""Idempotent writes: a client sends a key with a write; a repeat with the same key gets the first
answer and writes nothing (issue 12).

How it holds, on SQLite and PostgreSQL, across restarts and under concurrent repeats:

- The key's row is inserted (``flush``) *before* the write, in the same transaction, and the
  write's own commit makes both durable together: a row exists exactly when the write does. A
  refused write rolls back and leaves no row, so the corrected entry may reuse its key.
- ``(household_id, key)`` is the primary key. A concurrent repeat's insert waits for the first
  transaction (PostgreSQL's unique index, SQLite's write lock) and then fails; the repeat reads
  the stored answer, waiting a moment if the first is still writing it.
- The same key with a different request is refused (422): a key names one write.
- Keys are kept ``KEEP`` (30 days: longer than any entry waits on a phone) and swept then.

The interfaces turn their answers into ``Answer`` and back (``api/idempotency.py``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from letdown.domain.errors import InvalidInput, Refused
from letdown.store.models.idempotency import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_CHARS = 255
KEEP = timedelta(days=30)
WAIT_S = 10.0  # how long a repeat waits for the first request's answer
HEADER_DOC = (
    "A key you choose for this write (1 to 255 visible ASCII characters, such as a UUID). "
    "Sent again with the same request, it returns the first answer (same status and body, with "
    "`Idempotent-Replayed: true`) and writes nothing; the same key with a different request is "
    "refused (422). A refused write keeps no key. Keys are kept for 30 days."
)


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    replayed: bool = False


def check_key(key: str) -> str:
    """The key unchanged when it is 1 to 255 visible ASCII characters, else InvalidInput."""
    if not key:
        raise InvalidInput(HEADER, "must not be empty")
    if len(key) > MAX_KEY_CHARS:
        raise InvalidInput(HEADER, f"is {len(key)} characters; the most is {MAX_KEY_CHARS}")
    if not all("!" <= ch <= "~" for ch in key):
        raise InvalidInput(HEADER, "may hold only visible ASCII characters (letters, digits, - _ . :)")
    return key


def fingerprint(scope: str, payload: Any) -> str:
    """What a request asked, as a hash: the scope (method and path) and its parsed body."""
    text = json.dumps([scope, payload], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stored(db: Session, household_id: str, key: str, print_: str, *, wait: bool) -> Answer | None:
    deadline = time.monotonic() + (WAIT_S if wait else 0)
    query = select(
        IdempotencyKey.fingerprint, IdempotencyKey.status_code, IdempotencyKey.body, IdempotencyKey.headers
    ).where(IdempotencyKey.household_id == household_id, IdempotencyKey.key == key)
    while True:
        row = db.execute(query).one_or_none()
        db.rollback()  # end the read: the next look sees the other request's commit
        if row is None:
            return None
        stored_print, status, body, headers = row
        if stored_print != print_:
            raise InvalidInput(
                HEADER, "was already used for a different request; send a new key for a new entry"
            )
        if status is not None:
            return Answer(status, body or "", dict(headers or {}), replayed=True)
        if time.monotonic() >= deadline:
            raise Refused(
                "A request with this Idempotency-Key was saved but its answer is not ready; "
                "look at the list before sending it again"
            )
        time.sleep(0.05)


def run(
    db: Session,
    household_id: str,
    key: str | None,
    print_: str,
    work: Callable[[], Answer],
    *,
    now: datetime,
) -> Answer:
    """``work()`` once per key: its answer, or the stored answer of the first request with ``key``.

    ``work`` must do its write on ``db`` and commit it (as every service does); errors it raises
    roll the key back with the write. Without a key, ``work()`` runs as usual.
    """
    if key is None:
        return work()
    key = check_key(key)
    found = _stored(db, household_id, key, print_, wait=True)
    if found is not None:
        return found
    db.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.household_id == household_id, IdempotencyKey.created_at < now - KEEP
        )
    )
    row = IdempotencyKey(household_id=household_id, key=key, fingerprint=print_, created_at=now)
    db.add(row)
    try:
        db.flush()  # waits here for a concurrent first request with this key, then fails
    except IntegrityError:
        db.rollback()
        found = _stored(db, household_id, key, print_, wait=True)
        if found is None:  # the first request was refused and rolled back: this one may go
            return run(db, household_id, key, print_, work, now=now)
        return found
    answer = work()
    if answer.status >= 400:  # a refusal answered without raising: nothing written, no key kept
        db.rollback()
        return answer
    row.status_code = answer.status
    row.body = answer.body
    row.headers = answer.headers
    db.add(row)
    db.commit()
    return answer
