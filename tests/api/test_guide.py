"""``/api/v1/guide`` and ``/api/v1/triage``."""

from __future__ import annotations

from fastapi.testclient import TestClient

from letdown.guidance.library import DISCLAIMER
from tests.api.conftest import assert_error

VALID = (
    "fever, flu-like, redness, red-streaks, hard-lump, hard-swollen, breast-pain, no-relief, "
    "baby-cant-latch, few-wet-nappies, cracked-nipples, pus-or-blood"
)


def test_guidance_needs_a_token_like_the_rest_of_the_api(app):
    with TestClient(app) as anonymous:
        assert_error(anonymous.get("/api/v1/guide/search", params={"q": "thaw"}), 401)
        assert_error(anonymous.post("/api/v1/triage", json={"symptoms": ["fever"]}), 401)


def test_search_returns_results_best_first(client):
    response = client.get("/api/v1/guide/search", params={"q": "boobs rock hard baby cant latch"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["id"] == "engorgement"
    assert set(results[0]) == {"id", "title", "snippet", "sources"}


def test_search_limit_and_errors(client):
    assert len(client.get("/api/v1/guide/search", params={"q": "milk", "limit": 2}).json()["results"]) == 2
    assert_error(
        client.get("/api/v1/guide/search", params={"q": " "}), 422, "q: type a few words to search for"
    )
    assert_error(client.get("/api/v1/guide/search"), 422)
    assert_error(
        client.get("/api/v1/guide/search", params={"q": "x" * 3000}),
        422,
        "q: too long (3000 characters); a search can be at most 200 characters, and a few words are enough",
    )
    assert_error(
        client.get("/api/v1/guide/search", params={"q": "thaw", "limit": 99}),
        422,
        "limit: must be between 1 and 15, not 99",
    )


def test_topics_list_and_one_topic(client):
    topics = client.get("/api/v1/guide/topics").json()["topics"]
    assert len(topics) == 22
    topic = client.get("/api/v1/guide/topics/when-to-call").json()
    assert topic["title"] == "When to call a doctor, midwife or lactation consultant"
    assert topic["disclaimer"] == DISCLAIMER
    assert topic["sources"][0] == {
        "id": "nhs-mastitis",
        "title": "Mastitis (fever of 38 °C / 100.4 °F with a red, tender area)",
        "publisher": "NHS",
        "year": 2012,
        "url": "https://www.nhs.uk/conditions/mastitis/",
    }


def test_an_unknown_topic_is_404(client):
    assert_error(client.get("/api/v1/guide/topics/nope"), 404, "No topic with id 'nope'")


def test_triage_rates_and_cites(client):
    response = client.post(
        "/api/v1/triage", json={"symptoms": ["redness"], "temperature": "38.6C", "hours": 3}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["level"] == "see-clinician-today"
    assert data["symptoms"] == ["redness", "fever"]
    assert data["temperature"] == "38.6 °C"
    assert data["reasons"][0]["source"]["id"] == "nhs-mastitis"
    assert data["advice"][0] == {
        "id": "when-to-call",
        "title": "When to call a doctor, midwife or lactation consultant",
    }
    assert data["disclaimer"] == DISCLAIMER


def test_triage_unknown_symptom_is_422_with_the_valid_list(client):
    body = assert_error(
        client.post("/api/v1/triage", json={"symptoms": ["itchy"]}),
        422,
        f"symptom: unknown symptom 'itchy'; choose from: {VALID}",
    )
    assert body["errors"] == [
        {"field": "symptom", "message": f"unknown symptom 'itchy'; choose from: {VALID}"}
    ]


def test_triage_bad_input_is_422(client):
    assert_error(
        client.post("/api/v1/triage", json={"symptoms": ["fever"], "temperature": "38.6"}),
        422,
        "temperature: '38.6' is not a temperature; write it like 38.6C or 101.5F",
    )
    assert_error(client.post("/api/v1/triage", json={"symptoms": "fever", "colour": "red"}), 422)


def test_triage_symptoms_are_listed(client):
    symptoms = client.get("/api/v1/triage/symptoms").json()["symptoms"]
    assert ", ".join(s["id"] for s in symptoms) == VALID
    assert all(s["description"] for s in symptoms)
