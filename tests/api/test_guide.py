"""``/api/v1/guide`` and ``/api/v1/triage``."""

from __future__ import annotations

from fastapi.testclient import TestClient

from letdown.guidance.library import DISCLAIMER
from tests.api.conftest import assert_error

VALID = (
    "redness, red-streaks, spreading-redness, hard-lump, hard-swollen, breast-pain, no-relief, "
    "cracked-nipples, pus-or-blood, baby-cant-latch, fever, flu-like, shaking-chills, "
    "very-high-temperature, low-temperature, fast-heartbeat, confusion, fainting, very-unwell, "
    "baby-fever, baby-very-sleepy, baby-not-feeding, baby-jaundice, few-wet-nappies"
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
    assert {"uk-sepsis-trust-adult", "healthier-together-fever"} <= {s["id"] for s in topic["sources"]}
    assert next(s for s in topic["sources"] if s["id"] == "nhs-mastitis") == {
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
    assert data["temperature_of"] == "parent"
    assert data["actions"] == [
        {
            "who": "parent",
            "who_label": "You",
            "level": "see-clinician-today",
            "text": "Contact your doctor (GP) or midwife now and ask to be seen today.",
            "rules": ["fever-with-red-area", "fever-with-breast-symptom"],
            "sources": [data["reasons"][0]["source"], data["reasons"][1]["source"]],
        }
    ]
    assert data["reasons"][0]["source"]["id"] == "nhs-mastitis"
    assert data["reasons"][1]["ours"] is True and data["reasons"][1]["note"]
    assert data["safety_net"] == []
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
        client.post("/api/v1/triage", json={"symptoms": ["fever"], "temperature": "386"}),
        422,
        "temperature: '386' is not a body temperature in °C (30–45) or °F (86–113); check the number",
    )
    assert_error(
        client.post("/api/v1/triage", json={"symptoms": ["fever"], "temperature": "38.6\u0000"}),
        422,
        "temperature: contains a NUL character (\\0), which cannot be stored",
    )
    assert_error(
        client.post("/api/v1/triage", json={"symptoms": ["fever"], "hours": -1}),
        422,
        "hours: must be zero or more, not -1",
    )
    assert_error(client.post("/api/v1/triage", json={"symptoms": "fever", "colour": "red"}), 422)


def test_triage_a_bare_number_is_read_sensibly(client):
    data = client.post("/api/v1/triage", json={"temperature": "101.5"}).json()
    assert (data["temperature"], data["temperature_note"]) == (
        "101.5 °F",
        "Your temperature: 101.5 read as 101.5 °F.",
    )
    assert client.post("/api/v1/triage", json={"temperature": "38,6"}).json()["temperature"] == "38.6 °C"


def test_triage_an_emergency_names_the_households_number(client, db, household):
    from letdown.services.accounts import households

    data = client.post("/api/v1/triage", json={"symptoms": ["confusion"]}).json()
    assert data["level"] == "emergency"
    assert data["actions"][0]["text"] == (
        "Call your local emergency number now, or go to the nearest emergency department."
    )
    households.update(db, household.id, country="US")
    data = client.post("/api/v1/triage", json={"symptoms": ["baby-fever", "breast-pain"]}).json()
    assert [(a["who"], a["text"]) for a in data["actions"]] == [
        ("baby", "Call 911 now, or go to the nearest emergency department."),
        ("parent", "You can likely look after this at home for now."),
    ]
    assert data["emergency_number"] == "911"


def test_triage_a_self_care_answer_says_when_to_call(client):
    data = client.post("/api/v1/triage", json={"symptoms": ["cracked-nipples"]}).json()
    assert data["level"] == "self-care"
    assert [item["id"] for item in data["safety_net"]] == [
        "net-worse-or-no-better",
        "net-fever",
        "net-redness",
        "net-sepsis",
    ]
    assert data["safety_net"][1]["source"]["id"] == "nhs-mastitis"


def test_triage_symptoms_are_listed(client):
    symptoms = client.get("/api/v1/triage/symptoms").json()["symptoms"]
    assert ", ".join(s["id"] for s in symptoms) == VALID
    assert all(s["description"] for s in symptoms)
    assert {s["id"] for s in symptoms if s["who"] == "baby"} == {
        "baby-fever",
        "baby-very-sleepy",
        "baby-not-feeding",
        "baby-jaundice",
        "few-wet-nappies",
    }
