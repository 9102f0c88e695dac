"""Guidance search: real questions find the right topic, with typos, slang and no punctuation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from letdown.domain.errors import InvalidInput
from letdown.guidance import library
from letdown.guidance.library import MAX_QUERY_CHARS
from letdown.guidance.search import (
    MAX_CANDIDATES,
    MAX_CORRECTED_LETTERS,
    SearchIndex,
    correction_candidates,
    default_index,
    osa_distance,
    plain_text,
    search,
)

QUESTIONS = yaml.safe_load(
    (Path(__file__).parent.parent / "data" / "guide_questions.yaml").read_text(encoding="utf-8")
)["questions"]


def top_ids(query: str, count: int = 3) -> list[str]:
    return [result.id for result in search(query)][:count]


def test_question_set_is_big_enough_and_names_real_topics():
    assert len(QUESTIONS) >= 160
    assert {row["topic"] for row in QUESTIONS} <= set(library.topics())


def test_every_topic_is_the_answer_to_some_question():
    assert {row["topic"] for row in QUESTIONS} == set(library.topics())


def test_no_question_is_asked_twice():
    asked = [row["q"] for row in QUESTIONS]
    assert len(asked) == len(set(asked))


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


# --- Words run together, real words left alone ---------------------------------------------
@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("handexpress", ["hand", "express"]),
        ("breastpump", ["breast", "pump"]),
        ("powerpumping", ["power", "pumping"]),
    ],
)
def test_words_run_together_are_split_into_known_words(query, words):
    assert default_index().words(query) == words


def test_a_compound_word_finds_its_topic():
    assert top_ids("how to handexpress", 1) == ["hand-expression"]


def test_a_known_word_is_never_split():
    assert default_index().words("letdown engorgement") == ["letdown", "engorgement"]


@pytest.mark.parametrize("word", ["starving", "string", "hungry", "sleepy", "waking"])
def test_everyday_words_are_not_corrected_into_topic_words(word):
    assert default_index().correct(word) == word


def test_starving_does_not_bring_up_storage():
    assert "storing-milk" not in top_ids("baby starving", 3)


def test_two_edits_need_the_first_letter_kept():
    topic = library.parse_topic(
        "---\nid: s\ntitle: S\ntags: [storing]\nsources: [x]\nreviewed: 2026-11-25\n---\nStoring milk.\n",
        "s.md",
    )
    index = SearchIndex([topic], [])
    assert index.correct("storinng") == "storing"  # one edit
    assert index.correct("astoring") == "storing"  # one edit, even at the start
    assert index.correct("xtorinng") == "xtorinng"  # two edits with a new first letter: no
    assert index.correct("starving") == "starving"  # two edits in an 8-letter word: no


# --- Baby illness questions lead to the red flags --------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "baby not waking up",
        "baby yellow",
        "baby has a fever",
        "fewer wet nappies",
        "newborn floppy and hard to wake",
        "is my baby dehydrated",
    ],
)
def test_baby_illness_questions_rank_when_to_call_first(query):
    assert top_ids(query, 1) == ["when-to-call"]


def test_the_longest_synonym_phrase_wins():
    phrases = default_index().expand("breast milk")
    assert "expressed milk" in phrases
    assert "boobs" not in phrases


def test_hints_must_name_real_topics():
    topic = library.parse_topic(
        "---\nid: naps\ntitle: Naps\ntags: [sleep]\nsources: [x]\nreviewed: 2026-11-25\n---\nZz.\n",
        "naps.md",
    )
    with pytest.raises(ValueError) as caught:
        SearchIndex([topic], [], hints={"nope": ["x"]})
    assert str(caught.value) == "Search hints name unknown topics: nope"


# --- Input limits: long queries are refused, correction cost is bounded ----------------------
def test_a_query_at_the_limit_is_searched():
    query = ("thaw frozen milk " * 20)[:MAX_QUERY_CHARS]
    assert len(query) == MAX_QUERY_CHARS
    assert top_ids(query, 1) == ["thawing-and-warming"]


@pytest.mark.parametrize("length", [MAX_QUERY_CHARS + 1, 600, 3000, 100_000])
def test_an_over_long_query_is_refused_with_a_clear_message(length):
    with pytest.raises(InvalidInput) as caught:
        search("a" * length)
    assert str(caught.value) == (
        f"q: too long ({length} characters); a search can be at most {MAX_QUERY_CHARS} "
        "characters, and a few words are enough"
    )


def test_the_candidate_bound_is_what_the_longest_corrected_word_needs():
    assert MAX_CANDIDATES == 1 + 20 + 190
    assert len(correction_candidates("abcdefghijklmnopqrst")) == MAX_CANDIDATES


@pytest.mark.parametrize("length", [*range(1, 45), 600, 3000])
def test_correction_candidates_are_bounded_for_any_word_length(length):
    word = ("colostrumengorgement" * 200)[:length]
    assert len(correction_candidates(word)) <= MAX_CANDIDATES


def test_a_word_too_long_to_correct_is_searched_as_it_is():
    word = "x" * (MAX_CORRECTED_LETTERS + 1)
    assert correction_candidates(word) == set()
    assert default_index().words(word) == [word]
    assert default_index().words("e" * 3000) == ["e" * 3000]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=80))
def test_any_word_is_corrected_from_a_bounded_candidate_set(word):
    assert len(correction_candidates(word)) <= MAX_CANDIDATES
    words = default_index().words(word)
    assert len(words) <= 2 and all(words)
    if len(words) == 2:
        assert "".join(words) == word


def test_nul_bytes_and_marks_in_a_query_are_just_spaces():
    assert top_ids("thaw\x00frozen\x00milk", 1) == ["thawing-and-warming"]
    assert search("\x00\x00 how do i") == []


@pytest.mark.parametrize(
    "query", ["bby not feeding", "my nipple is bleeding", "baby very sleepy", "high fever"]
)
def test_red_flag_questions_put_when_to_call_first(query: str) -> None:
    from letdown.guidance.search import search as run

    assert run(query, 3)[0].id == "when-to-call"
