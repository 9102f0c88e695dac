"""Baby Buddy interop over its REST API: import its pumping (and some feeding) entries as
sessions, and push letdown's new sessions to its ``/api/pumping/`` endpoint.

Baby Buddy's API (Django REST framework): ``Authorization: Token <key>``; lists are paginated
as ``{"count", "next", "previous", "results"}`` and followed through ``next`` (only on the same
server). A pumping entry has ``id, child, amount, start, end, duration, notes, tags`` (older
servers send ``time`` instead of ``start``/``end``); a feeding entry ``id, child, start, end,
duration, type, method, amount, notes, tags``. Amounts carry no unit there: ``units`` says
which (default: the household's).

What is imported or pushed is remembered in ``babybuddy_links`` (server, kind, remote id,
session), so a second run neither imports nor pushes anything twice. Which feedings count: only
those with an amount whose method is a breast (``left breast``, ``right breast``, ``both
breasts``: milk expressed from that side, as people logged it before Baby Buddy had pumping);
a bottle feed is what the baby drank, not what was expressed, and is skipped with that reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import sessions as rules
from letdown.domain.choices import Method, Units
from letdown.domain.errors import InvalidInput, LetdownError, Refused
from letdown.domain.units import ML_PER_US_FL_OZ
from letdown.services.accounts import households
from letdown.store.models import BabyBuddyLink, ExpressionSession
from letdown.store.types import new_id

TIMEOUT = 20.0
BREAST_METHODS = {"left breast": "left_ml", "right breast": "right_ml", "both breasts": None}
MAX_PAGES = 1000


def server_of(url: str) -> str:
    """The server's base URL as links remember it: scheme, host, port and path, no trailing '/'."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput("url", f"'{url}' is not an http(s) URL of a Baby Buddy server")
    path = parts.path.rstrip("/")
    if path.endswith("/api"):
        path = path[: -len("/api")]
    return f"{parts.scheme}://{parts.netloc}{path}"


class Client:
    """A small Baby Buddy API client over httpx (``transport`` lets tests answer in-process)."""

    def __init__(self, url: str, token: str, *, transport: Any = None) -> None:
        import httpx

        if not token.strip():
            raise InvalidInput("token", "a Baby Buddy API key is required (its user settings page shows it)")
        self.server = server_of(url)
        self._origin = urlsplit(self.server)
        self._http = httpx.Client(
            headers={"Authorization": f"Token {token.strip()}", "Accept": "application/json"},
            timeout=TIMEOUT,
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, **kwargs: Any) -> Any:
        import httpx

        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise Refused(f"Cannot reach Baby Buddy at {self.server}: {exc}") from None
        if response.status_code in (401, 403):
            raise Refused(f"Baby Buddy at {self.server} refused the API key (HTTP {response.status_code})")
        if response.status_code >= 400:
            detail = response.text.strip().replace("\n", " ")[:200]
            raise Refused(f"Baby Buddy answered HTTP {response.status_code} to {method} {url}: {detail}")
        try:
            return response.json()
        except ValueError:
            raise Refused(f"Baby Buddy at {self.server} did not answer JSON for {url}") from None

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every result of a list endpoint, following ``next`` links on the same server."""
        url: str | None = f"{self.server}/api/{path}/"
        query = dict(params or {})
        for _ in range(MAX_PAGES):
            if url is None:
                return
            body = self._send("GET", url, params=query or None)
            if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                raise Refused(
                    f"Baby Buddy's {path} list has no 'results': is {self.server} a Baby Buddy server?"
                )
            yield from body["results"]
            following = body.get("next")
            if following:
                target = urlsplit(urljoin(url, following))
                if (target.scheme, target.netloc) != (self._origin.scheme, self._origin.netloc):
                    raise Refused(
                        f"Baby Buddy's next page points to another server ({target.netloc}); stopped"
                    )
                url, query = target.geturl(), {}
            else:
                url = None
        raise Refused(f"Baby Buddy's {path} list has more than {MAX_PAGES} pages; stopped")

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        result = self._send("POST", f"{self.server}/api/{path}/", json=body)
        if not isinstance(result, dict) or "id" not in result:
            raise Refused(f"Baby Buddy did not return the new {path} entry's id")
        return result


# --- import --------------------------------------------------------------------------------


@dataclass
class ImportReport:
    server: str
    imported: dict[str, int] = field(default_factory=lambda: {"pumping": 0, "feeding": 0})
    already: dict[str, int] = field(default_factory=lambda: {"pumping": 0, "feeding": 0})
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, remote id, why)

    def as_json(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "imported": self.imported,
            "already_imported": self.already,
            "skipped": [{"kind": k, "id": i, "reason": why} for k, i, why in self.skipped],
        }


def _time(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput(what, f"missing or not a time: {value!r}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(what, f"cannot read {value!r} as a time") from None
    if moment.tzinfo is None:
        raise InvalidInput(what, f"{value!r} has no UTC offset")
    return moment.astimezone(UTC)


def _ml(amount: Any, units: Units) -> float | None:
    if amount is None or amount == "":
        return None
    if isinstance(amount, bool):
        raise InvalidInput("amount", f"not a number: {amount!r}")
    try:
        value = float(amount)
    except (TypeError, ValueError):
        raise InvalidInput("amount", f"not a number: {amount!r}") from None
    return round(value * ML_PER_US_FL_OZ, 1) if units is Units.OZ else value


def entry_to_session(kind: str, entry: dict[str, Any], units: Units) -> rules.SessionData | str:
    """A Baby Buddy entry as session data, or the reason it is not one."""
    note_bits = [f"Baby Buddy {kind} #{entry.get('id')}"]
    if kind == "feeding":
        method = str(entry.get("method") or "")
        if entry.get("amount") in (None, ""):
            return "a feeding without an amount"
        if method not in BREAST_METHODS:
            return f"a {method or 'feeding'} feed is what the baby drank, not milk expressed"
    if "start" in entry or "end" in entry:
        start, end = _time(entry.get("start"), "start"), _time(entry.get("end"), "end")
    else:  # older servers: one time, no duration
        start = _time(entry.get("time"), "time")
        end = start + timedelta(minutes=1)
        note_bits.append("time only, no duration")
    ml = _ml(entry.get("amount"), units)
    left = right = None
    if kind == "feeding":
        side = BREAST_METHODS[str(entry["method"])]
        if side == "left_ml":
            left = ml
        elif side == "right_ml":
            right = ml
        elif ml is not None:
            left = right = round(ml / 2, 1)
            note_bits.append("both breasts: amount split evenly")
        note_bits.append("logged as a feeding; method unknown")
    else:
        left = ml  # Baby Buddy gives one amount a session; letdown keeps it on the left side
        note_bits.append("one amount for both sides")
    notes = str(entry.get("notes") or "").strip()
    return rules.SessionData(
        started_at=start,
        ended_at=end,
        method=Method.PUMP,
        left_ml=left,
        right_ml=right,
        note="; ".join(note_bits) + (f". {notes}" if notes else ""),
    )


def _links(db: Session, household_id: str, server: str) -> dict[tuple[str, int], str]:
    rows = db.scalars(
        select(BabyBuddyLink).where(
            BabyBuddyLink.household_id == household_id, BabyBuddyLink.server == server
        )
    )
    return {(r.remote_kind, r.remote_id): r.session_id for r in rows}


def import_entries(
    db: Session,
    household_id: str,
    *,
    url: str,
    token: str,
    now: datetime,
    units: str | None = None,
    child: int | None = None,
    transport: Any = None,
) -> ImportReport:
    """Import what is new on the server, all in one transaction (nothing is written on an error)."""
    from letdown.services.accounts.households import parse_units
    from letdown.services.log.sessions import apply

    household = households.get(db, household_id)
    unit = parse_units(units) if units else household.units
    baby_id = households.current_baby_id(db, household_id)
    params = {"child": child} if child is not None else {}
    with Client(url, token, transport=transport) as client:
        report = ImportReport(client.server)
        known = _links(db, household_id, client.server)
        entries = [("pumping", e) for e in client.pages("pumping", params)]
        entries += [("feeding", e) for e in client.pages("feedings", params)]
    rows: list[Any] = []
    for kind, entry in entries:
        remote = entry.get("id")
        if isinstance(remote, bool) or not isinstance(remote, int):
            raise Refused(f"a Baby Buddy {kind} entry has no whole-number id: {remote!r}")
        if (kind, remote) in known:
            report.already[kind] += 1
            continue
        try:
            data = entry_to_session(kind, entry, unit)
            if isinstance(data, str):
                report.skipped.append((kind, remote, data))
                continue
            valid = rules.validate_session(data, now=now, tz=household.tz)
        except LetdownError as exc:
            report.skipped.append((kind, remote, str(exc)))
            continue
        row = ExpressionSession(
            household_id=household_id, id=new_id(), baby_id=baby_id, created_at=now, updated_at=now
        )
        apply(row, valid)
        rows.append(row)
        rows.append(
            BabyBuddyLink(
                household_id=household_id,
                server=client.server,
                remote_kind=kind,
                remote_id=remote,
                session_id=row.id,
                direction="imported",
                linked_at=now,
            )
        )
        known[(kind, remote)] = row.id
        report.imported[kind] += 1
    db.add_all(rows)
    db.commit()
    return report


# --- push ----------------------------------------------------------------------------------


@dataclass
class PushReport:
    server: str
    pushed: list[tuple[str, int]] = field(default_factory=list)  # (session id, Baby Buddy id)
    already: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "pushed": [{"session_id": s, "pumping_id": r} for s, r in self.pushed],
            "already_there": self.already,
        }


def _child(client: Client, child: int | None) -> int:
    if child is not None:
        return child
    children = list(client.pages("children"))
    if len(children) != 1:
        names = ", ".join(f"{c.get('id')} ({c.get('first_name', '')})" for c in children) or "none"
        raise Refused(f"Baby Buddy has {len(children)} children ({names}); choose one with --child ID")
    return int(children[0]["id"])


def push_sessions(
    db: Session,
    household_id: str,
    *,
    url: str,
    token: str,
    now: datetime,
    units: str | None = None,
    child: int | None = None,
    transport: Any = None,
) -> PushReport:
    """Send every session not yet on the server (sample data never) as a pumping entry.

    Each one is recorded as soon as the server accepts it, so a failure half-way keeps what
    went through and a second run sends only the rest.
    """
    from letdown.domain.units import ml_to_oz
    from letdown.services.accounts.households import parse_units

    household = households.get(db, household_id)
    unit = parse_units(units) if units else household.units
    with Client(url, token, transport=transport) as client:
        report = PushReport(client.server)
        linked = set(_links(db, household_id, client.server).values())
        rows = db.scalars(
            select(ExpressionSession)
            .where(ExpressionSession.household_id == household_id, ExpressionSession.demo.is_(False))
            .order_by(ExpressionSession.started_at, ExpressionSession.id)
        ).all()
        todo = [r for r in rows if r.id not in linked]
        report.already = len(rows) - len(todo)
        if not todo:
            return report
        child_id = _child(client, child)
        for row in todo:
            total = rules.total_ml(row.left_ml, row.right_ml, row.passive_ml)
            amount = round(ml_to_oz(total), 2) if unit is Units.OZ else total
            note = f"letdown session {row.id} ({row.method})" + (f": {row.note}" if row.note else "")
            body = {
                "child": child_id,
                "amount": amount,
                "start": row.started_at.astimezone(UTC).isoformat(),
                "end": row.ended_at.astimezone(UTC).isoformat(),
                "notes": note,
            }
            try:
                created = client.post("pumping", body)
            except Refused as exc:
                done = len(report.pushed)
                raise Refused(
                    f"{exc} (session {row.id}; {done} sent before it are kept: run again)"
                ) from None
            db.add(
                BabyBuddyLink(
                    household_id=household_id,
                    server=client.server,
                    remote_kind="pumping",
                    remote_id=int(created["id"]),
                    session_id=row.id,
                    direction="pushed",
                    linked_at=now,
                )
            )
            db.commit()
            report.pushed.append((row.id, int(created["id"])))
    return report
