"""The browser's coach interpreter (``web/static/coach.js``) against the shared vectors.

Runs every vector in ``tests/data/coach_vectors.json`` through the JavaScript player in Debian's
Chromium and compares with the expected answer (which the Python player also gives), so the
two players cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[2]
VECTORS = json.loads((ROOT / "tests" / "data" / "coach_vectors.json").read_text(encoding="utf-8"))["vectors"]
COACH_JS = (ROOT / "src" / "letdown" / "web" / "static" / "coach.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def js_page(chromium):
    page = chromium.new_page()
    page.set_content("<!doctype html><title>coach vectors</title>")
    page.add_script_tag(content=COACH_JS)
    yield page
    page.close()


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_the_browser_player_gives_the_expected_answer(js_page, vector):
    got = js_page.evaluate(
        "([plan, trace, end]) => LetdownCoach.play(plan, trace, end)",
        [vector["plan"], vector["trace"], vector["end_ms"]],
    )
    assert got == vector["expected"]


def test_the_browser_player_refuses_time_going_back(js_page):
    plan = VECTORS[0]["plan"]
    message = js_page.evaluate(
        """(plan) => { try { new LetdownCoach.Player(plan).start(5000).tick(4000); return "no error"; }
                      catch (e) { return e.message; } }""",
        plan,
    )
    assert message == "time went back from 5000 ms to 4000 ms"
