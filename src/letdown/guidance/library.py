"""The guidance library as data: sources, topics (Markdown with front matter) and facts.

Everything here is read from files shipped inside the package and cached after the first
read; nothing writes. Topics are written in our own words and cite source ids inline,
like ``[llli-hand-expressing]``; ``facts.yaml`` holds every number a topic may use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from letdown.domain.errors import NotFound

#: Shown at the end of every topic and every triage answer (the topics carry it verbatim).
DISCLAIMER = (
    "letdown informs; it does not diagnose. This does not replace a doctor, midwife or "
    "lactation consultant (IBCLC). If something feels wrong, or you are worried about "
    "yourself or your baby, contact one of them."
)

#: The longest guidance search accepted, in characters: a question is a line, not a page.
#: Here (not in ``search``) so pages can size the search box without loading the engine.
MAX_QUERY_CHARS = 200

#: A citation inside topic text: one or more source ids in square brackets.
CITATION = re.compile(r"\[([a-z][a-z0-9-]*(?:,\s*[a-z][a-z0-9-]*)*)\]")

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class Source:
    """One publication letdown cites."""

    id: str
    title: str
    publisher: str
    year: int | None
    url: str | None
    kind: str
    says: str | None = None
    """What we took from it, where that would not do as a title (e.g. it names one country's
    emergency number, which must not read as the action in another country)."""


@dataclass(frozen=True)
class Topic:
    """One guidance page: front matter plus its Markdown body (which ends with the disclaimer)."""

    id: str
    title: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    reviewed: date
    body: str

    def cited_ids(self) -> list[str]:
        """Source ids cited inline in the body, in order of first use."""
        seen: dict[str, None] = {}
        for group in CITATION.findall(self.body):
            for ident in group.split(","):
                seen.setdefault(ident.strip(), None)
        return list(seen)


@dataclass(frozen=True)
class Fact:
    """A sourced fact; ``numbers`` holds every figure in it, ``data`` its structured fields."""

    id: str
    source: str
    text: str
    numbers: tuple[float, ...]
    data: dict[str, Any] = field(default_factory=dict)


def read_text(name: str) -> str:
    """The text of a file under ``letdown/guidance/``."""
    return resources.files("letdown.guidance").joinpath(name).read_text(encoding="utf-8")


def read_yaml(name: str) -> Any:
    """A YAML file under ``letdown/guidance/``, parsed."""
    return yaml.safe_load(read_text(name))


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    """The sources registry by id."""
    rows = read_yaml("sources.yaml")
    return {row["id"]: Source(**row) for row in rows}


def source(ident: str) -> Source:
    """One source by id; ``NotFound`` names the id."""
    try:
        return sources()[ident]
    except KeyError:
        raise NotFound("source", ident) from None


def parse_topic(text: str, name: str) -> Topic:
    """A topic from its file text; ``ValueError`` names the file when the front matter is bad."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"Topic file '{name}' has no front matter")
    meta = yaml.safe_load(match.group(1)) or {}
    missing = [key for key in ("id", "title", "tags", "sources", "reviewed") if key not in meta]
    if missing:
        raise ValueError(f"Topic file '{name}' lacks {', '.join(missing)}")
    return Topic(
        id=str(meta["id"]),
        title=str(meta["title"]),
        tags=tuple(str(tag) for tag in meta["tags"]),
        sources=tuple(str(ident) for ident in meta["sources"]),
        reviewed=meta["reviewed"],
        body=match.group(2).strip() + "\n",
    )


@lru_cache(maxsize=1)
def topics() -> dict[str, Topic]:
    """Every topic by id, in file-name order."""
    folder = resources.files("letdown.guidance").joinpath("topics")
    entries = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".md")),
        key=lambda entry: entry.name,
    )
    result: dict[str, Topic] = {}
    for entry in entries:
        topic = parse_topic(entry.read_text(encoding="utf-8"), entry.name)
        if topic.id in result:
            raise ValueError(f"Topic id '{topic.id}' is used twice")
        result[topic.id] = topic
    return result


def topic(ident: str) -> Topic:
    """One topic by id; ``NotFound`` names the id."""
    try:
        return topics()[ident]
    except KeyError:
        raise NotFound("topic", ident) from None


def numbers_in(value: Any) -> list[float]:
    """Every number in a YAML value (nested lists and mappings; strings are not read)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in numbers_in(item)]
    if isinstance(value, list):
        return [n for item in value for n in numbers_in(item)]
    return []


@lru_cache(maxsize=1)
def facts() -> dict[str, Fact]:
    """Every fact in ``facts.yaml`` by id."""
    result: dict[str, Fact] = {}
    for row in read_yaml("facts.yaml")["facts"]:
        data = {k: v for k, v in row.items() if k not in ("id", "source", "text", "numbers")}
        numbers = numbers_in(row.get("numbers", [])) + numbers_in(data)
        if row["id"] in result:
            raise ValueError(f"Fact id '{row['id']}' is used twice")
        result[row["id"]] = Fact(
            id=row["id"],
            source=row["source"],
            text=row["text"],
            numbers=tuple(numbers),
            data=data,
        )
    return result


def facts_of_kind(kind: str) -> list[Fact]:
    """The facts whose ``kind`` field is ``kind`` (e.g. ``volume-per-feed``), in file order."""
    return [fact for fact in facts().values() if fact.data.get("kind") == kind]
