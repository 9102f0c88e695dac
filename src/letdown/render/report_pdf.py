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
        .replace("\u2014", "-")
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
    num = ctx["count"]
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
    head_rows = [
        ["Baby", f"{x.name}: age {x.age}; gestation at birth {x.gestation_at_birth}"] for x in b.babies
    ]
    head_rows = head_rows or [["Baby", "not recorded"]]
    dates = f"{r.start:%d %b %Y} to {r.end:%d %b %Y}: {b.range_note}"
    if r.partial_day:
        dates += f"; averages cover the {r.complete_days} complete days, today is shown apart"
    head_rows += [
        ["Feeding", ctx["feeding"]],
        ["Dates", dates],
        ["Times", f"{b.household.timezone}; generated {ctx['generated']} by letdown"],
    ]
    table(head_rows, (20, 80))

    heading("Averages over complete days")
    if r.complete_days:
        table(
            [
                ["Volume a day", "Sessions a day", "Night sessions a day", "Longest gap", "Mean length"],
                [
                    vol(r.daily_average_ml),
                    _n(r.sessions_per_day),
                    _n(r.night_sessions_per_day),
                    _hm(r.longest_gap_minutes),
                    _n(r.mean_minutes, " min"),
                ],
            ]
        )
        pdf.cell(
            0,
            5,
            _t(
                f"{num(r.sessions, 'session')}, {vol(r.total_ml)} "
                f"over {num(r.complete_days, 'complete day')}."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    else:
        pdf.cell(
            0, 6, "No complete day in this range yet: nothing is averaged.", new_x="LMARGIN", new_y="NEXT"
        )

    heading("Last 24 hours")
    last = r.last24
    line = (
        f"{num(last.sessions, 'session')}, {vol(last.total_ml)} (left {vol(last.left_ml)}, "
        f"right {vol(last.right_ml)}), up to {last.until.astimezone(b.tz):%d %b %H:%M}."
    )
    if r.partial_day:
        line += (
            f" Today so far (not averaged): {num(r.partial_day.sessions, 'session')}, "
            f"{vol(r.partial_day.total_ml)}."
        )
    pdf.multi_cell(0, 5, _t(line), new_x="LMARGIN", new_y="NEXT")

    heading("By side")
    table(
        [
            ["Side", "Volume", "Share"],
            *([n, vol(ml), "-" if share is None else f"{share:.0f}%"] for n, ml, share in ctx["sides"]),
        ]
    )
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
                f"First 7 complete days: {vol(r.first_week_avg_ml)} a day on average; "
                f"last 7 complete days: {vol(r.last_week_avg_ml)} a day."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )

    heading("Day by day")
    table(
        [
            ["Day", "Sessions", "Night", "Volume", "Left", "Right", "Longest gap", "Let-downs"],
            *(
                [
                    f"{d.day:%a %d %b}" + (" (today, so far)" if d.partial else ""),
                    str(d.sessions),
                    str(d.night_sessions),
                    vol(d.total_ml),
                    vol(d.left_ml),
                    vol(d.right_ml),
                    _hm(d.longest_gap_minutes),
                    str(d.let_downs),
                ]
                for d in ctx["days"]
            ),
        ]
    )

    heading("Sessions")
    if b.rows:
        pdf.cell(
            0,
            5,
            "With the parent's notes." if b.notes_shown else "The parent's notes are not shared here.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        many = ctx["many_babies"]
        header = ["Started", *(["Baby"] if many else []), "Method", "Min", "Left", "Right", "Total"]
        header += ["Let-downs", "Comfort", *(["Note"] if b.notes_shown else [])]
        table(
            [
                header,
                *(
                    [
                        f"{x.started_at:%a %d %b %H:%M}",
                        *([x.baby or "-"] if many else []),
                        x.method,
                        str(x.minutes),
                        vol(x.left_ml),
                        vol(x.right_ml),
                        vol(x.total_ml),
                        str(x.let_downs),
                        "-" if x.comfort is None else str(x.comfort),
                        *([x.note or ""] if b.notes_shown else []),
                    ]
                    for x in reversed(b.rows)
                ),
            ]
        )
    else:
        pdf.cell(0, 6, "No sessions in this period.", new_x="LMARGIN", new_y="NEXT")

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
        if b.supply is not None and b.supply.days is not None:
            pdf.set_font("Helvetica", "B", 9)
            pdf.multi_cell(
                0,
                5,
                _t(
                    f"About {_n(b.supply.days)} days of supply: {vol(b.supply.usable_ml)} usable, at the "
                    f"usual feed of {vol(b.supply.usual_feed_ml)} and {_n(b.supply.feeds_per_day)} feeds "
                    f"a day ({b.supply.source})."
                ),
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.set_font("Helvetica", "", 9)
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
    if b.demo_note:
        pdf.multi_cell(0, 4.5, _t(f"Sample data. {b.demo_note}"), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 4.5, _t(ctx["disclaimer"]), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
