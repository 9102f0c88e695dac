"""The report page of the signed-in household, and the function the share page can call."""

from __future__ import annotations

from letdown.render.report import household_report_html
from letdown.services.portability import demo


def test_the_owner_gets_the_report_as_a_page_a_pdf_and_a_csv(owner, db, now):
    b, household_id, _ = owner
    demo.seed(db, household_id, now=now)

    page = b.get("/report?from=2026-11-10&to=2026-11-23")
    assert page.status_code == 200
    assert "<h1>Expression report: Home of ada@example.org</h1>" in page.text and "<svg" in page.text

    pdf = b.get("/report?format=pdf&paper=letter")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 612.00 792.00]" in pdf.content

    csv = b.get("/report?format=csv&from=2026-11-20&to=2026-11-21")
    assert csv.text.splitlines()[1].startswith("2026-11-20,")
    assert 'filename="letdown-report-2026-11-20-2026-11-21.csv"' in csv.headers["content-disposition"]


def test_the_report_is_not_cached_in_any_format(owner, db, now):
    b, household_id, _ = owner
    for query in ("", "?format=pdf", "?format=csv"):
        assert b.get(f"/report{query}").headers["cache-control"] == "no-store", query


def test_the_shared_report_is_not_cached_in_any_format(owner, browser, db, now):
    from letdown.services.accounts import members

    _, household_id, _ = owner
    token, _ = members.create_share(db, household_id, name="Dr", days=1, by=None, now=now)
    clinician = browser()
    for query in ("", "?format=pdf", "?format=csv"):
        assert clinician.get(f"/share/{token}{query}").headers["cache-control"] == "no-store", query


def test_signed_out_goes_to_sign_in_and_back_to_the_report(browser, db, now):
    from tests.web.conftest import PASSWORD, make_member

    make_member(db, now, "ada@example.org")
    b = browser()
    response = b.get("/report?from=2026-11-10&to=2026-11-23", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/signin?next=%2Freport%3Ffrom%3D2026-11-10%26to%3D2026-11-23"
    b.get(response.headers["location"])
    response = b.post(
        "/signin",
        {"email": "ada@example.org", "password": PASSWORD, "next": "/report?from=2026-11-10&to=2026-11-23"},
    )
    assert response.status_code == 200 and "2026-11-10" in str(response.url)
    assert "<h1>Expression report: Home of ada@example.org</h1>" in response.text


def test_the_share_page_function_renders_a_household_read_only(db, household, now):
    html = household_report_html(db, household.id, now=now, start="2026-11-01", end="2026-11-07")
    assert "<h1>Expression report: Test home</h1>" in html
    assert "<form" not in html
