"""Rendering a report (``services/portability/report.py``) as self-contained HTML, PDF (A4 or Letter) or CSV.

One template, ``templates/report.html``, renders the HTML: its styles are inline and the
volume chart is inline SVG, so the file opens anywhere, offline. The PDF (fpdf2, pure Python)
draws the same chart from the same SVG. ``render_html`` is what the share page shows.
"""

from __future__ import annotations

import csv
import io
import math
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from letdown.domain.choices import Units
from letdown.domain.schedule import hours_minutes
from letdown.domain.units import format_volume, ml_to_oz

if TYPE_CHECKING:
    from jinja2 import Environment

    from letdown.domain.report import Report
    from letdown.services.portability.report import ReportBundle

PAPERS = ("a4", "letter")
CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 640, 220, 46, 28, 12


def _nice(value: float) -> float:
    if value <= 0:
        return 1.0
    power: float = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if value <= step * power)


def chart_svg(report: Report, units: Units) -> str:
    """Daily totals as bars and the 7-day average as a line, as a standalone SVG element."""
    convert = ml_to_oz if units is Units.OZ else (lambda ml: ml)
    unit = "oz" if units is Units.OZ else "ml"
    totals = [convert(d.total_ml) for d in report.daily]
    averages = [convert(d.avg7_ml) for d in report.daily]
    top = _nice(max([*totals, *averages, 0.0]))
    plot_w, plot_h = CHART_W - PAD_L - 8, CHART_H - PAD_B - PAD_T
    slot = plot_w / max(len(totals), 1)

    def y(value: float) -> float:
        return PAD_T + plot_h - plot_h * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {CHART_H}" '
        f'width="{CHART_W}" height="{CHART_H}" role="img" '
        f'aria-label="Daily volume ({unit}) with its 7-day average">',
        f'<rect x="0" y="0" width="{CHART_W}" height="{CHART_H}" fill="#ffffff"/>',
    ]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        ty = y(top * fraction)
        parts.append(
            f'<line x1="{PAD_L}" y1="{ty:.1f}" x2="{CHART_W - 8}" y2="{ty:.1f}" '
            'stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{PAD_L - 6}" y="{ty + 4:.1f}" font-size="11" text-anchor="end" '
            f'font-family="Helvetica, Arial, sans-serif" fill="#444444">{top * fraction:g}</text>'
        )
    for i, (day, value) in enumerate(zip(report.daily, totals, strict=True)):
        x = PAD_L + i * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{slot * 0.7:.1f}" '
            f'height="{plot_h + PAD_T - y(value):.1f}" fill="#5b8bd0">'
            f"<title>{day.day.isoformat()}: {value:.0f} {unit}</title></rect>"
        )
    every = max(1, math.ceil(len(report.daily) / 8))
    for i, day in enumerate(report.daily):
        if (len(report.daily) - 1 - i) % every == 0:
            parts.append(
                f'<text x="{PAD_L + i * slot + slot / 2:.1f}" y="{CHART_H - 8}" font-size="11" '
                f'text-anchor="middle" font-family="Helvetica, Arial, sans-serif" fill="#444444">'
                f"{day.day.strftime('%d %b')}</text>"
            )
    points = " ".join(f"{PAD_L + i * slot + slot / 2:.1f},{y(v):.1f}" for i, v in enumerate(averages))
    if points:
        parts.append(f'<polyline points="{points}" fill="none" stroke="#c0392b" stroke-width="2"/>')
    parts.append(
        f'<text x="{PAD_L}" y="{PAD_T - 1}" font-size="11" font-family="Helvetica, Arial, sans-serif" '
        f'fill="#444444">{escape(unit)} a day (bars); 7-day average (line)</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _hm(minutes: int | None) -> str:
    return hours_minutes(minutes)


def _num(value: float | None, suffix: str = "") -> str:
    return "-" if value is None else f"{value:g}{suffix}"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("letdown.render", "templates"), autoescape=select_autoescape(["html"])
    )
    env.filters["hm"] = _hm
    env.filters["num"] = _num
    return env


def context(bundle: ReportBundle) -> dict[str, Any]:
    """What the template and the PDF show, with volumes already in the household's units."""
    r = bundle.report
    units = bundle.household.units

    def vol(ml: float | None) -> str:
        return format_volume(ml, units)

    from letdown.guidance.library import DISCLAIMER

    return {
        "disclaimer": DISCLAIMER,
        "b": bundle,
        "r": r,
        "vol": vol,
        "chart": chart_svg(r, units),
        "generated": bundle.generated_at.astimezone(bundle.tz).strftime("%Y-%m-%d %H:%M %Z"),
        "sides": [
            ("Left", r.left_ml, r.side_share(r.left_ml)),
            ("Right", r.right_ml, r.side_share(r.right_ml)),
            ("Passive (other side)", r.passive_ml, r.side_share(r.passive_ml)),
        ],
    }


def render_html(bundle: ReportBundle) -> str:
    """The whole report as one self-contained HTML page (no external files)."""
    return _environment().get_template("report.html").render(**context(bundle))


def render_csv(bundle: ReportBundle) -> str:
    """One row per day, then the period's totals; volumes in millilitres."""
    r = bundle.report
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    headers = ["date", "sessions", "total_ml", "left_ml", "right_ml", "passive_ml"]
    writer.writerow([*headers, "longest_gap_minutes", "let_downs", "avg7_ml"])
    for d in r.daily:
        writer.writerow(
            [d.day.isoformat(), d.sessions, d.total_ml, d.left_ml, d.right_ml, d.passive_ml]
            + ["" if d.longest_gap_minutes is None else d.longest_gap_minutes, d.let_downs, d.avg7_ml]
        )
    writer.writerow(
        ["total", r.sessions, r.total_ml, r.left_ml, r.right_ml, r.passive_ml]
        + ["" if r.longest_gap_minutes is None else r.longest_gap_minutes, "", ""]
    )
    return out.getvalue()


def render_pdf(bundle: ReportBundle, paper: str = "a4") -> bytes:
    """The report as a PDF on A4 or Letter paper, the chart drawn from the same SVG."""
    from letdown.render.report_pdf import render

    if paper not in PAPERS:
        from letdown.domain.errors import InvalidInput

        raise InvalidInput("paper", f"choose a4 or letter, got '{paper}'")
    return render(context(bundle), paper)


def household_report_html(
    db: Any, household_id: str, *, now: Any, start: str | None = None, end: str | None = None
) -> str:
    """The report page of a household and date range, read-only (what a share link shows)."""
    from letdown.services.portability import report as service

    return render_html(service.build(db, household_id, now=now, start=start, end=end))
