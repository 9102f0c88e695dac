"""The coach interpreter: a plan, clock readings and events in; the current step, the steps
visited with their times, and the let-down marks out.

Deterministic and tiny on purpose: ``web/static/coach.js`` implements the same rules, and both
run the shared vectors in ``tests/data/coach_vectors.json``. Times are whole milliseconds
since the session started; the caller owns the clock.

Rules, in order:

1. ``start(t)`` enters the plan's ``start`` step.
2. A step with ``duration_s`` sends itself ``timeout`` when its time is up. A step with
   ``resume`` keeps the time already spent in it when it is entered again (a turn on one side
   goes on after a rotation, a pause or a pain check); other steps start from zero.
3. A step with ``let_down_wait_s`` sends itself ``no-let-down`` once, when it has run that long
   and no let-down has been marked in the session. If both fall due at once, ``timeout`` wins.
4. ``let-down`` is always marked with its time (until the session is finished).
5. An event moves to: the step's ``repeats[event].to`` when this is the ``times``-th (or later)
   time the event happened in this step; else ``transitions[event]``; else the plan's
   ``global[event]``; else nowhere (the event is only counted).
6. ``$back`` is the step that an interlude (a step with ``returns``) interrupted. Entering an
   interlude from a normal step remembers that step; from another interlude it keeps it.
7. A ``finish`` step ends the session; later events and ticks change nothing.
8. A plan with a ``bound`` (``{"from": step, "ms": n}``) sends ``time-up`` ``n`` ms after the
   first entry into ``from``, whatever step is current (a pause counts: the bound is real
   time). It wins over a step's own timers falling due at the same time.
9. ``tick(t)`` and ``event(name, t)`` first play every timer that fell due up to ``t``, each at
   its own due time; ``t`` may not go back in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BACK = "$back"


@dataclass(frozen=True)
class Visit:
    step: str
    at_ms: int
    by: str

    def as_json(self) -> dict[str, Any]:
        return {"step": self.step, "at_ms": self.at_ms, "by": self.by}


class PlayerError(ValueError):
    """A plan or a call the player cannot follow (names the step or the time)."""


class Player:
    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.steps: dict[str, dict[str, Any]] = {s["id"]: s for s in plan["steps"]}
        self.global_: dict[str, str] = dict(plan.get("global") or {})
        self.current: str | None = None
        self.entered_ms = 0
        self.now_ms = 0
        self.spent: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.return_to: str | None = None
        self.let_downs: list[int] = []
        self.visits: list[Visit] = []
        self.finished_ms: int | None = None

    # --- reading the state ------------------------------------------------------------------
    @property
    def step(self) -> dict[str, Any]:
        if self.current is None:
            raise PlayerError("the player has not started")
        return self.steps[self.current]

    @property
    def finished(self) -> bool:
        return self.finished_ms is not None

    def _spent_before(self, step: dict[str, Any]) -> int:
        return self.spent.get(step["id"], 0) if step.get("resume") else 0

    def in_step_ms(self, t: int | None = None) -> int:
        """Time spent in the current step (for a resumed step, over all its visits)."""
        t = self.now_ms if t is None else t
        return self._spent_before(self.step) + (t - self.entered_ms)

    def remaining_ms(self, t: int | None = None) -> int | None:
        """Time left in the current step, or None when an event ends it."""
        duration = self.step.get("duration_s")
        if duration is None or self.finished:
            return None
        return max(0, int(duration) * 1000 - self.in_step_ms(t))

    def primary_event(self) -> str:
        """What one tap (or the space bar) means now: ``ready`` where the step waits for it."""
        return "ready" if self.step.get("ends_on") == "ready" else "let-down"

    def count(self, step_id: str, event: str) -> int:
        return self.counts.get(f"{step_id}|{event}", 0)

    # --- driving it -------------------------------------------------------------------------
    def start(self, t: int = 0) -> Player:
        if self.current is not None:
            raise PlayerError("the player has already started")
        self.now_ms = t
        self._enter(self.plan["start"], t, "start")
        return self

    def _due(self) -> tuple[int, str] | None:
        if self.finished or self.current is None:
            return None
        step = self.step
        base = self.entered_ms - self._spent_before(step)
        due: tuple[int, str] | None = None
        if step.get("duration_s") is not None:
            due = (base + int(step["duration_s"]) * 1000, "timeout")
        wait = step.get("let_down_wait_s")
        if wait is not None and not self.let_downs and self.count(step["id"], "no-let-down") == 0:
            at = base + int(wait) * 1000
            if due is None or at < due[0]:
                due = (at, "no-let-down")
        bound = self.plan.get("bound")
        if bound:
            began = next((v.at_ms for v in self.visits if v.step == bound["from"]), None)
            if began is not None:
                at = began + int(bound["ms"])
                if due is None or at <= due[0]:
                    due = (at, "time-up")
        return due

    def tick(self, t: int) -> Player:
        if t < self.now_ms:
            raise PlayerError(f"time went back from {self.now_ms} ms to {t} ms")
        if self.current is None:
            raise PlayerError("the player has not started")
        while (due := self._due()) is not None and due[0] <= t:
            self.now_ms = due[0]
            self._handle(due[1], due[0])
        self.now_ms = t
        return self

    def event(self, name: str, t: int) -> Player:
        self.tick(t)
        if self.finished:
            return self
        if name == "let-down":
            self.let_downs.append(t)
        self._handle(name, t)
        return self

    def _handle(self, name: str, t: int) -> None:
        step = self.step
        key = f"{step['id']}|{name}"
        self.counts[key] = self.counts.get(key, 0) + 1
        repeat = (step.get("repeats") or {}).get(name)
        if repeat is not None and self.counts[key] >= int(repeat["times"]):
            target: str | None = repeat["to"]
        else:
            target = (step.get("transitions") or {}).get(name) or self.global_.get(name)
        if target is not None:
            self._enter(target, t, name)

    def _enter(self, target: str, t: int, by: str) -> None:
        if target == BACK:
            if self.return_to is None:
                raise PlayerError(f"step '{self.current}' goes back, but nothing was interrupted")
            target, self.return_to = self.return_to, None
        if target not in self.steps:
            raise PlayerError(f"no step '{target}' in the plan")
        if self.current is not None:
            leaving = self.step
            if leaving.get("resume"):
                self.spent[leaving["id"]] = self.spent.get(leaving["id"], 0) + (t - self.entered_ms)
            if self.steps[target].get("returns") and not leaving.get("returns"):
                self.return_to = leaving["id"]
        self.current = target
        self.entered_ms = t
        self.visits.append(Visit(target, t, by))
        if self.steps[target]["kind"] == "finish":
            self.finished_ms = t

    # --- results ----------------------------------------------------------------------------
    def side_ms(self, t: int | None = None) -> dict[str, int]:
        """Time spent expressing each side (express steps only), up to ``t`` or the finish."""
        end = self.finished_ms if self.finished_ms is not None else (self.now_ms if t is None else t)
        totals = {"left": 0, "right": 0}
        for visit, following in zip(self.visits, [*self.visits[1:], None], strict=True):
            step = self.steps[visit.step]
            side = step.get("side")
            if step["kind"] != "express" or side not in totals:
                continue
            until = following.at_ms if following is not None else end
            totals[side] += until - visit.at_ms
        return totals

    def result(self) -> dict[str, Any]:
        """What the vectors compare: visits, let-down marks, finish time, time per side."""
        return {
            "visits": [v.as_json() for v in self.visits],
            "let_downs": list(self.let_downs),
            "finished_ms": self.finished_ms,
            "current": self.current,
            "side_ms": self.side_ms(),
        }


def play(plan: dict[str, Any], trace: list[dict[str, Any]], end_ms: int | None = None) -> dict[str, Any]:
    """Play a trace (``{"t": ms, "event": name}`` or ``{"t": ms}`` for a tick) from time 0."""
    player = Player(plan).start(0)
    for item in trace:
        if item.get("event"):
            player.event(item["event"], int(item["t"]))
        else:
            player.tick(int(item["t"]))
    if end_ms is not None:
        player.tick(end_ms)
    return player.result()
