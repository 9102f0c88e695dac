"""Use case: how a session went against the signs of expressing well (``domain/assessment.py``)."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from letdown.domain import assessment as rules
from letdown.services import households, sessions
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
    )


def assess(db: Session, household_id: str, session_id: str) -> rules.Assessment:
    """The assessment of one session of this household (``NotFound`` names the id)."""
    view = sessions.get(db, household_id, session_id)
    tz = households.get(db, household_id).tz
    row = db.get(ExpressionSession, (household_id, session_id))
    months = None
    if row is not None and row.baby_id is not None:
        baby = db.get(Baby, (household_id, row.baby_id))
        if baby is not None and baby.birth_date is not None:
            day = view.started_at.astimezone(tz).date()
            if day >= baby.birth_date:
                delta = relativedelta(day, baby.birth_date)
                months = delta.years * 12 + delta.months
    facts = rules.SessionFacts(
        started_at=view.started_at,
        ended_at=view.ended_at,
        method=view.method,
        left_ml=view.left_ml,
        right_ml=view.right_ml,
        passive_ml=view.passive_ml,
        let_downs=view.let_downs,
        comfort=view.comfort,
        baby_age_days=view.baby_age_days,
        baby_age_months=months,
        coach=_coach_record(db.get(CoachRun, (household_id, session_id))),
    )
    return rules.assess(facts)


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
