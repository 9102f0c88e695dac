"""Triage rules: symptoms in; what to do, whom to call, and cited reasons out. Red flags are never
self-care; emergency signs say to call the emergency number now."""

from __future__ import annotations

import pytest

from letdown.domain.emergency import countries, number_to_call, parse_country, parse_number
from letdown.domain.errors import InvalidInput
from letdown.domain.triage import (
    DEFAULT_EMERGENCY_NUMBER,
    Temperature,
    default_rules,
    evaluate,
    page_lists,
    parse_temperature,
    rules_from_data,
)
from letdown.guidance import library
from letdown.guidance.library import DISCLAIMER, read_yaml

RULES = default_rules()
RED_FLAGS = [s.id for s in RULES.symptoms.values() if s.red_flag]
ALL_SYMPTOMS = list(RULES.symptoms)
BABY_SYMPTOMS = [s.id for s in RULES.symptoms.values() if s.who == "baby"]
BREAST_SYMPTOMS = [
    s.id for s in RULES.symptoms.values() if s.section == "breast" and s.id != "baby-cant-latch"
]
FEVERISH = {"fever", "flu-like", "very-high-temperature", "low-temperature", "shaking-chills"}
VALID = (
    "redness, red-streaks, spreading-redness, hard-lump, hard-swollen, breast-pain, no-relief, "
    "cracked-nipples, pus-or-blood, baby-cant-latch, fever, flu-like, shaking-chills, "
    "very-high-temperature, low-temperature, fast-heartbeat, confusion, fainting, very-unwell, "
    "baby-fever, baby-very-sleepy, baby-not-feeding, baby-jaundice, few-wet-nappies"
)
CALL_NOW = "Call your local emergency number now, or go to the nearest emergency department."


def reason_ids(result) -> list[str]:
    return [reason.rule for reason in result.reasons]


# --- The table guards itself -------------------------------------------------------------


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
        # sepsis signs in the parent
        "fast-heartbeat",
        "confusion",
        "fainting",
        "very-unwell",
        "spreading-redness",
        "shaking-chills",
        "very-high-temperature",
        "low-temperature",
        # the baby's warning signs
        "baby-fever",
        "baby-very-sleepy",
        "baby-not-feeding",
        "baby-jaundice",
    }
    assert required <= set(RULES.symptoms)
    assert all(symptom.description for symptom in RULES.symptoms.values())


def test_levels_run_from_emergency_to_self_care():
    assert RULES.levels == ("emergency", "see-clinician-today", "call-clinician", "self-care")


def test_the_emergency_level_is_used_and_every_emergency_rule_is_sourced():
    emergency = [rule for rule in RULES.rules if rule.level == "emergency"]
    assert {rule.id for rule in emergency} == {
        "sepsis-confusion",
        "sepsis-shivering",
        "sepsis-temperature",
        "sepsis-faint",
        "sepsis-very-unwell",
        "sepsis-fast-heartbeat",
        "infection-spreading-fast",
        "baby-fever-young",
        "baby-hard-to-wake",
        "baby-jaundice-not-feeding",
    }
    assert all(rule.source in library.sources() for rule in emergency)
    assert all(rule.contact == "emergency-services" for rule in emergency)


def test_a_rules_contact_matches_its_level():
    for rule in RULES.rules:
        assert (rule.level == "emergency") == (rule.contact == "emergency-services"), rule.id
        assert (rule.level == "self-care") == (rule.contact == "self"), rule.id


def test_a_fever_never_points_to_a_lactation_consultant():
    for rule in RULES.rules:
        if rule.symptoms & FEVERISH:
            assert rule.contact != "feeding-help", rule.id
            assert "lactation consultant" not in rule.reason, rule.id


def test_baby_signs_point_to_the_babys_doctor_or_emergency_care_never_self_care():
    assert set(BABY_SYMPTOMS) == {
        "baby-fever",
        "baby-very-sleepy",
        "baby-not-feeding",
        "baby-jaundice",
        "few-wet-nappies",
    }
    assert all(RULES.symptoms[s].red_flag for s in BABY_SYMPTOMS)
    for rule in RULES.rules:
        if rule.who == "baby":
            assert rule.contact in ("baby-doctor", "emergency-services"), rule.id
            assert RULES.rank(rule.level) <= RULES.rank("see-clinician-today"), rule.id


def test_one_rule_one_level_no_rule_is_shadowed_by_a_twin():
    seen: dict[tuple, str] = {}
    for rule in RULES.rules:
        key = (rule.when, rule.hours_over)
        assert key not in seen, f"{rule.id} repeats the conditions of {seen[key]}"
        seen[key] = rule.id


def test_every_careful_reading_says_why():
    for rule in RULES.rules:
        if rule.ours:
            assert rule.note, rule.id


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
        "spreading-redness",
        "no-relief",
        "baby-cant-latch",
        "pus-or-blood",
        "shaking-chills",
        "very-high-temperature",
        "low-temperature",
        "fast-heartbeat",
        "confusion",
        "fainting",
        "very-unwell",
        *BABY_SYMPTOMS,
    }


@pytest.mark.parametrize("symptom", ALL_SYMPTOMS)
def test_every_symptom_alone_gets_an_action_a_cited_reason_and_a_topic(symptom):
    result = evaluate([symptom])
    assert result.actions and result.actions[0].rules
    assert result.reasons
    assert all(reason.source in library.sources() for reason in result.reasons)
    assert set(result.advice) <= set(library.topics())


def test_every_rule_cites_a_registered_source_and_real_topics():
    for rule in RULES.rules:
        assert rule.source in library.sources(), rule.id
        assert set(rule.advice) <= set(library.topics()), rule.id
    for item in RULES.safety_net:
        assert item.source in library.sources(), item.id
    assert RULES.low_source in library.sources()


def test_every_answer_carries_the_disclaimer():
    assert evaluate(["breast-pain"]).disclaimer == DISCLAIMER
    assert "does not replace" in DISCLAIMER


# --- Emergencies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symptom", "rule", "source"),
    [
        ("confusion", "sepsis-confusion", "uk-sepsis-trust-adult"),
        ("shaking-chills", "sepsis-shivering", "uk-sepsis-trust-adult"),
        ("very-high-temperature", "sepsis-temperature", "uk-sepsis-trust-adult"),
        ("low-temperature", "sepsis-temperature", "uk-sepsis-trust-adult"),
        ("fainting", "sepsis-faint", "uk-sepsis-trust-adult"),
        ("very-unwell", "sepsis-very-unwell", "uk-sepsis-trust-adult"),
        ("fast-heartbeat", "sepsis-fast-heartbeat", "cdc-sepsis"),
        ("spreading-redness", "infection-spreading-fast", "glos-mastitis-pathway"),
        ("baby-fever", "baby-fever-young", "healthier-together-fever"),
        ("baby-very-sleepy", "baby-hard-to-wake", "healthier-together-fever"),
    ],
)
def test_each_emergency_sign_says_call_now_with_its_rule_and_source(symptom, rule, source):
    result = evaluate([symptom])
    assert result.level == "emergency"
    assert result.label == "Emergency: call now"
    assert result.actions[0].text == CALL_NOW
    assert result.actions[0].rules == (rule,)
    assert result.actions[0].sources == (source,)
    assert result.safety_net == ()


def test_the_households_number_is_the_one_to_call():
    result = evaluate(["confusion"], emergency_number="999")
    assert result.actions[0].text == "Call 999 now, or go to the nearest emergency department."
    assert result.emergency_number == "999"


def test_a_blank_number_falls_back_to_the_default_wording():
    assert evaluate(["confusion"], emergency_number="  ").emergency_number == DEFAULT_EMERGENCY_NUMBER


def test_fever_with_shaking_chills_is_an_emergency():
    result = evaluate(["shaking-chills"], temperature="39.2")
    assert result.level == "emergency"
    assert result.symptoms == ("shaking-chills", "fever")


def test_a_low_temperature_reading_is_a_sign_of_sepsis():
    result = evaluate([], temperature="35.8C")
    assert result.symptoms == ("low-temperature",)
    assert result.level == "emergency"
    assert reason_ids(result) == ["sepsis-temperature"]
    assert evaluate([], temperature="96.5F").symptoms == ("low-temperature",)  # 35.8 °C
    assert evaluate([], temperature="36C").symptoms == ()


def test_a_jaundiced_baby_who_feeds_poorly_needs_emergency_help():
    result = evaluate(["baby-jaundice", "baby-not-feeding"])
    assert result.level == "emergency"
    assert result.actions[0].who == "baby"
    assert result.actions[0].rules == ("baby-jaundice-not-feeding",)


def test_parent_and_baby_get_separate_actions_most_urgent_first():
    result = evaluate(["breast-pain", "baby-very-sleepy"], emergency_number="112")
    assert [(a.who_label, a.level, a.text) for a in result.actions] == [
        ("Your baby", "emergency", "Call 112 now, or go to the nearest emergency department."),
        ("You", "self-care", "You can likely look after this at home for now."),
    ]
    assert result.level == "emergency"
    assert result.safety_net == ()  # the answer as a whole is not self-care


# --- See someone today, call, self-care ---------------------------------------------------


def test_the_3am_case_engorged_and_baby_cannot_latch_means_help_today():
    result = evaluate(["hard-swollen", "baby-cant-latch"])
    assert result.level == "see-clinician-today"
    assert result.label == "Call now: get seen today"
    assert result.actions[0].text == (
        "Contact your midwife, doctor or a lactation consultant now and ask to be seen today."
    )
    assert reason_ids(result) == ["cant-latch-help-now", "engorgement-self-care"]
    assert result.reasons[0].source == "hse-engorgement"
    assert result.advice == ("engorgement", "hand-expression", "breast-massage")


def test_fever_with_a_red_area_means_see_a_doctor_today_per_nhs():
    result = evaluate(["redness"], temperature="38.6C")
    assert result.level == "see-clinician-today"
    assert result.symptoms == ("redness", "fever")
    assert result.reasons[0].rule == "fever-with-red-area"
    assert result.reasons[0].source == "nhs-mastitis"
    assert result.actions[0].text == "Contact your doctor (GP) or midwife now and ask to be seen today."


@pytest.mark.parametrize("breast", BREAST_SYMPTOMS)
def test_fever_with_any_breast_symptom_is_at_least_see_today(breast):
    result = evaluate([breast, "fever"])
    assert RULES.rank(result.level) <= RULES.rank("see-clinician-today")
    assert "lactation consultant" not in result.actions[0].text


def test_fever_alone_means_call_a_doctor_or_midwife_not_a_lactation_consultant():
    result = evaluate(["fever"])
    assert result.level == "call-clinician"
    assert reason_ids(result) == ["fever-or-flu"]
    assert result.actions[0].text == "Call your doctor (GP) or midwife for advice."
    assert result.reasons[0].ours and "lactation consultant" in result.reasons[0].note


def test_flu_like_feelings_lasting_over_24_hours_mean_today():
    assert evaluate(["flu-like"], hours=24).level == "call-clinician"
    result = evaluate(["flu-like"], hours=25)
    assert result.level == "see-clinician-today"
    assert result.reasons[0].source == "abm-36-2022"


@pytest.mark.parametrize("symptom", ["breast-pain", "hard-lump", "hard-swollen"])
def test_a_sore_or_lumpy_breast_no_better_after_24_hours_means_call(symptom):
    assert evaluate([symptom], hours=24).level == "self-care"
    result = evaluate([symptom], hours=24.5)
    assert result.level == "call-clinician"
    assert result.reasons[0].rule == "breast-not-improving"
    assert result.reasons[0].source == "latchline-mastitis"


def test_engorgement_lasting_over_48_hours_adds_the_hse_reason():
    result = evaluate(["hard-swollen"], hours=49)
    assert reason_ids(result)[:2] == ["breast-not-improving", "engorgement-not-settling"]


def test_cracked_nipples_alone_are_self_care_with_a_cited_reason_and_a_safety_net():
    result = evaluate(["cracked-nipples"])
    assert result.level == "self-care"
    assert result.reasons[0].source == "llli-hand-expressing"
    assert [item.id for item in result.safety_net] == [
        "net-worse-or-no-better",
        "net-fever",
        "net-redness",
        "net-sepsis",
    ]


def test_every_self_care_answer_says_what_should_make_you_call():
    for symptom in ALL_SYMPTOMS:
        for hours in (None, 1):
            result = evaluate([symptom], hours=hours)
            assert (result.level == "self-care") == bool(result.safety_net), symptom
    texts = " ".join(item.text for item in RULES.safety_net)
    for sign in ("worse", "38 °C", "redness", "24 hours"):
        assert sign in texts


# --- Temperatures: the parent's, read sensibly ---------------------------------------------


def test_a_temperature_at_the_threshold_adds_fever_in_either_unit():
    assert evaluate([], temperature="38C").symptoms == ("fever",)
    assert evaluate([], temperature="100.4F").symptoms == ("fever",)
    assert evaluate([], temperature="100.3F").symptoms == ()


def test_a_normal_temperature_is_explained_as_the_parents():
    result = evaluate(["breast-pain"], temperature="37.2C")
    assert result.level == "self-care"
    assert result.reasons[-1].text == (
        "Your temperature, 37.2 °C, is below 38 °C (100.4 °F), the temperature that counts as a fever."
    )
    assert result.reasons[-1].source == "nhs-mastitis"


def test_only_a_normal_temperature_is_self_care_for_the_parent():
    result = evaluate([], temperature="37")
    assert result.level == "self-care"
    assert [(a.who, a.rules) for a in result.actions] == [("parent", ())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("38.6C", Temperature(38.6, "C")),
        ("38.6 °C", Temperature(38.6, "C")),
        ("38,6c", Temperature(38.6, "C")),
        ("101.5F", Temperature(101.5, "F")),
        ("101.5 deg f", Temperature(101.5, "F")),
        ("38.6", Temperature(38.6, "C", assumed=True)),
        ("38,6", Temperature(38.6, "C", assumed=True)),
        (" 37 ", Temperature(37, "C", assumed=True)),
        ("101.5", Temperature(101.5, "F", assumed=True)),
        ("98,6", Temperature(98.6, "F", assumed=True)),
    ],
)
def test_temperatures_parse_with_or_without_a_unit(text, expected):
    assert parse_temperature(text) == expected


def test_a_bare_number_is_read_as_the_unit_that_makes_it_a_body_temperature():
    assert evaluate([], temperature="38.6").symptoms == ("fever",)
    assert evaluate([], temperature="101.5").symptoms == ("fever",)
    assert evaluate([], temperature="99.1").symptoms == ()


def test_fahrenheit_converts_to_celsius():
    assert parse_temperature("100.4F").celsius == pytest.approx(38.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3.86C", "'3.86C' is not a body temperature (expected 30–45 °C, 86–113 °F); check the number"),
        ("386", "'386' is not a body temperature in °C (30–45) or °F (86–113); check the number"),
        ("60", "'60' is not a body temperature in °C (30–45) or °F (86–113); check the number"),
        ("120F", "'120F' is not a body temperature (expected 30–45 °C, 86–113 °F); check the number"),
        ("hot", "'hot' is not a temperature; write it like 38.6, 38.6C or 101.5F"),
        ("nan", "'nan' is not a temperature; write it like 38.6, 38.6C or 101.5F"),
        ("inf", "'inf' is not a temperature; write it like 38.6, 38.6C or 101.5F"),
        ("-38", "'-38' is not a temperature; write it like 38.6, 38.6C or 101.5F"),
        ("38.6K", "'38.6K' is not a temperature; write it like 38.6, 38.6C or 101.5F"),
        ("38\x006", "'38\\06' is not a temperature; write it like 38.6, 38.6C or 101.5F"),
        ("9" * 5000, f"'{'9' * 24}…' is not a temperature; write it like 38.6, 38.6C or 101.5F"),
    ],
)
def test_an_implausible_or_malformed_temperature_is_a_clear_error(text, message):
    with pytest.raises(InvalidInput) as caught:
        parse_temperature(text)
    assert str(caught.value) == f"temperature: {message}"


def test_the_fever_and_low_thresholds_come_from_sourced_data():
    assert (RULES.fever_at_c, RULES.fever_at_f, RULES.fever_source) == (38.0, 100.4, "nhs-mastitis")
    assert (RULES.low_below_c, RULES.low_source) == (36.0, "uk-sepsis-trust-adult")
    facts = {fact.id: fact for fact in library.facts().values()}
    assert 36 in facts["sepsis-low-temperature"].numbers
    assert facts["sepsis-low-temperature"].source == RULES.low_source


# --- Refusals ---------------------------------------------------------------------------


def test_symptom_names_are_forgiving_about_case_and_spaces():
    assert evaluate(["Baby cant latch", "RED_STREAKS"]).symptoms == ("baby-cant-latch", "red-streaks")


def test_an_unknown_symptom_lists_the_valid_ones():
    with pytest.raises(InvalidInput) as caught:
        evaluate(["itchy"])
    assert str(caught.value) == f"symptom: unknown symptom 'itchy'; choose from: {VALID}"


def test_a_huge_unknown_symptom_is_not_echoed_whole():
    with pytest.raises(InvalidInput) as caught:
        evaluate(["x" * 10_000])
    assert str(caught.value).startswith(f"symptom: unknown symptom '{'x' * 24}…'; choose from: ")


def test_nothing_to_rate_is_refused():
    with pytest.raises(InvalidInput) as caught:
        evaluate([])
    assert str(caught.value) == f"symptom: give at least one symptom or a temperature; choose from: {VALID}"


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (-2, "hours: must be zero or more, not -2"),
        (float("nan"), "hours: must be a finite number, got nan"),
        (float("inf"), "hours: must be a finite number, got inf"),
    ],
)
def test_bad_hours_are_refused(hours, message):
    with pytest.raises(InvalidInput) as caught:
        evaluate(["fever"], hours=hours)
    assert str(caught.value) == message


def test_a_rule_naming_an_unknown_symptom_is_refused():
    data = read_yaml("triage.yaml")
    data["rules"][0]["when"] = [["itchy"]]
    with pytest.raises(ValueError) as caught:
        rules_from_data(data)
    assert str(caught.value) == "Rule 'sepsis-confusion' names unknown symptom 'itchy'"


def test_a_rule_mixing_parent_and_baby_is_refused():
    data = read_yaml("triage.yaml")
    data["rules"][0]["when"] = [["confusion"], ["baby-jaundice"]]
    with pytest.raises(ValueError) as caught:
        rules_from_data(data)
    assert str(caught.value) == "Rule 'sepsis-confusion' mixes the parent's and the baby's symptoms"


def test_a_rule_with_an_unknown_contact_is_refused():
    data = read_yaml("triage.yaml")
    data["rules"][0]["contact"] = "plumber"
    with pytest.raises(ValueError) as caught:
        rules_from_data(data)
    assert str(caught.value) == "Rule 'sepsis-confusion' has unknown contact 'plumber'"


# --- The page and the table agree --------------------------------------------------------


def test_when_to_call_lists_come_from_the_table():
    """One rule, one level, one line: the page carries the table's lists word for word
    (regenerate them with ``python -c 'from letdown.domain.triage import page_lists; print(page_lists())'``)."""
    body = library.topic("when-to-call").body
    assert page_lists() in body


def test_every_rule_appears_once_on_the_page_under_its_level():
    body = library.topic("when-to-call").body
    for rule in RULES.rules:
        assert body.count(rule.reason) == 1, rule.id
        heading = body.rindex("\n## ", 0, body.index(rule.reason))
        assert body[heading + 4 :].startswith(RULES.labels[rule.level]), rule.id


# --- The emergency number ----------------------------------------------------------------


def test_the_country_table_is_small_and_sourced():
    assert {code: c.number for code, c in countries().items()} == {
        "GB": "999",
        "IE": "112",
        "US": "911",
        "CA": "911",
        "AU": "000",
        "NZ": "111",
        "DE": "112",
        "FR": "112",
        "ES": "112",
        "IT": "112",
        "NL": "112",
    }
    assert all(c.source in library.sources() for c in countries().values())


def test_the_number_to_call_is_the_households_own_else_its_countrys_else_the_words():
    assert number_to_call("GB", "01234 567") == "01234 567"
    assert number_to_call("AU", None) == "000"
    assert number_to_call(None, None) == "your local emergency number"


def test_country_and_number_refusals_name_the_value():
    assert parse_country(" gb ") == "GB"
    assert parse_country("") is None
    with pytest.raises(InvalidInput) as caught:
        parse_country("XX")
    assert str(caught.value) == (
        "country: no emergency number is known for 'XX'; choose one of GB, IE, US, CA, AU, NZ, DE, "
        "FR, ES, IT, NL, or leave it empty and type your emergency number"
    )
    assert parse_number(" +44  999 ") == "+44 999"
    assert parse_number("") is None
    for bad in ("99a", "+", "--", "9\x009"):
        with pytest.raises(InvalidInput) as caught:
            parse_number(bad)
        shown = bad.replace("\x00", "\\0")
        assert str(caught.value) == (
            f"emergency_number: '{shown}' is not a phone number; use digits, spaces, + or - (like 999 or 112)"
        )
    with pytest.raises(InvalidInput) as caught:
        parse_number("1" * 21)
    assert str(caught.value) == "emergency_number: is 21 characters; the most is 20"


# --- phone review after issue 10: an emergency answer gives only the call -------------------


def test_an_emergency_person_gets_no_self_care_or_lower_level_advice():
    answer = evaluate(
        ["shaking-chills", "hard-lump", "baby-not-feeding"], temperature="39.2", emergency_number="911"
    )
    assert answer.level == "emergency"
    assert answer.actions[0].text == "Call 911 now, or go to the nearest emergency department."
    parent_reasons = [r.text for r in answer.reasons if r.who == "parent"]
    assert not any("massage" in text or "time to phone" in text for text in parent_reasons)
    assert {r.level for r in answer.reasons if r.who == "parent"} == {"emergency"}
    assert answer.advice == ("when-to-call",)  # no breast-massage or engorgement reading
    (note,) = answer.also_noted
    assert note.who == "parent"
    assert note.text == (
        "A hard, lumpy or tender spot in one part of the breast; A temperature of 38 °C (100.4 °F) "
        "or more, or feeling feverish. Tell the emergency team; this is not advice for now."
    )
    assert "lump-self-care" in note.rules and "fever-or-flu" in note.rules
    # the baby is not in an emergency: the baby's own reason still stands as advice
    assert [r.rule for r in answer.reasons if r.who == "baby"] == ["baby-not-feeding"]


def test_without_an_emergency_nothing_is_moved_to_also_noted():
    answer = evaluate(["hard-lump"], temperature="39.2")
    assert answer.also_noted == ()
    assert "lump-self-care" in {r.rule for r in answer.reasons}


def test_a_source_title_shown_with_an_action_names_no_countrys_number():
    for ident in ("healthier-together-fever", "healthforunder5s-jaundice"):
        title = library.source(ident).title
        assert "999" not in title and "A&E" not in title and "111" not in title, title
    assert "999 in the UK" in (library.source("healthier-together-fever").says or "")


def test_too_few_wet_nappies_says_now_in_the_headline_action_and_reason():
    answer = evaluate(["few-wet-nappies"])
    assert answer.label == "Call now: get seen today"
    assert answer.actions[0].text == "Contact your baby's doctor or midwife now and ask to be seen today."
    (reason,) = answer.reasons
    assert reason.text == (
        "Too few wet or dirty nappies means getting help at once: contact your baby's doctor or "
        "midwife now, not tomorrow."
    )
    assert reason.ours and "get help immediately" in (reason.note or "")


def test_the_low_temperature_is_given_in_celsius_and_fahrenheit():
    rules = default_rules()
    assert rules.symptoms["low-temperature"].description == (
        "A low temperature (below 36 °C / 96.8 °F), or feeling very cold"
    )
    answer = evaluate([], temperature="35.5")
    assert any("below 36 °C / 96.8 °F" in r.text for r in answer.reasons)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "0",
            "'0' is too short to be an emergency number; they have at least 2 digits (like 911, 999, 112 or 000)",
        ),
        (
            "9",
            "'9' is too short to be an emergency number; they have at least 2 digits (like 911, 999, 112 or 000)",
        ),
        ("00", "'00' cannot be an emergency number; the only one made of zeros is 000 (Australia)"),
        ("0 000", "'0 000' cannot be an emergency number; the only one made of zeros is 000 (Australia)"),
    ],
)
def test_a_number_that_cannot_be_an_emergency_number_is_refused(typed, message):
    with pytest.raises(InvalidInput) as caught:
        parse_number(typed)
    assert caught.value.field == "emergency_number"
    assert message in str(caught.value)


def test_real_short_emergency_numbers_are_accepted():
    assert [parse_number(n) for n in ("000", "15", "112", "911")] == ["000", "15", "112", "911"]
