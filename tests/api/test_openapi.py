"""The OpenAPI document tells the truth (issue #13): one error shape for every error status,
enums from domain/choices.py, bounds from the domain's limits, 405 with Allow, and every error
under /api/ (404 and 500 included) in that shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from letdown.api.app import create_app
from letdown.domain import limits, storage
from letdown.domain import sessions as session_rules
from letdown.domain.choices import Location, Method, State, Status, values
from letdown.guidance.rules import CASE_NAMES
from tests.api.conftest import assert_error

ERROR_STATUSES = {"400", "401", "404", "405", "409", "413", "422", "500", "503"}
ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture(scope="module")
def spec():
    app = create_app("sqlite://")
    try:
        return app.openapi()
    finally:
        app.state.store.dispose()


def _api_operations(spec):
    for path, operations in spec["paths"].items():
        if path.startswith("/api/"):
            for method, operation in operations.items():
                yield f"{method.upper()} {path}", operation


def _props(spec, name):
    return spec["components"]["schemas"][name]["properties"]


def test_every_api_operation_documents_every_error_status_in_the_one_shape(spec):
    operations = dict(_api_operations(spec))
    assert len(operations) >= 30
    for label, operation in operations.items():
        responses = operation["responses"]
        assert set(responses) >= ERROR_STATUSES, label
        for status in ERROR_STATUSES:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_REF}, (label, status)
        assert "Allow" in responses["405"]["headers"], label
        assert "Retry-After" in responses["503"]["headers"], label
    # The 422 is the one shape, not FastAPI's {detail: [...]}.
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_the_error_shape_is_one_shared_component(spec):
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) >= {"status", "error", "errors"}
    assert set(error["properties"]) == {"ok", "status", "error", "errors"}
    assert error["properties"]["ok"]["const"] is False


def test_choices_are_enums_from_the_domain(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Method"]["enum"] == values(Method)
    assert schemas["Location"]["enum"] == values(Location)
    assert schemas["State"]["enum"] == values(State)
    assert schemas["Status"]["enum"] == values(Status)
    session = _props(spec, "SessionCreate")
    assert session["method"] == {
        "$ref": "#/components/schemas/Method",
        "description": session["method"]["description"],
    }
    thaw = _props(spec, "ThawBody")
    assert thaw["in"]["enum"] == ["fridge", "room"]
    put_limit = spec["paths"]["/api/v1/stash/limits/{case}"]["put"]["parameters"][0]
    assert put_limit["schema"]["enum"] == list(CASE_NAMES)


def test_numbers_carry_the_domains_bounds(spec):
    session = _props(spec, "SessionCreate")
    assert session["left_ml"]["minimum"] == 0
    assert session["left_ml"]["maximum"] == session_rules.MAX_ML_PER_SIDE
    assert session["minutes"]["exclusiveMinimum"] == 0
    assert session["minutes"]["maximum"] == session_rules.MAX_MINUTES
    assert (session["comfort"]["minimum"], session["comfort"]["maximum"]) == session_rules.COMFORT_RANGE
    assert session["note"]["maxLength"] == session_rules.MAX_NOTE_CHARS
    container = _props(spec, "ContainerCreate")
    assert container["ml"]["exclusiveMinimum"] == 0
    assert container["ml"]["maximum"] == storage.MAX_CONTAINER_ML
    stats = spec["paths"]["/api/v1/stats"]["get"]["parameters"][0]["schema"]
    assert (stats["minimum"], stats["maximum"]) == (1, limits.MAX_STATS_DAYS)
    limit = _props(spec, "LimitBody")
    assert limit["use_by"]["maximum"] == limits.MAX_STORAGE_AMOUNT


def test_405_names_the_methods_the_address_takes(client):
    response = client.put("/api/v1/sessions")
    assert_error(response, 405, "PUT is not taken here; this address takes GET, HEAD, POST")
    assert response.headers["allow"] == "GET, HEAD, POST"
    # A literal address is not confused with the template beside it (/stash/{container_id}).
    response = client.options("/api/v1/stash/thaw")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    response = client.post("/api/v1/sessions/abc")
    assert response.headers["allow"] == "DELETE, GET, HEAD, PATCH"


def test_an_unknown_api_address_is_404_in_the_one_shape(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "There is nothing at this address")


def test_an_unknown_query_parameter_is_refused_by_name(client):
    body = assert_error(
        client.get("/api/v1/stats", params={"dayz": 3}),
        422,
        "dayz: is not a parameter of this address (it takes: days)",
    )
    assert body["errors"] == [
        {"field": "dayz", "message": "is not a parameter of this address (it takes: days)"}
    ]


def test_a_choice_typo_is_refused_with_the_choices(client):
    response = client.post("/api/v1/sessions", json={"started_at": "-1h", "minutes": 10, "method": "pumped"})
    assert_error(
        response, 422, "method: unknown method 'pumped'; choose one of hand, pump, hands-on-pump, passive"
    )


def test_a_fault_under_api_is_a_500_in_the_one_shape(store):
    app = create_app(store=store)

    @app.get("/api/v1/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/boom", include_in_schema=False)
    def page_boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/v1/boom")
        assert_error(
            response, 500, "Something went wrong on the server; nothing was changed. Try again, or report it."
        )
        assert response.headers["content-type"] == "application/json"
        page = c.get("/boom")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "Something went wrong" in page.text and "a bug" not in page.text


def test_idempotency_key_is_documented_on_every_create_or_on_none(spec):
    """Where the API takes an ``Idempotency-Key`` header (a retried create is not stored twice),
    the document says so on every operation that creates (201), not on some."""
    creates = {label: op for label, op in _api_operations(spec) if "201" in op["responses"]}
    assert creates
    with_key = {
        label
        for label, op in creates.items()
        if any(
            p["in"] == "header" and p["name"].lower() == "idempotency-key" for p in op.get("parameters", [])
        )
    }
    assert with_key in (set(), set(creates)), sorted(set(creates) - with_key)
