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
    shown = [*report.daily, *([report.partial_day] if report.partial_day else [])]
    totals = [convert(d.total_ml) for d in shown]
    averages = [convert(d.avg7_ml) for d in report.daily if d.avg7_ml is not None]
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
    for i, (day, value) in enumerate(zip(shown, totals, strict=True)):
        x = PAD_L + i * slot + slot * 0.15
        # Today (partial) is drawn pale with an outline: not a full day's bar.
        fill = 'fill="#d6e2f3" stroke="#5b8bd0" stroke-dasharray="3 2"' if day.partial else 'fill="#5b8bd0"'
        note = " so far (today)" if day.partial else ""
        parts.append(
            f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{slot * 0.7:.1f}" '
            f'height="{plot_h + PAD_T - y(value):.1f}" {fill}>'
            f"<title>{day.day.isoformat()}: {value:.0f} {unit}{note}</title></rect>"
        )
    every = max(1, math.ceil(len(shown) / 8))
    for i, day in enumerate(shown):
        if (len(shown) - 1 - i) % every == 0:
            parts.append(
                f'<text x="{PAD_L + i * slot + slot / 2:.1f}" y="{CHART_H - 8}" font-size="11" '
                f'text-anchor="middle" font-family="Helvetica, Arial, sans-serif" fill="#444444">'
                f"{day.day.strftime('%d %b')}</text>"
            )
    points = " ".join(
        f"{PAD_L + i * slot + slot / 2:.1f},{y(convert(d.avg7_ml)):.1f}"
        for i, d in enumerate(report.daily)
        if d.avg7_ml is not None
    )
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


def _pct(value: float | None) -> str:
    """A share as a person says it: whole percent."""
    return "-" if value is None else f"{value:.0f}%"


def count(n: int, word: str) -> str:
    """``1 let-down``, ``2 let-downs``: a count with its noun agreeing."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def spoken_volume(ml: float | None, units: Units) -> str:
    """A volume rounded as a person says it: whole ml, or oz to one decimal."""
    if ml is None:
        return "-"
    return format_volume(ml, units) if units is Units.OZ else f"{math.floor(ml + 0.5):d} ml"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("letdown.render", "templates"), autoescape=select_autoescape(["html"])
    )
    env.filters["hm"] = _hm
    env.filters["num"] = _num
    env.filters["pct"] = _pct
    return env


def context(
    bundle: ReportBundle, downloads: dict[str, str] | None = None, back: str | None = None
) -> dict[str, Any]:
    """What the template and the PDF show, with volumes already in the household's units."""
    r = bundle.report
    units = bundle.household.units

    def vol(ml: float | None) -> str:
        return spoken_volume(ml, units)

    from letdown.guidance.library import DISCLAIMER

    return {
        "disclaimer": DISCLAIMER,
        "b": bundle,
        "r": r,
        "vol": vol,
        "chart": chart_svg(r, units),
        "generated": bundle.generated_at.astimezone(bundle.tz).strftime("%Y-%m-%d %H:%M %Z"),
        "days": [*r.daily, *([r.partial_day] if r.partial_day else [])],
        "many_babies": len(bundle.babies) > 1,
        "count": count,
        "feeding": bundle.feeding.replace("my baby", "the baby"),
        "downloads": downloads,
        "back": back,
        "sides": [
            ("Left", r.left_ml, r.side_share(r.left_ml)),
            ("Right", r.right_ml, r.side_share(r.right_ml)),
            ("Passive (other side)", r.passive_ml, r.side_share(r.passive_ml)),
        ],
    }


def download_links(base: str, query: dict[str, str | None]) -> dict[str, str]:
    """The PDF and CSV addresses of a report page (same range)."""
    from urllib.parse import urlencode

    kept = {k: v for k, v in query.items() if v}
    return {f: f"{base}?{urlencode({**kept, 'format': f})}" for f in ("pdf", "csv")}


def render_html(
    bundle: ReportBundle, downloads: dict[str, str] | None = None, back: str | None = None
) -> str:
    """The whole report as one self-contained HTML page (no external files)."""
    return _environment().get_template("report.html").render(**context(bundle, downloads, back))


def render_csv(bundle: ReportBundle) -> str:
    """One row per day (today, when in range, marked partial), the totals of the complete days,
    then one row per session; volumes in millilitres."""
    r = bundle.report
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    headers = ["date", "sessions", "total_ml", "left_ml", "right_ml", "passive_ml"]
    writer.writerow([*headers, "longest_gap_minutes", "let_downs", "avg7_ml", "night_sessions", "partial"])
    for d in [*r.daily, *([r.partial_day] if r.partial_day else [])]:
        writer.writerow(
            [d.day.isoformat(), d.sessions, d.total_ml, d.left_ml, d.right_ml, d.passive_ml]
            + ["" if d.longest_gap_minutes is None else d.longest_gap_minutes, d.let_downs]
            + ["" if d.avg7_ml is None else d.avg7_ml, d.night_sessions, "yes" if d.partial else ""]
        )
    writer.writerow(
        ["total", r.sessions, r.total_ml, r.left_ml, r.right_ml, r.passive_ml]
        + ["" if r.longest_gap_minutes is None else r.longest_gap_minutes, "", "", r.night_sessions, ""]
    )
    if bundle.rows:
        writer.writerow([])
        cols = ["started_at", "baby", "method", "minutes", "left_ml", "right_ml", "passive_ml", "total_ml"]
        writer.writerow([*cols, "let_downs", "comfort", *(["note"] if bundle.notes_shown else [])])
        for s in bundle.rows:
            writer.writerow(
                [s.started_at.isoformat(), s.baby or "", s.method, s.minutes]
                + ["" if v is None else v for v in (s.left_ml, s.right_ml, s.passive_ml)]
                + [s.total_ml, s.let_downs, "" if s.comfort is None else s.comfort]
                + ([s.note or ""] if bundle.notes_shown else [])
            )
    if bundle.demo_note:  # sample data from `letdown demo`: said in the file too
        writer.writerow([])
        writer.writerow(["sample_data", bundle.demo_note])
    return out.getvalue()


def render_pdf(bundle: ReportBundle, paper: str = "a4") -> bytes:
    """The report as a PDF on A4 or Letter paper, the chart drawn from the same SVG."""
    from letdown.render.report_pdf import render

    if paper not in PAPERS:
        from letdown.domain.errors import InvalidInput

        raise InvalidInput("paper", f"choose a4 or letter, got '{paper}'")
    return render(context(bundle), paper)


def household_report_html(
    db: Any,
    household_id: str,
    *,
    now: Any,
    start: str | None = None,
    end: str | None = None,
    show_notes: bool = False,
) -> str:
    """The report page of a household and date range, read-only (what a share link shows)."""
    from letdown.services.portability import report as service

    return render_html(service.build(db, household_id, now=now, start=start, end=end, show_notes=show_notes))
