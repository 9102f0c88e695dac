"""The domain's rules, applied to every row of an import before anything is written.

Sessions go through ``domain/sessions.validate_session``, babies and settings through the
household rules, storage limits through ``guidance/rules.parse_custom_limits``, and each
container's history must be one the stash use cases would have written: every event after the
first passes ``domain/storage.check`` against the events before it. Errors name the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import emergency, storage
from letdown.domain import sessions as rules
from letdown.domain.choices import EventKind, Location, Method, StorageProfile
from letdown.domain.errors import InvalidInput, LetdownError
from letdown.domain.storage import Event
from letdown.domain.storage_rules import RuleBook
from letdown.domain.timeparse import zone
from letdown.guidance.rules import parse_custom_limits, rulebook
from letdown.services.accounts.households import parse_profile, parse_units
from letdown.services.stash.limits import entered_limits
from letdown.store.models import Baby, ExpressionSession, Household

LIMIT_FIELDS = ("unit", "use_by", "use_soon_after", "best_within")


@dataclass
class Settings:
    """Checked household values to write (only when not merging)."""

    household: dict[str, Any] = field(default_factory=dict)


def _unique(rows: list[dict[str, Any]], key: str, where: str) -> None:
    seen: set[Any] = set()
    for i, row in enumerate(rows):
        if row[key] in seen:
            raise InvalidInput(f"{where}[{i}].{key}", f"{row[key]!r} appears twice")
        seen.add(row[key])


def _name(value: str, where: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(where, "must not be empty")
    return cleaned


def check_household(row: dict[str, Any]) -> dict[str, Any]:
    checked = dict(row)
    checked["name"] = _name(row["name"], "household.name")
    zone(row["timezone"], "household.timezone")
    checked["units"] = parse_units(row["units"]).value
    checked["storage_profile"] = parse_profile(row["storage_profile"]).value
    feed = row.get("usual_feed_ml")
    if feed is not None and not 0 < feed <= 1000:
        raise InvalidInput("household.usual_feed_ml", f"must be more than 0 and at most 1000, got {feed:g}")
    if row.get("country") is not None:
        checked["country"] = _in_field("household", lambda: emergency.parse_country(str(row["country"])))
    if row.get("emergency_number") is not None:
        checked["emergency_number"] = _in_field(
            "household", lambda: emergency.parse_number(str(row["emergency_number"]))
        )
    return checked


def _in_field(prefix: str, check: Any) -> Any:
    """Run a check whose error names a bare field; the error names it under ``prefix``."""
    try:
        return check()
    except InvalidInput as exc:
        raise InvalidInput(f"{prefix}.{exc.field}", exc.detail) from None


def check_babies(rows: list[dict[str, Any]]) -> None:
    _unique(rows, "id", "babies")
    for i, row in enumerate(rows):
        _name(row["name"], f"babies[{i}].name")
        if row.get("birth_date") is None and row.get("due_date") is None:
            raise InvalidInput(f"babies[{i}]", "give a birth date or a due date")


def check_sessions(rows: list[dict[str, Any]], baby_ids: set[str], *, now: datetime, tz: ZoneInfo) -> None:
    """Each session must pass the same rules as one typed in; its values are normalized in place."""
    _unique(rows, "id", "sessions")
    for i, row in enumerate(rows):
        where = f"sessions[{i}] (id {row['id']})"
        try:
            method = rules.parse_method(row["method"])
            let_downs = []
            for text in row.get("let_downs") or []:
                moment = datetime.fromisoformat(text) if isinstance(text, str) else None
                if moment is None or moment.tzinfo is None:
                    raise InvalidInput("let_downs", f"{text!r} is not an ISO 8601 time with an offset")
                let_downs.append(moment.astimezone(UTC))
            valid = rules.validate_session(
                rules.SessionData(
                    started_at=row["started_at"],
                    ended_at=row["ended_at"],
                    method=method,
                    left_ml=row.get("left_ml"),
                    right_ml=row.get("right_ml"),
                    passive_ml=row.get("passive_ml"),
                    let_downs=tuple(let_downs),
                    comfort=row.get("comfort"),
                    note=row.get("note"),
                ),
                now=now,
                tz=tz,
            )
        except ValueError as exc:
            raise InvalidInput(where, str(exc)) from None
        except InvalidInput as exc:
            raise InvalidInput(where, str(exc)) from None
        if row.get("baby_id") is not None and row["baby_id"] not in baby_ids:
            raise InvalidInput(where, f"baby_id: no baby with id {row['baby_id']!r}")
        row.update(
            method=Method(valid.method).value,
            left_ml=valid.left_ml,
            right_ml=valid.right_ml,
            passive_ml=valid.passive_ml,
            let_downs=[t.astimezone(UTC).isoformat() for t in valid.let_downs],
            note=valid.note,
        )


def check_containers(
    rows: list[dict[str, Any]],
    events: dict[str, list[dict[str, Any]]],
    *,
    now: datetime,
    tz: ZoneInfo,
    profile: str,
    custom: dict[str, Any],
) -> None:
    """Each container's history must be one the stash rules can replay, in order, in the past."""
    _unique(rows, "id", "containers")
    book = rulebook(profile, custom)
    for i, row in enumerate(rows):
        where = f"containers[{i}] (id {row['id']})"
        _volume(row["ml"], f"{where}.ml")
        history = events.get(row["id"], [])
        if not history:
            raise InvalidInput(where, "has no history (it must start with the milk being stored)")
        parsed: list[Event] = []
        for j, event in enumerate(history):
            at = f"{where}.events[{j}]"
            if event["seq"] != j + 1:
                raise InvalidInput(f"{at}.seq", f"must be {j + 1}, got {event['seq']}")
            try:
                kind = EventKind(event["kind"])
                place = Location(event["location"]) if event.get("location") else None
            except ValueError as exc:
                raise InvalidInput(at, str(exc)) from None
            if parsed and event["at"] < parsed[-1].at:
                raise InvalidInput(f"{at}.at", "is before the event that comes before it")
            if event["at"] > now + timedelta(minutes=2):
                raise InvalidInput(f"{at}.at", f"{event['at'].isoformat()} is in the future")
            needs_place = kind in (EventKind.STORED, EventKind.MOVED, EventKind.THAWED)
            if needs_place and place is None:
                raise InvalidInput(f"{at}.location", f"a {kind} event needs a location")
            if kind in (EventKind.SPLIT_INTO, EventKind.SPLIT_FROM) and not (event.get("ml") or 0) > 0:
                raise InvalidInput(f"{at}.ml", f"a {kind} event needs a volume over 0 ml")
            if kind in (EventKind.STORED, EventKind.SPLIT_INTO, EventKind.SPLIT_FROM):
                _volume(event.get("ml") or 0, f"{at}.ml")
            parsed.append(
                Event(kind, event["at"], location=place, ml=event.get("ml"), other=event.get("other_id"))
            )
        if parsed[0].kind is not EventKind.STORED:
            raise InvalidInput(f"{where}.events[0].kind", f"must be 'stored', got '{parsed[0].kind}'")
        try:
            storage.evaluate(parsed, max(now, parsed[-1].at), book, tz)
            for j in range(1, len(parsed)):
                _check_event(parsed, j, f"{where}.events[{j}]", row["id"], now=now, book=book, tz=tz)
        except (ValueError, KeyError) as exc:
            raise InvalidInput(where, f"its history cannot be replayed: {exc}") from None


def _volume(ml: Any, where: str) -> None:
    """A container's volume: finite, within the bound, and over 0 ml once rounded."""
    try:
        storage.check_volume(float(ml))
    except InvalidInput as exc:
        raise InvalidInput(where, exc.detail) from None
    except LetdownError as exc:
        raise InvalidInput(where, exc.message) from None


def _check_event(
    parsed: list[Event], j: int, at: str, ident: str, *, now: datetime, book: RuleBook, tz: ZoneInfo
) -> None:
    """Event ``j`` must be one the stash use cases would have added after the events before it."""
    event = parsed[j]
    if event.kind is EventKind.STORED:
        raise InvalidInput(f"{at}.kind", "'stored' can only be the first event (milk is stored once)")
    action = event
    if event.kind is EventKind.SPLIT_FROM:
        # The new container of a split: the events before are its parent's, and the split use
        # case checks the pour out of the parent against them.
        action = Event(EventKind.SPLIT_INTO, event.at, ml=event.ml, other=ident)
    try:
        storage.check(
            parsed[:j], action, now=max(now, event.at), book=book, zone=tz, ident=ident, allow_expired=True
        )
    except LetdownError as exc:
        raise InvalidInput(at, exc.message) from None


def check_optional(parsed: dict[str, Any]) -> None:
    """Settings other features own, checked by their own rules when those exist."""
    household_settings = parsed.get("household_settings")
    if household_settings and household_settings.get("session_interval_minutes") is not None:
        from letdown.domain.schedule import validate_interval

        validate_interval(household_settings["session_interval_minutes"])
    if household_settings and household_settings.get("feeding_mode") is not None:
        from letdown.domain.reminders import parse_feeding_mode

        parse_feeding_mode(household_settings["feeding_mode"])
    if household_settings and household_settings.get("night_gap_minutes") is not None:
        from letdown.domain.reminders import validate_night_gap

        validate_night_gap(household_settings["night_gap_minutes"])


def check_all(
    db: Session, parsed: dict[str, Any], target: str, *, now: datetime, merging: bool, name: str
) -> Settings:
    """Check everything; when merging, rows are checked against the home's own settings."""
    household = check_household(parsed["household"])
    home = db.get(Household, target) if merging else None
    tzname = home.timezone if home is not None else household["timezone"]
    profile = home.storage_profile if home is not None else household["storage_profile"]
    limits = parsed.get("storage_limits") or []
    _unique(limits, "case_name", "storage_limits")
    entered = {r["case_name"]: {k: r[k] for k in LIMIT_FIELDS if r.get(k) is not None} for r in limits}
    parse_custom_limits(entered)
    custom: dict[str, Any] = {}
    if StorageProfile(profile) is StorageProfile.CUSTOM:
        custom = entered_limits(db, target) if home is not None else {}
        for case, limit in entered.items():
            custom.setdefault(case, limit)
    check_babies(parsed.get("babies") or [])
    baby_ids = {b["id"] for b in parsed.get("babies") or []}
    if home is not None:
        baby_ids |= set(db.scalars(select(Baby.id).where(Baby.household_id == target)))
    tz = zone(tzname)
    check_sessions(parsed.get("sessions") or [], baby_ids, now=now, tz=tz)
    session_ids = {s["id"] for s in parsed.get("sessions") or []}
    if home is not None:
        session_ids |= set(
            db.scalars(select(ExpressionSession.id).where(ExpressionSession.household_id == target))
        )
    for i, row in enumerate(parsed.get("containers") or []):
        linked = row.get("session_id")
        if linked is not None and linked not in session_ids:
            raise InvalidInput(
                f"containers[{i}] (id {row['id']}).session_id",
                f"no session with id {linked!r} in the file or this home",
            )
    if "coach_runs" in parsed:
        for i, run in enumerate(parsed["coach_runs"] or []):
            if run["session_id"] not in session_ids:
                raise InvalidInput(f"coach_runs[{i}].session_id", f"no session with id {run['session_id']!r}")
    check_containers(
        parsed.get("containers") or [],
        parsed.get("events") or {},
        now=now,
        tz=tz,
        profile=profile,
        custom=custom,
    )
    check_optional(parsed)
    return Settings(household=household)
