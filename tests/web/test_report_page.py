"""The report page of the signed-in household, and the function the share page can call."""

from __future__ import annotations

from letdown.services import demo
from letdown.web.report import household_report_html


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


def test_signed_out_goes_to_sign_in(browser):
    response = browser().get("/report", follow_redirects=False)
    assert response.status_code in (302, 303) and response.headers["location"] == "/signin"


def test_the_share_page_function_renders_a_household_read_only(db, household, now):
    html = household_report_html(db, household.id, now=now, start="2026-11-01", end="2026-11-07")
    assert "<h1>Expression report: Test home</h1>" in html
    assert "<form" not in html
