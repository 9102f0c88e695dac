"""``letdown triage``: how urgent are these symptoms, and why (with the source)."""

from __future__ import annotations

import click

from letdown.cli.common import json_option, print_json, render_table
from letdown.cli.guide import fill, format_source


@click.command()
@click.option("--symptom", "symptoms", multiple=True, metavar="S", help="A symptom (repeat); see --list.")
@click.option("--temperature", metavar="T", help="Body temperature with its unit: 38.6C or 101.5F.")
@click.option("--hours", type=float, metavar="N", help="How many hours the symptoms have lasted.")
@click.option("--list", "list_symptoms", is_flag=True, help="List the symptoms triage understands.")
@json_option
def triage(
    symptoms: tuple[str, ...],
    temperature: str | None,
    hours: float | None,
    list_symptoms: bool,
    as_json: bool,
) -> None:
    """Check symptoms against the cited rules: self-care, call, or see someone today.

    letdown informs; it does not diagnose.

    Example: letdown triage --symptom hard-swollen --symptom baby-cant-latch
    """
    from letdown.services import guide as service

    if list_symptoms:
        rows = service.list_symptoms()
        if as_json:
            print_json({"symptoms": rows})
        else:
            click.echo(render_table(["symptom", "description"], [[r["id"], r["description"]] for r in rows]))
        return
    answer = service.triage(symptoms, temperature=temperature, hours=hours)
    if as_json:
        print_json(answer)
        return
    click.echo(render_answer(answer))


def render_answer(answer: dict) -> str:
    """The answer for people: the level first, then each reason with its source."""
    lines = [answer["label"].upper() + f"  ({answer['level']})", ""]
    if answer["temperature"]:
        lines.append(f"Temperature: {answer['temperature']}")
    lines.append(f"Symptoms: {', '.join(answer['symptoms']) or 'none'}")
    lines += ["", "Why:"]
    sources = {}
    for reason in answer["reasons"]:
        source = reason["source"]
        sources[source["id"]] = source
        lines.append(fill(f"{reason['text']} [{source['id']}]", initial_indent="- ", subsequent_indent="  "))
    lines += ["", "Read:"]
    lines += [f"- letdown guide show {topic['id']}  ({topic['title']})" for topic in answer["advice"]]
    lines += ["", "Sources:"]
    lines += [format_source(source) for source in sources.values()]
    lines += ["", fill(answer["disclaimer"])]
    return "\n".join(lines)
