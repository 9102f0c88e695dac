"""Triage rules: symptoms in, urgency and cited reasons out; red flags are never self-care."""

from __future__ import annotations

import pytest

from letdown.domain.errors import InvalidInput
from letdown.domain.triage import (
    Temperature,
    default_rules,
    evaluate,
    parse_temperature,
    rules_from_data,
)
from letdown.guidance import library
from letdown.guidance.library import DISCLAIMER, read_yaml

RULES = default_rules()
RED_FLAGS = [s.id for s in RULES.symptoms.values() if s.red_flag]
ALL_SYMPTOMS = list(RULES.symptoms)
VALID = (
    "fever, flu-like, redness, red-streaks, hard-lump, hard-swollen, breast-pain, no-relief, "
    "baby-cant-latch, few-wet-nappies, cracked-nipples, pus-or-blood"
)


def reason_ids(result) -> list[str]:
    return [reason.rule for reason in result.reasons]


def test_the_required_symptoms_are_offered():
    required = {
        "fever",
        "flu-like",
        "redness",
        "red-streaks",
        "hard-lump",
        "breast-pain",
        "no-relief",
        "baby-cant-latch",
        "cracked-nipples",
        "pus-or-blood",
        "few-wet-nappies",
    }
    assert required <= set(RULES.symptoms)
    assert all(symptom.description for symptom in RULES.symptoms.values())


def test_levels_run_from_emergency_to_self_care():
    assert RULES.levels == ("emergency", "see-clinician-today", "call-clinician", "self-care")


@pytest.mark.parametrize("symptom", RED_FLAGS)
def test_a_red_flag_alone_is_never_self_care(symptom):
    assert evaluate([symptom]).level != "self-care"


@pytest.mark.parametrize("symptom", RED_FLAGS)
def test_a_red_flag_is_never_self_care_whatever_comes_with_it(symptom):
    for other in ALL_SYMPTOMS:
        assert evaluate([symptom, other], hours=0).level != "self-care"


def test_the_red_flags_are_the_ones_the_sources_name():
    assert set(RED_FLAGS) == {
        "fever",
        "flu-like",
        "redness",
        "red-streaks",
        "no-relief",
        "baby-cant-latch",
        "few-wet-nappies",
        "pus-or-blood",
    }


@pytest.mark.parametrize("symptom", ALL_SYMPTOMS)
def test_every_symptom_alone_gets_a_cited_reason_and_a_topic_to_read(symptom):
    result = evaluate([symptom])
    assert result.reasons
    assert all(reason.source in library.sources() for reason in result.reasons)
    assert set(result.advice) <= set(library.topics())


def test_every_rule_cites_a_registered_source_and_real_topics():
    for rule in RULES.rules:
        assert rule.source in library.sources(), rule.id
        assert set(rule.advice) <= set(library.topics()), rule.id


def test_no_rule_claims_an_emergency_without_a_source_for_it():
    assert [rule.id for rule in RULES.rules if rule.level == "emergency"] == []


def test_every_answer_carries_the_disclaimer():
    assert evaluate(["breast-pain"]).disclaimer == DISCLAIMER
    assert "does not replace" in DISCLAIMER


def test_the_3am_case_engorged_and_baby_cannot_latch_means_help_today():
    result = evaluate(["hard-swollen", "baby-cant-latch"])
    assert result.level == "see-clinician-today"
    assert result.label == "See a doctor or midwife today"
    assert reason_ids(result) == ["cant-latch-help-now", "cant-latch-call", "engorgement-self-care"]
    assert result.reasons[0].source == "hse-engorgement"
    assert result.advice == ("engorgement", "hand-expression", "breast-massage")


def test_fever_with_a_red_area_means_see_a_doctor_today_per_nhs():
    result = evaluate(["redness"], temperature="38.6C")
    assert result.level == "see-clinician-today"
    assert result.symptoms == ("redness", "fever")
    assert result.reasons[0].rule == "fever-with-red-area"
    assert result.reasons[0].source == "nhs-mastitis"


def test_fever_alone_means_call():
    result = evaluate(["fever"])
    assert result.level == "call-clinician"
    assert reason_ids(result) == ["fever-or-flu"]


def test_flu_like_feelings_lasting_over_24_hours_mean_today():
    assert evaluate(["flu-like"], hours=24).level == "call-clinician"
    result = evaluate(["flu-like"], hours=25)
    assert result.level == "see-clinician-today"
    assert result.reasons[0].source == "abm-36-2022"


def test_engorgement_is_self_care_until_it_outlasts_48_hours():
    assert evaluate(["hard-swollen"], hours=48).level == "self-care"
    result = evaluate(["hard-swollen"], hours=49)
    assert result.level == "call-clinician"
    assert result.reasons[0].rule == "engorgement-not-settling"


def test_cracked_nipples_alone_are_self_care_with_a_cited_reason():
    result = evaluate(["cracked-nipples"])
    assert result.level == "self-care"
    assert result.reasons[0].source == "llli-hand-expressing"


def test_a_temperature_at_the_threshold_adds_fever_in_either_unit():
    assert evaluate([], temperature="38C").symptoms == ("fever",)
    assert evaluate([], temperature="100.4F").symptoms == ("fever",)
    assert evaluate([], temperature="100.3F").symptoms == ()


def test_a_temperature_below_the_threshold_is_explained():
    result = evaluate(["breast-pain"], temperature="37.2C")
    assert result.level == "self-care"
    assert result.reasons[-1].text == (
        "37.2 °C is below 38 °C (100.4 °F), the temperature that counts as a fever."
    )
    assert result.reasons[-1].source == "nhs-mastitis"


def test_symptom_names_are_forgiving_about_case_and_spaces():
    assert evaluate(["Baby cant latch", "RED_STREAKS"]).symptoms == (
        "baby-cant-latch",
        "red-streaks",
    )


def test_an_unknown_symptom_lists_the_valid_ones():
    with pytest.raises(InvalidInput) as caught:
        evaluate(["itchy"])
    assert str(caught.value) == f"symptom: unknown symptom 'itchy'; choose from: {VALID}"


def test_nothing_to_rate_is_refused():
    with pytest.raises(InvalidInput) as caught:
        evaluate([])
    assert str(caught.value) == (f"symptom: give at least one symptom or a temperature; choose from: {VALID}")


def test_negative_hours_are_refused():
    with pytest.raises(InvalidInput) as caught:
        evaluate(["fever"], hours=-2)
    assert str(caught.value) == "hours: must be zero or more, not -2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("38.6C", Temperature(38.6, "C")),
        ("38.6 °C", Temperature(38.6, "C")),
        ("38,6c", Temperature(38.6, "C")),
        ("101.5F", Temperature(101.5, "F")),
        ("101.5 deg f", Temperature(101.5, "F")),
    ],
)
def test_temperatures_parse_in_celsius_and_fahrenheit(text, expected):
    assert parse_temperature(text) == expected


def test_fahrenheit_converts_to_celsius():
    assert parse_temperature("100.4F").celsius == pytest.approx(38.0)


def test_a_bare_number_is_not_a_temperature():
    with pytest.raises(InvalidInput) as caught:
        parse_temperature("38.6")
    assert str(caught.value) == ("temperature: '38.6' is not a temperature; write it like 38.6C or 101.5F")


def test_an_impossible_temperature_is_refused_as_a_typo():
    with pytest.raises(InvalidInput) as caught:
        parse_temperature("3.86C")
    assert str(caught.value) == (
        "temperature: '3.86C' is not a body temperature (expected 30–45 °C); check the number"
    )


def test_the_fever_threshold_comes_from_sourced_data():
    assert (RULES.fever_at_c, RULES.fever_at_f, RULES.fever_source) == (
        38.0,
        100.4,
        "nhs-mastitis",
    )


def test_a_rule_naming_an_unknown_symptom_is_refused():
    data = read_yaml("triage.yaml")
    data["rules"][0]["when"] = [["itchy"]]
    with pytest.raises(ValueError) as caught:
        rules_from_data(data)
    assert str(caught.value) == "Rule 'fever-with-red-area' names unknown symptom 'itchy'"
