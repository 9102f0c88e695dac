"""Triage: symptoms (plus the parent's temperature and how long it has lasted) in; what to do
now, whom to contact, and the cited reasons out.

The rules are a table in ``guidance/triage.yaml``; this module only evaluates them. An answer
leads with its actions (one per person, parent or baby, and per contact: "Call 999 now"), then
every rule that fired with its source, then, for self-care, what should make the parent call.
Every answer carries the disclaimer: letdown informs, it does not diagnose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from letdown.domain import limits
from letdown.domain.errors import InvalidInput
from letdown.guidance.library import DISCLAIMER, read_yaml

SELF_CARE = "self-care"
EMERGENCY = "emergency"
PARENT = "parent"
BABY = "baby"
WHO = (PARENT, BABY)
#: Said when the household has set no emergency number and no country that gives one.
DEFAULT_EMERGENCY_NUMBER = "your local emergency number"
#: How each person is named at the head of an action.
WHO_LABELS = {PARENT: "You", BABY: "Your baby"}

_TEMPERATURE = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:°|º|deg(?:rees)?)?\s*([cf])?\s*$", re.I)
_ECHO_MAX = 24


@dataclass(frozen=True)
class Temperature:
    """The parent's body temperature as given (``unit`` is ``C`` or ``F``); ``assumed`` when the
    unit was not typed and was read from the number."""

    value: float
    unit: str
    assumed: bool = False

    @property
    def celsius(self) -> float:
        return self.value if self.unit == "C" else (self.value - 32) * 5 / 9

    def __str__(self) -> str:
        return f"{self.value:g} °{self.unit}"


@dataclass(frozen=True)
class Symptom:
    id: str
    section: str
    who: str
    description: str
    red_flag: bool
    source: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    who: str
    label: str


@dataclass(frozen=True)
class Rule:
    """Fires when each group in ``when`` has a symptom present (and ``hours_over`` is passed)."""

    id: str
    when: tuple[tuple[str, ...], ...]
    level: str
    contact: str
    reason: str
    source: str
    advice: tuple[str, ...]
    who: str = PARENT
    hours_over: float | None = None
    ours: bool = False
    note: str | None = None

    @property
    def symptoms(self) -> frozenset[str]:
        return frozenset(s for group in self.when for s in group)

    def fires(self, present: set[str], hours: float | None) -> bool:
        if not all(present.intersection(group) for group in self.when):
            return False
        return self.hours_over is None or (hours is not None and hours > self.hours_over)


@dataclass(frozen=True)
class SafetyItem:
    """A sign that ends self-care: ``level`` says how urgent it becomes."""

    id: str
    level: str
    text: str
    source: str


@dataclass(frozen=True)
class TriageRules:
    levels: tuple[str, ...]  # most urgent first
    labels: Mapping[str, str]
    actions: Mapping[str, str]  # level -> template with {contact} and {emergency_number}
    contacts: Mapping[str, str]
    sections: Mapping[str, Section]
    symptoms: Mapping[str, Symptom]
    rules: tuple[Rule, ...]
    safety_net: tuple[SafetyItem, ...]
    fever_at_c: float
    fever_at_f: float
    fever_source: str
    low_below_c: float
    low_source: str
    plausible_c: tuple[float, float]

    def rank(self, level: str) -> int:
        """0 for the most urgent level."""
        return self.levels.index(level)

    @property
    def plausible_f(self) -> tuple[float, float]:
        low, high = self.plausible_c
        return (low * 9 / 5 + 32, high * 9 / 5 + 32)

    def emergency_signs(self) -> frozenset[str]:
        """Symptoms that alone make an answer an emergency."""
        return frozenset(
            s for rule in self.rules if rule.level == EMERGENCY and len(rule.when) == 1 for s in rule.when[0]
        )


@dataclass(frozen=True)
class Reason:
    rule: str
    level: str
    text: str
    source: str
    who: str = PARENT
    contact: str = "self"
    ours: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Noted:
    """What else was found for a person whose answer is an emergency: the symptoms of their
    other rules in plain words, as a note for whoever treats them, never as advice (which could
    delay the call). ``rules``: the rules this replaces as reasons."""

    who: str
    text: str
    rules: tuple[str, ...]

    @property
    def who_label(self) -> str:
        return WHO_LABELS[self.who]


#: How an emergency answer lists a person's other, lower-level findings (never as instructions).
NOTED_TEXT = "{symptoms}. Tell the emergency team; this is not advice for now."


@dataclass(frozen=True)
class Action:
    """What to do, for one person: ``rules`` decided it (the first one's source is shown)."""

    who: str
    level: str
    text: str
    rules: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def who_label(self) -> str:
        return WHO_LABELS[self.who]


@dataclass(frozen=True)
class TriageResult:
    level: str
    label: str
    actions: tuple[Action, ...]
    symptoms: tuple[str, ...]
    temperature: Temperature | None
    hours: float | None
    reasons: tuple[Reason, ...]
    advice: tuple[str, ...]
    safety_net: tuple[SafetyItem, ...]
    emergency_number: str
    also_noted: tuple[Noted, ...] = ()
    disclaimer: str = DISCLAIMER


def rules_from_data(data: Mapping[str, Any]) -> TriageRules:
    """Build and check the rule table; ``ValueError`` names the first bad row."""
    levels = tuple(row["id"] for row in data["levels"])
    contacts = {row["id"]: str(row["text"]) for row in data["contacts"]}
    sections = {row["id"]: Section(row["id"], row["who"], row["label"]) for row in data["sections"]}
    for section in sections.values():
        if section.who not in WHO:
            raise ValueError(f"Section '{section.id}' has unknown person '{section.who}'")
    symptoms: dict[str, Symptom] = {}
    for row in data["symptoms"]:
        if row["section"] not in sections:
            raise ValueError(f"Symptom '{row['id']}' has unknown section '{row['section']}'")
        symptoms[row["id"]] = Symptom(
            id=row["id"],
            section=row["section"],
            who=sections[row["section"]].who,
            description=" ".join(str(row["description"]).split()),
            red_flag=bool(row["red_flag"]),
            source=row.get("source"),
        )
    rules = [_rule(row, levels, contacts, symptoms) for row in data["rules"]]
    ids = [rule.id for rule in rules]
    if len(ids) != len(set(ids)):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise ValueError(f"Rule '{twice}' appears twice")
    net = tuple(
        SafetyItem(row["id"], row["level"], " ".join(str(row["text"]).split()), row["source"])
        for row in data["safety_net"]
    )
    temperature = data["temperature"]
    low, high = temperature["plausible_c"]
    return TriageRules(
        levels=levels,
        labels={row["id"]: row["label"] for row in data["levels"]},
        actions={row["id"]: row["action"] for row in data["levels"]},
        contacts=contacts,
        sections=sections,
        symptoms=symptoms,
        rules=tuple(rules),
        safety_net=net,
        fever_at_c=float(temperature["fever_at_c"]),
        fever_at_f=float(temperature["fever_at_f"]),
        fever_source=temperature["source"],
        low_below_c=float(temperature["low_below_c"]),
        low_source=temperature["low_source"],
        plausible_c=(float(low), float(high)),
    )


def _rule(
    row: Mapping[str, Any],
    levels: tuple[str, ...],
    contacts: Mapping[str, str],
    symptoms: Mapping[str, Symptom],
) -> Rule:
    ident = row["id"]
    when = tuple(tuple(group) for group in row["when"])
    unknown = [s for group in when for s in group if s not in symptoms]
    if unknown:
        raise ValueError(f"Rule '{ident}' names unknown symptom '{unknown[0]}'")
    if row["level"] not in levels:
        raise ValueError(f"Rule '{ident}' has unknown level '{row['level']}'")
    if row["contact"] not in contacts:
        raise ValueError(f"Rule '{ident}' has unknown contact '{row['contact']}'")
    whose = {symptoms[s].who for group in when for s in group}
    if len(whose) != 1:
        raise ValueError(f"Rule '{ident}' mixes the parent's and the baby's symptoms")
    note = row.get("note")
    return Rule(
        id=ident,
        when=when,
        level=row["level"],
        contact=row["contact"],
        reason=" ".join(str(row["reason"]).split()),
        source=row["source"],
        advice=tuple(row.get("advice", ())),
        who=whose.pop(),
        hours_over=row.get("hours_over"),
        ours=bool(row.get("ours", False)),
        note=" ".join(str(note).split()) if note else None,
    )


@lru_cache(maxsize=1)
def default_rules() -> TriageRules:
    """The rule table shipped in ``guidance/triage.yaml``."""
    return rules_from_data(read_yaml("triage.yaml"))


def _echo(text: str) -> str:
    shown = text if len(text) <= _ECHO_MAX else text[:_ECHO_MAX] + "…"
    return shown.replace("\x00", "\\0")


def parse_temperature(text: str, rules: TriageRules | None = None) -> Temperature:
    """The parent's temperature: ``38.6C``, ``38,6 °C``, ``101.5F``; a bare number is read as °C
    when it is a body temperature in °C (``38.6``) and as °F when it is one in °F (``101.5``).
    Anything else, or a number no body could have, is refused with a clear message."""
    rules = rules or default_rules()
    low, high = rules.plausible_c
    low_f, high_f = rules.plausible_f
    match = _TEMPERATURE.match(text)
    if match is None:
        raise InvalidInput(
            "temperature", f"'{_echo(text)}' is not a temperature; write it like 38.6, 38.6C or 101.5F"
        )
    value = float(match.group(1).replace(",", "."))
    unit = match.group(2)
    if unit is None:
        if low <= value <= high:
            return Temperature(value=value, unit="C", assumed=True)
        if low_f <= value <= high_f:
            return Temperature(value=value, unit="F", assumed=True)
        raise InvalidInput(
            "temperature",
            f"'{_echo(text)}' is not a body temperature in °C ({low:g}–{high:g}) or °F "
            f"({low_f:g}–{high_f:g}); check the number",
        )
    temperature = Temperature(value=value, unit=unit.upper())
    if not low <= temperature.celsius <= high:
        raise InvalidInput(
            "temperature",
            f"'{_echo(text)}' is not a body temperature (expected {low:g}–{high:g} °C, "
            f"{low_f:g}–{high_f:g} °F); check the number",
        )
    return temperature


def normalise_symptom(text: str) -> str:
    """``Baby cant latch`` → ``baby-cant-latch``."""
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def has_fever(temperature: Temperature, rules: TriageRules) -> bool:
    """At or above the sourced threshold, compared in the unit the parent used."""
    if temperature.unit == "F":
        return temperature.value >= rules.fever_at_f
    return temperature.value >= rules.fever_at_c


def is_low(temperature: Temperature, rules: TriageRules) -> bool:
    """Below the sourced low body temperature (compared in °C)."""
    return temperature.celsius < rules.low_below_c


def evaluate(
    symptoms: Iterable[str],
    temperature: str | Temperature | None = None,
    hours: float | None = None,
    rules: TriageRules | None = None,
    emergency_number: str | None = None,
) -> TriageResult:
    """Rate the symptoms: the most urgent level any rule gives, what to do for each person, and
    every fired rule as a reason with its source."""
    rules = rules or default_rules()
    present = _known_symptoms(symptoms, rules)
    if isinstance(temperature, str):
        temperature = parse_temperature(temperature, rules)
    if hours is not None:
        hours = limits.finite(hours, "hours")
        if hours < 0:
            raise InvalidInput("hours", f"must be zero or more, not {hours:g}")
    if temperature is not None:
        if has_fever(temperature, rules) and "fever" not in present:
            present.append("fever")
        if is_low(temperature, rules) and "low-temperature" not in present:
            present.append("low-temperature")
    if not present and temperature is None:
        raise InvalidInput(
            "symptom", f"give at least one symptom or a temperature; choose from: {_choices(rules)}"
        )
    number = " ".join((emergency_number or "").split()) or DEFAULT_EMERGENCY_NUMBER

    fired = [rule for rule in rules.rules if rule.fires(set(present), hours)]
    fired.sort(key=lambda rule: rules.rank(rule.level))  # stable: table order within a level
    # A person in an emergency gets the call, not self-care or lower-level advice that could
    # delay it: their other rules become plain notes for whoever treats them.
    in_emergency = {rule.who for rule in fired if rule.level == EMERGENCY}
    advising = [r for r in fired if r.level == EMERGENCY or r.who not in in_emergency]
    noted = [r for r in fired if r.level != EMERGENCY and r.who in in_emergency]
    reasons = [Reason(r.id, r.level, r.reason, r.source, r.who, r.contact, r.ours, r.note) for r in advising]
    if temperature is not None and not has_fever(temperature, rules) and not is_low(temperature, rules):
        reasons.append(_normal_temperature_reason(temperature, rules))
    level = fired[0].level if fired else SELF_CARE
    advice = dict.fromkeys(topic for rule in advising for topic in rule.advice)
    return TriageResult(
        level=level,
        label=rules.labels[level],
        actions=_actions(fired, rules, number),
        symptoms=tuple(present),
        temperature=temperature,
        hours=hours,
        reasons=tuple(reasons),
        advice=tuple(advice) or ("when-to-call",),
        safety_net=rules.safety_net if level == SELF_CARE else (),
        emergency_number=number,
        also_noted=_noted(noted, present, rules),
    )


def _noted(noted: list[Rule], present: list[str], rules: TriageRules) -> tuple[Noted, ...]:
    """The lower-level rules of each person in an emergency, as the symptoms they saw."""
    notes = []
    for who in WHO:
        mine = [rule for rule in noted if rule.who == who]
        if not mine:
            continue
        seen = [s for s in present if any(s in rule.symptoms for rule in mine)]
        words = "; ".join(rules.symptoms[s].description for s in seen)
        notes.append(Noted(who, NOTED_TEXT.format(symptoms=words), tuple(r.id for r in mine)))
    return tuple(notes)


def action_text(level: str, contact: str, rules: TriageRules, emergency_number: str) -> str:
    """The sentence an answer leads with, e.g. ``Call 999 now, or go to ...``."""
    who = rules.contacts[contact].format(emergency_number=emergency_number)
    return rules.actions[level].format(contact=who, emergency_number=emergency_number)


def _actions(fired: list[Rule], rules: TriageRules, number: str) -> tuple[Action, ...]:
    """One action per person and contact, at that person's most urgent level; most urgent first."""
    actions: list[Action] = []
    for who in WHO:
        mine = [rule for rule in fired if rule.who == who]
        if not mine:
            continue
        top = mine[0].level
        # The contacts are listed most clinical first (triage.yaml). A less urgent rule's contact
        # is never dropped for a less clinical one: a fever's doctor or midwife is not replaced by
        # "a lactation consultant" because a feeding sign is rated more urgent. Each contact at
        # the top level becomes the most clinical contact among all this person's rules.
        order = list(rules.contacts)
        clinical = min(mine, key=lambda rule: order.index(rule.contact))
        by_contact: dict[str, list[Rule]] = {}
        for rule in mine:
            if rule.level == top:
                contact = rule.contact
                if order.index(clinical.contact) < order.index(contact):
                    contact = clinical.contact
                by_contact.setdefault(contact, []).append(rule)
        for contact, deciding in by_contact.items():
            if clinical.contact == contact and clinical not in deciding:
                deciding.append(clinical)
        for contact, deciding in by_contact.items():
            actions.append(
                Action(
                    who=who,
                    level=top,
                    text=action_text(top, contact, rules, number),
                    rules=tuple(r.id for r in deciding),
                    sources=tuple(dict.fromkeys(r.source for r in deciding)),
                )
            )
    if not actions:  # only a normal temperature was given
        actions.append(Action(PARENT, SELF_CARE, action_text(SELF_CARE, "self", rules, number), (), ()))
    actions.sort(key=lambda action: rules.rank(action.level))
    return tuple(actions)


def _known_symptoms(symptoms: Iterable[str], rules: TriageRules) -> list[str]:
    present: list[str] = []
    for given in symptoms:
        ident = normalise_symptom(given)
        if ident not in rules.symptoms:
            raise InvalidInput("symptom", f"unknown symptom '{_echo(given)}'; choose from: {_choices(rules)}")
        if ident not in present:
            present.append(ident)
    return present


def _choices(rules: TriageRules) -> str:
    return ", ".join(rules.symptoms)


def _normal_temperature_reason(temperature: Temperature, rules: TriageRules) -> Reason:
    text = (
        f"Your temperature, {temperature}, is below {rules.fever_at_c:g} °C ({rules.fever_at_f:g} °F), "
        "the temperature that counts as a fever."
    )
    return Reason("temperature-below-fever", SELF_CARE, text, rules.fever_source)


def page_lists(rules: TriageRules | None = None) -> str:
    """The lists of ``when-to-call.md``, made from the table: one heading per level (its label),
    one line per rule in table order, then the signs that end self-care. A test checks that the
    page carries exactly this text, so the page and the table cannot drift apart."""
    rules = rules or default_rules()
    blocks: list[str] = []
    for level in rules.levels:
        lines = [f"## {rules.labels[level]}", ""]
        for rule in rules.rules:
            if rule.level != level:
                continue
            whose = "**Your baby:** " if rule.who == BABY else ""
            ours = f" Our careful reading: {rule.note}" if rule.ours and rule.note else ""
            lines.append(f"- {whose}{rule.reason}{ours} [{rule.source}]")
        blocks.append("\n".join(lines))
    net = ["## Stop self-care and get help if", ""]
    net += [f"- {item.text} [{item.source}]" for item in rules.safety_net]
    blocks.append("\n".join(net))
    return "\n\n".join(blocks) + "\n"
