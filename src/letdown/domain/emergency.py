"""The number a triage answer tells the parent to call in an emergency.

A household may set its country (the number comes from ``guidance/emergency_numbers.yaml``,
each row with a source) and may type its own number, which wins. With neither, answers say
"your local emergency number". Pure rules: no I/O beyond the shipped data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from letdown.domain.errors import InvalidInput
from letdown.domain.triage import DEFAULT_EMERGENCY_NUMBER
from letdown.guidance.library import read_yaml

_NUMBER = re.compile(r"^\+?[0-9][0-9 \-]{0,18}[0-9]$|^[0-9]$")
MAX_NUMBER_LENGTH = 20


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    number: str
    source: str


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """The countries letdown knows an emergency number for, by ISO code, in file order."""
    rows = read_yaml("emergency_numbers.yaml")["countries"]
    return {row["code"]: Country(row["code"], row["name"], str(row["number"]), row["source"]) for row in rows}


def parse_country(text: str) -> str | None:
    """``gb`` → ``GB``; empty → None (no country); an unknown code names the known ones."""
    code = text.strip().upper()
    if not code:
        return None
    if code not in countries():
        known = ", ".join(countries())
        shown = text if len(text) <= 24 else text[:24] + "…"
        raise InvalidInput(
            "country",
            f"no emergency number is known for '{shown}'; choose one of {known}, "
            "or leave it empty and type your emergency number",
        )
    return code


def parse_number(text: str) -> str | None:
    """A phone number as typed (digits, spaces, ``+`` and ``-``); empty → None."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    if len(cleaned) > MAX_NUMBER_LENGTH:
        raise InvalidInput(
            "emergency_number", f"is {len(cleaned)} characters; the most is {MAX_NUMBER_LENGTH}"
        )
    if not _NUMBER.match(cleaned):
        shown = cleaned.replace("\x00", "\\0")
        raise InvalidInput(
            "emergency_number",
            f"'{shown}' is not a phone number; use digits, spaces, + or - (like 999 or 112)",
        )
    digits = re.sub(r"\D", "", cleaned)
    # Every emergency number has at least two digits (15, 17 and 18 in France are the
    # shortest), and none is all zeros but Australia's 000: a single digit or 0/00/0000 is a
    # slip that would leave a parent with nothing to call.
    if len(digits) < 2:
        raise InvalidInput(
            "emergency_number",
            f"'{cleaned}' is too short to be an emergency number; they have at least 2 digits "
            "(like 911, 999, 112 or 000)",
        )
    if set(digits) == {"0"} and digits != "000":
        raise InvalidInput(
            "emergency_number",
            f"'{cleaned}' cannot be an emergency number; the only one made of zeros is 000 (Australia)",
        )
    return cleaned


def number_to_call(country: str | None, typed: str | None) -> str:
    """The household's own number, else its country's, else the words for a local number."""
    if typed:
        return typed
    if country and country in countries():
        return countries()[country].number
    return DEFAULT_EMERGENCY_NUMBER
