"""Guidance: topics, search (as you type, or a plain GET form), triage, sources everywhere.

Guidance holds no household data, so these pages are open without signing in.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from letdown.api.deps import DbDep
from letdown.domain.errors import InvalidInput, LetdownError
from letdown.domain.triage import DEFAULT_EMERGENCY_NUMBER
from letdown.guidance.library import CITATION, DISCLAIMER, MAX_QUERY_CHARS
from letdown.services import guide
from letdown.services.accounts import households
from letdown.services.accounts import users as accounts
from letdown.web.deps import MaybeViewerDep
from letdown.web.errors import status_of
from letdown.web.render import render

router = APIRouter(include_in_schema=False)


@cache
def _markdown() -> object:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def topic_html(body: str) -> Markup:
    """A topic's Markdown as HTML (raw HTML off); each ``[source-id]`` links to its source below."""

    def cite(match: re.Match[str]) -> str:
        ids = [i.strip() for i in match.group(1).split(",")]
        return "[" + ", ".join(f"[{i}](#src-{i})" for i in ids) + "]"

    text = CITATION.sub(cite, body.replace(DISCLAIMER, "").rstrip())
    return Markup(_markdown().render(text))  # type: ignore[attr-defined]


def _search(q: str) -> tuple[str, list[dict[str, object]], str | None, int]:
    """What the page shows for ``q``: the query as kept, results, an error and the status.

    A refused query (too long) keeps what was typed, cut to the longest query searched,
    so the box can be trimmed and sent again; the results are empty, the status 422.
    """
    if not q.strip():
        return q, [], None, 200
    try:
        return q, guide.search(q, 8), None, 200
    except InvalidInput as exc:
        return q[:MAX_QUERY_CHARS], [], str(exc), status_of(exc)


@router.get("/guide")
def guide_page(request: Request, viewer: MaybeViewerDep, q: str = "") -> Response:
    kept, results, error, status = _search(q)
    context = {
        "title": "Guide",
        "q": kept,
        "q_error": error,
        "max_query": MAX_QUERY_CHARS,
        "results": results,
        "red_flag": guide.points_to_triage(results),
        "topics": guide.list_topics(),
        "disclaimer": DISCLAIMER,
    }
    return render(request, "guide.html", context, status=status)


@router.get("/guide/results")
def results_fragment(request: Request, q: str = "") -> Response:
    """Search results alone, for search as you type."""
    kept, results, error, status = _search(q)
    context = {"q": kept, "q_error": error, "results": results, "red_flag": guide.points_to_triage(results)}
    return render(request, "_results.html", context, status=status)


@router.get("/guide/triage")
def triage_page(
    request: Request,
    db: DbDep,
    viewer: MaybeViewerDep,
    symptom: Annotated[list[str] | None, Query()] = None,
    temperature: str = "",
    hours: str = "",
) -> Response:
    chosen = symptom or []
    answer, error, field, status = None, None, None, 200
    if chosen or temperature.strip():
        try:
            hours_value = float(hours) if hours.strip() else None
        except ValueError:
            hours_value, error, field, status = (
                None,
                f"hours: must be a number, got '{hours[:24]}'",
                "hours",
                422,
            )
        if error is None:
            try:
                answer = guide.triage(
                    chosen,
                    temperature=temperature.strip() or None,
                    hours=hours_value,
                    emergency_number=_number_to_call(db, viewer),
                )
            except InvalidInput as exc:
                error, field, status = str(exc), exc.field, status_of(exc)
            except LetdownError as exc:
                error, status = str(exc), status_of(exc)
    context = {
        "title": "Is this normal?",
        "sections": guide.symptom_sections(),
        "chosen": chosen,
        "temperature": temperature,
        "hours": hours,
        "answer": answer,
        "field_error": {field: error} if field else {},
        "default_number": DEFAULT_EMERGENCY_NUMBER,
        "disclaimer": DISCLAIMER,
    }
    return render(request, "triage.html", context, status=status, error=error)


def _number_to_call(db: Session, viewer: accounts.Viewer | None) -> str | None:
    """A signed-in member's household emergency number; a visitor gets the default wording."""
    if viewer is None or viewer.household_id is None:
        return None
    return households.get(db, viewer.household_id).number_to_call


@router.get("/guide/{topic_id}")
def topic_page(request: Request, viewer: MaybeViewerDep, topic_id: str) -> Response:
    topic = guide.get_topic(topic_id)
    context = {
        "title": topic.title,
        "topic": topic,
        "body": topic_html(topic.markdown),
        "disclaimer": DISCLAIMER,
    }
    return render(request, "topic.html", context)
