"""``letdown guide`` and ``letdown triage``: no database needed; exact output where it matters."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from letdown.cli.main import cli
from letdown.guidance.library import DISCLAIMER

VALID = (
    "redness, red-streaks, spreading-redness, hard-lump, hard-swollen, breast-pain, no-relief, "
    "cracked-nipples, pus-or-blood, baby-cant-latch, fever, flu-like, shaking-chills, "
    "very-high-temperature, low-temperature, fast-heartbeat, confusion, fainting, very-unwell, "
    "baby-fever, baby-very-sleepy, baby-not-feeding, baby-jaundice, few-wet-nappies"
)


@pytest.fixture
def letdown(tmp_path, monkeypatch):
    """The CLI with no database at all: triage must work and must not create one."""
    monkeypatch.setenv("LETDOWN_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_search_json_gives_results_best_first(letdown):
    result = letdown("guide", "search", "boobs rock hard baby cant latch", "--json")
    assert result.exit_code == 0
    results = json.loads(result.stdout)["results"]
    assert results[0]["id"] == "engorgement"
    assert results[0]["title"] == "Engorgement: hard, swollen, overfull breasts"
    assert set(results[0]) == {"id", "title", "snippet", "sources"}
    assert "hse-engorgement" in results[0]["sources"]


def test_search_for_people_lists_titles_and_how_to_read_one(letdown):
    result = letdown("guide", "search", "how long can milk stay out", "--limit", "1")
    assert result.exit_code == 0
    assert result.stdout.startswith("1. Storing expressed milk  (storing-milk)\n")
    assert result.stdout.endswith("Read one with: letdown guide show storing-milk\n")


def test_search_with_nothing_found(letdown):
    result = letdown("guide", "search", "how do i")
    assert result.exit_code == 0
    assert result.stdout == "Nothing found for 'how do i'. Try other words, or: letdown guide list\n"


def test_an_over_long_search_is_exit_2_with_the_limit(letdown):
    result = letdown("guide", "search", "milk " * 120)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: q: too long (600 characters); a search can be at most 200 characters, "
        "and a few words are enough\n"
    )


def test_an_empty_search_is_exit_2(letdown):
    result = letdown("guide", "search", " ")
    assert result.exit_code == 2
    assert result.stderr == "Error: q: type a few words to search for\n"


def test_list_shows_every_topic(letdown):
    data = json.loads(letdown("guide", "list", "--json").stdout)
    assert len(data["topics"]) == 22
    assert data["topics"][0] == {
        "id": "antenatal-expression",
        "title": "Expressing colostrum before birth",
        "tags": data["topics"][0]["tags"],
        "sources": [
            "nhs-forthvalley-colostrum",
            "ncic-colostrum",
            "dame-2017",
            "dame-protocol-2014",
            "llli-hand-expressing",
            "educatedbirth-hand-expression",
        ],
    }
    text = letdown("guide", "list").stdout
    widest = max(len(topic["id"]) for topic in data["topics"])
    row = "when-to-call".ljust(widest) + "  When to call a doctor, midwife or lactation consultant"
    assert row in text.splitlines()


def test_show_renders_the_topic_its_sources_and_the_disclaimer(letdown):
    result = letdown("guide", "show", "storing-milk")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Storing expressed milk\n======================\n")
    assert "Good habits\n-----------\n" in out
    assert (
        "- [cdc-storage] Proper Storage and Preparation of Breast Milk (storage table adapted\n"
        "  from ABM Protocol #8, 2017). Centers for Disease Control and Prevention, 2019.\n"
        "  https://www.cdc.gov/breastfeeding/breast-milk-preparation-and-storage/handling-breastmilk.html"
    ) in out
    assert " ".join(out.split()).endswith(DISCLAIMER)
    assert "**" not in out and "> " not in out


def test_show_json_has_markdown_sources_and_disclaimer(letdown):
    data = json.loads(letdown("guide", "show", "let-down", "--json").stdout)
    assert data["id"] == "let-down"
    assert data["reviewed"] == "2026-12-01"
    assert [s["id"] for s in data["sources"]] == [
        "getting-a-let-down",
        "llli-hand-expressing",
        "kent-2008",
        "prime-2011",
    ]
    assert data["disclaimer"] == DISCLAIMER
    assert data["markdown"].rstrip().endswith(DISCLAIMER)


def test_show_an_unknown_topic_is_exit_2(letdown):
    result = letdown("guide", "show", "mastitis-cure")
    assert result.exit_code == 2
    assert result.stderr == "Error: No topic with id 'mastitis-cure'\n"


def test_triage_the_3am_case(letdown):
    result = letdown("triage", "--symptom", "hard-swollen", "--symptom", "baby-cant-latch", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["level"] == "see-clinician-today"
    assert data["reasons"][0]["source"]["id"] == "hse-engorgement"
    assert [a["id"] for a in data["advice"]] == ["engorgement", "hand-expression", "breast-massage"]
    assert data["disclaimer"] == DISCLAIMER


def test_triage_with_a_fahrenheit_temperature_and_hours(letdown):
    data = json.loads(letdown("triage", "--temperature", "101.5F", "--hours", "30", "--json").stdout)
    assert data["symptoms"] == ["fever"]
    assert data["temperature"] == "101.5 °F"
    assert data["level"] == "see-clinician-today"
    assert data["reasons"][0]["rule"] == "systemic-over-24h"


def test_triage_for_people_starts_with_the_action_and_ends_with_the_disclaimer(letdown, tmp_path):
    out = letdown("triage", "--symptom", "cracked-nipples").stdout
    assert out.startswith(
        "YOU CAN LIKELY LOOK AFTER THIS AT HOME FOR NOW  (self-care)\n"
        "You: You can likely look after this at home for now.  [rule: cracked-nipples-gentle;\n"
        "  source: llli-hand-expressing]\n"
    )
    assert "[cracked-nipples-gentle (you): llli-hand-expressing]" in out
    assert (
        "Stop self-care and get help if:\n- It gets worse, or is no better after 24 hours of self-care."
        in out
    )
    assert " ".join(out.split()).endswith(DISCLAIMER)
    assert not (tmp_path / "none.db").exists()  # triage never creates a database


def test_triage_an_emergency_without_a_household_says_your_local_emergency_number(letdown):
    out = letdown("triage", "--symptom", "confusion").stdout
    assert out.startswith(
        "EMERGENCY: CALL NOW  (emergency)\n"
        "You: Call your local emergency number now, or go to the nearest emergency department.\n"
        "  [rule: sepsis-confusion; source: uk-sepsis-trust-adult]\n"
        "(Set your number once: letdown init --country GB, or --emergency-number N.)\n"
    )


def test_triage_with_an_emergency_number_given(letdown):
    data = json.loads(
        letdown("triage", "--symptom", "baby-very-sleepy", "--emergency-number", "000", "--json").stdout
    )
    assert data["actions"][0] == {
        "who": "baby",
        "who_label": "Your baby",
        "level": "emergency",
        "text": "Call 000 now, or go to the nearest emergency department.",
        "rules": ["baby-hard-to-wake"],
        "sources": [data["reasons"][0]["source"]],
    }
    assert data["reasons"][0]["source"]["id"] == "healthier-together-fever"


def test_triage_a_bad_emergency_number_is_exit_2(letdown):
    result = letdown("triage", "--symptom", "confusion", "--emergency-number", "nine")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: emergency_number: 'nine' is not a phone number; use digits, spaces, + or - (like 999 or 112)\n"
    )


def test_triage_uses_the_households_country(run):
    assert run("init", "--country", "gb").exit_code == 0
    data = run.json("triage", "--symptom", "fainting")
    assert data["emergency_number"] == "999"
    assert data["actions"][0]["text"] == "Call 999 now, or go to the nearest emergency department."
    assert run("init", "--emergency-number", "01234 5678").exit_code == 0
    assert run.json("triage", "--symptom", "fainting")["emergency_number"] == "01234 5678"
    assert run("init", "--emergency-number", "", "--country", "").exit_code == 0
    assert run.json("triage", "--symptom", "fainting")["emergency_number"] == "your local emergency number"


def test_init_refuses_an_unknown_country_and_changes_nothing(run):
    run("init", "--country", "NZ")
    result = run("init", "--country", "Atlantis")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: country: no emergency number is known for 'Atlantis'; choose one of GB"
    )
    assert run.json("household")["country"] == "NZ"
    assert run.json("household")["number_to_call"] == "111"


def test_triage_a_bare_temperature_is_read_and_shown_as_the_parents(letdown):
    out = letdown("triage", "--temperature", "101.5").stdout
    assert "Your temperature (the parent's): 101.5 °F\nYour temperature: 101.5 read as 101.5 °F.\n" in out
    data = json.loads(letdown("triage", "--temperature", "38,6", "--json").stdout)
    assert (data["temperature"], data["temperature_of"], data["symptoms"]) == ("38.6 °C", "parent", ["fever"])


def test_triage_unknown_symptom_is_exit_2_with_the_valid_list(letdown):
    result = letdown("triage", "--symptom", "itchy")
    assert result.exit_code == 2
    assert result.stderr == f"Error: symptom: unknown symptom 'itchy'; choose from: {VALID}\n"


def test_triage_without_symptoms_is_exit_2(letdown):
    result = letdown("triage")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: symptom: give at least one symptom or a temperature; choose from: {VALID}\n"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("hot", "'hot' is not a temperature; write it like 38.6, 38.6C or 101.5F"),
        ("386", "'386' is not a body temperature in °C (30–45) or °F (86–113); check the number"),
    ],
)
def test_triage_bad_temperature_is_exit_2(letdown, value, message):
    result = letdown("triage", "--symptom", "fever", "--temperature", value)
    assert result.exit_code == 2
    assert result.stderr == f"Error: temperature: {message}\n"


def test_triage_list(letdown):
    data = json.loads(letdown("triage", "--list", "--json").stdout)
    assert [s["id"] for s in data["symptoms"]] == VALID.split(", ")
    assert {
        s["who"] for s in data["symptoms"] if s["id"].startswith("baby-") and s["id"] != "baby-cant-latch"
    } == {"baby"}
    text = letdown("triage", "--list").stdout
    assert "pus-or-blood           parent  Pus, or blood, coming from the nipple" in text
    assert "baby-jaundice          baby    Baby's skin or the whites of the eyes look yellow" in text


def test_help_does_not_load_the_search_engine_or_yaml():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from letdown.cli.main import cli\n"
        "CliRunner().invoke(cli, ['--help'])\n"
        "CliRunner().invoke(cli, ['guide', '--help'])\n"
        "CliRunner().invoke(cli, ['triage', '--help'])\n"
        "print(sorted(m for m in sys.modules if m in "
        "('letdown.guidance.search', 'yaml', 'sqlite3', 'letdown.services.guide')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
