"""Journeys a parent and a partner take, in Chromium at phone and desktop sizes.

Each page visited is screenshotted to artifacts/screenshots/ and checked with axe-core. Results
are checked in the server's database as well as on the page.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.browser.conftest import check_accessibility, shoot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def visit(page, viewport, name, *, a11y=True):
    shoot(page, viewport, name)
    if a11y:
        check_accessibility(page)


def sign_up(page, server, email, household):
    page.goto(f"{server.url}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/setup")
    if household:
        page.get_by_label("Household name").fill(household)
        page.get_by_label("Time zone").fill("Europe/London")
        page.get_by_role("button", name="Create household").click()
        page.wait_for_url(f"{server.url}/")


def query(server, sql, **params):
    engine = server.engine()
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    engine.dispose()
    return rows


def test_a_parent_logs_stores_thaws_reads_and_checks_symptoms(server, new_page, viewport):
    page = new_page()
    email = f"ada-{viewport}@example.org"
    page.goto(f"{server.url}/")
    page.wait_for_url("**/signin")
    visit(page, viewport, "signin")
    page.get_by_role("link", name="Create an account").click()
    page.wait_for_url("**/signup")
    visit(page, viewport, "signup")
    page.get_by_label("Email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/setup")
    visit(page, viewport, "setup")
    page.get_by_label("Household name").fill(f"Okafors {viewport}")
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_label("Volumes in").select_option("ml")
    page.get_by_label("Baby's name").fill("Ada")
    page.get_by_label("Born on").fill("2026-11-01")
    page.get_by_role("button", name="Create household").click()
    page.wait_for_url(f"{server.url}/")
    assert page.get_by_role("status").inner_text() == f"Welcome to Okafors {viewport}."
    visit(page, viewport, "home-empty")

    # log a session
    page.get_by_role("link", name="Log a session").click()
    page.wait_for_url("**/log/new")
    page.get_by_label("Left").fill("30")
    page.get_by_label("Right").fill("25")
    page.get_by_label("Let-downs").fill("2, 9")
    page.get_by_label("Comfort").fill("8")
    visit(page, viewport, "log-form")
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r".*/log\?saved=[0-9a-z]+$"))  # with "Store this milk" offered
    assert page.get_by_role("status").inner_text() == "Session saved."
    assert page.get_by_label("Volume (ml)").input_value() == "55"
    visit(page, viewport, "log")
    rows = query(
        server,
        "SELECT s.left_ml, s.right_ml, s.comfort FROM expression_sessions s JOIN memberships m "
        "ON m.household_id = s.household_id JOIN users u ON u.id = m.user_id WHERE u.email = :e",
        e=email,
    )
    assert [tuple(r) for r in rows] == [(30.0, 25.0, 8)]

    # store milk in the freezer and see its use-by
    page.get_by_role("link", name="Stash", exact=True).click()
    page.wait_for_url("**/stash")
    page.get_by_label("Volume").fill("120")
    page.get_by_label("Stored in").select_option("freezer")
    page.get_by_role("button", name="Store").click()
    page.wait_for_url(re.compile(r".*/stash/[0-9a-z]{10}$"))
    container = page.url.rsplit("/", 1)[1]
    assert page.get_by_role("heading", level=1).inner_text() == "120 ml frozen in the freezer"
    assert re.search(r"use by \w{3} \d\d \w{3} \d{4} \d\d:\d\d, in", page.locator("p.lead").inner_text())
    visit(page, viewport, "container")

    # thaw it, then try to put it back in the freezer
    page.get_by_label("Thaw in").select_option("fridge")
    page.get_by_role("button", name="Thaw").click()
    assert page.get_by_role("status").inner_text() == "Thawing in the fridge."
    page.get_by_label("Move to").select_option("freezer")
    page.get_by_role("button", name="Move", exact=True).click()
    refusal = page.get_by_role("alert").inner_text()
    assert refusal.startswith(f"Container {container} holds thawed milk and can't go in the freezer")
    visit(page, viewport, "refreeze-refused")
    kinds = query(
        server, "SELECT kind FROM container_events WHERE container_id = :c ORDER BY seq", c=container
    )
    assert [k for (k,) in kinds] == ["stored", "thawed"]
    page.goto(f"{server.url}/stash")
    visit(page, viewport, "stash")
    page.goto(f"{server.url}/stash/{container}/label")
    visit(page, viewport, "label")

    # search the guide as you type, then read a topic
    page.get_by_role("link", name="Guide").click()
    page.get_by_label("Search the guide").press_sequentially("engorged", delay=20)
    page.locator("#results a[href='/guide/engorgement']").wait_for()
    visit(page, viewport, "guide")
    page.locator("#results a[href='/guide/engorgement']").click()
    page.wait_for_url("**/guide/engorgement")
    assert "letdown informs; it does not diagnose." in page.get_by_role("note").first.inner_text()
    assert page.get_by_role("heading", name="Sources").is_visible()
    visit(page, viewport, "topic")

    # triage
    page.goto(f"{server.url}/guide/triage")
    page.get_by_role("checkbox", name=re.compile("^A temperature of 38")).check()
    page.get_by_label("Your temperature (the parent's)").fill("38.6 C")
    page.get_by_role("button", name="Check").click()
    assert page.locator("#h-answer").inner_text() != ""
    assert page.locator("#actions li").first.inner_text().startswith("You: Call your doctor (GP) or midwife")
    assert "[" in page.locator("#reasons li").first.inner_text()  # every reason names its source
    visit(page, viewport, "triage")

    # set the interval; home shows when the next session is due; dark theme by the toggle
    page.goto(f"{server.url}/settings")
    visit(page, viewport, "settings")
    page.get_by_label("Hours between sessions").fill("3")
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_role("status").inner_text() == "Saved."
    page.goto(f"{server.url}/")
    assert "Next due" in page.locator("main").inner_text()
    visit(page, viewport, "home")
    page.get_by_role("button", name="Dark or light theme").click()
    theme = page.evaluate("document.documentElement.dataset.theme")
    assert theme in ("dark", "light")
    if theme == "light":
        page.get_by_role("button", name="Dark or light theme").click()
    visit(page, viewport, "home-dark")
    assert page.errors == []


def test_a_partner_joins_by_invite_and_sees_the_stash_but_not_another_households(server, new_page, viewport):
    parent = new_page()
    sign_up(parent, server, f"bo-{viewport}@example.org", f"Bos {viewport}")
    parent.goto(f"{server.url}/stash")
    parent.get_by_label("Volume").fill("90")
    parent.get_by_role("button", name="Store").click()
    parent.wait_for_url(re.compile(r".*/stash/[0-9a-z]{10}$"))
    ours = parent.url.rsplit("/", 1)[1]
    parent.goto(f"{server.url}/settings")
    parent.get_by_label("Role").select_option("caregiver")
    parent.get_by_role("button", name="Make invite link").click()
    link = re.search(r"(http://\S+/join/\S+)", parent.get_by_role("status").inner_text()).group(1)

    stranger = new_page()
    sign_up(stranger, server, f"cleo-{viewport}@example.org", f"Cleos {viewport}")
    stranger.goto(f"{server.url}/stash")
    stranger.get_by_label("Volume").fill("70")
    stranger.get_by_role("button", name="Store").click()
    stranger.wait_for_url(re.compile(r".*/stash/[0-9a-z]{10}$"))
    theirs = stranger.url.rsplit("/", 1)[1]

    partner = new_page()
    partner.goto(link)
    visit(partner, viewport, "join")
    partner.get_by_role("link", name="Create an account and join").click()
    partner.get_by_label("Email").fill(f"sam-{viewport}@example.org")
    partner.locator("#password").fill(PASSWORD)
    partner.get_by_label("Password again").fill(PASSWORD)
    partner.get_by_role("button", name="Create account").click()
    partner.get_by_role("button", name=f"Join Bos {viewport}").click()
    partner.wait_for_url(f"{server.url}/")
    assert partner.get_by_role("status").inner_text() == f"You joined Bos {viewport} as caregiver."
    visit(partner, viewport, "partner-home")

    partner.get_by_role("link", name="Stash", exact=True).click()
    assert partner.locator(f"a[href='/stash/{ours}']").count() >= 1
    assert partner.locator(f"a[href='/stash/{theirs}']").count() == 0
    visit(partner, viewport, "partner-stash")
    assert partner.get_by_role("link", name="Log", exact=True).count() == 0
    response = partner.goto(f"{server.url}/log")
    assert response.status == 403
    assert (
        partner.get_by_role("alert").inner_text()
        == "The expression log is not shared with this household's caregivers"
    )
    response = partner.goto(f"{server.url}/stash/{theirs}")
    assert response.status == 404
    assert partner.get_by_role("alert").inner_text() == f"No container with id '{theirs}'"
    roles = query(
        server,
        "SELECT u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id "
        "JOIN households h ON h.id = m.household_id WHERE h.name = :n ORDER BY m.role",
        n=f"Bos {viewport}",
    )
    assert [tuple(r) for r in roles] == [
        (f"sam-{viewport}@example.org", "caregiver"),
        (f"bo-{viewport}@example.org", "owner"),
    ]


def test_every_page_works_without_javascript(server, chromium):
    from tests.browser.conftest import VIEWPORTS

    context = chromium.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    sign_up(page, server, "nojs@example.org", "No JS home")
    page.goto(f"{server.url}/log/new")
    page.get_by_label("Left").fill("20")
    page.get_by_role("button", name="Save session").click()
    assert page.get_by_role("status").inner_text() == "Session saved."
    page.goto(f"{server.url}/guide")
    page.get_by_label("Search the guide").fill("colostrum")
    page.get_by_role("button", name="Search").click()
    assert page.locator("#results a[href='/guide/colostrum']").count() == 1
    page.goto(f"{server.url}/stash")
    page.get_by_label("Volume").fill("45")
    page.get_by_role("button", name="Store").click()
    assert "use by" in page.locator("p.lead").inner_text()  # the server's text, no countdown script
    page.goto(f"{server.url}/guide/triage")
    page.get_by_role("checkbox", name=re.compile("Pain or soreness")).check()
    page.get_by_role("button", name="Check").click()
    assert page.locator("#h-answer").inner_text()
    for path in ("/", "/log?days=30", "/stash", "/guide/let-down", "/settings"):
        response = page.goto(f"{server.url}{path}")
        assert response.status == 200, path
        assert page.locator("main h1, main h2").count() >= 1, path
    page.goto(f"{server.url}/")
    assert "ago" in page.locator("main").inner_text()
    context.close()
