"""``letdown report`` in each format."""

from __future__ import annotations

import csv
import io
import re

import pytest


@pytest.fixture
def seeded(run):
    assert run("init", "--timezone", "Europe/London").exit_code == 0
    assert run("demo").exit_code == 0
    return run


def test_html_is_self_contained_with_an_inline_chart(seeded, tmp_path):
    out = tmp_path / "r.html"
    result = seeded("report", "--from", "2026-11-01", "--to", "2026-11-14", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<svg" in html and "7-day average" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing from another host
    assert "<link" not in html and "<script" not in html
    for heading in (
        "Averages over complete days",
        "Last 24 hours",
        "By side",
        "By method",
        "Let-downs and comfort",
        "Volume trend",
        "Day by day",
        "Sessions",
        "Signs of expressing well",
        "Milk stash now",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "letdown informs; it does not diagnose." in html


@pytest.mark.parametrize(("paper", "box"), [("a4", "0 0 595.28 841.89"), ("letter", "0 0 612.00 792.00")])
def test_pdf_on_a4_and_letter(seeded, tmp_path, paper, box):
    out = tmp_path / "r.pdf"
    result = seeded("report", "--format", "pdf", "--paper", paper, "--out", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert f"/MediaBox [{box}]".encode() in data


def test_csv_has_a_row_a_day_and_a_total(seeded, tmp_path):
    out = tmp_path / "r.csv"
    assert (
        seeded(
            "report", "--format", "csv", "--from", "2026-11-01", "--to", "2026-11-07", "--out", str(out)
        ).exit_code
        == 0
    )
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0][:3] == ["date", "sessions", "total_ml"]
    days = rows[1 : rows.index([])] if [] in rows else rows[1:]  # later sections follow a blank row
    assert [r[0] for r in days] == [f"2026-11-0{d}" for d in range(1, 8)] + ["total"]


def test_a_bad_date_is_refused_with_exit_2(seeded, tmp_path):
    result = seeded("report", "--from", "soon", "--out", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert result.stderr == "Error: from: cannot read 'soon' as a date; use YYYY-MM-DD\n"
    assert not (tmp_path / "x.html").exists()
