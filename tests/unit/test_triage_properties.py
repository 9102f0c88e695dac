"""Properties of triage over random symptom sets, temperatures and durations (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letdown.domain.errors import InvalidInput
from letdown.domain.triage import default_rules, evaluate, parse_temperature

RULES = default_rules()
SYMPTOMS = sorted(RULES.symptoms)
RED_FLAGS = sorted(s.id for s in RULES.symptoms.values() if s.red_flag)
EMERGENCY_SIGNS = sorted(RULES.emergency_signs())
BREAST = sorted(s.id for s in RULES.symptoms.values() if s.section == "breast" and s.id != "baby-cant-latch")
BABY = sorted(s.id for s in RULES.symptoms.values() if s.who == "baby")

symptom_sets = st.lists(st.sampled_from(SYMPTOMS), max_size=8, unique=True)
hours = st.one_of(st.none(), st.floats(min_value=0, max_value=24 * 14, allow_nan=False))
# Body temperatures in °C or °F, written the ways people type them.
temperatures = st.one_of(
    st.none(),
    st.builds(lambda v: f"{v:.1f}C", st.floats(min_value=30, max_value=45)),
    st.builds(lambda v: f"{v:.1f}F", st.floats(min_value=86, max_value=113)),
    st.builds(lambda v: f"{v:.1f}".replace(".", ","), st.floats(min_value=30, max_value=45)),
    st.builds(lambda v: f"{v:.1f}", st.floats(min_value=86, max_value=113)),
)


def rank(symptoms, temperature=None, hours=None) -> int:
    return RULES.rank(evaluate(symptoms, temperature=temperature, hours=hours).level)


@settings(max_examples=300, deadline=None)
@given(symptom_sets, st.sampled_from(RED_FLAGS), temperatures, hours)
def test_a_set_with_a_red_flag_is_never_self_care(others, flag, temperature, duration):
    result = evaluate([*others, flag], temperature=temperature, hours=duration)
    assert result.level != "self-care"
    assert result.safety_net == ()


@settings(max_examples=300, deadline=None)
@given(symptom_sets, symptom_sets, temperatures, hours)
def test_adding_symptoms_never_lowers_urgency(first, more, temperature, duration):
    if not first and temperature is None:
        first = ["breast-pain"]
    before = rank(first, temperature, duration)
    after = rank([*first, *more], temperature, duration)
    assert after <= before  # 0 is the most urgent


@settings(max_examples=200, deadline=None)
@given(symptom_sets.filter(bool), hours, hours)
def test_a_longer_duration_never_lowers_urgency(symptoms, a, b):
    short, long = sorted((a or 0.0, b or 0.0))
    assert rank(symptoms, hours=long) <= rank(symptoms, hours=short)


@settings(max_examples=200, deadline=None)
@given(symptom_sets.filter(bool), temperatures)
def test_giving_a_temperature_never_lowers_urgency(symptoms, temperature):
    assert rank(symptoms, temperature) <= rank(symptoms)


@settings(max_examples=300, deadline=None)
@given(symptom_sets, st.sampled_from(EMERGENCY_SIGNS), temperatures, hours)
def test_any_emergency_sign_yields_an_emergency_and_says_call_now(others, sign, temperature, duration):
    result = evaluate([*others, sign], temperature=temperature, hours=duration, emergency_number="999")
    assert result.level == "emergency"
    assert result.actions[0].level == "emergency"
    assert result.actions[0].text.startswith("Call 999 now")


@settings(max_examples=300, deadline=None)
@given(symptom_sets, st.sampled_from(BREAST), hours)
def test_fever_with_any_breast_symptom_is_at_least_see_today(others, breast, duration):
    result = evaluate([*others, breast, "fever"], hours=duration)
    assert RULES.rank(result.level) <= RULES.rank("see-clinician-today")


@settings(max_examples=200, deadline=None)
@given(symptom_sets, st.sampled_from(BREAST), st.floats(min_value=38, max_value=45), hours)
def test_a_measured_fever_with_a_breast_symptom_is_at_least_see_today(others, breast, celsius, duration):
    result = evaluate([*others, breast], temperature=f"{celsius:.1f}", hours=duration)
    assert RULES.rank(result.level) <= RULES.rank("see-clinician-today")


@settings(max_examples=200, deadline=None)
@given(symptom_sets, st.sampled_from(BABY), temperatures, hours)
def test_a_baby_sign_sends_the_baby_to_a_doctor_or_emergency_care(others, sign, temperature, duration):
    result = evaluate([*others, sign], temperature=temperature, hours=duration)
    baby = [a for a in result.actions if a.who == "baby"]
    assert baby
    assert all(RULES.rank(a.level) <= RULES.rank("see-clinician-today") for a in baby)
    assert all(("baby's doctor" in a.text) or a.text.startswith("Call ") for a in baby)


@settings(max_examples=300, deadline=None)
@given(symptom_sets.filter(bool), temperatures, hours)
def test_every_answer_leads_with_an_action_at_its_level_and_names_its_rules(symptoms, temperature, duration):
    result = evaluate(symptoms, temperature=temperature, hours=duration)
    assert result.actions[0].level == result.level
    fired = {reason.rule for reason in result.reasons}
    for action in result.actions:
        assert set(action.rules) <= fired
        assert action.rules  # a symptom always fires a rule, so every action names one
    assert "does not replace" in result.disclaimer


@settings(max_examples=300, deadline=None)
@given(
    st.floats(min_value=30, max_value=45), st.sampled_from(["", "C", " °C", "c"]), st.sampled_from([".", ","])
)
def test_any_celsius_body_temperature_is_read_as_celsius(value, unit, separator):
    text = f"{value:.1f}".replace(".", separator) + unit
    assert parse_temperature(text).unit == "C"


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=86, max_value=113), st.sampled_from(["", "F", " °F", "f"]))
def test_any_fahrenheit_body_temperature_is_read_as_fahrenheit(value, unit):
    assert parse_temperature(f"{value:.1f}{unit}").unit == "F"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_a_temperature_or_a_clear_error(text):
    try:
        temperature = parse_temperature(text)
    except InvalidInput as exc:
        assert exc.field == "temperature"
        assert "\x00" not in str(exc)
        assert len(str(exc)) < 200
    else:
        assert 30 <= temperature.celsius <= 45


@pytest.mark.parametrize("value", [45.05, 29.95, 113.5, 85.5, 0, 999])
def test_numbers_outside_both_ranges_are_refused(value):
    with pytest.raises(InvalidInput):
        parse_temperature(f"{value:g}")


FEVERISH = sorted(s for s in SYMPTOMS if s in ("fever", "flu-like"))


def _parent_contacts(result) -> list[str]:
    return [a.text for a in result.actions if a.who == "parent"]


def test_a_fever_with_a_baby_who_cant_latch_keeps_the_doctor_or_midwife():
    result = evaluate(["baby-cant-latch"], temperature="39.5")
    texts = _parent_contacts(result)
    assert any("doctor (GP) or midwife" in t or RULES.contacts["emergency-services"] in t for t in texts), (
        texts
    )
    assert texts != ["Contact your midwife, doctor or a lactation consultant today and ask to be seen."]


@settings(max_examples=300, deadline=None)
@given(
    symptom_sets,
    st.one_of(
        st.sampled_from(FEVERISH).map(lambda s: (s, None)),
        st.builds(lambda v: (None, f"{v:.1f}"), st.floats(min_value=38.0, max_value=45)),
    ),
    hours,
)
def test_a_fever_always_keeps_a_doctor_or_midwife_for_the_parent(others, feverish, duration):
    symptom, temperature = feverish
    result = evaluate([*others, *([symptom] if symptom else [])], temperature=temperature, hours=duration)
    parent = [a for a in result.actions if a.who == "parent"]
    clinical = ("doctor (GP) or midwife", "999", "911", "112")
    assert any(any(word in a.text for word in clinical) or a.level == "emergency" for a in parent), parent
    assert not all("lactation consultant" in a.text for a in parent)
