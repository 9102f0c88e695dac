"""``letdown guide``: search, list and read the cited guidance topics."""

from __future__ import annotations

import re
import textwrap
from typing import Any

import click

from letdown.cli.common import json_option, print_json, render_table

WIDTH = 88


@click.group()
def guide() -> None:
    """Cited guidance on hand expression, let-down, storage and when to call someone.

    Example: letdown guide search "boobs rock hard baby cant latch"
    """


@guide.command("search")
@click.argument("query")
@click.option("--limit", type=int, default=5, show_default=True, help="How many results.")
@json_option
def search_command(query: str, limit: int, as_json: bool) -> None:
    """Find topics for a question in everyday words (typos are fine).

    Example: letdown guide search "how long can milk stay out"
    """
    from letdown.services import guide as service

    results = service.search(query, limit)
    if as_json:
        print_json({"results": results})
        return
    if not results:
        click.echo(f"Nothing found for '{query}'. Try other words, or: letdown guide list")
        return
    for number, result in enumerate(results, 1):
        click.echo(f"{number}. {result['title']}  ({result['id']})")
        click.echo(fill(result["snippet"], initial_indent="   ", subsequent_indent="   "))
        click.echo(f"   Sources: {', '.join(result['sources'])}")
    click.echo(f"\nRead one with: letdown guide show {results[0]['id']}")


@guide.command("list")
@json_option
def list_command(as_json: bool) -> None:
    """List every topic."""
    from letdown.services import guide as service

    topics = service.list_topics()
    if as_json:
        print_json({"topics": [t.as_json() for t in topics]})
        return
    click.echo(render_table(["id", "title"], [[t.id, t.title] for t in topics]))


@guide.command("show")
@click.argument("topic_id", metavar="ID")
@json_option
def show_command(topic_id: str, as_json: bool) -> None:
    """Read one topic, with its sources and the disclaimer.

    Example: letdown guide show engorgement
    """
    from letdown.services import guide as service

    view = service.get_topic(topic_id)
    if as_json:
        print_json(view.as_json())
        return
    click.echo(render_topic(view.title, view.markdown, [service.source_json(s) for s in view.sources]))
    click.echo(fill(view.disclaimer))


def render_topic(title: str, markdown: str, sources: list[dict[str, Any]]) -> str:
    """A topic as plain terminal text: headings underlined, emphasis marks dropped, sources listed.

    The disclaimer line (a Markdown quote) is left for the caller to print last.
    """
    lines = [title, "=" * len(title), ""]
    for line in markdown.splitlines():
        if line.startswith(">"):
            continue
        heading = re.match(r"^#+\s+(.*)", line)
        if heading:
            text = heading.group(1)
            lines += [text, "-" * len(text)]
            continue
        line = re.sub(r"\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`", _unmark, line)
        bullet = re.match(r"^(\s*(?:[-*]|\d+\.)\s+)(.*)", line)
        if bullet and len(line) > WIDTH:
            indent = " " * len(bullet.group(1))
            lines.append(fill(bullet.group(2), initial_indent=bullet.group(1), subsequent_indent=indent))
        elif line.startswith("|") or len(line) <= WIDTH:
            lines.append(line)
        else:
            lines.append(fill(line))
    while lines and not lines[-1].strip():
        lines.pop()
    lines += ["", "Sources", "-------"]
    lines += [format_source(source) for source in sources]
    lines.append("")
    return "\n".join(lines)


def format_source(source: dict[str, Any]) -> str:
    """``- [id] Title. Publisher, year. url`` wrapped as a list item."""
    publisher = source["publisher"] + (f", {source['year']}" if source["year"] is not None else "")
    entry = f"[{source['id']}] {source['title']}. {publisher}. {source['url'] or 'No public link.'}"
    return fill(entry, initial_indent="- ", subsequent_indent="  ")


def fill(text: str, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """Wrap for the terminal without splitting source ids at their hyphens."""
    return textwrap.fill(
        text,
        WIDTH,
        break_on_hyphens=False,
        break_long_words=False,
        initial_indent=initial_indent,
        subsequent_indent=subsequent_indent,
    )


def _unmark(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group is not None)
