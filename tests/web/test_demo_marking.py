"""Sample data is marked wherever it shows, and left out of reports unless asked."""

from __future__ import annotations

from datetime import timedelta

from letdown.services.portability import demo, report
from tests.factories import make_session


def test_home_and_log_mark_sample_data_and_drop_the_mark_once_removed(db, now, owner) -> None:
    ada, household_id, _ = owner
    demo.seed(db, household_id, now=now)
    for path in ("/", "/log", "/stash"):
        page = ada.get(path)
        assert "<strong>Sample data.</strong>" in page.text, path
        assert "Remove it in" in page.text
    assert ada.get("/log").text.count('<em class="tag">sample</em>') > 20
    demo.remove(db, household_id)
    for path in ("/", "/log", "/stash"):
        assert "Sample data." not in ada.get(path).text


def test_reports_leave_sample_data_out_unless_asked_and_say_so(db, now, household) -> None:
    added = demo.seed(db, household.id, now=now)
    plain = report.build(db, household.id, now=now)
    assert plain.report.sessions == 0
    assert plain.demo_note and "sessions of sample data from letdown demo are left out" in plain.demo_note
    asked = report.build(db, household.id, now=now, include_demo=True)
    # the averages count complete days only; the note counts every sample session in the range
    assert 0 < asked.report.sessions <= added.sessions
    assert asked.demo_note.startswith("This report includes ")
    assert asked.demo_note.endswith(" sessions of sample data from letdown demo: not a real record.")
    assert asked.as_json()["demo_note"] == asked.demo_note


def test_a_report_without_sample_data_says_nothing_about_it(db, now, household) -> None:
    make_session(db, household.id, now - timedelta(days=1))  # yesterday: a complete day
    bundle = report.build(db, household.id, now=now)
    assert bundle.demo_note is None and bundle.report.sessions == 1


def test_the_report_page_marks_sample_data_and_includes_it_only_when_asked(db, now, owner) -> None:
    ada, household_id, _ = owner
    demo.seed(db, household_id, now=now)
    left_out = ada.get("/report")
    assert "are left out of this report" in left_out.text
    included = ada.get("/report?include_demo=1")
    assert "<strong>Sample data.</strong> This report includes" in included.text


def test_cli_report_include_demo(db_url) -> None:
    from tests.cli.conftest import Cli

    run = Cli(db_url)
    run.json("init", "--name", "Okafor")
    run.json("demo")
    out = run("report", "--out", "-", "--format", "json")
    assert '"demo_note": "' in out.stdout and "are left out" in out.stdout
    out = run("report", "--out", "-", "--format", "json", "--include-demo")
    assert "This report includes" in out.stdout


def test_a_sample_container_and_the_report_csv_say_they_hold_sample_data(db, now, owner) -> None:
    from sqlalchemy import select

    from letdown.render.report import render_csv
    from letdown.store.models.stash import Container

    ada, household_id, _ = owner
    demo.seed(db, household_id, now=now)
    sample = db.scalars(select(Container).where(Container.demo.is_(True))).first()
    assert sample is not None
    assert "<strong>Sample data.</strong>" in ada.get(f"/stash/{sample.id}").text
    text = render_csv(report.build(db, household_id, now=now))
    assert text.splitlines()[-1].startswith("sample_data,")
    assert "are left out of this report" in text
