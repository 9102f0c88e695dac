"""Every page at 320x568, 390x844 and desktop, light and dark (issue 16): no sideways scroll
(``scrollWidth <= clientWidth``), controls at least 44x44 px, axe with no serious violation, and
the clinician's report: its figures on the page, in the PDF (rendered with pdftoppm, read with
pdftotext) and its download buttons. Phone-size screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.browser.conftest import check_accessibility
from tests.browser.test_journeys import query, sign_up

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {
    "320": {"width": 320, "height": 568},
    "390": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}
MIN_TAP = 44

# Controls that are not inline links: buttons, fields, and links styled as buttons or tabs.
TAP_TARGETS = """
() => {
  const bad = [];
  const sel = 'button, input:not([type=hidden]), select, textarea, a.btn, .tabs a, .actions a, summary';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not shown
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let w = r.width, h = r.height;
    if (el.type === 'checkbox' || el.type === 'radio') {  // the label is the target
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) { const lr = label.getBoundingClientRect(); w = Math.max(w, lr.width); h = Math.max(h, lr.height); }
    }
    if (w < 44 - 0.5 || h < 44 - 0.5) bad.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.innerText || el.value || el.name || '').trim().slice(0, 30)}" ${w.toFixed(0)}x${h.toFixed(0)}`);
  }
  return bad;
}
"""


WIDE = """
() => {
  const out = [], limit = document.documentElement.clientWidth + 0.5;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > limit && !el.parentElement.closest('.scroll'))
      out.push(`${el.tagName.toLowerCase()}.${el.className} ${r.right.toFixed(0)}`);
  }
  return out.slice(0, 5);
}
"""


def _store(server):
    from letdown.store.db import Store

    return Store(server.db_url)


@pytest.fixture(scope="module")
def world(server, chromium):
    """A household with a month of its own sessions (and demo data in another), a baby, a
    container, and a share link; returns (server, storage state of the owner, paths)."""
    from letdown.services.accounts import households, members
    from letdown.services.log import sessions
    from letdown.services.stash import containers as stash
    from tests.factories import session_input

    context = chromium.new_context(viewport=SIZES["390"])
    page = context.new_page()
    sign_up(page, server, "phone@example.org", "Phone home")
    state = context.storage_state()
    context.close()
    (household_id,) = query(server, "select id from households where name = 'Phone home'")[0]
    now = datetime.now(UTC).replace(microsecond=0)
    store = _store(server)
    with store.session() as db:
        tz = households.get(db, household_id).tz
        today = now.astimezone(tz).date()
        households.add_baby(
            db,
            household_id,
            name="Ada",
            birth_date=today - timedelta(days=40),
            due_date=today - timedelta(days=26),
            now=now,
        )
        households.update(db, household_id, usual_feed_ml=90)
        first = None
        for day in range(15, 0, -1):
            for hour, left, right in ((3, 40, 35), (9, 60, 55), (15, 70, 60), (21, 50, 45)):
                local = datetime.combine(today - timedelta(days=day), datetime.min.time()).replace(
                    hour=hour, tzinfo=tz
                )
                view = sessions.create(
                    db,
                    household_id,
                    session_input(
                        now,
                        start=local.isoformat(),
                        left_ml=left,
                        right_ml=right,
                        method="pump" if hour % 2 else "hand",
                        note="a very long note with a link https://example.org/a/really/long/address/that/must/wrap/nicely/on/a/small/phone/screen",
                    ),
                    now=now,
                )
                first = first or view
        earlier = (now - timedelta(hours=2)).isoformat()
        sessions.create(db, household_id, session_input(now, start=earlier), now=now)
        container = stash.add(
            db, household_id, ml=120, expressed_at=earlier, location="fridge", now=now, session_id=None
        )
        token, _ = members.create_share(
            db, household_id, name="IBCLC", days=7, by=None, now=now, show_notes=False
        )
    store.dispose()
    paths = {
        "home": "/",
        "log": "/log",
        "log-form": "/log/new",
        "session": f"/log/{first.id}",
        "stash": "/stash",
        "container": f"/stash/{container.id}",
        "guide": "/guide",
        "topic": "/guide/storing-milk",
        "triage": "/guide/triage",
        "settings": "/settings",
        "report": "/report",
    }
    return server, state, paths, token


def _page(chromium, size, scheme, state=None):
    context = chromium.new_context(
        viewport=SIZES[size],
        color_scheme=scheme,
        locale="en-GB",
        timezone_id="Europe/London",
        storage_state=state,
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _overflow(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_no_sideways_scroll_big_enough_controls_and_axe_on_every_page(world, chromium, size, scheme):
    server, state, paths, token = world
    context, page = _page(chromium, size, scheme, state)
    problems: list[str] = []
    pages = {**paths, "share": f"/share/{token}"}
    for name, path in pages.items():
        response = page.goto(f"{server.url}{path}")
        assert response is not None and response.status == 200, (name, response and response.status)
        scroll, client = _overflow(page)
        if scroll > client:
            problems.append(f"{name}: sideways scroll {scroll} > {client} from {page.evaluate(WIDE)}")
        small = page.evaluate(TAP_TARGETS)
        if small:
            problems.append(f"{name}: small controls {small[:6]}")
        check_accessibility(page)
        if size != "desktop":
            DOCS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS / f"after-{size}-{scheme}-{name}.png"), full_page=True)
    context.close()
    assert not problems, "\n".join(problems)


def _text_of(page, selector):
    return page.locator(selector).inner_text()


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils is missing (apt-get install poppler-utils)"
)
def test_the_report_pdf_renders_and_says_what_the_page_says(world, chromium, tmp_path):
    server, state, _, token = world
    context, page = _page(chromium, "390", "light", state)
    page.goto(f"{server.url}/report")
    taps = 0
    html = page.locator("body").inner_text()
    average = re.search(r"Volume a day\s+(\d+ ml)", html)
    per_day = re.search(r"Sessions a day\s+([\d.]+)", html)
    night = re.search(r"Night sessions a day \(00:00–06:00\)\s+([\d.]+)", html)
    supply = re.search(r"About ([\d.]+) days? of supply", html)
    assert average and per_day and night and supply, html[:2000]
    assert "today, so far" in html and "Ada: age 5 weeks; gestation at birth 38+0 weeks" in html
    assert "must/wrap" in html  # the parent's own report shows their notes; a share link may not
    pdf_link = page.get_by_role("link", name="Download PDF")
    with page.expect_download(timeout=60_000) as info:
        pdf_link.click()
        taps += 1
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    print(f"\njourney: report PDF downloaded in {taps} tap from /report")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert pngs and all(p.stat().st_size > 5_000 for p in pngs)  # pages drawn, not blank
    shutil.copy(pngs[0], DOCS / "after-report-pdf-page1.png")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for figure in (average.group(1), per_day.group(1), night.group(1), f"About {supply.group(1)} day"):
        assert figure in flat, (figure, flat[:1500])
    assert "gestation at birth 38+0 weeks" in flat and "(today, so far)" in flat
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="Download CSV").click()
    csv_text = Path(info.value.path()).read_text()
    assert csv_text.startswith("date,sessions,total_ml") and ",yes\n" in csv_text  # today marked partial
    context.close()


def test_the_share_page_has_downloads_and_hides_notes_unless_allowed(world, chromium):
    server, _, _, token = world
    context, page = _page(chromium, "320", "light")
    page.goto(f"{server.url}/share/{token}")
    body = page.locator("body").inner_text()
    assert "The parent's notes are not shared through this link." in body
    assert "example.org/a/really" not in body
    assert page.get_by_role("link", name="Download PDF").get_attribute("href").startswith(f"/share/{token}?")
    assert page.get_by_role("link", name="Download CSV").count() == 1
    context.close()


@pytest.mark.parametrize("size", ["320", "390"])
def test_journey_log_then_store_the_milk_taps_counted(world, chromium, size):
    server, state, _, _ = world
    context, page = _page(chromium, size, "light", state)
    page.goto(f"{server.url}/")
    taps = 0
    page.get_by_role("link", name="Log a session").first.click()
    taps += 1
    page.wait_for_url("**/log/new")
    page.get_by_label("Left").fill("40")
    page.get_by_label("Right").fill("35")
    page.get_by_role("button", name="Save session").click()
    taps += 1
    page.wait_for_url(re.compile(r".*/log\?saved=[0-9a-z]+$"))
    assert page.get_by_label("Volume (ml)").input_value() == "75"
    page.get_by_role("button", name="Store this milk").click()
    taps += 1
    page.wait_for_url(re.compile(r".*/stash/[0-9a-z]{10}$"))
    assert "75 ml" in page.locator("main").inner_text()
    print(f"\njourney at {size}: session logged and its milk stored in {taps} taps (2 fields typed)")
    assert taps == 3
    context.close()
