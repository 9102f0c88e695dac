"""What leaves the server: compressed text, and API docs that need no other host."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from fastapi.testclient import TestClient

from letdown.api.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'wire.db'}"), base_url="https://testserver") as c:
        yield c


@pytest.mark.parametrize("path", ["/openapi.json", "/static/app.css", "/static/app.js", "/signin", "/guide"])
def test_text_responses_leave_gzipped_and_decode_to_the_same_body(client: TestClient, path: str) -> None:
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as packed:
        raw = b"".join(packed.iter_raw())
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert len(raw) < len(plain.content) / 2
    if path == "/signin":  # the page carries a fresh CSRF token each time: compare the text around it
        strip = re.compile(rb'value="[^"]{20,}"')
        assert strip.sub(b"", gzip.decompress(raw)) == strip.sub(b"", plain.content)
    else:
        assert gzip.decompress(raw) == plain.content


def test_browsers_asking_for_brotli_get_brotli(client: TestClient) -> None:
    with client.stream("GET", "/openapi.json", headers={"Accept-Encoding": "gzip, deflate, br"}) as r:
        raw = b"".join(r.iter_raw())
    assert r.headers["content-encoding"] == "br"
    assert (
        brotli.decompress(raw) == client.get("/openapi.json", headers={"Accept-Encoding": "identity"}).content
    )


def test_html_errors_and_api_errors_are_compressed_too(client: TestClient) -> None:
    page = client.get("/no-such-page", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 404
    api = client.get("/api/v1/sessions?limit=" + "9" * 900, headers={"Accept-Encoding": "gzip"})
    assert api.status_code in (401, 422)
    for response in (page, api):
        if len(response.content) >= 500:
            assert response.headers["content-encoding"] == "gzip"


def test_csv_downloads_are_in_the_compressed_types() -> None:
    from starlette_compress._utils import _compress_content_types

    assert "text/csv" in _compress_content_types


def test_tiny_bodies_are_sent_as_they_are(client: TestClient) -> None:
    r = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert r.json() == {"status": "ok"} and "content-encoding" not in r.headers


# --- API docs served from this host -------------------------------------------------------------

_URL = re.compile(r'(?:src|href|url|spec-url|data-openapi)="([^"]+)"')


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_name_no_other_host_and_every_asset_loads(client: TestClient, page: str) -> None:
    r = client.get(page)
    assert r.status_code == 200
    assert "cdn" not in r.text.lower() and "http" not in r.text.lower()
    urls = _URL.findall(r.text)
    assert urls, r.text
    for url in urls:
        assert url.startswith("/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 20, url
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "http" not in csp and "default-src 'none'" in csp


def test_swagger_ui_is_version_5_and_starts_from_our_script(client: TestClient) -> None:
    bundle = client.get("/docs/assets/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle
    start = client.get("/static/apidocs.js").text
    assert 'getAttribute("data-openapi")' in start and "SwaggerUIBundle(" in start
    # Swagger UI 5 is the first to read OpenAPI 3.1, which FastAPI writes.
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
    assert re.search(r'version:"5\.\d+\.\d+"|"5\.\d+\.\d+"', bundle) or "oas31" in bundle


def test_docs_assets_refuse_paths_outside_their_folder(client: TestClient) -> None:
    assert client.get("/docs/assets/../../../../etc/passwd").status_code == 404
    assert client.get("/docs/assets/%2e%2e/core.py").status_code == 404
