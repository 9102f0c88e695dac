"""The /coach page in Chromium: play a short plan on a fake clock, tap a let-down, finish, save
(also through a dropped network), and find the session saved."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.browser.coach_fixtures import PASSWORD

pytestmark = pytest.mark.browser


def _sessions(server):
    from letdown.services import sessions
    from letdown.store.db import Store

    store = Store(server.db_url)
    try:
        with store.session() as db:
            return sessions.list_sessions(db, server.household_id, now=datetime.now().astimezone())
    finally:
        store.dispose()


@pytest.fixture
def page(chromium, coach_server):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{coach_server.url}/signin")
    page.fill("input[name=email]", coach_server.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    yield page
    context.close()


def _play_short_plan(page, server):
    page.clock.install(time=datetime.now() - timedelta(minutes=10))
    page.goto(f"{server.url}/coach?minutes=1&experience=practised&stage=established")
    page.click("#coach-start")
    assert page.text_content("#coach-title") == "Get ready"
    page.click("#coach-cue")  # a tap anywhere: ready
    page.clock.run_for(1000)
    assert page.text_content("#coach-title") == "Bring on a let-down"
    page.click("#coach-clock")  # a tap anywhere: a let-down, on to the left side
    page.clock.run_for(1000)
    assert page.text_content("#coach-title") == "Express: Left"
    assert page.get_attribute("#coach", "data-kind") == "express"
    assert page.text_content("#coach-letdowns") == "1 let-down"
    assert page.text_content("#coach-pulse") in ("Press", "Release")
    page.clock.run_for(30_000)
    assert page.text_content("#coach-title") == "Change sides"
    page.clock.run_for(16_000)
    assert page.text_content("#coach-title") == "Express: Right"
    page.click("[data-event=finish]")
    page.wait_for_selector("#coach-done", state="visible")
    assert "1 let-down marked" in page.text_content("#coach-summary")
    page.fill("#coach-left", "20")
    page.fill("#coach-right", "15.5")
    page.fill("#coach-comfort", "9")


def test_play_a_short_plan_tap_a_let_down_finish_and_save(page, coach_server):
    _play_short_plan(page, coach_server)
    page.click("#coach-save")
    page.wait_for_selector("#coach-status a")
    assert page.text_content("#coach-status").startswith("Saved.")
    saved = _sessions(coach_server)
    assert len(saved) == 1
    s = saved[0]
    assert (s.method.value, s.left_ml, s.right_ml, s.comfort) == ("hand", 20.0, 15.5, 9)
    assert len(s.let_downs) == 1
    page.click("#coach-status a")
    page.wait_for_selector("[data-sign=several-let-downs]")
    assert "How it went" in page.text_content("h1")


def test_a_session_finished_offline_is_saved_when_the_network_is_back(page, coach_server):
    _play_short_plan(page, coach_server)
    page.context.set_offline(True)
    page.click("#coach-save")
    assert "Saved on this device" in page.text_content("#coach-status")
    assert page.evaluate("JSON.parse(localStorage.getItem('letdown.coach.queue')).length") == 1
    assert _sessions(coach_server) == []
    page.context.set_offline(False)
    page.wait_for_selector("#coach-status a")
    assert page.evaluate("JSON.parse(localStorage.getItem('letdown.coach.queue')).length") == 0
    assert len(_sessions(coach_server)) == 1
