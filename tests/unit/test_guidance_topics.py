"""The guidance library guards itself: ids resolve, claims cite, numbers come from sourced data."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest

from letdown.domain.errors import NotFound
from letdown.domain.triage import default_rules
from letdown.guidance import library
from letdown.guidance.library import CITATION, DISCLAIMER

REQUIRED_TOPICS = {
    "hand-expression",
    "let-down",
    "breast-massage",
    "getting-comfortable",
    "colostrum",
    "antenatal-expression",
    "combining-with-pumping",
    "passive-collection",
    "expressing-well",
    "engorgement",
    "increasing-supply",
    "storing-milk",
    "thawing-and-warming",
    "separated-from-baby",
    "when-to-call",
    "breast-compression-and-power-expressing",
    "colostrum-syringes",
    "cleaning-pump-parts",
    "combining-milk",
    "milk-smell-and-colour",
    "paced-bottle-feeding",
    "medicines-and-alcohol",
}
TOPICS = library.topics()
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
LIST_MARKER = re.compile(r"^\s*\d+\.\s")


def numbers_in_text(text: str) -> set[float]:
    """Digits written in prose (citations and ordered-list markers are not numbers)."""
    text = CITATION.sub(" ", text)
    text = "\n".join(LIST_MARKER.sub("", line) for line in text.splitlines())
    return {float(match.replace(",", "")) for match in NUMBER.findall(text)}


def sourced_numbers() -> dict[str, set[float]]:
    """Every number in the guidance data, by the source it comes from (sign ignored)."""
    pool: dict[str, set[float]] = defaultdict(set)
    for fact in library.facts().values():
        pool[fact.source].update(abs(n) for n in fact.numbers)
    rules = default_rules()
    pool[rules.fever_source].update({rules.fever_at_c, rules.fever_at_f})
    pool[rules.low_source].add(rules.low_below_c)
    for rule in rules.rules:
        if rule.hours_over is not None:
            pool[rule.source].add(float(rule.hours_over))
    return pool


def test_every_required_topic_exists():
    assert set(TOPICS) == REQUIRED_TOPICS


def test_file_names_match_topic_ids():
    from importlib import resources

    folder = resources.files("letdown.guidance").joinpath("topics")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".md"))
    assert names == sorted(f"{ident}.md" for ident in TOPICS)


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_front_matter_is_complete(topic):
    assert topic.title.strip()
    assert topic.tags, f"{topic.id} has no tags"
    assert topic.sources, f"{topic.id} cites no source"
    assert isinstance(topic.reviewed, date)


def test_source_ids_are_unique():
    from letdown.guidance.library import read_yaml

    ids = [row["id"] for row in read_yaml("sources.yaml")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_every_cited_id_exists_in_the_registry(topic):
    registry = library.sources()
    unknown = [i for i in (*topic.sources, *topic.cited_ids()) if i not in registry]
    assert unknown == []


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_front_matter_lists_exactly_the_sources_the_body_cites(topic):
    assert sorted(topic.sources) == sorted(topic.cited_ids())


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_every_claim_line_cites_a_source(topic):
    """Each paragraph and list item (one per line) cites; a table is cited by the line after it."""
    uncited = []
    for line in topic.body.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "|", ">")):
            continue
        if re.fullmatch(r"\*\*[^*]+\*\*:?", stripped):
            continue
        if not CITATION.search(stripped):
            uncited.append(stripped)
    assert uncited == []


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_every_page_ends_with_the_disclaimer(topic):
    assert topic.body.rstrip().endswith("> " + DISCLAIMER)


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_every_number_in_a_topic_comes_from_a_cited_source(topic):
    pool = sourced_numbers()
    allowed = set().union(*(pool.get(source, set()) for source in topic.sources))
    unsourced = sorted(numbers_in_text(topic.body) - allowed)
    assert unsourced == [], f"{topic.id} writes numbers with no fact under its sources"


def test_fact_ids_are_unique_and_sources_exist():
    from letdown.guidance.library import read_yaml

    rows = read_yaml("facts.yaml")["facts"]
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert [row["id"] for row in rows if row["source"] not in library.sources()] == []


@pytest.mark.parametrize("fact", library.facts().values(), ids=list(library.facts()))
def test_every_number_in_a_fact_text_is_in_its_data(fact):
    assert numbers_in_text(fact.text) <= {abs(n) for n in fact.numbers}


def test_triage_texts_use_only_sourced_numbers():
    pool = sourced_numbers()
    rules = default_rules()
    for rule in rules.rules:
        assert numbers_in_text(rule.reason) <= pool[rule.source], rule.id
        assert numbers_in_text(rule.note or "") <= pool[rule.source], rule.id
    for item in rules.safety_net:
        assert numbers_in_text(item.text) <= pool[item.source], item.id
    for symptom in rules.symptoms.values():
        written = numbers_in_text(symptom.description)
        if written:
            assert symptom.source is not None, symptom.id
            assert written <= pool[symptom.source], symptom.id


def test_volume_and_let_down_facts_are_there_for_the_coach():
    per_feed = library.facts_of_kind("volume-per-feed")
    assert [f.data["age_hours"] for f in per_feed if "age_hours" in f.data] == [
        [0, 24],
        [24, 48],
        [48, 72],
        [72, 96],
    ]
    assert {f.source for f in library.facts_of_kind("let-downs")} == {
        "getting-a-let-down",
        "kent-2008",
        "prime-2011",
    }
    assert library.facts_of_kind("volume-per-day")


def test_unknown_topic_names_the_id():
    with pytest.raises(NotFound) as caught:
        library.topic("mastitis-cure")
    assert str(caught.value) == "No topic with id 'mastitis-cure'"


def test_a_topic_without_front_matter_is_refused():
    with pytest.raises(ValueError) as caught:
        library.parse_topic("# Hello\n", "hello.md")
    assert str(caught.value) == "Topic file 'hello.md' has no front matter"


def test_a_topic_missing_fields_is_refused():
    with pytest.raises(ValueError) as caught:
        library.parse_topic("---\nid: x\ntitle: X\n---\nBody\n", "x.md")
    assert str(caught.value) == "Topic file 'x.md' lacks tags, sources, reviewed"


def test_source_titles_are_read_whole():
    """An unquoted ' #' in YAML starts a comment and silently cuts a title short."""
    cut = [s.id for s in library.sources().values() if s.title.count("(") != s.title.count(")")]
    assert cut == []
