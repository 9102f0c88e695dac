"""The /coach page in Chromium: play a short plan on a fake clock, tap a let-down, finish, save
(also through a dropped network), and find the session saved."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
_people = itertools.count()


def _parent(server):
    """A new owner of a new household on the server's database: (email, household id)."""
    from letdown.domain.choices import Role
    from letdown.services.accounts import households
    from letdown.services.accounts import users as accounts
    from letdown.store.db import Store

    email = f"coach{next(_people)}@example.org"
    store = Store(server.db_url)
    now = datetime.now(UTC)
    try:
        with store.session() as db:
            household = households.create(db, now=now, name="Coach home", timezone="Europe/London")
            user = accounts.create_user(db, email=email, password=PASSWORD, now=now)
            accounts.add_member(db, household.id, user.id, Role.OWNER, now=now)
            return email, household.id
    finally:
        store.dispose()


def _sessions(server, household_id):
    from letdown.services.log import sessions
    from letdown.store.db import Store

    store = Store(server.db_url)
    try:
        with store.session() as db:
            return sessions.list_sessions(db, household_id, now=datetime.now(UTC))
    finally:
        store.dispose()


@pytest.fixture
def coach(server, new_page):
    """A signed-in parent's page and household id."""
    email, household_id = _parent(server)
    page = new_page()
    page.goto(f"{server.url}/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page, household_id


def _play_short_plan(page, server):
    page.clock.install(time=datetime.now() - timedelta(minutes=10))
    page.goto(f"{server.url}/coach?minutes=1&experience=practised&stage=established")
    check_accessibility(page)
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
    assert page.text_content("#coach-pulse") in ("Press", "Let go")
    check_accessibility(page)
    page.clock.run_for(30_000)
    assert page.text_content("#coach-title") == "Change sides"
    page.clock.run_for(16_000)
    assert page.text_content("#coach-title") == "Express: Right"
    page.click("#coach-finish")  # Finish asks first (issue 12)
    assert page.is_visible("#coach-confirm") and page.text_content("#coach-title") == "Express: Right"
    page.click("#coach-finish-yes")
    page.wait_for_selector("#coach-done", state="visible")
    assert "1 let-down marked" in page.text_content("#coach-summary")
    page.fill("#coach-left", "20")
    page.fill("#coach-right", "15.5")
    page.fill("#coach-comfort", "9")


def test_play_a_short_plan_tap_a_let_down_finish_and_save(coach, server):
    page, household_id = coach
    _play_short_plan(page, server)
    page.click("#coach-save")
    page.wait_for_selector("#coach-status a")
    assert page.text_content("#coach-status").startswith("Saved.")
    saved = _sessions(server, household_id)
    assert len(saved) == 1
    s = saved[0]
    assert (s.method.value, s.left_ml, s.right_ml, s.comfort) == ("hand", 20.0, 15.5, 9)
    assert len(s.let_downs) == 1
    page.click("#coach-status a")
    page.wait_for_selector("[data-sign=several-let-downs]")
    assert page.text_content("h1") == "How it went"
    check_accessibility(page)
    assert page.errors == []


def test_a_session_finished_offline_is_saved_when_the_network_is_back(coach, server):
    page, household_id = coach
    _play_short_plan(page, server)
    page.context.set_offline(True)
    page.click("#coach-save")
    page.wait_for_function(
        "document.querySelector('#coach-status').textContent.includes('Kept on this device')"
    )
    assert page.evaluate("JSON.parse(localStorage.getItem('letdown.queue.v1')).length") == 1
    assert _sessions(server, household_id) == []
    page.context.set_offline(False)
    page.wait_for_selector("#coach-status a")
    assert page.evaluate("JSON.parse(localStorage.getItem('letdown.queue.v1')).length") == 0
    assert len(_sessions(server, household_id)) == 1
    assert page.errors == []


def _antenatal_start(page, server):
    page.clock.install(time=datetime.now() - timedelta(minutes=10))
    page.goto(f"{server.url}/coach?stage=antenatal&experience=practised")
    check_accessibility(page)
    assert "a whole session of about 10 minutes" in page.text_content("#coach-intro")
    page.click("#coach-start")
    assert page.text_content("#coach-title") == "Before you start"
    assert "placenta praevia" in page.text_content("#coach-cue")
    page.click("#coach-cue")  # a tap anywhere does not answer the question
    page.clock.run_for(1000)
    assert page.text_content("#coach-title") == "Before you start"


def test_before_birth_not_yet_agreed_ends_with_advice_and_nothing_to_save(coach, server):
    page, household_id = coach
    _antenatal_start(page, server)
    page.click("[data-choice=finish]")
    page.wait_for_selector("#coach-done", state="visible")
    assert page.text_content("#coach-done-title") == "Ask first"
    assert "Ask your midwife or doctor" in page.text_content("#coach-summary")
    assert page.is_hidden("#coach-form")
    assert _sessions(server, household_id) == []
    assert page.errors == []


def test_before_birth_contractions_end_the_session_with_what_to_do(coach, server):
    page, household_id = coach
    _antenatal_start(page, server)
    page.click("[data-choice=ready]")
    page.clock.run_for(500)
    assert page.text_content("#coach-title") == "Get ready"
    page.click("#coach-cue")
    page.clock.run_for(500)
    assert page.text_content("#coach-title") == "Warm up gently"
    page.clock.run_for(61_000)
    assert page.text_content("#coach-title") == "Express: Left"
    page.click("[data-event=contractions]")
    page.wait_for_selector("#coach-done", state="visible")
    assert page.text_content("#coach-done-title") == "Stop now"
    summary = page.text_content("#coach-summary")
    assert summary.startswith("Stop expressing and rest.") and "maternity unit or midwife" in summary
    page.fill("#coach-left", "0.2")
    page.click("#coach-save")
    page.wait_for_selector("#coach-status a")
    assert len(_sessions(server, household_id)) == 1
    assert page.errors == []


def test_after_birth_there_is_no_contractions_button(coach, server):
    page, _ = coach
    page.goto(f"{server.url}/coach?stage=established")
    assert page.query_selector("[data-event=contractions]") is None
