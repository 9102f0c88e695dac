"""``/coach`` on the web: the page embeds the plan, saves with the page's CSRF token, shows how it went."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from letdown.domain.choices import Role
from letdown.domain.coach import PlanOptions, build_plan
from letdown.services.log import sessions
from tests.web.conftest import make_member

PLAN = re.compile(r'<script type="application/json" id="coach-plan">(.*?)</script>', re.S)
CSRF = re.compile(r'data-csrf="([^"]+)"')


def _body(now, **overrides):
    body = {
        "options": {"minutes": 1, "experience": "practised", "stage": "established"},
        "started_at": (now - timedelta(minutes=10)).isoformat(),
        "events": [
            {"t": 400, "event": "ready"},
            {"t": 9000, "event": "let-down"},
            {"t": 30_000, "event": "let-down"},
        ],
        "ended_ms": 200_000,
        "left_ml": 15,
        "right_ml": 12.5,
        "comfort": 8,
    }
    body.update(overrides)
    return body


def test_the_coach_page_embeds_the_plan_for_its_options(owner):
    b, _, _ = owner
    page = b.get("/coach?minutes=2&experience=practised&stage=early")
    assert page.status_code == 200
    plan = json.loads(PLAN.search(page.text).group(1))
    assert plan == build_plan(PlanOptions(stage="early", experience="practised", minutes=2))
    head = page.text.split("</head>", 1)[0]  # the coach's style and script load in the page's head
    assert '<script src="/static/coach.js?v=' in head and 'href="/static/coach.css?v=' in head
    assert 'id="coach-start"' in page.text


def test_the_plan_form_offers_the_coachs_own_limits(owner):
    from letdown.domain.coach import coach_data, max_minutes

    b, _, _ = owner
    low, high = coach_data().setting("rhythm_bounds_s")
    text = b.get("/coach").text
    assert f'both sides (at most {max_minutes()}) <input name="minutes"' in text
    assert f'min="1" max="{max_minutes()}"' in text
    assert (
        f'Seconds each press lasts; letting go lasts as long ({low:g} to {high:g}) <input name="rhythm"'
        in text
    )
    assert f'min="{low:g}" max="{high:g}"' in text


def test_a_coached_session_is_saved_with_the_csrf_token_and_shown_with_its_assessment(owner, db, now):
    b, household_id, _ = owner
    page = b.get("/coach")
    token = CSRF.search(page.text).group(1)
    saved = b.client.post("/coach/sessions", json=_body(now), headers={"X-CSRF-Token": token})
    assert saved.status_code == 201, saved.text
    ident = saved.json()["id"]
    assert saved.json()["url"] == f"/log/{ident}/assessment"
    view = sessions.get(db, household_id, ident)
    assert view.method.value == "hand" and len(view.let_downs) == 2
    shown = b.get(f"/log/{ident}/assessment")
    assert shown.status_code == 200
    assert "How it went" in shown.text and 'data-sign="several-let-downs"' in shown.text
    assert "getting-a-let-down" in shown.text


def test_an_oz_household_types_the_coachs_volumes_in_oz(owner, db, now):
    from letdown.services.accounts import households

    b, household_id, _ = owner
    households.update(db, household_id, units="oz")
    page = b.get("/coach")
    assert "Left side, oz" in page.text and "Right side, oz" in page.text and "side, ml" not in page.text
    assert 'data-unit="oz"' in page.text
    token = CSRF.search(page.text).group(1)
    saved = b.client.post(
        "/coach/sessions",
        json=_body(now, left_ml=1, right_ml=0.5, unit="oz"),
        headers={"X-CSRF-Token": token},
    )
    assert saved.status_code == 201, saved.text
    view = sessions.get(db, household_id, saved.json()["id"])
    assert (view.left_ml, view.right_ml) == (29.6, 14.8)
    # a session queued on the device by an earlier page, without a unit, is in ml
    saved = b.client.post("/coach/sessions", json=_body(now), headers={"X-CSRF-Token": token})
    view = sessions.get(db, household_id, saved.json()["id"])
    assert (view.left_ml, view.right_ml) == (15, 12.5)


def test_saving_without_the_csrf_token_is_refused(owner, now):
    b, _, _ = owner
    assert b.client.post("/coach/sessions", json=_body(now)).status_code == 403
    assert (
        b.client.post("/coach/sessions", json=_body(now), headers={"X-CSRF-Token": "forged"}).status_code
        == 403
    )


def test_a_viewer_may_not_use_the_coach(browser, db, now):
    make_member(db, now, "ada@example.org")
    _, household_id = make_member(db, now, "owner@example.org")
    make_member(db, now, "gran@example.org", role=Role.VIEWER, household_id=household_id)
    b = browser()
    b.sign_in("gran@example.org")
    assert b.get("/coach").status_code == 403


def test_the_session_page_links_to_how_it_went(owner, db, now):
    from tests.factories import make_session

    b, household_id, _ = owner
    s = make_session(db, household_id, now)
    assert f'href="/log/{s.id}/assessment"' in b.get(f"/log/{s.id}").text
    page = b.get(f"/log/{s.id}/assessment")
    assert page.status_code == 200 and 'data-sign="expected-amount"' in page.text


def test_how_it_went_for_another_households_session_is_not_found(owner, browser, db, now):
    from tests.factories import make_session

    _, other_household, _ = owner
    s = make_session(db, other_household, now)
    make_member(db, now, "bo@example.org")
    b = browser()
    b.sign_in("bo@example.org")
    assert b.get(f"/log/{s.id}/assessment").status_code == 404


def test_the_antenatal_page_shows_its_bounds_the_contractions_button_and_the_check(owner):
    b, _, _ = owner
    text = b.get("/coach?stage=antenatal").text
    plan = json.loads(PLAN.search(text).group(1))
    assert plan == build_plan(PlanOptions(stage="antenatal"))
    assert 'data-event="contractions"' in text and 'id="coach-choices"' in text
    assert (
        "both sides (at most 7 before birth: a whole session of about 10 minutes [nhs-forthvalley-colostrum])"
        in text
    )
    assert 'max="7"' in text
    assert "only once your midwife or doctor has agreed, from 36–37 weeks" in text
    assert 'data-event="contractions"' not in b.get("/coach?stage=established").text
