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
    "fever, flu-like, redness, red-streaks, hard-lump, hard-swollen, breast-pain, no-relief, "
    "baby-cant-latch, few-wet-nappies, cracked-nipples, pus-or-blood"
)


@pytest.fixture
def letdown():
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


def test_an_empty_search_is_exit_2(letdown):
    result = letdown("guide", "search", " ")
    assert result.exit_code == 2
    assert result.stderr == "Error: q: type a few words to search for\n"


def test_list_shows_every_topic(letdown):
    data = json.loads(letdown("guide", "list", "--json").stdout)
    assert len(data["topics"]) == 15
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
    assert "when-to-call            When to call a doctor, midwife or lactation consultant" in text


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
    assert data["reviewed"] == "2026-11-25"
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


def test_triage_for_people_starts_with_the_level_and_ends_with_the_disclaimer(letdown):
    out = letdown("triage", "--symptom", "cracked-nipples").stdout
    assert out.startswith("YOU CAN LIKELY HANDLE THIS AT HOME FOR NOW  (self-care)\n")
    assert "[llli-hand-expressing]" in out
    assert " ".join(out.split()).endswith(DISCLAIMER)


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


def test_triage_bad_temperature_is_exit_2(letdown):
    result = letdown("triage", "--symptom", "fever", "--temperature", "hot")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: temperature: 'hot' is not a temperature; write it like 38.6C or 101.5F\n"
    )


def test_triage_list(letdown):
    data = json.loads(letdown("triage", "--list", "--json").stdout)
    assert [s["id"] for s in data["symptoms"]] == VALID.split(", ")
    text = letdown("triage", "--list").stdout
    assert "pus-or-blood     Pus, or blood, coming from the nipple" in text


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
