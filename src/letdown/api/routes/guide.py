"""``/api/v1/guide`` (search and read the cited topics) and ``/api/v1/triage``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from letdown.api.deps import DbDep, HouseholdDep, get_household_id
from letdown.api.schemas import bounded
from letdown.domain.limits import STORABLE_WORDS_PATTERN
from letdown.guidance.library import MAX_QUERY_CHARS
from letdown.guidance.search import MAX_LIMIT
from letdown.services import guide
from letdown.services.accounts import households

# Guidance is the same for everyone, but like the rest of the API it needs a token.
router = APIRouter(tags=["guidance"], dependencies=[Depends(get_household_id)])


class SearchResultOut(BaseModel):
    id: str
    title: str
    snippet: str
    sources: list[str]


class SearchOut(BaseModel):
    results: list[SearchResultOut]


class TopicSummaryOut(BaseModel):
    id: str
    title: str
    tags: list[str]
    sources: list[str]


class TopicsOut(BaseModel):
    topics: list[TopicSummaryOut]


class SourceOut(BaseModel):
    id: str
    title: str
    publisher: str
    year: int | None
    url: str | None


class TopicOut(BaseModel):
    id: str
    title: str
    tags: list[str]
    reviewed: str
    markdown: str = Field(description="The page in Markdown; source ids are cited inline in [brackets].")
    sources: list[SourceOut]
    disclaimer: str


class TriageIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    symptoms: list[str] = Field(default_factory=list, description="Symptom ids; see /triage/symptoms.")
    temperature: str | None = Field(
        None,
        description="The parent's own temperature: 38.6, 38,6 or 38.6C are °C; 101.5 or 101.5F are °F.",
    )
    hours: float | None = Field(None, description="How many hours the symptoms have lasted.")


class ReasonOut(BaseModel):
    rule: str
    level: str
    who: str = Field(description="Whose symptom the rule is about: parent or baby.")
    text: str
    ours: bool = Field(description="A careful reading where sources are silent or differ; see note.")
    note: str | None
    source: SourceOut


class ActionOut(BaseModel):
    who: str = Field(description="parent or baby")
    who_label: str
    level: str
    text: str = Field(
        description="What to do now, e.g. 'Call 999 now, or go to the nearest emergency department.'"
    )
    rules: list[str] = Field(description="The rules that decided this action.")
    sources: list[SourceOut]


class SafetyItemOut(BaseModel):
    id: str
    level: str
    text: str
    source: SourceOut


class NotedOut(BaseModel):
    who: str
    who_label: str
    text: str = Field(description="Other symptoms of a person in an emergency: a note, not advice.")
    rules: list[str]


class AdviceOut(BaseModel):
    id: str
    title: str


class TriageOut(BaseModel):
    level: str = Field(description="emergency, see-clinician-today, call-clinician or self-care.")
    label: str
    actions: list[ActionOut] = Field(description="What to do, most urgent first: one per person and contact.")
    emergency_number: str = Field(
        description="The household's emergency number, or 'your local emergency number'."
    )
    symptoms: list[str]
    temperature: str | None = Field(description="The parent's temperature as read, with its unit.")
    temperature_of: str | None = Field(description="Whose temperature: always 'parent' when given.")
    temperature_note: str | None = Field(description="How a number typed without a unit was read.")
    hours: float | None
    reasons: list[ReasonOut]
    also_noted: list[NotedOut] = Field(
        description="For a person in an emergency: their other symptoms, to tell the emergency team "
        "(their lower-level rules are not given as advice)."
    )
    safety_net: list[SafetyItemOut] = Field(description="For self-care answers: what should make you call.")
    advice: list[AdviceOut]
    disclaimer: str


class SymptomOut(BaseModel):
    id: str
    who: str = Field(description="parent or baby")
    section: str
    description: str
    red_flag: bool


class SymptomsOut(BaseModel):
    symptoms: list[SymptomOut]


@router.get("/guide/search", response_model=SearchOut, summary="Search the guidance, best first")
def search_guide(
    q: Annotated[
        str,
        Query(
            description="A question in everyday words; typos are fine.",
            json_schema_extra={
                "minLength": 1,
                "maxLength": MAX_QUERY_CHARS,
                "pattern": STORABLE_WORDS_PATTERN,
            },
        ),
    ],
    limit: Annotated[
        int,
        Query(description=f"How many results, 1 to {MAX_LIMIT}.", json_schema_extra=bounded(1, MAX_LIMIT)),
    ] = 5,
) -> Any:
    return {"results": guide.search(q, limit)}


@router.get("/guide/topics", response_model=TopicsOut, summary="Every guidance topic")
def list_topics() -> Any:
    return {"topics": [topic.as_json() for topic in guide.list_topics()]}


@router.get("/guide/topics/{topic_id}", response_model=TopicOut, summary="One topic with its sources")
def get_topic(topic_id: str) -> Any:
    return guide.get_topic(topic_id).as_json()


@router.get("/triage/symptoms", response_model=SymptomsOut, summary="The symptoms triage understands")
def list_symptoms() -> Any:
    return {"symptoms": guide.list_symptoms()}


@router.post("/triage", response_model=TriageOut, summary="How urgent are these symptoms, and why")
def triage(body: TriageIn, db: DbDep, household_id: HouseholdDep) -> Any:
    number = households.get(db, household_id).number_to_call
    return guide.triage(
        body.symptoms, temperature=body.temperature, hours=body.hours, emergency_number=number
    )
