"""Use cases for the coach: build a plan for a household, and save a coached session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import coach as rules
from letdown.domain import limits
from letdown.domain import sessions as session_rules
from letdown.domain.coach_player import Player
from letdown.domain.errors import InvalidInput
from letdown.services.accounts import households
from letdown.services.log import sessions
from letdown.services.log.sessions import SessionInput, SessionView
from letdown.store.models import Baby, CoachRun


def _baby_age_days(db: Session, household_id: str, on: datetime) -> int | None:
    baby_id = households.current_baby_id(db, household_id)
    if baby_id is None:
        return None
    baby = db.get(Baby, (household_id, baby_id))
    if baby is None:
        return None
    tz = households.get(db, household_id).tz
    return session_rules.age_in_days(on.astimezone(tz).date(), baby.birth_date, baby.due_date)


def plan(
    db: Session | None,
    household_id: str | None,
    *,
    now: datetime,
    stage: str | None = None,
    experience: str | None = None,
    minutes: float | None = None,
    rhythm_s: float | None = None,
) -> dict[str, Any]:
    """A plan for these options, defaults from the household's history: without a stage the baby's
    age picks one (else ``established``); without an experience, ``practised`` once the coach has
    led a session in this household (else ``new``)."""
    if db is not None and household_id is not None:
        if stage is None:
            stage = rules.stage_for_age(_baby_age_days(db, household_id, now))
        if experience is None:
            coached = db.scalars(
                select(CoachRun.session_id).where(CoachRun.household_id == household_id).limit(1)
            )
            experience = "practised" if coached.first() is not None else "new"
    return rules.build_plan(
        rules.PlanOptions(
            stage=stage or "established", experience=experience or "new", minutes=minutes, rhythm_s=rhythm_s
        )
    )


@dataclass
class CoachedSession:
    """A session the coach led: the plan, when it started, the events with their times (ms since
    the start), and what the parent reported at the end."""

    plan: dict[str, Any]
    started_at: datetime
    events: list[dict[str, Any]] = field(default_factory=list)
    ended_ms: int | None = None
    left_ml: float | None = None
    right_ml: float | None = None
    passive_ml: float | None = None
    comfort: int | None = None
    note: str | None = None


# The longest session the log takes (domain/sessions.py), in the coach's milliseconds.
MAX_MS = int(session_rules.MAX_SESSION / timedelta(milliseconds=1))
_HOURS = f"it lasts at most {session_rules.MAX_SESSION / timedelta(hours=1):g} hours"


def replay(run: CoachedSession) -> Player:
    """The player after the run's events (the server re-plays them: it does not trust totals)."""
    player = Player(run.plan).start(0)
    last = 0
    for item in run.events:
        t = int(item.get("t", 0))
        if not 0 <= t <= MAX_MS:
            raise InvalidInput("events", f"an event at {t} ms is outside the session ({_HOURS})")
        if t < last:
            raise InvalidInput("events", f"times must not go back ({t} ms after {last} ms)")
        last = t
        name = item.get("event")
        if name is not None and name not in rules.EVENTS:
            raise InvalidInput("events", f"unknown event '{name}'")
        if name:
            player.event(name, t)
        else:
            player.tick(t)
    end = run.ended_ms if run.ended_ms is not None else last
    if not 0 <= end <= MAX_MS:
        raise InvalidInput("ended_ms", f"{end} ms is outside the session ({_HOURS})")
    if end < last:
        raise InvalidInput("ended_ms", f"the end ({end} ms) is before the last event ({last} ms)")
    player.tick(end)
    if not player.finished:
        player.event("finish", end)
    return player


def _handled(player: Player, event: str) -> int:
    """How many times the player took ``event`` before the finish (later ones are ignored)."""
    return sum(n for key, n in player.counts.items() if key.endswith(f"|{event}"))


def _real_end(run: CoachedSession) -> int:
    """When the session really ended: the end given, else its last event (ms since the start)."""
    if run.ended_ms is not None:
        return int(run.ended_ms)
    return max((int(e.get("t", 0)) for e in run.events), default=0)


def save(db: Session, household_id: str, run: CoachedSession, *, now: datetime) -> SessionView:
    """Record the coached session (method hand, with its let-down times) and its coach record."""
    limits.check_moment(run.started_at, "started_at")
    player = replay(run)
    if player.step.get("saves") is False:
        raise InvalidInput(
            "events", f"the session ended at '{player.step['title']}' before any expressing; nothing to save"
        )
    rules.check_saveable(run.plan, [v.as_json() for v in player.visits], _real_end(run))
    end_ms = player.finished_ms or 0
    if end_ms <= 0:
        raise InvalidInput("ended_ms", "the session lasted no time; nothing to save")
    start = run.started_at

    def at(ms: int) -> str:
        return (start + timedelta(milliseconds=ms)).isoformat()

    raw = SessionInput(
        start=start.isoformat(),
        end=at(end_ms),
        method="hand",
        left_ml=run.left_ml,
        right_ml=run.right_ml,
        passive_ml=run.passive_ml,
        let_downs=[at(ms) for ms in player.let_downs],
        comfort=run.comfort,
        note=run.note,
    )
    view = sessions.create(db, household_id, raw, now=now)
    sides = player.side_ms()
    db.add(
        CoachRun(
            household_id=household_id,
            session_id=view.id,
            plan={"version": run.plan.get("version"), **run.plan.get("options", {})},
            visits=[v.as_json() for v in player.visits],
            flow_slowed=_handled(player, "flow-slowed"),
            pain=_handled(player, "pain"),
            left_s=sides["left"] // 1000,
            right_s=sides["right"] // 1000,
            created_at=now,
        )
    )
    db.commit()
    return view


def run_of(db: Session, household_id: str, session_id: str) -> CoachRun | None:
    """The coach record of a session, if the coach led it."""
    return db.get(CoachRun, (household_id, session_id))
