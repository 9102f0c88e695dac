"""Coach plans: options in, a plan of steps out, built from ``guidance/coach.yaml``.

A plan is data that a small interpreter plays (``domain/coach_player.py`` in Python,
``web/static/coach.js`` in the browser). Each step has an ``id``, a ``kind`` (prepare,
stimulate, express, rotate, switch, rest, finish), a ``title``, a ``cue`` to show and speak,
either ``duration_s`` (its time; then the player sends ``timeout``) or ``ends_on`` (the event
that ends it), ``transitions`` (event -> step id, or ``$back`` for the step it interrupted),
and the guidance ``topics`` and ``sources`` it draws on. A step may offer ``choices`` (buttons
or keys, each sending an event; a tap anywhere does not answer them), and a finish step with
``saves: false`` ends a session that has nothing to record (before birth, when the midwife or
doctor has not agreed). Before birth the plan starts with that check, is bounded by the
antenatal session length, and a ``contractions`` event ends it with what to do.

Pure: no I/O of its own and no clock. The guidance data is read once through the library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from letdown.domain.errors import InvalidInput
from letdown.guidance.library import facts, read_yaml

STAGES = ("antenatal", "early", "established")
EXPERIENCES = ("new", "practised")
KINDS = ("prepare", "stimulate", "express", "rotate", "switch", "rest", "finish")
EVENTS = (
    "ready",
    "let-down",
    "flow-slowed",
    "switch-side",
    "pain",
    "pause",
    "finish",
    "contractions",
    "timeout",
    "no-let-down",
    "time-up",
)
BACK = "$back"
SIDES = ("left", "right")
PLAN_VERSION = 1


@dataclass(frozen=True)
class Figure:
    """A sourced number the coach uses (from a fact in ``facts.yaml``)."""

    name: str
    value: Any
    fact: str
    source: str


@dataclass(frozen=True)
class CoachData:
    figures: dict[str, Figure]
    settings: dict[str, dict[str, Any]]
    stages: dict[str, dict[str, Any]]
    checklist: list[dict[str, Any]]
    steps: dict[str, dict[str, Any]]
    events: dict[str, str]
    assessment: dict[str, dict[str, Any]]

    def figure(self, name: str) -> Any:
        return self.figures[name].value

    def setting(self, name: str, experience: str | None = None) -> Any:
        row = self.settings[name]
        if experience is not None and experience in row:
            return row[experience]
        return row["value"]


@lru_cache(maxsize=1)
def coach_data() -> CoachData:
    """The coach's data from ``guidance/coach.yaml``; each figure resolved to its fact's source."""
    raw = read_yaml("coach.yaml")
    known = facts()
    figures = {}
    for name, row in raw["figures"].items():
        fact = known[row["fact"]]
        figures[name] = Figure(name=name, value=row["value"], fact=fact.id, source=fact.source)
    return CoachData(
        figures=figures,
        settings=raw["settings"],
        stages=raw["stages"],
        checklist=raw["checklist"],
        steps=raw["steps"],
        events=raw["events"],
        assessment=raw["assessment"],
    )


@dataclass(frozen=True)
class PlanOptions:
    stage: str = "established"
    experience: str = "new"
    minutes: float | None = None
    rhythm_s: float | None = None


def _range_text(value: Any) -> str:
    if isinstance(value, list):
        return " to ".join(f"{v:g}" for v in value)
    return f"{value:g}"


def default_minutes(experience: str, data: CoachData | None = None) -> int:
    """Expressing time for both sides: the Marmet session range, upper end for new, lower for practised."""
    data = data or coach_data()
    low, high = data.figure("session_minutes")
    return int(high if experience == "new" else low)


def max_minutes(data: CoachData | None = None) -> int:
    """At most about 20 minutes a side [getting-a-let-down], so twice that for both sides."""
    data = data or coach_data()
    return int(2 * data.figure("minutes_per_side_max"))


def overhead_s(experience: str, data: CoachData | None = None) -> int:
    """The timed parts of a one-round plan besides expressing: stimulation, one change of side,
    and the finger moves the flow can ask for before a side ends (two a side at most)."""
    data = data or coach_data()
    moves = 2 * (int(data.setting("slowings_before_switch")) - 1) * int(data.setting("rotate_s"))
    return int(data.setting("stimulate_s", experience)) + int(data.setting("switch_s")) + moves


def stage_max_minutes(stage: str, experience: str, data: CoachData | None = None) -> int:
    """The most expressing time a plan of this stage may have, both sides together.

    Before birth the leaflets allow up to 10 minutes a session [nhs-forthvalley-colostrum];
    letdown reads that as the whole timed session (``antenatal_whole_session``), so the
    expressing time is what is left once stimulation, the change of side and the finger moves
    are taken out, in whole minutes. Other stages: ``max_minutes``.
    """
    data = data or coach_data()
    figure = data.stages.get(stage, {}).get("max_minutes")
    if figure is None:
        return max_minutes(data)
    whole_s = int(data.figure(figure)) * 60
    return max(1, (whole_s - overhead_s(experience, data)) // 60)


def validate_options(options: PlanOptions, data: CoachData | None = None) -> PlanOptions:
    """Options with defaults filled in, or ``InvalidInput`` naming the bad one."""
    data = data or coach_data()
    stage = (options.stage or "established").strip().lower()
    if stage not in STAGES:
        raise InvalidInput("stage", f"unknown stage '{options.stage}'; choose one of {', '.join(STAGES)}")
    experience = (options.experience or "new").strip().lower()
    if experience not in EXPERIENCES:
        raise InvalidInput(
            "experience", f"unknown experience '{options.experience}'; choose one of {', '.join(EXPERIENCES)}"
        )
    top = stage_max_minutes(stage, experience, data)
    if data.stages[stage].get("max_minutes"):
        minutes = options.minutes if options.minutes is not None else top
        if not 1 <= minutes <= top:
            session = data.figure(data.stages[stage]["max_minutes"])
            raise InvalidInput(
                "minutes",
                f"must be from 1 to {top} before birth (a whole session of up to about {session:g} "
                f"minutes, warming up included), got {minutes:g}",
            )
    else:
        minutes = options.minutes if options.minutes is not None else default_minutes(experience, data)
    if not 1 <= minutes <= top:
        raise InvalidInput(
            "minutes",
            f"must be from 1 to {top} (about {top // 2} a side is enough when expressing goes well), "
            f"got {minutes:g}",
        )
    rhythm = options.rhythm_s if options.rhythm_s is not None else data.figure("press_s")
    low, high = data.setting("rhythm_bounds_s")
    if not low <= rhythm <= high:
        raise InvalidInput("rhythm", f"must be from {low:g} to {high:g} seconds, got {rhythm:g}")
    return PlanOptions(stage=stage, experience=experience, minutes=minutes, rhythm_s=rhythm)


def segments(minutes: float, data: CoachData | None = None) -> list[int]:
    """Seconds of each turn on one side: rounds no longer than the Marmet 5–7 minutes a breast.

    Half the expressing time goes to each side, cut into as few equal rounds as keep each
    within the upper end of the Marmet range [llli-marmet].
    """
    data = data or coach_data()
    per_side = int(round(minutes * 60 / 2))
    round_max = int(data.figure("round_minutes_per_breast")[1] * 60)
    count = max(1, math.ceil(per_side / round_max))
    return [per_side // count] * count


def _fill(text: str, values: dict[str, Any]) -> str:
    return text.format(**values)


def _pick(value: Any, experience: str) -> str:
    picked: str = value[experience] if isinstance(value, dict) else value
    return picked


def _step(
    data: CoachData,
    template: str,
    ident: str,
    kind: str,
    values: dict[str, Any],
    experience: str,
    stage: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    row = data.steps[template]
    override = ((data.stages.get(stage) or {}).get("overrides") or {}).get(template) if stage else None
    if override:
        row = {**row, **override}
    step: dict[str, Any] = {
        "id": ident,
        "kind": kind,
        "title": _fill(row["title"], values),
        "cue": _fill(_pick(row["cue"], experience), values).strip(),
        # The short cue shown once the long one has been seen (the practised wording).
        "cue_short": _fill(_pick(row["cue"], "practised"), values).strip(),
        "duration_s": None,
        "ends_on": None,
        "transitions": {},
        "topics": list(row["topics"]),
        "sources": list(row["sources"]),
    }
    if row.get("choices"):
        step["choices"] = [dict(choice) for choice in row["choices"]]
    if row.get("saves") is False:
        step["saves"] = False
    step.update(extra)
    return step


def build_plan(options: PlanOptions, data: CoachData | None = None) -> dict[str, Any]:
    """The plan for these options, as plain JSON-ready data (see the module doc)."""
    data = data or coach_data()
    opts = validate_options(options, data)
    stage = data.stages[opts.stage]
    exp = opts.experience
    rhythm = opts.rhythm_s
    assert rhythm is not None and opts.minutes is not None
    values: dict[str, Any] = {
        "antenatal_from_weeks": _range_text(data.figure("antenatal_from_weeks")),
        "c_hold_cm": _range_text(data.figure("c_hold_cm")),
        "colostrum_container_ml": _range_text(data.figure("colostrum_container_ml")),
        "rhythm_s": f"{rhythm:g}",
        # The pulse presses for rhythm_s and releases for as long: one press per two beats.
        "cycle_s": f"{2 * rhythm:g}",
        "finish_note": stage["finish_note"],
        "side": "",
    }
    turns = segments(opts.minutes, data)
    express_ids = [f"express-{side}-{n}" for n in range(1, len(turns) + 1) for side in SIDES]
    finish_id = "finish"

    checklist = [
        {
            "id": item["id"],
            "text": _fill(item["text"], values),
            "sources": list(item["sources"]),
            "topics": list(item["topics"]),
        }
        for item in data.checklist
        if opts.stage in item.get("stages", STAGES)
    ]
    checks = bool(stage.get("check"))
    waits = stage.get("wait_for_let_down", True)
    steps = []
    if checks:
        steps.append(
            _step(
                data,
                "check",
                "check",
                "prepare",
                values,
                exp,
                ends_on="ready",
                # Pause and pain mean nothing before the agreement: they keep the check on screen
                # (the plan's global events would otherwise lead past it). Contractions end the
                # session with what to do, as anywhere before birth; nothing is saved.
                transitions={"ready": "prepare", "finish": "not-agreed", "pause": "check", "pain": "check"},
            )
        )
    steps += [
        _step(
            data,
            "prepare",
            "prepare",
            "prepare",
            values,
            exp,
            ends_on="ready",
            transitions={"ready": "stimulate"},
            checklist=checklist,
        ),
        _step(
            data,
            "stimulate",
            "stimulate",
            "stimulate",
            values,
            exp,
            stage=opts.stage,
            duration_s=int(data.setting("stimulate_s", exp)),
            transitions={"timeout": express_ids[0], "let-down": express_ids[0], "ready": express_ids[0]},
        ),
    ]
    slowings = int(data.setting("slowings_before_switch"))
    for index, ident in enumerate(express_ids):
        side = SIDES[index % 2]
        nxt = express_ids[index + 1] if index + 1 < len(express_ids) else finish_id
        nxt_side = SIDES[(index + 1) % 2]
        after = f"switch-{index + 1}" if nxt != finish_id else finish_id
        step = _step(
            data,
            "express",
            ident,
            "express",
            {**values, "side": side.capitalize()},
            exp if index == 0 else "practised",
            side=side,
            duration_s=turns[index // 2],
            resume=True,
            rhythm_s=rhythm,
            presses_per_position=int(data.setting("presses_per_position")),
            transitions={"timeout": after, "flow-slowed": "rotate"},
            repeats={"flow-slowed": {"times": slowings, "to": after}},
        )
        if nxt != finish_id:  # a direct "switch side" (not from the last side: Finish ends)
            step["transitions"]["switch-side"] = after
        if index == 0:
            step["cue"] = f"{step['cue']} {stage['express_note']}"
            if waits:
                step["let_down_wait_s"] = int(data.setting("let_down_wait_s"))
                step["transitions"]["no-let-down"] = "stimulate-more"
        step["topics"] += [t for t in stage["topics"] if t not in step["topics"]]
        step["sources"] += [s for s in stage["sources"] if s not in step["sources"]]
        steps.append(step)
        if nxt != finish_id:
            steps.append(
                _step(
                    data,
                    "switch",
                    after,
                    "switch",
                    {**values, "side": nxt_side},
                    exp,
                    side=nxt_side,
                    duration_s=int(data.setting("switch_s")),
                    transitions={"timeout": nxt},
                )
            )
    steps += [
        _step(
            data,
            "rotate",
            "rotate",
            "rotate",
            values,
            exp,
            duration_s=int(data.setting("rotate_s")),
            returns=True,
            transitions={"timeout": BACK},
        ),
    ]
    if waits:
        steps.append(
            _step(
                data,
                "stimulate-more",
                "stimulate-more",
                "stimulate",
                values,
                exp,
                duration_s=int(data.setting("stimulate_s", exp)),
                returns=True,
                transitions={"timeout": BACK, "let-down": BACK, "ready": BACK},
            )
        )
    steps += [
        _step(
            data,
            "adjust",
            "adjust",
            "rest",
            values,
            exp,
            ends_on="ready",
            returns=True,
            transitions={"ready": BACK},
        ),
        _step(
            data,
            "paused",
            "paused",
            "rest",
            values,
            exp,
            ends_on="ready",
            returns=True,
            transitions={"ready": BACK, "pause": BACK},
        ),
        _step(data, "finish", finish_id, "finish", values, exp, ends_on=None),
    ]
    ends = {"finish": finish_id, "pause": "paused", "pain": "adjust"}
    if checks:
        steps.append(_step(data, "not-agreed", "not-agreed", "finish", values, exp))
    if stage.get("contractions"):
        steps.append(_step(data, "contractions", "contractions", "finish", values, exp))
        ends["contractions"] = "contractions"
    bound = None
    if stage.get("max_minutes"):
        # The whole timed session, from the start of stimulation [antenatal_whole_session].
        fig = data.figures[stage["max_minutes"]]
        bound = {
            "from": "stimulate",
            "ms": int(fig.value) * 60_000,
            "figure": stage["max_minutes"],
            "source": fig.source,
        }
        ends["time-up"] = finish_id
    for step in steps:
        step.setdefault("returns", False)
        step.setdefault("resume", False)
    used = sorted({name for name in data.figures} | set(data.settings))
    return {
        "version": PLAN_VERSION,
        "options": {
            "stage": opts.stage,
            "experience": opts.experience,
            "minutes": opts.minutes,
            "rhythm_s": rhythm,
        },
        "start": steps[0]["id"],
        "max_minutes": stage_max_minutes(opts.stage, exp, data),
        "rhythm_s": rhythm,
        "global": ends,
        "bound": bound,
        "steps": steps,
        "events": dict(data.events),
        "figures": {
            name: {"value": fig.value, "source": fig.source, "fact": fig.fact}
            for name, fig in sorted(data.figures.items())
        },
        "settings": {
            name: {
                "value": data.setting(name, exp),
                "source": data.settings[name]["source"],
                "ours": bool(data.settings[name].get("ours")),
            }
            for name in used
            if name in data.settings
        },
        "topics": sorted({t for step in steps for t in step["topics"]}),
    }


AGREEMENT_STEP = "check"


def check_saveable(plan: dict[str, Any], visits: list[dict[str, Any]], end_ms: int) -> None:
    """Refuse (``InvalidInput``) a played session the plan's rules do not let the log keep.

    - Where the plan starts with the check (before birth), only a session that left the check
      through its "agreed" answer (``ready``) is saved [nhs-forthvalley-colostrum]: a pause, a
      pain or contractions there, or "not yet", save nothing.
    - Where the plan has a whole-session bound, a session whose real length from the start of
      stimulation is longer than the bound is refused, naming the bound and its source.
    """
    steps = {s["id"]: s for s in plan["steps"]}
    if plan.get("start") == AGREEMENT_STEP and AGREEMENT_STEP in steps:
        agreed_to = (steps[AGREEMENT_STEP].get("transitions") or {}).get("ready")
        left = next((v for v in visits if v["step"] != AGREEMENT_STEP), None)
        if left is None or left["by"] != "ready" or left["step"] != agreed_to:
            raise InvalidInput(
                "events",
                "before birth a session is saved only once your midwife or doctor has agreed "
                "(the first step's agreed answer); nothing to save",
            )
    bound = plan.get("bound")
    if bound:
        began = next((v["at_ms"] for v in visits if v["step"] == bound["from"]), None)
        if began is not None and end_ms - began > int(bound["ms"]):
            minutes = int(bound["ms"]) // 60_000
            ran = (end_ms - began) / 60_000
            raise InvalidInput(
                "ended_ms",
                f"before birth a session lasts at most {minutes} minutes from the warm-up "
                f"({bound['figure']}, source {bound['source']}); this one ran {ran:.0f} minutes",
            )


def plan_seconds(plan: dict[str, Any]) -> int:
    """The timed length of the main path (prepare excluded): stimulation, turns and switches."""
    total = 0
    for step in plan["steps"]:
        if step["kind"] in ("stimulate", "express", "switch") and not step.get("returns"):
            total += int(step["duration_s"] or 0)
    return total


def early_days() -> int:
    """The colostrum days: as long as the per-feed table for newborns runs (0–96 hours [abm-3-2017])."""
    hours = [
        fact.data["age_hours"][1]
        for fact in facts().values()
        if fact.data.get("kind") == "volume-per-feed" and "age_hours" in fact.data
    ]
    return int(max(hours) // 24)


def stage_for_age(age_days: int | None) -> str | None:
    """The stage for a baby's age in days (negative before birth); None when the age is unknown."""
    if age_days is None:
        return None
    if age_days < 0:
        return "antenatal"
    return "early" if age_days < early_days() else "established"
