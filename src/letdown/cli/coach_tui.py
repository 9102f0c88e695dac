"""The full-screen terminal coach: curses draws, ``domain/coach_player.Player`` decides.

Imported only when ``letdown coach`` runs. Big countdown, a press/release pulse, the terminal
bell at each new step (and on every press with ``--beat``), speech where a speech program
exists. When the plan finishes (or on ``q``) it asks the volumes and saves the session.
"""

from __future__ import annotations

import contextlib
import curses
import shutil
import subprocess
import time
from datetime import timedelta
from typing import Any

import click

from letdown.cli.common import App
from letdown.domain.coach_player import Player

KEYS = {ord("s"): "flow-slowed", ord("p"): "pain", ord("q"): "finish", ord("z"): "pause"}
#: Only in plans whose ``global`` has it (before birth).
CONTRACTIONS_KEY = ord("c")


def key_event(player: Player, key: int) -> str | None:
    """The event a key sends now: a step's choices answer to 1, 2, ...; space is ready or a
    let-down except on a step that asks a question; ``c`` is contractions where the plan has it."""
    choices = player.step.get("choices") or []
    if choices and ord("1") <= key < ord("1") + len(choices):
        return str(choices[key - ord("1")]["event"])
    if key == ord(" "):
        return None if choices else player.primary_event()
    if key == CONTRACTIONS_KEY and "contractions" in (player.plan.get("global") or {}):
        return "contractions"
    return KEYS.get(key)


def key_help(player: Player) -> str:
    """The keys line at the bottom of the screen."""
    choices = player.step.get("choices") or []
    if choices:
        first = "   ".join(f"{n} = {c['label']}" for n, c in enumerate(choices, start=1))
    elif player.primary_event() == "ready":
        first = "space = ready"
    else:
        first = "space = let-down / milk flowing"
    more = "   c = contractions" if "contractions" in (player.plan.get("global") or {}) else ""
    return f"{first}   s = flow slowed   p = pain   z = pause{more}   q = finish"


SPEECH = ("espeak-ng", "espeak", "say")

# A 3x5 font for the countdown, drawn with full blocks.
FONT = {
    "0": ["###", "# #", "# #", "# #", "###"],
    "1": [" # ", "## ", " # ", " # ", "###"],
    "2": ["###", "  #", "###", "#  ", "###"],
    "3": ["###", "  #", "###", "  #", "###"],
    "4": ["# #", "# #", "###", "  #", "  #"],
    "5": ["###", "#  ", "###", "  #", "###"],
    "6": ["###", "#  ", "###", "# #", "###"],
    "7": ["###", "  #", "  #", "  #", "  #"],
    "8": ["###", "# #", "###", "# #", "###"],
    "9": ["###", "# #", "###", "  #", "###"],
    ":": ["   ", " # ", "   ", " # ", "   "],
}


def big(text: str) -> list[str]:
    """``text`` (digits and colons) as 5 rows of block characters, each glyph doubled in width."""
    rows = ["", "", "", "", ""]
    for char in text:
        glyph = FONT.get(char, ["   "] * 5)
        for i in range(5):
            rows[i] += "".join("██" if c == "#" else "  " for c in glyph[i]) + "  "
    return rows


class Speaker:
    """Speaks a cue with the first speech program found; a new cue cuts the old one short."""

    def __init__(self, enabled: bool) -> None:
        self.program = next((p for p in SPEECH if shutil.which(p)), None) if enabled else None
        self.process: subprocess.Popen[bytes] | None = None

    def say(self, text: str) -> None:
        if self.program is None:
            return
        self.stop()
        self.process = subprocess.Popen(
            [self.program, text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
        self.process = None


class Clock:
    """Milliseconds since the start, ``speed`` times faster than the wall clock."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.origin = time.monotonic()

    def ms(self) -> int:
        return int((time.monotonic() - self.origin) * 1000 * self.speed)


def _put(win: Any, y: int, x: int, text: str, attr: int = 0) -> None:
    height, width = win.getmaxyx()
    if 0 <= y < height and x < width:
        with contextlib.suppress(curses.error):
            win.addstr(y, max(0, x), text[: max(0, width - max(0, x) - 1)], attr)


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def pulse(step: dict[str, Any], in_step_ms: int) -> tuple[str, int, bool]:
    """(PRESS or RELEASE, the press number, whether to move the fingers now) for a turn."""
    beat = int(float(step.get("rhythm_s") or 2) * 1000)
    n = in_step_ms // beat
    presses = n // 2 + 1
    every = int(step.get("presses_per_position") or 0)
    move = bool(every) and n % 2 == 1 and presses % every == 0
    return ("PRESS" if n % 2 == 0 else "release", presses, move)


def draw(win: Any, player: Player, t: int) -> None:
    win.erase()
    height, width = win.getmaxyx()
    step = player.step
    bold = curses.A_BOLD
    _put(win, 0, 2, f"letdown coach · {step['title']}", bold)
    _put(win, 0, width - 22, f"let-downs: {len(player.let_downs)}")
    remaining = player.remaining_ms(t)
    y = 2
    if remaining is not None:
        secs = (remaining + 999) // 1000
        for row in big(f"{secs // 60}:{secs % 60:02d}"):
            _put(win, y, 4, row, bold)
            y += 1
    elif step.get("choices"):
        keys = " or ".join(str(n) for n in range(1, len(step["choices"]) + 1))
        _put(win, y, 4, f"waiting for your answer: press {keys}", bold)
        y += 2
    else:
        _put(win, y, 4, "waiting for you: press space", bold)
        y += 2
    y += 1
    if step["kind"] == "express":
        word, presses, move = pulse(step, player.in_step_ms(t))
        bar = "█" * max(10, width - 8) if word == "PRESS" else "░" * max(10, width - 8)
        _put(win, y, 4, bar, bold if word == "PRESS" else 0)
        _put(win, y + 1, 4, f"{word}   press {presses}", bold)
        if move:
            _put(win, y + 2, 4, "Move your fingers round to a new spot", bold)
        y += 4
    for line in _wrap(step["cue"], max(20, width - 8)):
        _put(win, y, 4, line)
        y += 1
    for item in step.get("checklist", []):
        _put(win, y, 6, f"[ ] {item['text']}")
        y += 1
    _put(win, height - 2, 2, key_help(player))
    win.refresh()


def play(
    stdscr: Any, plan: dict[str, Any], *, speaker: Speaker, beat: bool, speed: float
) -> tuple[Player, list[dict[str, Any]]]:
    """Run the plan in the terminal until it finishes; returns the player and the events sent."""
    curses.curs_set(0)
    stdscr.timeout(50)
    player = Player(plan).start(0)
    log: list[dict[str, Any]] = []
    clock = Clock(speed)
    shown: tuple[str, int] | None = None
    last_press = -1
    while not player.finished:
        t = clock.ms()
        player.tick(t)
        try:
            key = stdscr.getch()
        except KeyboardInterrupt:  # Ctrl-C ends the session like q: what was done is kept
            key = ord("q")
        event = key_event(player, key) if key != -1 else None
        if event is not None:
            t = max(t, player.now_ms)
            player.event(event, t)
            log.append({"t": t, "event": event})
            if event == "let-down":
                curses.beep()
        if player.finished:
            break
        visit = (player.current or "", len(player.visits))
        if visit != shown:
            shown = visit
            curses.beep()
            speaker.say(player.step["title"] + ". " + player.step["cue"])
            last_press = -1
        if beat and player.step["kind"] == "express":
            _, presses, _ = pulse(player.step, player.in_step_ms(t))
            if presses != last_press:
                last_press = presses
                curses.beep()
        draw(stdscr, player, t)
    speaker.say(player.step["cue"])
    return player, log


def _ask_ml(side: str) -> float | None:
    text = click.prompt(f"{side} side, ml (Enter to skip)", default="", show_default=False)
    return float(text) if text.strip() else None


def run_coach(app: App, plan: dict[str, Any], *, speak: bool, beat: bool, speed: float) -> None:
    from letdown.services.log import coach

    speaker = Speaker(speak)
    if speak and speaker.program is None:
        click.echo("No speech program found (espeak-ng, espeak or say): the coach will not speak.")
    player, log = curses.wrapper(lambda scr: play(scr, plan, speaker=speaker, beat=beat, speed=speed))
    end_ms = player.finished_ms or 0
    end = player.step
    if end.get("saves") is False:
        speaker.stop()
        click.echo(f"{end['title']}. {end['cue']}")
        click.echo("Nothing saved.")
        return
    if end["id"] != "finish":  # ended by an event with its own advice (contractions)
        click.echo(f"{end['title']}. {end['cue']}")
    if end_ms < 1000:
        speaker.stop()
        click.echo("Stopped before the session began: nothing saved.")
        return
    minutes = end_ms / 60000
    count = len(player.let_downs)
    click.echo(f"Session over: {minutes:.1f} min, {count} let-down{'' if count == 1 else 's'} marked.")
    while True:
        try:
            left, right = _ask_ml("Left"), _ask_ml("Right")
            comfort_text = click.prompt(
                "Comfort 0 (painful) to 10 (Enter to skip)", default="", show_default=False
            )
            comfort = int(comfort_text) if comfort_text.strip() else None
            break
        except ValueError:
            click.echo("Please give a number, or press Enter to skip.")
    speaker.stop()
    with app.session() as db:
        household = app.household(db)
        now = app.now()
        run = coach.CoachedSession(
            plan=plan,
            started_at=now - timedelta(milliseconds=end_ms),
            events=log,
            ended_ms=end_ms,
            left_ml=left,
            right_ml=right,
            comfort=comfort,
        )
        view = coach.save(db, household.id, run, now=now)
        click.echo(f"Saved session {view.id}. See how it went: letdown log show {view.id}")
