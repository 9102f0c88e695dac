"""Each page shows what a parent needs, from the same services as the CLI and the API."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from letdown.domain.choices import FeedingMode
from letdown.services.accounts import households
from letdown.services.log import sessions
from letdown.services.schedule import settings as household_settings
from letdown.services.stash import containers as stash
from letdown.store.models import Container, ExpressionSession
from tests.factories import make_session
from tests.web.conftest import alert_of, flash_of


def test_home_shows_the_last_session_the_next_due_today_and_stash_alerts(owner, db, now):
    b, household_id, _ = owner
    make_session(db, household_id, now, start="-2h", left_ml=40.0, right_ml=20.0)
    household_settings.update_settings(db, household_id, now=now, session_interval_minutes=180)
    stash.add(db, household_id, ml=50, expressed_at="-5h", location="room", now=now)  # expired
    text = b.get("/").text
    assert "2 h 00 min</time> ago" in text
    assert "Next due 13:00, in" in text  # London is UTC in November
    assert "the NHS target" not in text  # the household's own interval, not the default
    assert "60 ml</span> in 1 session" in text
    assert "7-day average before today: 0 ml a day" in text
    assert "50 ml in the room</a>: expired" in text
    assert 'href="/coach"' in text and 'href="/log/new"' in text


def test_without_its_own_interval_home_uses_the_cited_default_and_says_so(owner, db, now):
    b, household_id, _ = owner
    household_settings.set_feeding_mode(db, household_id, "exclusive", now=now)
    make_session(db, household_id, now)  # started 11:00
    text = b.get("/").text
    assert "Next due 14:00, in" in text
    assert (
        "Every 3 h, from 8–10 sessions in 24 hours, the NHS advice when a baby is not feeding at the breast "
        "[nhs-expressing]." in text
    )
    assert "1 of 8–10 sessions today" in text


def test_a_household_that_has_not_said_how_it_feeds_sees_the_figures_as_information(owner, db, now):
    b, household_id, _ = owner
    make_session(db, household_id, now)
    text = b.get("/").text
    assert "Next due 14:00, in" in text  # reminders keep the default they had
    assert "[nhs-expressing]: for information, not a target, until you say how your baby feeds." in text
    assert "1 session today." in text and "of 8–10 sessions today" not in text
    assert (
        "For information, not a target (you have not said how your baby feeds): for a baby who is not "
        "feeding at the breast, 8-10 times in 24 hours including at night, no night gap over 5 hours "
        "[nhs-expressing]." in text
    )


@pytest.mark.parametrize("mode", ["partly", "occasional"])
def test_a_household_whose_baby_feeds_at_the_breast_gets_no_target_and_no_default_interval(
    owner, db, now, mode
):
    b, household_id, _ = owner
    household_settings.set_feeding_mode(db, household_id, mode, now=now)
    make_session(db, household_id, now)
    text = b.get("/").text
    assert "Next due" not in text
    assert (
        "No reminder interval: as your baby also feeds at the breast, letdown sets none by default." in text
    )
    assert "1 session today." in text and "of 8–10 sessions today" not in text
    assert "For information, not a target (your baby also feeds at the breast)" in text
    household_settings.update_settings(db, household_id, now=now, session_interval_minutes=240)
    assert "Next due 15:00, in" in b.get("/").text  # its own interval is kept


@pytest.mark.parametrize(("due", "target"), [(None, False), (date(2027, 2, 1), True)])
def test_home_makes_the_early_hand_figure_a_target_only_for_a_baby_born_before_31_weeks(
    owner, db, now, due, target
):
    b, household_id, _ = owner
    household_settings.set_feeding_mode(db, household_id, "exclusive", now=now)
    households.add_baby(db, household_id, name="Ada", birth_date=date(2026, 11, 24), due_date=due, now=now)
    make_session(db, household_id, now)
    text = b.get("/").text
    assert (
        "for a baby born before 31 weeks, more than 5 a day by hand in the first 3 days" in text
    ) is target
    assert ("For information, not a target: mothers of babies born before 31 weeks" in text) is not target
    assert "morton-2009]" in text  # the study is cited either way


def test_an_empty_home_offers_demo_data_and_it_can_be_removed(owner, db):
    b, household_id, _ = owner
    assert "Fill with demo data" in b.get("/").text
    response = b.post("/demo")
    assert flash_of(response)[0].startswith("Added a month of demo data:")
    assert db.scalars(select(ExpressionSession)).first() is not None
    b.get("/settings")
    b.post("/demo/remove")
    assert db.scalars(select(ExpressionSession)).first() is None


def test_log_a_session_in_oz_with_let_downs_and_comfort(owner, db, now):
    b, household_id, _ = owner
    b.get("/log/new")
    response = b.post(
        "/log",
        {
            "start": "2026-11-25T10:00",
            "minutes": "20",
            "method": "pump",
            "unit": "oz",
            "left": "2",
            "right": "1.5",
            "let_downs": "2, 9",
            "comfort": "7",
            "note": "night",
        },
    )
    assert flash_of(response) == ["Session saved."]
    (saved,) = sessions.list_sessions(db, household_id, now=now)
    assert (saved.left_ml, saved.right_ml, saved.comfort, saved.method.value) == (59.1, 44.4, 7, "pump")
    assert [t.strftime("%H:%M") for t in saved.let_downs] == ["10:02", "10:09"]
    assert "10:00 · pump · 20 min · 2 let-downs · comfort 7/10" in response.text


def test_edit_a_session_and_see_refusals_naming_the_field(owner, db, now):
    b, household_id, _ = owner
    s = make_session(db, household_id, now)
    form = b.get(f"/log/{s.id}")
    assert 'value="30"' in form.text
    response = b.post(
        f"/log/{s.id}",
        {"start": "2026-11-25T11:00", "minutes": "25", "method": "hand", "unit": "ml", "left": "-5"},
    )
    assert response.status_code == 422
    assert alert_of(response) == ["Left: must be 0 or more"]
    assert 'id="left" name="left" inputmode="decimal" value="-5" aria-invalid="true"' in response.text
    response = b.post(
        f"/log/{s.id}",
        {
            "start": "2026-11-25T11:00",
            "minutes": "25",
            "method": "hand",
            "unit": "ml",
            "left": "35",
            "right": "25",
        },
    )
    assert flash_of(response) == ["Session updated."]
    assert sessions.get(db, household_id, s.id).left_ml == 35.0
    b.post(f"/log/{s.id}/delete")
    assert sessions.list_sessions(db, household_id, now=now) == []


@pytest.mark.parametrize("days", [14, 30, 90])
def test_the_log_draws_its_charts_as_svg_for_each_window(owner, db, now, days):
    b, household_id, _ = owner
    make_session(db, household_id, now)
    text = b.get(f"/log?days={days}").text
    assert text.count("<svg") == 2
    assert f"Daily volume by side over {days} days" in text
    assert '<rect class="l"' in text and '<rect class="s"' in text


def test_the_log_refuses_other_windows(owner):
    b, _, _ = owner
    response = b.get("/log?days=7")
    assert response.status_code == 422 and alert_of(response) == ["days: choose 14, 30 or 90, got 7"]


def test_store_milk_see_its_use_by_thaw_it_and_see_the_refreeze_refused(owner, db, now):
    b, household_id, _ = owner
    b.get("/stash")
    response = b.post(
        "/stash", {"volume": "120", "unit": "ml", "expressed_at": "2026-11-25T09:00", "location": "freezer"}
    )
    assert flash_of(response)[0].startswith("Stored ")
    assert (
        "use by Thu 25 Nov 2027 09:00" in response.text and "Best by Tue 25 May 2027 09:00" in response.text
    )
    assert "[cdc-storage · rule cdc-fresh-freezer]" in response.text
    container = db.scalars(select(Container)).one()
    b.post(f"/stash/{container.id}/thaw", {"where": "fridge"})
    response = b.post(f"/stash/{container.id}/move", {"to": "freezer"})
    assert response.status_code == 409
    (message,) = alert_of(response)
    assert message.startswith(f"Container {container.id} holds thawed milk and can't go in the freezer")
    assert stash.get(db, household_id, container.id, now=now).standing.state.value == "thawed"


def test_stash_lists_by_place_with_use_next_and_a_label_that_opens_it(owner, db, now):
    b, household_id, _ = owner
    fridge = stash.add(db, household_id, ml=60, expressed_at="-3h", location="fridge", now=now)
    stash.add(db, household_id, ml=150, expressed_at="-3h", location="freezer", now=now)
    text = b.get("/stash").text
    assert 'id="h-fridge">Fridge' in text and 'id="h-freezer">Freezer' in text
    assert re.search(r'Use next</h2>\s*<a class="item col" href="/stash/' + fridge.id, text)
    assert "data-until=" in text  # the JS countdown's hook; the server text works alone
    label = b.get(f"/stash/{fridge.id}/label").text
    assert f"https://testserver/c/{fridge.id}" in label and "<svg" in label
    response = b.client.get(f"/c/{fridge.id}", follow_redirects=False)
    assert response.headers["location"] == f"/stash/{fridge.id}"


def test_stash_actions_split_feed_use_discard(owner, db, now):
    b, household_id, _ = owner
    c = stash.add(db, household_id, ml=100, expressed_at="-1h", location="fridge", now=now)
    b.get(f"/stash/{c.id}")
    response = b.post(f"/stash/{c.id}/split", {"volume": "40", "unit": "ml"})
    assert flash_of(response) == ["Split into a new container."]
    child = str(response.url).rsplit("/", 1)[1]
    b.post(f"/stash/{child}/feed", {"leftover": "10", "unit": "ml"})
    b.post(f"/stash/{child}/discard", {"reason": "left too long"})
    b.post(f"/stash/{c.id}/use")
    statuses = {
        v.id: v.standing.status.value
        for v in stash.list_containers(db, household_id, now=now, include_all=True)
    }
    assert statuses == {c.id: "used", child: "discarded"}


def test_guide_search_topic_and_sources_with_the_note_on_every_page(browser):
    b = browser()
    page = b.get("/guide?q=engorged")
    assert '<a class="item" href="/guide/engorgement">' in page.text
    fragment = b.get("/guide/results?q=let+down")
    assert "/guide/let-down" in fragment.text and "<html" not in fragment.text
    topic = b.get("/guide/let-down").text
    assert 'id="src-kent-2008"' in topic and 'href="#src-kent-2008"' in topic
    for path in ("/guide", "/guide/let-down", "/guide/triage"):
        assert "letdown informs; it does not diagnose." in b.get(path).text
    assert b.get("/guide/no-such-topic").status_code == 404


def test_an_over_long_search_keeps_what_was_typed_cut_short_with_the_reason(browser):
    b = browser()
    typed = "engorged " + "a" * 2991
    page = b.get("/guide", params={"q": typed})
    assert page.status_code == 422
    assert alert_of(page) == [
        "q: too long (3000 characters); a search can be at most 200 characters, and a few words are enough"
    ]
    assert f'value="{typed[:200]}"' in page.text and 'maxlength="200"' in page.text
    assert 'aria-invalid="true"' in page.text and "Topics" in page.text
    fragment = b.get("/guide/results", params={"q": typed})
    assert fragment.status_code == 422
    assert "a search can be at most 200 characters" in fragment.text and "<html" not in fragment.text
    assert b.get("/guide", params={"q": "engorged"}).status_code == 200
    assert b.get("/guide", params={"q": "thaw\x00milk"}).status_code == 422  # refused at the edge


def test_triage_answers_with_its_reason_and_source(browser):
    b = browser()
    text = b.get("/guide/triage?symptom=fever&symptom=redness&temperature=38.6+C").text
    assert '<span class="urgency-icon" aria-hidden="true">!</span> Call now: get seen today</h2>' in text
    assert "<strong>You: Contact your doctor (GP) or midwife now and ask to be seen today.</strong>" in text
    assert "Decided by rule fever-with-red-area, fever-with-breast-symptom; source: Mastitis" in text
    assert "[rule fever-with-red-area; nhs-mastitis: Mastitis" in text
    assert "Your temperature (the parent's): 38.6 °C" in text
    assert 'name="symptom" value="fever" checked' in text
    # the answer leads, then its reasons, then the note that letdown does not replace a clinician
    assert (
        text.index('id="actions"')
        < text.index('id="reasons"')
        < text.index("letdown informs; it does not diagnose.")
    )


def test_triage_form_labels_the_parents_and_the_babys_signs_apart(browser):
    text = browser().get("/guide/triage").text
    assert "<legend>You: your breasts and feeding</legend>" in text
    assert "<legend>Your baby: warning signs (these never wait for self-care)</legend>" in text
    baby = text[text.index('id="who-baby"') :]
    assert 'value="baby-jaundice"' in baby and 'value="fever"' not in baby
    assert "Your temperature (the parent's), if measured" in text


def test_triage_an_emergency_for_a_visitor_says_your_local_emergency_number(browser):
    text = browser().get("/guide/triage?symptom=baby-very-sleepy&symptom=cracked-nipples").text
    assert (
        '<h2 id="h-answer"><span class="urgency-icon" aria-hidden="true">⚠</span> Emergency: call now</h2>'
        in text
    )
    assert 'class="card urgency urgency-emergency"' in text
    assert 'href="tel:' not in text  # no number to call yet: the words say where to find it
    assert (
        "<strong>Your baby: Call your local emergency number now, or go to the nearest emergency "
        "department.</strong>" in text
    )
    assert "<strong>You: You can likely look after this at home for now.</strong>" in text
    assert 'id="safety-net"' not in text
    assert "Set your household's emergency number once in" in text


def test_triage_for_a_member_names_the_households_number(owner, db):
    b, household_id, _ = owner
    households.update(db, household_id, country="AU")
    text = b.get("/guide/triage?symptom=confusion").text
    assert "<strong>You: Call 000 now, or go to the nearest emergency department.</strong>" in text
    assert '<a class="btn primary huge call" href="tel:000">Call 000</a>' in text  # one tap, first
    assert text.index('href="tel:000"') < text.index("<strong>You: Call 000")
    assert "Set your household" not in text


def test_triage_self_care_says_what_should_make_you_call(browser):
    text = browser().get("/guide/triage?symptom=cracked-nipples").text
    assert 'class="card urgency urgency-self-care"' in text and "✓</span>" in text
    net = text[text.index('id="safety-net"') :]
    assert "It gets worse, or is no better after 24 hours of self-care." in net
    assert "You get a temperature of 38 °C (100.4 °F) or more, or feel fluey." in net


def test_triage_errors_show_next_to_their_field_and_change_nothing(browser):
    b = browser()
    bad = b.get("/guide/triage?temperature=hot")
    assert bad.status_code == 422
    message = "temperature: 'hot' is not a temperature; write it like 38.6, 38.6C or 101.5F"
    assert alert_of(bad) == [message]
    assert f'<p class="error" id="temperature-error">{message.replace(chr(39), "&#39;")}</p>' in bad.text
    assert 'id="answer"' not in bad.text
    hours = b.get("/guide/triage?symptom=fever&hours=soon")
    assert hours.status_code == 422
    assert '<p class="error" id="hours-error">hours: must be a number, got &#39;soon&#39;</p>' in hours.text
    assert b.get("/guide/triage?temperature=101.5").status_code == 200


def test_settings_set_the_emergency_number_by_country_or_by_hand(owner, db):
    b, household_id, _ = owner
    text = b.get("/settings").text
    assert '<option value="GB">United Kingdom (999)</option>' in text
    assert "triage tells you to call: <strong>your local emergency number</strong>" in text
    form = {"name": "Home", "timezone": "Europe/London", "units": "ml", "storage_profile": "cdc"}
    assert flash_of(b.post("/settings/household", {**form, "country": "GB", "emergency_number": ""})) == [
        "Household saved."
    ]
    assert households.get(db, household_id).number_to_call == "999"
    b.post("/settings/household", {**form, "country": "GB", "emergency_number": "112"})
    assert households.get(db, household_id).number_to_call == "112"
    bad = b.post("/settings/household", {**form, "country": "GB", "emergency_number": "call mum"})
    assert alert_of(bad) == [
        "emergency_number: 'call mum' is not a phone number; use digits, spaces, + or - (like 999 or 112)"
    ]
    assert households.get(db, household_id).emergency_number == "112"  # unchanged
    bad = b.post("/settings/household", {**form, "country": "ZZ", "emergency_number": ""})
    assert alert_of(bad)[0].startswith("country: no emergency number is known for 'ZZ'")
    assert households.get(db, household_id).country == "GB"


def test_settings_save_the_interval_units_and_sharing(owner, db):
    b, household_id, _ = owner
    b.get("/settings")
    response = b.post("/settings/sessions", {"interval_hours": "2.5", "share_log": "on"})
    assert flash_of(response) == ["Saved."]
    assert household_settings.get_settings(db, household_id) == household_settings.SettingsView(True, 150)
    response = b.post("/settings/sessions", {"interval_hours": "0.1"})
    assert alert_of(response) == ["session_interval: must be from 30 minutes to 24 hours, got 6 minutes"]
    b.post(
        "/settings/household",
        {"name": "Okafors", "timezone": "America/New_York", "units": "oz", "storage_profile": "cdc"},
    )
    text = b.get("/settings").text
    assert 'value="Okafors"' in text and 'value="America/New_York"' in text
    assert "follow the limits your baby&#39;s neonatal unit gives you" in text


def test_settings_ask_how_the_baby_feeds_and_say_which_rule_applies(owner, db):
    b, household_id, _ = owner
    text = b.get("/settings").text
    assert '<option value="" selected>not said</option>' in text
    assert "For information, not a target (you have not said how your baby feeds)" in text
    response = b.post("/settings/sessions", {"feeding_mode": "exclusive", "interval_hours": ""})
    assert flash_of(response) == ["Saved."]
    assert household_settings.feeding_mode(db, household_id).value == "exclusive"
    text = b.get("/settings").text
    assert '<option value="exclusive" selected>' in text
    assert "Target (you said your baby does not feed at the breast): 8-10 times in 24 hours" in text
    response = b.post("/settings/sessions", {"feeding_mode": "weekly", "interval_hours": "2"})
    assert alert_of(response) == [
        "feeding_mode: unknown feeding mode 'weekly'; choose one of exclusive, partly, occasional"
    ]
    assert household_settings.get_settings(db, household_id) == household_settings.SettingsView(
        False, None, FeedingMode.EXCLUSIVE
    )
    b.post("/settings/sessions", {"interval_hours": "3"})  # a form without the field keeps the answer
    assert household_settings.feeding_mode(db, household_id).value == "exclusive"
    b.post("/settings/sessions", {"feeding_mode": ""})  # "not said"
    assert household_settings.feeding_mode(db, household_id) is None


def test_invite_and_share_links_expire_on_the_households_date(owner, db):
    b, household_id, _ = owner  # now is 12:00 UTC on 25 Nov: already 26 Nov in Kiritimati (UTC+14)
    b.get("/settings")
    b.post(
        "/settings/household",
        {"name": "Far", "timezone": "Pacific/Kiritimati", "units": "ml", "storage_profile": "cdc"},
    )
    (invite,) = flash_of(b.post("/settings/invites", {"role": "caregiver"}))
    assert invite.endswith("(for a caregiver, until 03 Dec)")
    (share,) = flash_of(b.post("/settings/shares", {"name": "Dr", "days": "1"}))
    assert share.endswith("(until 27 Nov)")


def test_the_usual_feed_is_shown_and_typed_in_the_households_units(owner, db):
    from letdown.services.accounts import households

    b, household_id, _ = owner
    form = {"name": "Okafors", "timezone": "Europe/London", "storage_profile": "cdc"}
    b.get("/settings")
    b.post("/settings/household", {**form, "units": "ml", "usual_feed": "120", "usual_feed_unit": "ml"})
    assert households.get(db, household_id).usual_feed_ml == 120
    b.post("/settings/household", {**form, "units": "oz", "usual_feed": "120", "usual_feed_unit": "ml"})
    text = b.get("/settings").text
    assert "Baby's usual feed, oz" in text and 'name="usual_feed" inputmode="decimal" value="4.1"' in text
    # saved again as shown, it stays 120 ml; a new figure is read in oz
    b.post("/settings/household", {**form, "units": "oz", "usual_feed": "4.1", "usual_feed_unit": "oz"})
    db.expire_all()
    assert households.get(db, household_id).usual_feed_ml == 120
    b.post("/settings/household", {**form, "units": "oz", "usual_feed": "3", "usual_feed_unit": "oz"})
    db.expire_all()
    assert households.get(db, household_id).usual_feed_ml == 88.7


def test_export_downloads_the_households_data(owner, db, now):
    b, household_id, _ = owner
    make_session(db, household_id, now)
    response = b.get("/settings/export")
    assert response.headers["content-disposition"] == 'attachment; filename="letdown-export.json"'
    assert len(json.loads(response.text)["sessions"]) == 1


def test_no_asset_comes_from_another_host_and_the_manifest_is_served(owner, db, now):
    b, household_id, _ = owner
    make_session(db, household_id, now)
    for path in ("/", "/log", "/stash", "/settings", "/guide/let-down", "/signin"):
        text = b.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//(?!testserver)', text.split("<main", 1)[0]), path
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', text), path
    manifest = b.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/" and manifest["icons"][0]["src"] == "/static/icon.svg"
    for icon in manifest["icons"]:
        assert b.get(icon["src"]).status_code == 200
    css = b.get(re.search(r'href="(/static/app\.css[^"]*)"', b.get("/").text).group(1))
    assert css.status_code == 200 and "immutable" in css.headers["cache-control"]


def test_home_html_fits_in_14_kb_gzipped(owner, db, now):
    b, household_id, _ = owner
    for i in range(8):
        make_session(db, household_id, now, start=f"-{i + 1}h")
        stash.add(db, household_id, ml=50 + i, expressed_at=f"-{i + 3}h", location="fridge", now=now)
    body = b.get("/").content
    assert len(gzip.compress(body)) <= 14 * 1024


def test_settings_set_the_night_gap_and_empty_fields_go_back_to_the_defaults(owner, db):
    from letdown.domain.reminders import Plan
    from letdown.services.schedule import reminders

    b, household_id, _ = owner
    b.get("/settings")
    b.post("/settings/sessions", {"interval_hours": "3", "night_gap_hours": "5.5"})
    assert reminders.get_plan(db, household_id) == Plan(180, 330, False, False)
    b.post("/settings/sessions", {"interval_hours": "", "night_gap_hours": ""})
    db.expire_all()
    assert reminders.get_plan(db, household_id) == Plan(180, 300, True, True)
    response = b.post("/settings/sessions", {"interval_hours": "3", "night_gap_hours": "2"})
    assert alert_of(response) == [
        "night_gap: the longest night gap (120 minutes) must be at least the day interval (180 minutes)"
    ]


def test_a_refused_session_setting_keeps_the_saved_interval_and_night_gap(owner, db):
    from letdown.domain.reminders import Plan
    from letdown.services.schedule import reminders

    b, household_id, _ = owner
    b.get("/settings")
    b.post("/settings/sessions", {"interval_hours": "2.5", "night_gap_hours": "5", "share_log": "on"})
    for form in (
        {"interval_hours": "", "night_gap_hours": "13"},
        {"interval_hours": "0.1", "night_gap_hours": ""},
        {"interval_hours": "3", "night_gap_hours": "2"},
    ):
        response = b.post("/settings/sessions", form)
        assert response.status_code == 422 and alert_of(response)
        db.expire_all()
        assert reminders.get_plan(db, household_id) == Plan(150, 300, False, False)
        assert household_settings.get_settings(db, household_id) == household_settings.SettingsView(True, 150)
    assert alert_of(b.post("/settings/sessions", {"interval_hours": "", "night_gap_hours": "13"})) == [
        "night_gap: must be from 1 to 12 hours, got 780 minutes"
    ]
    text = b.get("/settings").text
    assert 'value="2.5"' in text and 'value="5"' in text


def test_home_names_the_milk_to_use_next(owner, db, now):
    b, household_id, _ = owner
    c = stash.add(db, household_id, ml=80, expressed_at="-2h", location="fridge", now=now)
    stash.add(db, household_id, ml=150, expressed_at="-1h", location="freezer", now=now)
    assert (
        f'Use next: <a href="/stash/{c.id}"><strong>80 ml</strong> fresh in the fridge</a>' in b.get("/").text
    )


def test_pages_carry_no_inline_script_or_style_so_the_strict_csp_holds(owner, db, now):
    b, household_id, _ = owner
    make_session(db, household_id, now)
    c = stash.add(db, household_id, ml=80, expressed_at="-2h", location="fridge", now=now)
    pages = (
        "/",
        "/log",
        "/log/new",
        "/stash",
        f"/stash/{c.id}",
        f"/stash/{c.id}/label",
        "/settings",
        "/guide",
    )
    for path in (*pages, "/guide/triage"):
        response = b.get(path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text), path
        assert not re.search(r"<[^>]+\sstyle=", response.text), path
        assert not re.search(r"\son[a-z]+=", response.text), path


def test_warm_button_starts_the_two_hour_clock_and_the_page_names_the_rule(owner, db, now):
    b, household_id, _ = owner
    b.get("/stash")
    b.post(
        "/stash", {"volume": "120", "unit": "ml", "expressed_at": "2026-11-24T09:00", "location": "fridge"}
    )
    container = db.scalars(select(Container)).one()
    page = b.get(f"/stash/{container.id}")
    assert f'action="/stash/{container.id}/warm"' in page.text and "Warmed it now" in page.text
    response = b.post(f"/stash/{container.id}/warm", {})
    assert flash_of(response) == [
        "Warmed: use by 25 Nov 14:00 Europe/London. "
        "The rule that decides now is cdc-fresh-warmed [aces-breast-milk]."
    ]
    assert "[aces-breast-milk · rule cdc-fresh-warmed]" in response.text
    assert "<h1>120 ml warmed in the room</h1>" in response.text
    assert stash.get(db, household_id, container.id, now=now).standing.rule.id == "cdc-fresh-warmed"


def test_frozen_milk_has_no_warm_button_and_a_forced_warm_is_refused(owner, db, now):
    b, _, _ = owner
    b.get("/stash")
    b.post(
        "/stash", {"volume": "120", "unit": "ml", "expressed_at": "2026-11-24T09:00", "location": "freezer"}
    )
    container = db.scalars(select(Container)).one()
    assert "Warmed it now" not in b.get(f"/stash/{container.id}").text
    response = b.post(f"/stash/{container.id}/warm", {})
    assert response.status_code == 409
    assert alert_of(response) == [f"Container {container.id} is frozen; thaw it first"]


def test_our_careful_reading_is_marked_on_the_container_page(owner, db, now):
    b, _, _ = owner
    b.get("/stash")
    b.post(
        "/stash", {"volume": "120", "unit": "ml", "expressed_at": "2026-11-24T09:00", "location": "fridge"}
    )
    container = db.scalars(select(Container)).one()
    response = b.post(f"/stash/{container.id}/move", {"to": "cooler"})
    assert "[cdc-storage · rule cdc-fresh-cooler-out-of-cold · our careful reading]" in response.text
    listed = b.get("/stash").text
    assert "rule cdc-fresh-cooler-out-of-cold [cdc-storage] · our careful reading" in listed


@pytest.mark.parametrize(
    ("volume", "status", "message"),
    [
        ("inf", 422, "Volume: must be a finite number"),
        ("1e300", 422, "Volume: more than 1000 ml"),
        ("0,04", 409, "Volume of 0.04 ml rounds to 0 ml; the smallest is 0.1 ml"),
    ],
)
def test_a_bad_container_volume_is_shown_on_the_form_and_stores_nothing(owner, db, volume, status, message):
    b, _, _ = owner
    b.get("/stash")
    response = b.post(
        "/stash", {"volume": volume, "unit": "ml", "expressed_at": "2026-11-25T09:00", "location": "fridge"}
    )
    assert response.status_code == status
    assert alert_of(response) == [message]
    assert db.scalars(select(Container)).all() == []
    assert b.get("/stash").status_code == 200


@pytest.mark.parametrize(
    ("unit", "right", "message"),
    [("ml", "1200", "Right: more than 1000 ml"), ("oz", "40", "Right: more than 33.8 fl oz")],
)
def test_a_refused_volume_is_said_next_to_its_field_in_the_unit_typed(owner, db, unit, right, message):
    b, _, _ = owner
    b.get("/log/new")
    form = {"start": "2026-11-25T10:00", "minutes": "20", "method": "pump", "unit": unit, "left": "1"}
    response = b.post("/log", {**form, "right": right})
    assert response.status_code == 422
    assert alert_of(response) == [message]
    assert "right_ml" not in response.text  # never an internal name
    html = response.text
    assert f'value="{right}" aria-invalid="true" aria-describedby="right-error" autofocus>' in html
    assert f'<span class="field-error" id="right-error">{message}</span>' in html
    assert html.count('aria-invalid="true"') == 1
    assert db.scalars(select(ExpressionSession)).all() == []


def test_a_refused_container_volume_is_marked_on_the_store_form(owner, db):
    b, _, _ = owner
    b.get("/stash")
    response = b.post(
        "/stash", {"volume": "40", "unit": "oz", "expressed_at": "2026-11-25T09:00", "location": "fridge"}
    )
    assert alert_of(response) == ["Volume: more than 33.8 fl oz"]
    assert 'aria-invalid="true" aria-describedby="volume-error" autofocus' in response.text
    assert db.scalars(select(Container)).all() == []


def test_after_saving_a_session_its_milk_is_offered_for_the_stash_in_one_tap(owner, db):
    b, _, _ = owner
    b.get("/log/new")
    form = {"start": "2026-11-25T10:00", "minutes": "20", "method": "pump", "unit": "oz"}
    saved = b.post("/log", {**form, "left": "2", "right": "1.5"})
    assert flash_of(saved) == ["Session saved."]
    (session,) = db.scalars(select(ExpressionSession)).all()
    page = saved.text
    assert '<h2 id="h-offer">Store this milk</h2>' in page
    # typed in oz (2 + 1.5 = 59.1 + 44.4 ml), offered in the household's unit
    assert 'name="volume" inputmode="decimal" required value="103.5"' in page
    assert f'name="session_id" value="{session.id}"' in page
    stored = b.post(
        "/stash",
        {
            "session_id": session.id,
            "expressed_at": "2026-11-25T10:00",
            "unit": "ml",
            "volume": "103.5",
            "location": "fridge",
        },
    )
    assert stored.status_code == 200
    container = db.scalars(select(Container)).one()
    assert container.session_id == session.id
    assert container.expressed_at == session.started_at
    assert container.ml == 103.5
    assert "Store this milk" not in b.get("/log").text  # offered once, after the save


def test_a_caregiver_finds_should_i_call_someone_on_home_and_in_the_menu(owner, db, now, browser):
    from letdown.domain.choices import Role
    from tests.web.conftest import make_member

    _, household_id, _ = owner
    make_member(db, now, "cara@example.org", Role.CAREGIVER, household_id)
    b = browser()
    b.sign_in("cara@example.org")
    home = b.get("/").text
    assert '<a class="btn" href="/guide/triage">Should I call someone?</a>' in home
    assert '<a href="/guide/triage">Should I call?</a>' in home


@pytest.mark.parametrize("query", ["bby not feeding", "my nipple is bleeding", "baby very sleepy"])
def test_a_red_flag_search_shows_the_way_to_triage_above_the_results(browser, query):
    page = browser().get("/guide", params={"q": query}).text
    card = page.index('id="red-flag"')
    assert "Worried this could be serious?" in page
    assert card < page.index('href="/guide/when-to-call"><span>')
    assert '<a class="btn primary" href="/guide/triage">Should I call someone?</a>' in page


def test_a_plain_search_shows_no_red_flag_card(browser):
    assert 'id="red-flag"' not in browser().get("/guide", params={"q": "thawing frozen milk"}).text


def test_the_printed_label_says_where_its_use_by_holds_and_to_scan_for_the_current_one(owner, db, now):
    b, household_id, _ = owner
    view = stash.add(db, household_id, ml=100, location="fridge", expressed_at="2026-11-25T12:00", now=now)
    page = b.get(f"/stash/{view.id}/label").text
    assert "Use by 29 Nov 2026 12:00 if kept in the fridge" in page
    assert "Scan for the current use-by" in page
