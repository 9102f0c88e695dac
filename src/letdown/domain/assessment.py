"""After a session: how it went against the signs of expressing well, with cited next steps.

The signs come from the expressing guide [getting-a-let-down]: a let-down soon after starting,
several let-downs, a fairly steady flow, done within about 20 minutes a side, the amount you
would expect for the baby's age, and comfort [llli-hand-expressing]. The amount is compared
with a baby's per-feed intake only like with like: a household that exclusively expresses, and
a session on both breasts; otherwise the sign says plainly that no expected amount applies.
Each sign is ``pass``, ``attention`` or ``unknown`` (letdown cannot tell), never a diagnosis.
Expected amounts come from the sourced rows of ``facts.yaml`` (kind ``volume-per-feed``); words
the sources leave without a number are read by the settings in ``coach.yaml`` and say so.

Pure: no I/O of its own and no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from letdown.domain.choices import FeedingMode, Method
from letdown.domain.coach import CoachData, coach_data
from letdown.guidance.library import DISCLAIMER, facts_of_kind

PASS, ATTENTION, UNKNOWN = "pass", "attention", "unknown"


@dataclass(frozen=True)
class Step:
    """A next step, with the sources it rests on and the guidance topics to read."""

    text: str
    sources: tuple[str, ...]
    topics: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "sources": list(self.sources), "topics": list(self.topics)}


@dataclass(frozen=True)
class Sign:
    id: str
    title: str
    status: str
    finding: str
    sources: tuple[str, ...]
    next_steps: tuple[Step, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "finding": self.finding,
            "sources": list(self.sources),
            "next_steps": [s.as_json() for s in self.next_steps],
        }


@dataclass(frozen=True)
class CoachRecord:
    """What the coach saw during a session it led (``None`` for sessions logged by hand)."""

    first_express_ms: int | None
    flow_slowed: int
    pain: int
    left_s: int
    right_s: int
    turns: int
    stage: str | None = None  # the plan's stage (antenatal, early, established)
    ended_by: str | None = None  # the step the session ended on (finish, contractions)


@dataclass(frozen=True)
class SessionFacts:
    started_at: datetime
    ended_at: datetime
    method: Method
    left_ml: float | None
    right_ml: float | None
    passive_ml: float | None
    let_downs: tuple[datetime, ...]
    comfort: int | None
    baby_age_days: int | None = None
    baby_age_months: int | None = None
    coach: CoachRecord | None = None
    feeding_mode: FeedingMode | None = None  # how the household said the baby feeds (None: not said)

    def sides_expressed(self) -> tuple[str, ...]:
        """The breasts expressed: an amount recorded for it, or time the coach spent on it."""
        left = self.left_ml is not None or (self.coach is not None and self.coach.left_s > 0)
        right = self.right_ml is not None or (self.coach is not None and self.coach.right_s > 0)
        return tuple(side for side, done in (("left", left), ("right", right)) if done)


@dataclass(frozen=True)
class Assessment:
    signs: tuple[Sign, ...]
    summary: dict[str, int] = field(default_factory=dict)
    coach: CoachRecord | None = None

    def as_json(self) -> dict[str, Any]:
        coach = None
        if self.coach is not None:
            c = self.coach
            coach = {
                "turns": c.turns,
                "flow_slowed": c.flow_slowed,
                "pain": c.pain,
                "left_s": c.left_s,
                "right_s": c.right_s,
            }
        return {
            "summary": self.summary,
            "coached": coach,
            "signs": [s.as_json() for s in self.signs],
            "when_to_call": {"topic": "when-to-call", "text": WHEN_TO_CALL.text},
            "disclaimer": DISCLAIMER,
        }


# --- next steps, in our own words ---------------------------------------------------------
STIMULATE = Step(
    "Before and during the next session, bring on a let-down: get warm and settled, look at or "
    "smell your baby (or their photo or clothes), use a warm cloth, stroke or massage lightly, roll "
    "the nipple base.",
    ("getting-a-let-down", "llli-hand-expressing"),
    ("let-down", "getting-comfortable"),
)
COMPRESS = Step(
    "When the flow slows, move your fingers round the breast, use breast compression, and change "
    "sides; power expressing is another option.",
    ("getting-a-let-down", "llli-hand-expressing", "nhs-hand-expression"),
    ("hand-expression", "let-down"),
)
SWITCH_METHOD = Step(
    "If the milk still does not flow well, try the pump instead of your hands (or your hands "
    "instead of the pump), or both together.",
    ("getting-a-let-down", "morton-2009"),
    ("combining-with-pumping",),
)
MARK = Step(
    "Mark each let-down in the coach when you feel it so letdown can read this sign next time.",
    ("getting-a-let-down",),
    ("let-down",),
)
ADJUST = Step(
    "Hand expression should feel comfortable: press more gently, place your fingers a little "
    "further back from the nipple and keep them from sliding on the skin.",
    ("llli-hand-expressing", "solidstarts-hand-expression"),
    ("hand-expression", "getting-comfortable"),
)
WHEN_TO_CALL = Step(
    "Call a doctor, midwife or lactation consultant if pain or hard, swollen breasts do not ease, "
    "or with redness, fever or flu-like feelings.",
    ("hospital-breast-massage", "nhs-mastitis"),
    ("when-to-call",),
)
ASK_IBCLC = Step(
    "These are averages, not targets, and one session is not a whole day. If your amounts worry "
    "you, a lactation consultant can look at the whole picture.",
    ("getting-a-let-down",),
    ("expressing-well", "increasing-supply"),
)
ADD_BABY = Step(
    "Add your baby's birth or due date (`letdown baby add`) so letdown can compare amounts with their age.",
    ("abm-3-2017",),
    ("expressing-well",),
)


ANTENATAL_SHORT = Step(
    "Before birth, keep each session short, up to about 10 minutes, and only as your midwife or "
    "doctor agreed.",
    ("nhs-forthvalley-colostrum",),
    ("antenatal-expression",),
)
BEFORE_BIRTH = (
    "Before birth letdown does not read let-downs or flow: a few drops or nothing at all is normal, "
    "and it says nothing about your milk later."
)


def before_birth(s: SessionFacts) -> bool:
    """A session in pregnancy: the baby's age is negative, or the coach ran its antenatal plan."""
    if s.baby_age_days is not None and s.baby_age_days < 0:
        return True
    return s.coach is not None and s.coach.stage == "antenatal"


def _soon_s(data: CoachData) -> int:
    return int(data.setting(data.assessment["let_down_soon_s"]["setting"]))


def _fmt(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def let_down_soon(s: SessionFacts, data: CoachData) -> Sign:
    soon = _soon_s(data)
    title = "A let-down soon after starting"
    sources = ("getting-a-let-down",)
    if before_birth(s):
        return Sign("let-down-soon", title, UNKNOWN, BEFORE_BIRTH, ("llli-hand-expressing",))
    if not s.let_downs:
        if s.coach is not None:
            return Sign(
                "let-down-soon",
                title,
                ATTENTION,
                "No let-down was marked during the session.",
                sources,
                (STIMULATE, SWITCH_METHOD),
            )
        return Sign("let-down-soon", title, UNKNOWN, "No let-downs were marked.", sources, (MARK,))
    origin = s.started_at.timestamp()
    if s.coach is not None and s.coach.first_express_ms is not None:
        origin += s.coach.first_express_ms / 1000
    after = s.let_downs[0].timestamp() - origin
    reading = f"letdown reads 'soon' as within {_fmt(soon)} of starting to express"
    if after <= soon:
        when = "before you started to express" if after < 0 else f"{_fmt(after)} after you started"
        return Sign("let-down-soon", title, PASS, f"The first let-down came {when} ({reading}).", sources)
    return Sign(
        "let-down-soon",
        title,
        ATTENTION,
        f"The first let-down came {_fmt(after)} after you started ({reading}).",
        sources,
        (STIMULATE,),
    )


def several_let_downs(s: SessionFacts, data: CoachData) -> Sign:
    title = "Several let-downs"
    mean = data.figure("let_downs_mean")
    sources = ("getting-a-let-down", "kent-2008", "prime-2011")
    context = f"On average about {mean:g} come in a session, the first the largest."
    if before_birth(s):
        return Sign("several-let-downs", title, UNKNOWN, BEFORE_BIRTH, ("llli-hand-expressing",))
    count = len(s.let_downs)
    if count == 0:
        status = ATTENTION if s.coach is not None else UNKNOWN
        steps = (STIMULATE, COMPRESS) if s.coach is not None else (MARK,)
        return Sign(
            "several-let-downs", title, status, f"No let-downs were marked. {context}", sources, steps
        )
    if count >= int(data.assessment["several_let_downs_from"]["value"]):
        return Sign("several-let-downs", title, PASS, f"{count} let-downs were marked. {context}", sources)
    return Sign(
        "several-let-downs",
        title,
        ATTENTION,
        f"{count} let-down{' was' if count == 1 else 's were'} marked. {context}",
        sources,
        (COMPRESS, STIMULATE),
    )


def steady_flow(s: SessionFacts, data: CoachData) -> Sign:
    title = "A fairly steady flow"
    sources = ("getting-a-let-down",)
    if before_birth(s):
        return Sign("steady-flow", title, UNKNOWN, BEFORE_BIRTH, ("llli-hand-expressing",))
    if s.coach is None:
        return Sign(
            "steady-flow",
            title,
            UNKNOWN,
            "letdown cannot see the flow of a session logged by hand; in the coach, mark when it slows.",
            sources,
        )
    per_turn = int(data.assessment["occasional_slowings_per_turn"]["value"])
    allowed = per_turn * max(1, s.coach.turns)
    slowed = s.coach.flow_slowed
    reading = f"letdown reads 'occasional' as at most {per_turn} a turn on one side"
    if slowed <= allowed:
        return Sign(
            "steady-flow",
            title,
            PASS,
            f"The flow slowed {slowed} times in {s.coach.turns} turns ({reading}).",
            sources,
        )
    return Sign(
        "steady-flow",
        title,
        ATTENTION,
        f"The flow slowed {slowed} times in {s.coach.turns} turns ({reading}).",
        sources,
        (COMPRESS, STIMULATE, SWITCH_METHOD),
    )


def within_time_before_birth(s: SessionFacts, data: CoachData) -> Sign:
    """Before birth: the whole session up to about 10 minutes [nhs-forthvalley-colostrum]."""
    figure = data.figures["antenatal_session_minutes_max"]
    limit_min = int(figure.value)
    title = f"A short session, up to about {limit_min} minutes before birth"
    sources = (figure.source,)
    spent: float
    if s.coach is not None:
        spent = s.coach.left_s + s.coach.right_s
        finding = f"Left {_fmt(s.coach.left_s)}, right {_fmt(s.coach.right_s)} of expressing."
    else:
        spent = (s.ended_at - s.started_at).total_seconds()
        finding = f"The session lasted {_fmt(spent)}."
    if spent <= limit_min * 60:
        return Sign("within-time", title, PASS, finding, sources)
    return Sign("within-time", title, ATTENTION, finding, sources, (ANTENATAL_SHORT,))


def within_time(s: SessionFacts, data: CoachData) -> Sign:
    if before_birth(s):
        return within_time_before_birth(s, data)
    limit_min = int(data.figure("minutes_per_side_max"))
    title = f"Done within about {limit_min} minutes a side"
    sources = ("getting-a-let-down",)
    steps = (STIMULATE, COMPRESS)
    limit = limit_min * 60
    if s.coach is not None:
        longest = max(s.coach.left_s, s.coach.right_s)
        finding = f"Left {_fmt(s.coach.left_s)}, right {_fmt(s.coach.right_s)} of expressing."
        status = PASS if longest <= limit else ATTENTION
        return Sign("within-time", title, status, finding, sources, () if status == PASS else steps)
    total = (s.ended_at - s.started_at).total_seconds()
    finding = f"The session lasted {_fmt(total)}."
    if s.method in (Method.HAND, Method.PASSIVE):
        sides = sum(1 for v in (s.left_ml, s.right_ml) if v is not None) or 2
        status = PASS if total <= sides * limit else ATTENTION
        return Sign("within-time", title, status, finding, sources, () if status == PASS else steps)
    if total <= limit:
        return Sign("within-time", title, PASS, finding, sources)
    if total <= 2 * limit:
        return Sign(
            "within-time",
            title,
            UNKNOWN,
            f"{finding} Pumping both sides at once, aim for about {limit_min} minutes in all; one side at "
            f"a time, about {limit_min} a side.",
            sources,
        )
    return Sign("within-time", title, ATTENTION, finding, sources, steps)


def _expected(s: SessionFacts) -> tuple[float, float, str, str] | None:
    """(low, high, what the range is, source) for the baby's age, from the sourced facts."""
    rows = facts_of_kind("volume-per-feed")
    if s.baby_age_days is not None and s.baby_age_days >= 0:
        hours = s.baby_age_days * 24
        for fact in rows:
            span = fact.data.get("age_hours")
            if span and span[0] <= hours < span[1]:
                low, high = fact.data["ml"]
                return (
                    float(low),
                    float(high),
                    f"a newborn of {span[0]}–{span[1]} hours takes about {low}–{high} ml a feed "
                    "(read in a secondary copy of the protocol)",
                    fact.source,
                )
    if s.baby_age_months is not None:
        for fact in rows:
            span = fact.data.get("age_months")
            if span and span[0] <= s.baby_age_months < span[1]:
                mean, sd = fact.data["mean_g"], fact.data["sd_g"]
                return (
                    float(mean - sd),
                    float(mean + sd),
                    f"babies of {span[0]}–{span[1]} months took {mean} ± {sd} g a breastfeed (the study "
                    "weighed the milk)",
                    fact.source,
                )
    return None


def _like_with_like(s: SessionFacts, total: float, data: CoachData) -> Sign | None:
    """None when a session can stand in for one of the baby's feeds (the household exclusively
    expresses and both breasts were expressed); else the plain reason no expected amount applies.

    The per-feed figures are what a baby takes at one feed, from both breasts or one; a session
    compares with them only when it replaces a feed. letdown's reading (``expected_amount_compares``
    in coach.yaml), as the sources give no amount for one breast or for milk expressed on top
    of feeds at the breast."""
    rule = data.assessment["expected_amount_compares"]
    title = "About the amount expected for your baby's age"
    sources = (rule["source"],)
    if s.feeding_mode is not FeedingMode.EXCLUSIVE:
        why = (
            "letdown does not know how your baby feeds (say so in the settings or with "
            "letdown init --feeding)"
            if s.feeding_mode is None
            else "your baby also feeds at the breast, so what you express comes on top of feeds"
        )
        return Sign(
            "expected-amount",
            title,
            UNKNOWN,
            f"{total:g} ml. No expected amount applies: {why}, and the per-feed figures are what a "
            f"baby takes at a whole feed. Rule: {rule['reads']}.",
            sources,
        )
    sides = s.sides_expressed()
    if len(sides) < 2:
        side = sides[0] if sides else "one side"
        return Sign(
            "expected-amount",
            title,
            UNKNOWN,
            f"{total:g} ml from the {side} side only. No expected amount applies to one breast: the "
            f"per-feed figures are for a whole feed. Rule: {rule['reads']}.",
            sources,
        )
    return None


def expected_amount(s: SessionFacts, data: CoachData) -> Sign:
    title = "About the amount expected for your baby's age"
    total = sum(v for v in (s.left_ml, s.right_ml, s.passive_ml) if v is not None)
    if all(v is None for v in (s.left_ml, s.right_ml, s.passive_ml)):
        return Sign("expected-amount", title, UNKNOWN, "No amounts were recorded.", ("getting-a-let-down",))
    if before_birth(s):
        return Sign(
            "expected-amount",
            title,
            UNKNOWN,
            f"{total:g} ml before birth. Nothing to a few drops is usual then, and it does not predict your "
            "milk after the birth; there is no amount to aim for.",
            ("llli-hand-expressing",),
        )
    if s.baby_age_days is None:
        return Sign(
            "expected-amount",
            title,
            UNKNOWN,
            "letdown does not know your baby's age.",
            ("abm-3-2017",),
            (ADD_BABY,),
        )
    unlike = _like_with_like(s, total, data)
    if unlike is not None:
        return unlike
    expected = _expected(s)
    if expected is None:
        return Sign(
            "expected-amount",
            title,
            UNKNOWN,
            f"{total:g} ml. letdown has no sourced per-feed amount for a baby of this age.",
            ("getting-a-let-down",),
            (ASK_IBCLC,),
        )
    low, high, what, source = expected
    finding = (
        f"{total:g} ml in all, both sides; {what}. Compared because you exclusively express and "
        "expressed both sides, so the session stands in for a feed."
    )
    if total >= low:
        return Sign("expected-amount", title, PASS, finding, (source, "getting-a-let-down"))
    return Sign(
        "expected-amount",
        title,
        ATTENTION,
        finding,
        (source, "getting-a-let-down"),
        (STIMULATE, COMPRESS, ASK_IBCLC),
    )


def comfort(s: SessionFacts, data: CoachData) -> Sign:
    title = "Comfortable"
    sources = ("llli-hand-expressing",)
    threshold = int(data.assessment["comfortable_from"]["value"])
    pain = s.coach.pain if s.coach is not None else 0
    notes = []
    if pain:
        notes.append(f"Pain was marked {pain} time{'s' if pain != 1 else ''}.")
    if s.comfort is not None:
        notes.append(f"Comfort {s.comfort}/10 (letdown reads below {threshold} as not comfortable).")
    if not notes:
        return Sign("comfort", title, UNKNOWN, "No comfort score or pain was recorded.", sources)
    uncomfortable = pain > 0 or (s.comfort is not None and s.comfort < threshold)
    if not uncomfortable:
        return Sign("comfort", title, PASS, " ".join(notes), sources)
    return Sign("comfort", title, ATTENTION, " ".join(notes), sources, (ADJUST, WHEN_TO_CALL))


SIGNS = (let_down_soon, several_let_downs, steady_flow, within_time, expected_amount, comfort)


def contractions(s: SessionFacts, data: CoachData) -> Sign | None:
    """Before birth, a session the coach ended because contractions started: what to do, in the
    words of the coach's own ``contractions`` step."""
    if s.coach is None or s.coach.ended_by != "contractions":
        return None
    row = data.steps["contractions"]
    what = Step(" ".join(str(row["cue"]).split()), tuple(row["sources"]), tuple(row["topics"]))
    return Sign(
        "contractions",
        "Contractions",
        ATTENTION,
        "The session ended because contractions started.",
        what.sources,
        (what,),
    )


def assess(session: SessionFacts, data: CoachData | None = None) -> Assessment:
    """Every sign for one session, in a fixed order (contractions first, when they ended it)."""
    data = data or coach_data()
    signs = tuple(sign(session, data) for sign in SIGNS)
    ended = contractions(session, data)
    if ended is not None:
        signs = (ended, *signs)
    summary = {status: sum(1 for s in signs if s.status == status) for status in (PASS, ATTENTION, UNKNOWN)}
    return Assessment(signs=signs, summary=summary, coach=session.coach)


def cited_sources(assessment: Assessment) -> set[str]:
    """Every source id an assessment cites (for tests and the sources list)."""
    ids = {src for sign in assessment.signs for src in sign.sources}
    ids |= {src for sign in assessment.signs for step in sign.next_steps for src in step.sources}
    return ids | set(WHEN_TO_CALL.sources)
