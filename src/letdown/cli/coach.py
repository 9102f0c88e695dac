"""``letdown coach``: the guided hand-expression coach in the terminal, and ``letdown coach plan``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from letdown.cli.common import App, UserError, json_option, pass_app, print_json


def plan_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options that shape a plan (shared by ``coach`` and ``coach plan``)."""
    options = [
        click.option(
            "--stage",
            type=click.Choice(["antenatal", "early", "established"]),
            help="Before birth, the colostrum days, or milk established (default: from the baby's age).",
        ),
        click.option(
            "--experience",
            type=click.Choice(["new", "practised"]),
            help="new: every step explained; practised: short cues (default: practised once the coach "
            "has led a session here, else new).",
        ),
        click.option(
            "--minutes",
            type=float,
            metavar="N",
            help="Expressing time, both sides together (default 30 new, 20 practised [llli-marmet]; "
            "at most 40, about 20 a side [getting-a-let-down]). Before birth the whole session is "
            "up to about 10 minutes [nhs-forthvalley-colostrum]: at most 7 new, 8 practised.",
        ),
        click.option(
            "--rhythm",
            "rhythm_s",
            type=float,
            metavar="SECONDS",
            help="Press for SECONDS, let go as long (default 2 [nhs-hand-expression]).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _build(app: App, opts: dict[str, Any]) -> dict[str, Any]:
    from letdown.services.log import coach

    with app.session() as db:
        household = app.household(db)
        return coach.plan(
            db,
            household.id,
            now=app.now(),
            stage=opts.get("stage"),
            experience=opts.get("experience"),
            minutes=opts.get("minutes"),
            rhythm_s=opts.get("rhythm_s"),
        )


def _minutes(seconds: int | None) -> str:
    if seconds is None:
        return "until you tap"
    return f"{seconds // 60}:{seconds % 60:02d}"


def describe_plan(plan: dict[str, Any]) -> str:
    """The plan for people: the main path in order, then the steps events lead to."""
    opts = plan["options"]
    lines = [
        f"Coach plan: {opts['stage']}, {opts['experience']}, {opts['minutes']:g} min expressing, "
        f"press {opts['rhythm_s']:g} s, let go {opts['rhythm_s']:g} s",
        "",
    ]
    for step in plan["steps"]:
        marker = "  (when needed)" if step.get("returns") else ""
        length = "" if step["kind"] == "finish" else _minutes(step["duration_s"])
        lines.append(f"{step['id']:<16} {length:>13}  {step['title']}{marker}")
        lines.append(f"{'':<31} {step['cue']}")
        for item in step.get("checklist", []):
            lines.append(f"{'':<31} [ ] {item['text']}")
        for n, choice in enumerate(step.get("choices", []), start=1):
            target = step["transitions"].get(choice["event"]) or plan["global"].get(choice["event"])
            lines.append(f"{'':<31} {n} = {choice['label']} -> {target}")
        if step["sources"]:
            lines.append(
                f"{'':<31} sources: {', '.join(step['sources'])}; topics: {', '.join(step['topics'])}"
            )
    contractions = ", c = contractions (stop now)" if "contractions" in plan["global"] else ""
    choices = ", 1 / 2 = answer a question" if any(s.get("choices") for s in plan["steps"]) else ""
    lines += [
        "",
        "Keys in `letdown coach`: space = ready / let-down, s = flow slowed, p = pain, "
        f"z = pause{contractions}{choices}, q = finish.",
    ]
    return "\n".join(lines)


@click.group(invoke_without_command=True)
@plan_options
@click.option("--speak", is_flag=True, help="Speak each cue (needs espeak-ng, espeak or say).")
@click.option(
    "--beat", is_flag=True, help="Ring the terminal bell on every press, not only at each new step."
)
@click.option(
    "--speed",
    type=float,
    default=1.0,
    show_default=True,
    metavar="X",
    help="Run the clock X times faster (for trying it out and for tests); saved times are scaled too.",
)
@pass_app
@click.pass_context
def coach(ctx: click.Context, app: App, /, speak: bool, beat: bool, speed: float, **opts: Any) -> None:
    """Guided hand expression: a full-screen coach that leads by sound, speech and a pulse.

    Keys: space = ready or let-down (milk flowing), s = flow slowed, p = pain, z = pause,
    q = finish. At the end it asks how much came from each side and saves the session.

    Example: letdown coach --experience practised --speak
    """
    if ctx.invoked_subcommand is not None:
        return
    import sys

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("letdown coach needs a terminal; to see the plan, run: letdown coach plan")
    if not 0.1 <= speed <= 1000:
        raise UserError(f"--speed must be from 0.1 to 1000, got {speed:g}")
    from letdown.cli.coach_tui import run_coach

    run_coach(app, _build(app, opts), speak=speak, beat=beat, speed=speed)


@coach.command("plan")
@plan_options
@json_option
@pass_app
def plan(app: App, /, as_json: bool, **opts: Any) -> None:
    """Show the steps the coach would lead you through, with their sources.

    Example: letdown coach plan --stage early --minutes 20 --json
    """
    result = _build(app, opts)
    if as_json:
        print_json(result)
    else:
        click.echo(describe_plan(result))
