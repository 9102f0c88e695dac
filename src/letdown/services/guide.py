"""Use cases for guidance: search topics, list and read them, and triage symptoms.

Guidance is the same for every household and needs no database. The search index is
built on first use (``letdown.guidance.search``), so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from letdown.domain import triage as rules
from letdown.guidance import library
from letdown.guidance.library import DISCLAIMER, Source


@dataclass(frozen=True)
class TopicSummary:
    id: str
    title: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "tags": list(self.tags), "sources": list(self.sources)}


@dataclass(frozen=True)
class TopicView:
    id: str
    title: str
    tags: tuple[str, ...]
    reviewed: str
    markdown: str
    sources: tuple[Source, ...]
    disclaimer: str = DISCLAIMER

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "tags": list(self.tags),
            "reviewed": self.reviewed,
            "markdown": self.markdown,
            "sources": [source_json(s) for s in self.sources],
            "disclaimer": self.disclaimer,
        }


def source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "year": source.year,
        "url": source.url,
    }


#: The topic a red-flag question leads to; a search that finds it near the top shows the way to
#: triage first (a parent typing "baby very sleepy" needs the call, not a list of pages).
RED_FLAG_TOPIC = "when-to-call"
RED_FLAG_WITHIN = 3


def points_to_triage(results: list[dict[str, Any]]) -> bool:
    """Whether search results read as a warning sign: *When to call* is among the first few."""
    return any(result["id"] == RED_FLAG_TOPIC for result in results[:RED_FLAG_WITHIN])


def search(query: str, limit: int = 5) -> list[dict[str, Any]]:
    """Topics matching ``query``, best first: ``id``, ``title``, ``snippet``, ``sources``."""
    from letdown.guidance.search import search as run_search

    return [result.to_dict() for result in run_search(query, limit)]


def list_topics() -> list[TopicSummary]:
    """Every topic, in a stable order."""
    return [
        TopicSummary(topic.id, topic.title, topic.tags, topic.sources) for topic in library.topics().values()
    ]


def get_topic(ident: str) -> TopicView:
    """One topic with its sources resolved; ``NotFound`` names an unknown id."""
    topic = library.topic(ident)
    return TopicView(
        id=topic.id,
        title=topic.title,
        tags=topic.tags,
        reviewed=topic.reviewed.isoformat(),
        markdown=topic.body,
        sources=tuple(library.source(s) for s in topic.sources),
    )


def list_symptoms() -> list[dict[str, Any]]:
    """The symptoms triage understands, each with whose it is and a plain description."""
    return [
        {
            "id": s.id,
            "who": s.who,
            "section": s.section,
            "description": s.description,
            "red_flag": s.red_flag,
        }
        for s in rules.default_rules().symptoms.values()
    ]


def symptom_sections() -> list[dict[str, Any]]:
    """The symptoms grouped as the form shows them: the parent's, then the baby's."""
    table = rules.default_rules()
    return [
        {
            "id": section.id,
            "who": section.who,
            "label": section.label,
            "symptoms": [row for row in list_symptoms() if row["section"] == section.id],
        }
        for section in table.sections.values()
    ]


def triage(
    symptoms: Iterable[str],
    temperature: str | None = None,
    hours: float | None = None,
    emergency_number: str | None = None,
) -> dict[str, Any]:
    """Rate symptoms. The answer leads with what to do (one action per person), then every
    reason with the rule and source that gave it, then what should make a parent call."""
    result = rules.evaluate(
        list(symptoms), temperature=temperature, hours=hours, emergency_number=emergency_number
    )
    temp = result.temperature
    return {
        "level": result.level,
        "label": result.label,
        "actions": [
            {
                "who": action.who,
                "who_label": action.who_label,
                "level": action.level,
                "text": action.text,
                "rules": list(action.rules),
                "sources": [source_json(library.source(s)) for s in action.sources],
            }
            for action in result.actions
        ],
        "emergency_number": result.emergency_number,
        "symptoms": list(result.symptoms),
        "temperature": str(temp) if temp else None,
        "temperature_of": "parent" if temp else None,
        "temperature_note": _temperature_note(temp),
        "hours": result.hours,
        "reasons": [
            {
                "rule": reason.rule,
                "level": reason.level,
                "who": reason.who,
                "text": reason.text,
                "ours": reason.ours,
                "note": reason.note,
                "source": source_json(library.source(reason.source)),
            }
            for reason in result.reasons
        ],
        "also_noted": [
            {"who": note.who, "who_label": note.who_label, "text": note.text, "rules": list(note.rules)}
            for note in result.also_noted
        ],
        "safety_net": [
            {
                "id": item.id,
                "level": item.level,
                "text": item.text,
                "source": source_json(library.source(item.source)),
            }
            for item in result.safety_net
        ],
        "advice": [{"id": ident, "title": library.topic(ident).title} for ident in result.advice],
        "disclaimer": result.disclaimer,
    }


def _temperature_note(temperature: rules.Temperature | None) -> str | None:
    """Says how a number typed without a unit was read, so a parent can check it."""
    if temperature is None or not temperature.assumed:
        return None
    return f"Your temperature: {temperature.value:g} read as {temperature}."
