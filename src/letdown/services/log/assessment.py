"""Use case: how a session went against the signs of expressing well (``domain/assessment.py``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from letdown.domain import assessment as rules
from letdown.domain.choices import FeedingMode
from letdown.domain.sessions import age_in_days, age_in_months
from letdown.services.accounts import households
from letdown.services.log import sessions
from letdown.services.schedule import settings as household_settings
from letdown.store.models import Baby, CoachRun, ExpressionSession


def _coach_record(run: CoachRun | None) -> rules.CoachRecord | None:
    if run is None:
        return None
    first = next((v["at_ms"] for v in run.visits if str(v.get("step", "")).startswith("express-")), None)
    turns = len({v["step"] for v in run.visits if str(v.get("step", "")).startswith("express-")})
    return rules.CoachRecord(
        first_express_ms=first,
        flow_slowed=run.flow_slowed,
        pain=run.pain,
        left_s=run.left_s,
        right_s=run.right_s,
        turns=turns,
        stage=(run.plan or {}).get("stage"),
        ended_by=str(run.visits[-1].get("step")) if run.visits else None,
    )


def facts_of(
    row: ExpressionSession,
    baby: Baby | None,
    tz: ZoneInfo,
    run: CoachRun | None,
    feeding_mode: FeedingMode | None = None,
) -> rules.SessionFacts:
    """What the assessment looks at for one stored session (its baby and coach record, if any,
    and how the household said the baby feeds)."""
    d = sessions.data_of(row)
    day = d.started_at.astimezone(tz).date()
    return rules.SessionFacts(
        started_at=d.started_at,
        ended_at=d.ended_at,
        method=d.method,
        left_ml=d.left_ml,
        right_ml=d.right_ml,
        passive_ml=d.passive_ml,
        let_downs=d.let_downs,
        comfort=d.comfort,
        baby_age_days=age_in_days(day, baby.birth_date, baby.due_date) if baby else None,
        baby_age_months=age_in_months(day, baby.birth_date) if baby else None,
        coach=_coach_record(run),
        feeding_mode=feeding_mode,
    )


def assess(db: Session, household_id: str, session_id: str) -> rules.Assessment:
    """The assessment of one session of this household (``NotFound`` names the id)."""
    sessions.get(db, household_id, session_id)  # NotFound for another household's id
    tz = households.get(db, household_id).tz
    row = db.get(ExpressionSession, (household_id, session_id))
    assert row is not None
    baby = db.get(Baby, (household_id, row.baby_id)) if row.baby_id else None
    mode = household_settings.feeding_mode(db, household_id)
    return rules.assess(facts_of(row, baby, tz, db.get(CoachRun, (household_id, session_id)), mode))


def describe(result: rules.Assessment) -> str:
    """The assessment for people, a few lines per sign."""
    marks = {rules.PASS: "ok ", rules.ATTENTION: "!! ", rules.UNKNOWN: "?  "}
    s = result.summary
    lines = [
        f"How it went: {s[rules.PASS]} signs good, {s[rules.ATTENTION]} to look at, "
        f"{s[rules.UNKNOWN]} unknown [getting-a-let-down]"
    ]
    for sign in result.signs:
        lines.append(f"  {marks[sign.status]}{sign.title}: {sign.finding} [{', '.join(sign.sources)}]")
        for step in sign.next_steps:
            lines.append(
                f"       -> {step.text} [{', '.join(step.sources)}] (letdown guide show {step.topics[0]})"
            )
    if not any(rules.WHEN_TO_CALL in sign.next_steps for sign in result.signs):
        lines.append(f"  {rules.WHEN_TO_CALL.text} [{', '.join(rules.WHEN_TO_CALL.sources)}]")
    return "\n".join(lines)
