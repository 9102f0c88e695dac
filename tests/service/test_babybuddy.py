"""Baby Buddy interop against a stand-in server on loopback (documented shapes, pagination)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from letdown.domain.errors import Refused
from letdown.services.integrations import babybuddy
from letdown.services.log import sessions
from letdown.store.models import BabyBuddyLink, ExpressionSession
from tests.babybuddy_standin import KEY, sample_state, serve
from tests.factories import make_session


@pytest.fixture
def standin():
    state = sample_state()
    with serve(state) as url:
        yield url, state


def count_sessions(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(ExpressionSession))


def test_import_takes_pumping_and_breast_feedings_with_times_and_amounts_once(db, household, now, standin):
    url, state = standin
    report = babybuddy.import_entries(db, household.id, url=url, token=KEY, now=now)

    assert report.imported == {"pumping": 3, "feeding": 1}
    assert [(k, i) for k, i, _ in report.skipped] == [("feeding", 22), ("feeding", 23)]
    assert report.skipped[0][2] == "a bottle feed is what the baby drank, not milk expressed"
    assert any("limit=2&offset=2" in u for _, u in state["requests"])  # it followed the next page
    listed = sorted(sessions.list_sessions(db, household.id, now=now), key=lambda s: s.started_at)
    first = listed[0]
    assert (first.started_at.isoformat(), first.minutes, first.left_ml) == (
        "2026-11-24T06:00:00+00:00",
        20.0,
        60.0,
    )
    assert first.note == "Baby Buddy pumping #11; one amount for both sides"
    assert listed[-1].left_ml == 30.0 and listed[-1].note.startswith("Baby Buddy feeding #21")

    again = babybuddy.import_entries(db, household.id, url=url + "/", token=KEY, now=now)
    assert again.imported == {"pumping": 0, "feeding": 0}
    assert again.already == {"pumping": 3, "feeding": 1}
    assert count_sessions(db) == 4


def test_amounts_in_ounces_are_converted(db, household, now, standin):
    url, _ = standin
    report = babybuddy.import_entries(db, household.id, url=url, token=KEY, now=now, units="oz")
    volumes = sorted(s.left_ml or 0 for s in sessions.list_sessions(db, household.id, now=now))
    assert 887.2 in volumes  # 30 oz
    # 60 oz is over the sanity limit for one side: skipped with the rule's own words
    assert (
        "pumping",
        11,
        "left_ml: 1774.4 ml is over the 1000 ml limit for one side; check the value and its unit",
    ) in report.skipped


def test_push_sends_new_sessions_once_and_import_does_not_bring_them_back(db, household, now, standin):
    url, state = standin
    mine = make_session(db, household.id, now, note="warm flannel")
    report = babybuddy.push_sessions(db, household.id, url=url, token=KEY, now=now)

    assert [s for s, _ in report.pushed] == [mine.id]
    sent = state["pumping"][-1]
    assert (sent["child"], sent["amount"], sent["notes"]) == (
        1,
        55.0,
        f"letdown session {mine.id} (hand): warm flannel",
    )
    assert sent["start"] == mine.started_at.isoformat()

    assert babybuddy.push_sessions(db, household.id, url=url, token=KEY, now=now).pushed == []
    imported = babybuddy.import_entries(db, household.id, url=url, token=KEY, now=now)
    assert imported.already["pumping"] == 1 and imported.imported["pumping"] == 3


def test_a_wrong_token_is_refused_and_nothing_is_written(db, household, now, standin):
    url, _ = standin
    with pytest.raises(Refused) as caught:
        babybuddy.import_entries(db, household.id, url=url, token="wrong", now=now)
    assert caught.value.message == f"Baby Buddy at {url} refused the API key (HTTP 401)"
    assert count_sessions(db) == 0


def _mock(handler):
    return httpx.MockTransport(handler)


def test_a_next_link_to_another_server_is_not_followed(db, household, now):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "count": 9,
                "next": "http://elsewhere.example/api/pumping/?offset=2",
                "previous": None,
                "results": [],
            },
        )

    with pytest.raises(Refused) as caught:
        babybuddy.import_entries(
            db, household.id, url="http://127.0.0.1:9", token=KEY, now=now, transport=_mock(handler)
        )
    assert (
        caught.value.message == "Baby Buddy's next page points to another server (elsewhere.example); stopped"
    )


def test_a_server_that_is_not_baby_buddy_is_refused(db, household, now):
    transport = _mock(lambda request: httpx.Response(200, text="<html>hello</html>"))
    with pytest.raises(Refused) as caught:
        babybuddy.import_entries(
            db, household.id, url="http://127.0.0.1:9", token=KEY, now=now, transport=transport
        )
    assert (
        caught.value.message
        == "Baby Buddy at http://127.0.0.1:9 did not answer JSON for http://127.0.0.1:9/api/pumping/"
    )
    assert count_sessions(db) == 0


def test_push_needs_a_child_when_there_are_several(db, household, now, standin):
    url, state = standin
    state["children"].append({"id": 2, "first_name": "Ben"})
    make_session(db, household.id, now)
    with pytest.raises(Refused) as caught:
        babybuddy.push_sessions(db, household.id, url=url, token=KEY, now=now)
    assert caught.value.message == "Baby Buddy has 2 children (1 (Ada), 2 (Ben)); choose one with --child ID"
    assert db.scalar(select(func.count()).select_from(BabyBuddyLink)) == 0
