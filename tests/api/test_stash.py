"""``/api/v1/stash``: every action and every refusal (409, nothing changed), on a fixed clock."""

from __future__ import annotations

import pytest

from letdown.api.deps import get_now
from tests.api.conftest import assert_error

LIST_KEYS = {"id", "ml", "location", "state", "expressed_at", "use_by", "best_by", "status", "rule"}


@pytest.fixture(autouse=True)
def fixed_clock(app, now):
    async def fixed():
        return now

    app.dependency_overrides[get_now] = fixed
    yield
    app.dependency_overrides.pop(get_now, None)


def add(client, **overrides) -> dict:
    body = {"ml": 120, "expressed_at": "2026-11-25T10:00", "location": "fridge"}
    body.update(overrides)
    response = client.post("/api/v1/stash", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def unchanged(client, container_id: str, response, message: str) -> None:
    """A refused action answers 409 with ``message`` and leaves the container as it was."""
    before = client.get(f"/api/v1/stash/{container_id}").json()
    assert_error(response(), 409, message)
    assert client.get(f"/api/v1/stash/{container_id}").json() == before


def test_create_lists_with_rule_and_offsets(client):
    c = add(client, label="night")
    assert c.keys() >= LIST_KEYS
    assert (c["state"], c["status"], c["ml"], c["label"]) == ("fresh", "ok", 120.0, "night")
    assert c["expressed_at"] == "2026-11-25T10:00:00+00:00"
    assert c["use_by"] == "2026-11-29T10:00:00+00:00" and c["best_by"] is None
    assert c["rule"] == {
        "id": "cdc-fresh-fridge",
        "source": "cdc-storage",
        "text": "Freshly expressed milk keeps up to 4 days in the fridge (4 °C / 40 °F), "
        "counted from expression; frozen within that time, it follows the freezer limit.",
        "ours": False,
    }
    listed = client.get("/api/v1/stash").json()
    assert [x["id"] for x in listed] == [c["id"]] and listed[0].keys() >= LIST_KEYS


def test_list_at_a_time_evaluates_the_status_then(client):
    c = add(client)
    later = client.get("/api/v1/stash", params={"at": "2026-11-30T10:00"}).json()
    assert later[0]["status"] == "expired" and later[0]["id"] == c["id"]
    assert later[0]["evaluated_at"] == "2026-11-30T10:00:00+00:00"
    assert client.get("/api/v1/stash", params={"at": "2026-11-24T10:00"}).json() == []


def test_move_thaw_feed_and_show_the_whole_history(client):
    c = add(client, location="freezer", expressed_at="2026-10-01T08:00")
    assert c["state"] == "frozen" and c["best_by"] == "2027-04-01T08:00:00+01:00"
    thawed = client.post(f"/api/v1/stash/{c['id']}/thaw", json={"at": "-1h", "in": "fridge"}).json()
    assert (thawed["state"], thawed["rule"]["id"]) == ("thawed", "cdc-thawed-fridge")
    assert thawed["use_by"] == "2026-11-26T11:00:00+00:00"
    moved = client.post(f"/api/v1/stash/{c['id']}/move", json={"to": "room", "at": "-30m"}).json()
    assert (moved["location"], moved["rule"]["id"]) == ("room", "cdc-thawed-room")
    fed = client.post(
        f"/api/v1/stash/{c['id']}/feed", json={"started": "-20m", "finished": "now", "leftover_ml": 30}
    ).json()
    assert (fed["state"], fed["ml"]) == ("leftover", 30.0)
    shown = client.get(f"/api/v1/stash/{c['id']}").json()
    assert [e["kind"] for e in shown["history"]] == [
        "stored",
        "thawed",
        "moved",
        "feed-started",
        "feed-finished",
    ]


def test_use_discard_and_split(client):
    a, b, c = add(client), add(client), add(client)
    assert client.post(f"/api/v1/stash/{a['id']}/use").json()["status"] == "used"
    gone = client.post(f"/api/v1/stash/{b['id']}/discard", json={"reason": "spilled"})
    assert gone.json()["status"] == "discarded"
    split = client.post(f"/api/v1/stash/{c['id']}/split", json={"ml": 50})
    assert split.status_code == 201
    assert (split.json()["from"]["ml"], split.json()["new"]["ml"]) == (70.0, 50.0)
    assert split.json()["new"]["split_from"] == c["id"]
    assert len(client.get("/api/v1/stash").json()) == 2
    assert len(client.get("/api/v1/stash", params={"all": "true"}).json()) == 4


def test_thaw_a_whole_freezer(client):
    a = add(client, location="freezer", expressed_at="2026-11-01T08:00")
    b = add(client, location="freezer", expressed_at="2025-10-01T08:00")
    result = client.post("/api/v1/stash/thaw", json={"location": "freezer", "at": "-3h"}).json()
    assert [x["id"] for x in result["thawed"]] == [a["id"]]
    assert result["skipped"] == [
        {"id": b["id"], "reason": "expired at 2026-10-01T08:00:00+01:00; throw it away"}
    ]
    assert_error(
        client.post("/api/v1/stash/thaw", json={"location": "cooler"}), 409, "No frozen milk in the cooler"
    )


def test_next_and_summary(client, db, household):
    frozen = add(client, location="freezer")
    fresh = add(client)
    assert [x["id"] for x in client.get("/api/v1/stash/next", params={"count": 5}).json()] == [
        fresh["id"],
        frozen["id"],
    ]
    summary = client.get("/api/v1/stash/summary").json()
    assert summary["usual_feed_ml"] is None and summary["note"].startswith("The baby's usual feed")
    assert summary["locations"][1] == {
        "location": "fridge",
        "containers": 1,
        "ml": 120.0,
        "feeds": None,
        "expired": 0,
    }


def test_labels_come_as_svg_and_pdf(client):
    c = add(client)
    svg = client.get(f"/api/v1/stash/{c['id']}/label.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "Use by 29 Nov 2026 10:00" in svg.text and f"id {c['id']}" in svg.text
    pdf = client.get(f"/api/v1/stash/{c['id']}/label.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert_error(client.get(f"/api/v1/stash/{c['id']}/label.png"), 404, "No label format with id 'png'")


def test_custom_limits_round_trip(client, db, household):
    from letdown.services.accounts import households

    households.update(db, household.id, storage_profile="custom")
    put = client.put("/api/v1/stash/limits/fresh-fridge", json={"unit": "days", "use_by": 2})
    assert put.json() == {"fresh-fridge": {"unit": "days", "use_by": 2}}
    assert add(client)["rule"]["id"] == "custom-fresh-fridge"
    assert client.delete("/api/v1/stash/limits/fresh-fridge").json() == {}
    assert_error(client.put("/api/v1/stash/limits/attic", json={"unit": "days", "use_by": 2}), 422)


def test_refusals_answer_409_and_change_nothing(client):
    frozen = add(client, location="freezer", expressed_at="2026-11-20T08:00")
    client.post(f"/api/v1/stash/{frozen['id']}/thaw", json={"at": "-1h"})
    ident = frozen["id"]
    unchanged(
        client,
        ident,
        lambda: client.post(f"/api/v1/stash/{ident}/move", json={"to": "freezer"}),
        f"Container {ident} holds thawed milk and can't go in the freezer: "
        "Thawed milk is never refrozen. [cdc-never-refreeze]",
    )
    unchanged(
        client,
        ident,
        lambda: client.post(f"/api/v1/stash/{ident}/split", json={"ml": 120}),
        f"Container {ident} holds 120 ml; a split must leave some behind, got 120 ml",
    )
    unchanged(
        client,
        ident,
        lambda: client.post(f"/api/v1/stash/{ident}/split", json={"ml": 200}),
        f"Container {ident} holds only 120 ml; can't pour 200 ml from it",
    )
    unchanged(
        client,
        ident,
        lambda: client.post(f"/api/v1/stash/{ident}/use", json={"at": "-2h"}),
        f"Time 2026-11-25T10:00+00:00 is before the last event of container {ident} "
        "(thawed at 2026-11-25T11:00+00:00)",
    )
    unchanged(
        client,
        ident,
        lambda: client.post(f"/api/v1/stash/{ident}/use", json={"at": "+1h"}),
        "That time (13:00 London time) is later than now (12:00). "
        "Times here are in the household's zone, Europe/London.",
    )
    old = add(client, expressed_at="2026-11-20T08:00")
    unchanged(
        client,
        old["id"],
        lambda: client.post(f"/api/v1/stash/{old['id']}/move", json={"to": "freezer"}),
        f"Container {old['id']} expired at 2026-11-24T08:00+00:00 (cdc-fresh-fridge); "
        "it can only be discarded",
    )
    client.post(f"/api/v1/stash/{old['id']}/discard")
    unchanged(
        client,
        old["id"],
        lambda: client.post(f"/api/v1/stash/{old['id']}/move", json={"to": "room"}),
        f"Container {old['id']} was already discarded",
    )


@pytest.mark.parametrize("ml", [0, -10])
def test_a_volume_of_zero_or_less_is_refused(client, ml):
    response = client.post("/api/v1/stash", json={"ml": ml, "expressed_at": "-1h", "location": "fridge"})
    assert_error(response, 409, f"Volume must be more than 0 ml, got {ml} ml")
    assert client.get("/api/v1/stash", params={"all": "true"}).json() == []


def test_bad_input_is_422(client):
    assert_error(
        client.post("/api/v1/stash", json={"ml": 10, "expressed_at": "-1h", "location": "attic"}),
        422,
        "location: unknown location 'attic'; choose one of room, fridge, freezer, cooler",
    )
    assert_error(client.post("/api/v1/stash", json={"ml": 10}), 422)


def test_unknown_and_other_households_containers_are_404(client, other_client):
    assert_error(client.get("/api/v1/stash/nope"), 404, "No container with id 'nope'")
    assert_error(client.post("/api/v1/stash/nope/use"), 404, "No container with id 'nope'")
    mine = add(client)
    assert_error(other_client.get(f"/api/v1/stash/{mine['id']}"), 404)
    assert_error(other_client.post(f"/api/v1/stash/{mine['id']}/discard"), 404)
    assert other_client.get("/api/v1/stash").json() == []


def test_the_list_endpoint_runs_a_fixed_number_of_queries(client, count_queries):
    def listed() -> int:
        before = count_queries.count
        assert client.get("/api/v1/stash", params={"all": "true"}).status_code == 200
        return count_queries.count - before

    for _ in range(2):
        c = add(client, location="freezer")
        client.post(f"/api/v1/stash/{c['id']}/thaw")
    small = listed()
    for _ in range(8):
        c = add(client, location="freezer")
        client.post(f"/api/v1/stash/{c['id']}/thaw")
    assert listed() == small


def test_a_label_qr_code_holds_the_web_address_that_opens_the_container(client, monkeypatch):
    from letdown.render import labels as stash_labels

    seen = []
    real = stash_labels._qr_modules
    monkeypatch.setattr(stash_labels, "_qr_modules", lambda text: seen.append(text) or real(text))
    c = add(client)
    assert client.get(f"/api/v1/stash/{c['id']}/label.svg").status_code == 200
    assert seen == [f"http://testserver/c/{c['id']}"]


# --- issue 10: the warm action, the clocks that no move lifts, bounded volumes ---------------


def test_warm_starts_the_two_hour_clock_and_names_its_rule(client):
    c = add(client, expressed_at="-1d")
    warmed = client.post(f"/api/v1/stash/{c['id']}/warm", json={"at": "-10m"})
    assert warmed.status_code == 200, warmed.text
    body = warmed.json()
    assert (body["location"], body["state"], body["status"]) == ("room", "fresh", "ok")
    assert body["rule"]["id"] == "cdc-fresh-warmed" and body["rule"]["source"] == "aces-breast-milk"
    assert body["rule"]["ours"] is False
    back = client.post(f"/api/v1/stash/{c['id']}/move", json={"to": "fridge"}).json()
    assert (back["use_by"], back["rule"]["id"]) == (body["use_by"], "cdc-fresh-warmed")
    history = client.get(f"/api/v1/stash/{c['id']}").json()["history"]
    assert [e["kind"] for e in history] == ["stored", "warmed", "moved"]
    # no body means now
    assert client.post(f"/api/v1/stash/{add(client)['id']}/warm").status_code == 200


def test_warm_refusals_answer_409_and_change_nothing(client):
    frozen = add(client, location="freezer")
    unchanged(
        client,
        frozen["id"],
        lambda: client.post(f"/api/v1/stash/{frozen['id']}/warm", json={}),
        f"Container {frozen['id']} is frozen; thaw it first",
    )
    assert_error(client.post("/api/v1/stash/nope/warm"), 404, "No container with id 'nope'")
    c = add(client)
    assert_error(
        client.post(f"/api/v1/stash/{c['id']}/warm", json={"at": "-1h", "when": "x"}),
        422,
    )


def test_thawed_at_room_then_fridge_keeps_its_two_hours(client):
    c = add(client, location="freezer", expressed_at="-30d")
    client.post(f"/api/v1/stash/{c['id']}/thaw", json={"in": "room", "at": "-90m"})
    body = client.post(f"/api/v1/stash/{c['id']}/move", json={"to": "fridge"}).json()
    assert (body["state"], body["status"], body["rule"]["id"]) == ("thawed", "use-soon", "cdc-thawed-room")
    later = client.get("/api/v1/stash", params={"at": body["use_by"]}).json()
    assert [x["status"] for x in later if x["id"] == c["id"]] == ["use-soon"]


def test_fridge_milk_to_a_cooler_shows_our_careful_reading(client):
    c = add(client, expressed_at="-1d")
    body = client.post(f"/api/v1/stash/{c['id']}/move", json={"to": "cooler"}).json()
    assert body["rule"]["id"] == "cdc-fresh-cooler-out-of-cold"
    assert body["rule"]["ours"] is True and body["rule"]["text"].startswith("Our careful reading")


def raw(client, url: str, text: str):
    """Post JSON text as given (Python's JSON reader takes Infinity and NaN; httpx won't write them)."""
    return client.post(url, content=text, headers={"content-type": "application/json"})


@pytest.mark.parametrize(
    ("ml", "message"),
    [
        ("Infinity", "ml: volume must be a finite number of ml, got inf"),
        ("-Infinity", "ml: volume must be a finite number of ml, got -inf"),
        ("NaN", "ml: volume must be a finite number of ml, got nan"),
        ("1e300", "ml: 1e+300 ml is over the 1000 ml limit for one container; check the value and its unit"),
        ("1e999", "ml: volume must be a finite number of ml, got inf"),
    ],
)
def test_a_non_finite_or_huge_volume_is_422_and_stores_nothing(client, ml, message):
    response = raw(client, "/api/v1/stash", f'{{"ml": {ml}, "expressed_at": "-1h", "location": "fridge"}}')
    assert_error(response, 422, message)
    assert client.get("/api/v1/stash", params={"all": "true"}).json() == []


def test_a_volume_that_rounds_to_zero_is_409_not_500(client):
    response = client.post("/api/v1/stash", json={"ml": 0.04, "expressed_at": "-1h", "location": "fridge"})
    assert_error(response, 409, "Volume of 0.04 ml rounds to 0 ml; the smallest is 0.1 ml")
    c = add(client)
    unchanged(
        client,
        c["id"],
        lambda: client.post(f"/api/v1/stash/{c['id']}/split", json={"ml": 0.04}),
        "A split of 0.04 ml rounds to 0 ml; the smallest is 0.1 ml",
    )
    unchanged(
        client,
        c["id"],
        lambda: client.post(f"/api/v1/stash/{c['id']}/feed", json={"finished": "now", "leftover_ml": 0.04}),
        "Leftover of 0.04 ml rounds to 0 ml; give 0 if the baby finished it, or at least 0.1 ml",
    )
    before = client.get(f"/api/v1/stash/{c['id']}").json()
    response = raw(client, f"/api/v1/stash/{c['id']}/split", '{"ml": Infinity}')
    assert_error(response, 422, "ml: a split must be a finite number of ml, got inf")
    assert client.get(f"/api/v1/stash/{c['id']}").json() == before
    assert client.get("/api/v1/stash").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"unit": "months", "use_by": 1_000_000_000},
        {"unit": "days", "use_by": 100_000_000},
        {"unit": "hours", "use_by": 99999999999999999999},
    ],
)
def test_a_custom_limit_past_the_cdc_row_answers_422_and_reads_still_work(client, db, household, body):
    from letdown.services.accounts import households

    households.update(db, household.id, storage_profile="custom")
    add(client, location="freezer")
    error = assert_error(client.put("/api/v1/stash/limits/fresh-freezer", json=body), 422)["error"]
    # refused in words: past the CDC row, or past the document's bound on the number itself
    assert (
        "is longer than the CDC limit (12 months, cdc-storage); a unit's limit may only be shorter" in error
        or "use_by must be at most" in error
    ), error
    assert client.get("/api/v1/stash/limits").json() == {}
    assert client.get("/api/v1/stash").status_code == 200
