"""Triage: symptoms (plus an optional temperature and duration) in, urgency and cited reasons out.

The rules are a table in ``guidance/triage.yaml``; this module only evaluates them. Every
reason names its source id, and every answer carries the disclaimer: letdown informs, it
does not diagnose.
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

_TEMPERATURE = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)\s*(?:°|º|deg(?:rees)?)?\s*([cf])\s*$", re.I)


@dataclass(frozen=True)
class Temperature:
    """A body temperature as the parent gave it (``unit`` is ``C`` or ``F``)."""

    value: float
    unit: str

    @property
    def celsius(self) -> float:
        return self.value if self.unit == "C" else (self.value - 32) * 5 / 9

    def __str__(self) -> str:
        return f"{self.value:g} °{self.unit}"


@dataclass(frozen=True)
class Symptom:
    id: str
    description: str
    red_flag: bool
    source: str | None = None


@dataclass(frozen=True)
class Rule:
    """Fires when each group in ``when`` has a symptom present (and ``hours_over`` is passed)."""

    id: str
    when: tuple[tuple[str, ...], ...]
    level: str
    reason: str
    source: str
    advice: tuple[str, ...]
    hours_over: float | None = None

    def fires(self, present: set[str], hours: float | None) -> bool:
        if not all(present.intersection(group) for group in self.when):
            return False
        return self.hours_over is None or (hours is not None and hours > self.hours_over)


@dataclass(frozen=True)
class TriageRules:
    levels: tuple[str, ...]  # most urgent first
    labels: Mapping[str, str]
    symptoms: Mapping[str, Symptom]
    rules: tuple[Rule, ...]
    fever_at_c: float
    fever_at_f: float
    fever_source: str
    plausible_c: tuple[float, float]

    def rank(self, level: str) -> int:
        """0 for the most urgent level."""
        return self.levels.index(level)


@dataclass(frozen=True)
class Reason:
    rule: str
    level: str
    text: str
    source: str


@dataclass(frozen=True)
class TriageResult:
    level: str
    label: str
    symptoms: tuple[str, ...]
    temperature: Temperature | None
    hours: float | None
    reasons: tuple[Reason, ...]
    advice: tuple[str, ...]
    disclaimer: str = DISCLAIMER


def rules_from_data(data: Mapping[str, Any]) -> TriageRules:
    """Build and check the rule table; ``ValueError`` names the first bad row."""
    levels = tuple(row["id"] for row in data["levels"])
    symptoms = {
        row["id"]: Symptom(
            id=row["id"],
            description=" ".join(str(row["description"]).split()),
            red_flag=bool(row["red_flag"]),
            source=row.get("source"),
        )
        for row in data["symptoms"]
    }
    rules = []
    for row in data["rules"]:
        when = tuple(tuple(group) for group in row["when"])
        unknown = [s for group in when for s in group if s not in symptoms]
        if unknown:
            raise ValueError(f"Rule '{row['id']}' names unknown symptom '{unknown[0]}'")
        if row["level"] not in levels:
            raise ValueError(f"Rule '{row['id']}' has unknown level '{row['level']}'")
        rules.append(
            Rule(
                id=row["id"],
                when=when,
                level=row["level"],
                reason=" ".join(str(row["reason"]).split()),
                source=row["source"],
                advice=tuple(row.get("advice", ())),
                hours_over=row.get("hours_over"),
            )
        )
    temperature = data["temperature"]
    low, high = temperature["plausible_c"]
    return TriageRules(
        levels=levels,
        labels={row["id"]: row["label"] for row in data["levels"]},
        symptoms=symptoms,
        rules=tuple(rules),
        fever_at_c=float(temperature["fever_at_c"]),
        fever_at_f=float(temperature["fever_at_f"]),
        fever_source=temperature["source"],
        plausible_c=(float(low), float(high)),
    )


@lru_cache(maxsize=1)
def default_rules() -> TriageRules:
    """The rule table shipped in ``guidance/triage.yaml``."""
    return rules_from_data(read_yaml("triage.yaml"))


def parse_temperature(text: str, rules: TriageRules | None = None) -> Temperature:
    """``38.6C``, ``38.6 °C``, ``101.5F`` → a Temperature; a bare or implausible number is refused."""
    rules = rules or default_rules()
    match = _TEMPERATURE.match(text)
    if match is None:
        raise InvalidInput("temperature", f"'{text}' is not a temperature; write it like 38.6C or 101.5F")
    value = float(match.group(1).replace(",", "."))
    temperature = Temperature(value=value, unit=match.group(2).upper())
    low, high = rules.plausible_c
    if not low <= temperature.celsius <= high:
        raise InvalidInput(
            "temperature",
            f"'{text}' is not a body temperature (expected {low:g}–{high:g} °C); check the number",
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


def evaluate(
    symptoms: Iterable[str],
    temperature: str | Temperature | None = None,
    hours: float | None = None,
    rules: TriageRules | None = None,
) -> TriageResult:
    """Rate the symptoms: the most urgent level any rule gives, with every fired rule as a reason."""
    rules = rules or default_rules()
    present = _known_symptoms(symptoms, rules)
    if isinstance(temperature, str):
        temperature = parse_temperature(temperature, rules)
    if hours is not None:
        hours = limits.finite(hours, "hours")
        if hours < 0:
            raise InvalidInput("hours", f"must be zero or more, not {hours:g}")
    if temperature is not None and has_fever(temperature, rules) and "fever" not in present:
        present.append("fever")
    if not present and temperature is None:
        raise InvalidInput(
            "symptom", f"give at least one symptom or a temperature; choose from: {_choices(rules)}"
        )

    fired = [rule for rule in rules.rules if rule.fires(set(present), hours)]
    fired.sort(key=lambda rule: rules.rank(rule.level))  # stable: table order within a level
    reasons = [Reason(r.id, r.level, r.reason, r.source) for r in fired]
    if temperature is not None and not has_fever(temperature, rules):
        reasons.append(_below_fever_reason(temperature, rules))
    level = fired[0].level if fired else SELF_CARE
    advice = dict.fromkeys(topic for rule in fired for topic in rule.advice)
    return TriageResult(
        level=level,
        label=rules.labels[level],
        symptoms=tuple(present),
        temperature=temperature,
        hours=hours,
        reasons=tuple(reasons),
        advice=tuple(advice) or ("when-to-call",),
    )


def _known_symptoms(symptoms: Iterable[str], rules: TriageRules) -> list[str]:
    present: list[str] = []
    for given in symptoms:
        ident = normalise_symptom(given)
        if ident not in rules.symptoms:
            raise InvalidInput("symptom", f"unknown symptom '{given}'; choose from: {_choices(rules)}")
        if ident not in present:
            present.append(ident)
    return present


def _choices(rules: TriageRules) -> str:
    return ", ".join(rules.symptoms)


def _below_fever_reason(temperature: Temperature, rules: TriageRules) -> Reason:
    text = (
        f"{temperature} is below {rules.fever_at_c:g} °C ({rules.fever_at_f:g} °F), "
        "the temperature that counts as a fever."
    )
    return Reason("temperature-below-fever", SELF_CARE, text, rules.fever_source)
