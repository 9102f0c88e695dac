"""The report as a PDF (fpdf2, pure Python) on A4 or Letter, with the same figures as the HTML.

Core fonts only (nothing to install): text outside Latin-1 is shown with '?'.
"""

from __future__ import annotations

import io
from typing import Any


def _t(text: str) -> str:
    return (
        text.replace("\u2013", "-")
        .replace("\u00b7", "-")
        .encode("latin-1", errors="replace")
        .decode("latin-1")
    )


def _hm(minutes: int | None) -> str:
    from letdown.domain.schedule import hours_minutes

    return hours_minutes(minutes)


def _n(value: float | None, suffix: str = "") -> str:
    return "-" if value is None else f"{value:g}{suffix}"


def render(ctx: dict[str, Any], paper: str) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    b, r, vol = ctx["b"], ctx["r"], ctx["vol"]
    pdf = FPDF(orientation="P", unit="mm", format="A4" if paper == "a4" else "Letter")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.set_title(_t(f"Expression report: {b.household.name}"))
    pdf.set_creator("letdown")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    head = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 7, _t(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)

    def table(rows: list[list[str]], widths: tuple[int, ...] | None = None) -> None:
        pdf.set_font("Helvetica", "", 9)
        with pdf.table(col_widths=widths, headings_style=head, line_height=5.5, text_align="LEFT") as t:
            for row in rows:
                cells = t.row()
                for value in row:
                    cells.cell(_t(value))

    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, _t(f"Expression report: {b.household.name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        5,
        _t(
            f"{r.start:%d %b %Y} to {r.end:%d %b %Y} ({r.days} days) - times in {b.household.timezone} - "
            f"generated {ctx['generated']} by letdown"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )

    heading("Totals")
    table(
        [
            ["Sessions", "Sessions a day", "Total volume", "Daily average", "Mean length", "Longest gap"],
            [
                str(r.sessions),
                _n(r.sessions_per_day),
                vol(r.total_ml),
                vol(r.daily_average_ml),
                _n(r.mean_minutes, " min"),
                _hm(r.longest_gap_minutes),
            ],
        ]
    )
    heading("By side")
    table([["Side", "Volume", "Share"], *([n, vol(ml), _n(share, "%")] for n, ml, share in ctx["sides"])])
    heading("By method")
    if r.methods:
        table(
            [
                ["Method", "Sessions", "Volume", "Mean a session", "Mean length"],
                *(
                    [m.method, str(m.sessions), vol(m.total_ml), vol(m.mean_ml), _n(m.mean_minutes, " min")]
                    for m in r.methods
                ),
            ]
        )
    else:
        pdf.cell(0, 6, "No sessions in this period.", new_x="LMARGIN", new_y="NEXT")
    heading("Let-downs and comfort")
    table(
        [
            [
                "Let-downs a session",
                "Sessions with let-downs marked",
                "Comfort (mean, 0-10)",
                "Lowest comfort",
            ],
            [
                _n(r.let_downs_per_session),
                str(r.sessions_with_let_downs),
                _n(r.comfort_mean),
                "-" if r.comfort_min is None else str(r.comfort_min),
            ],
        ]
    )

    heading("Volume trend")
    chart_h = width * 220 / 640
    if pdf.get_y() + chart_h > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(ctx["chart"].encode()), x=pdf.l_margin, y=pdf.get_y(), w=width)
    pdf.set_y(pdf.get_y() + chart_h + 2)
    if r.first_week_avg_ml is not None:
        pdf.cell(
            0,
            5,
            _t(
                f"First 7 days: {vol(r.first_week_avg_ml)} a day on average; "
                f"last 7 days: {vol(r.last_week_avg_ml)} a day."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )

    heading("Day by day")
    table(
        [
            ["Day", "Sessions", "Volume", "Left", "Right", "Longest gap", "Let-downs"],
            *(
                [
                    f"{d.day:%a %d %b}",
                    str(d.sessions),
                    vol(d.total_ml),
                    vol(d.left_ml),
                    vol(d.right_ml),
                    _hm(d.longest_gap_minutes),
                    str(d.let_downs),
                ]
                for d in r.daily
            ),
        ]
    )

    heading("Signs of expressing well")
    if b.signs is None:
        pdf.cell(0, 6, "Assessment: not available.", new_x="LMARGIN", new_y="NEXT")
    elif not b.signs:
        pdf.cell(0, 6, "No sessions to assess in this period.", new_x="LMARGIN", new_y="NEXT")
    else:
        table(
            [
                ["Sign", "Pass", "Attention", "Unknown", "Sources"],
                *(
                    [s.title, str(s.passed), str(s.attention), str(s.unknown), ", ".join(s.sources)]
                    for s in b.signs
                ),
            ],
            (34, 10, 12, 12, 32),
        )

    heading("Milk stash now")
    if b.stash is None:
        pdf.cell(0, 6, "Stash: not available.", new_x="LMARGIN", new_y="NEXT")
    else:
        table(
            [
                ["Where", "Containers", "Usable volume", "Feeds", "Expired"],
                *(
                    [p.location.value, str(p.containers), vol(p.ml), _n(p.feeds), str(p.expired)]
                    for p in b.stash.places
                ),
            ]
        )
        if b.stash.note:
            pdf.multi_cell(0, 5, _t(b.stash.note), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 4.5, _t(ctx["disclaimer"]), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
