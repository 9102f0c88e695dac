"""``letdown triage``: what to do now, for you and your baby, and why (with the source)."""

from __future__ import annotations

from typing import Any

import click

from letdown.cli.common import App, json_option, pass_app, print_json, render_table
from letdown.cli.guide import fill, format_source


@click.command()
@click.option("--symptom", "symptoms", multiple=True, metavar="S", help="A symptom (repeat); see --list.")
@click.option(
    "--temperature",
    metavar="T",
    help="YOUR temperature (the parent's): 38.6, 38,6 or 38.6C are °C; 101.5 or 101.5F are °F.",
)
@click.option("--hours", type=float, metavar="N", help="How many hours the symptoms have lasted.")
@click.option(
    "--emergency-number",
    metavar="N",
    help="The number to call in an emergency (default: the household's; see letdown init).",
)
@click.option("--list", "list_symptoms", is_flag=True, help="List the symptoms triage understands.")
@json_option
@pass_app
def triage(
    app: App,
    symptoms: tuple[str, ...],
    temperature: str | None,
    hours: float | None,
    emergency_number: str | None,
    list_symptoms: bool,
    as_json: bool,
) -> None:
    """Check symptoms against the cited rules: emergency, today, call, or self-care.

    Your symptoms and your baby's are listed apart (see --list); the answer says whom each
    action is for. letdown informs; it does not diagnose.

    Example: letdown triage --symptom hard-swollen --symptom baby-cant-latch
    """
    from letdown.services import guide as service

    if list_symptoms:
        rows = service.list_symptoms()
        if as_json:
            print_json({"symptoms": rows})
        else:
            table = [[r["id"], r["who"], r["description"]] for r in rows]
            click.echo(render_table(["symptom", "whose", "description"], table))
        return
    if emergency_number is None:
        emergency_number = _household_number(app)
    else:
        from letdown.domain.emergency import parse_number

        emergency_number = parse_number(emergency_number)
    answer = service.triage(symptoms, temperature=temperature, hours=hours, emergency_number=emergency_number)
    if as_json:
        print_json(answer)
        return
    click.echo(render_answer(answer))


def _household_number(app: App) -> str | None:
    """The household's emergency number (its own, else its country's). Triage never creates a
    database: with no SQLite file yet, answers say "your local emergency number"."""
    from pathlib import Path

    from letdown.config import database_url

    url = database_url(app.db_url)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    with app.session() as db:
        return app.household(db).number_to_call


def render_answer(answer: dict[str, Any]) -> str:
    """For people: what to do first (for you, for your baby), then each reason with its rule and
    source, what should make you call, and the disclaimer."""
    from letdown.domain.triage import DEFAULT_EMERGENCY_NUMBER

    lines = [answer["label"].upper() + f"  ({answer['level']})"]
    for action in answer["actions"]:
        decided = ", ".join(action["rules"])
        tail = (
            f"  [rule: {decided}; source: {', '.join(s['id'] for s in action['sources'])}]" if decided else ""
        )
        lines.append(fill(f"{action['who_label']}: {action['text']}{tail}", subsequent_indent="  "))
    if answer["level"] == "emergency" and answer["emergency_number"] == DEFAULT_EMERGENCY_NUMBER:
        lines.append("(Set your number once: letdown init --country GB, or --emergency-number N.)")
    lines.append("")
    if answer["temperature"]:
        lines.append(f"Your temperature (the parent's): {answer['temperature']}")
        if answer["temperature_note"]:
            lines.append(answer["temperature_note"])
    lines.append(f"Symptoms: {', '.join(answer['symptoms']) or 'none'}")
    lines += ["", "Why:"]
    sources = {}
    for reason in answer["reasons"]:
        source = reason["source"]
        sources[source["id"]] = source
        whose = "your baby" if reason["who"] == "baby" else "you"
        text = f"{reason['text']} [{reason['rule']} ({whose}): {source['id']}]"
        if reason["ours"]:
            text += f" Our careful reading: {reason['note']}"
        lines.append(fill(text, initial_indent="- ", subsequent_indent="  "))
    if answer["also_noted"]:
        lines += ["", "Also noted (after the call; not advice for now):"]
        for note in answer["also_noted"]:
            lines.append(
                fill(f"{note['who_label']}: {note['text']}", initial_indent="- ", subsequent_indent="  ")
            )
    if answer["safety_net"]:
        lines += ["", "Stop self-care and get help if:"]
        for item in answer["safety_net"]:
            sources[item["source"]["id"]] = item["source"]
            lines.append(
                fill(f"{item['text']} [{item['source']['id']}]", initial_indent="- ", subsequent_indent="  ")
            )
    lines += ["", "Read:"]
    lines += [f"- letdown guide show {topic['id']}  ({topic['title']})" for topic in answer["advice"]]
    lines += ["", "Sources:"]
    lines += [format_source(source) for source in sources.values()]
    lines += ["", fill(answer["disclaimer"])]
    return "\n".join(lines)
