"""``letdown report``: the report for a lactation consultant, as HTML, PDF or CSV."""

from __future__ import annotations

from pathlib import Path

import click

from letdown.cli.common import App, pass_app


@click.command()
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day (default: 13 days before --to).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day, included (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "csv", "json"]),
    default="html",
    show_default=True,
    help="html: one self-contained page. pdf: for printing. csv: one row a day. json: the API's shape.",
)
@click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="PDF paper."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write ('-': stdout).",
)
@click.option(
    "--include-demo", is_flag=True, help="Count sample data from `letdown demo` (left out by default)."
)
@pass_app
def report(
    app: App, start: str | None, end: str | None, fmt: str, paper: str, out: Path, include_demo: bool
) -> None:
    """Write a report of a date range: totals, per side and method, gaps, let-downs, comfort,
    the volume trend with a chart, the signs of expressing well, and the stash.

    Example: letdown report --from 2026-11-01 --to 2026-11-14 --format pdf --paper letter --out report.pdf
    """
    import json

    from letdown.render import report as render
    from letdown.services.portability import report as service

    with app.session() as db:
        bundle = service.build(
            db, app.household(db).id, now=app.now(), start=start, end=end, include_demo=include_demo
        )
    if fmt == "pdf":
        data: bytes = render.render_pdf(bundle, paper)
    elif fmt == "csv":
        data = render.render_csv(bundle).encode()
    elif fmt == "json":
        data = (json.dumps(bundle.as_json(), indent=2, ensure_ascii=False) + "\n").encode()
    else:
        data = render.render_html(bundle).encode()
    if str(out) == "-":
        click.echo(data, nl=False)  # bytes go to the binary stdout
        return
    from letdown.files import write_private

    write_private(out, data)
    r = bundle.report
    click.echo(f"Wrote {out}: {r.start.isoformat()} to {r.end.isoformat()}, {r.sessions} sessions ({fmt})")
    if bundle.demo_note:
        click.echo(bundle.demo_note)
