"""Guidance search: real questions find the right topic, with typos, slang and no punctuation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from letdown.domain.errors import InvalidInput
from letdown.guidance import library
from letdown.guidance.search import SearchIndex, default_index, osa_distance, plain_text, search

QUESTIONS = yaml.safe_load(
    (Path(__file__).parent.parent / "data" / "guide_questions.yaml").read_text(encoding="utf-8")
)["questions"]


def top_ids(query: str, count: int = 3) -> list[str]:
    return [result.id for result in search(query)][:count]


def test_question_set_is_big_enough_and_names_real_topics():
    assert len(QUESTIONS) >= 40
    assert {row["topic"] for row in QUESTIONS} <= set(library.topics())


def test_top_3_accuracy_is_at_least_90_percent():
    hits = sum(row["topic"] in top_ids(row["q"]) for row in QUESTIONS)
    assert hits / len(QUESTIONS) >= 0.90


def test_the_3am_question_finds_engorgement_first():
    assert top_ids("boobs rock hard baby cant latch", 1) == ["engorgement"]


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("engorgd", "engorgement"),
        ("colostum", "colostrum"),
        ("letdwon", "let-down"),
        ("refreze thawed milk", "thawing-and-warming"),
    ],
)
def test_small_typos_are_forgiven(query, topic):
    assert top_ids(query, 1) == [topic]


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("milk ejection reflex", "let-down"),
        ("milk won't come out!!", "let-down"),
        ("first milk", "colostrum"),
        ("rock hard", "engorgement"),
        ("haakaa", "passive-collection"),
    ],
)
def test_synonyms_and_punctuation(query, topic):
    assert top_ids(query, 1) == [topic]


def test_results_have_id_title_snippet_and_sources():
    result = search("how long can milk stay out")[0]
    assert result.to_dict().keys() == {"id", "title", "snippet", "sources"}
    assert result.id == "storing-milk"
    assert result.title == "Storing expressed milk"
    assert result.sources == ("cdc-storage", "abm-8-2017", "solidstarts-hand-expression")
    assert "[" not in result.snippet and "**" not in result.snippet


def test_snippets_leave_out_the_disclaimer_and_citations():
    text = plain_text(library.topic("engorgement").body)
    assert "does not diagnose" not in text
    assert "[hse-engorgement]" not in text


def test_a_query_of_only_filler_words_finds_nothing():
    assert search("how do i") == []


def test_fts_syntax_in_a_query_is_just_text():
    assert top_ids('"thaw" AND NEAR(* OR', 1) == ["thawing-and-warming"]


def test_an_empty_query_is_refused():
    with pytest.raises(InvalidInput) as caught:
        search("   ")
    assert str(caught.value) == "q: type a few words to search for"


def test_a_limit_out_of_range_is_refused():
    with pytest.raises(InvalidInput) as caught:
        search("thaw", limit=0)
    assert str(caught.value) == "limit: must be between 1 and 15, not 0"


def test_the_default_index_is_built_once():
    assert default_index() is default_index()


def test_an_index_over_other_topics_uses_its_own_synonyms():
    topic = library.parse_topic(
        "---\nid: naps\ntitle: Naps\ntags: [sleep]\nsources: [x]\nreviewed: 2026-11-25\n---\n"
        "Babies sleep a lot.\n",
        "naps.md",
    )
    index = SearchIndex([topic], [["sleep", "snooze"]])
    assert [r.id for r in index.search("snooze")] == ["naps"]
    assert index.correct("sleap") == "sleep"


def test_edit_distance_counts_a_swap_as_one():
    assert osa_distance("letdwon", "letdown") == 1
    assert osa_distance("colostum", "colostrum") == 1
    assert osa_distance("abc", "abc") == 0


def test_synonym_data_is_all_text():
    data = library.read_yaml("synonyms.yaml")
    words = [w for group in data["groups"] for w in group] + data["filler"]
    assert [w for w in words if not isinstance(w, str)] == []
