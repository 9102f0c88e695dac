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
    """The symptoms triage understands, each with a plain description."""
    return [
        {"id": s.id, "description": s.description, "red_flag": s.red_flag}
        for s in rules.default_rules().symptoms.values()
    ]


def triage(
    symptoms: Iterable[str], temperature: str | None = None, hours: float | None = None
) -> dict[str, Any]:
    """Rate symptoms; the answer names each reason's source and the topics to read."""
    result = rules.evaluate(list(symptoms), temperature=temperature, hours=hours)
    return {
        "level": result.level,
        "label": result.label,
        "symptoms": list(result.symptoms),
        "temperature": str(result.temperature) if result.temperature else None,
        "hours": result.hours,
        "reasons": [
            {
                "rule": reason.rule,
                "level": reason.level,
                "text": reason.text,
                "source": source_json(library.source(reason.source)),
            }
            for reason in result.reasons
        ],
        "advice": [{"id": ident, "title": library.topic(ident).title} for ident in result.advice],
        "disclaimer": result.disclaimer,
    }
