"""A clinician's read-only view through a share link: the household's report (issue 7's
``render/report.py``) as a page, PDF or CSV.

No sign-in: the link's token is the key. It shows the report and nothing else, and it stops
working once it expires or is revoked.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from letdown.api.deps import DbDep, NowDep
from letdown.api.guard import REPORT_HEADERS
from letdown.domain.errors import InvalidInput
from letdown.services.accounts import members

router = APIRouter(include_in_schema=False)

TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
HEADERS = REPORT_HEADERS


@router.get("/share/{token}")
def shared(
    db: DbDep,
    now: NowDep,
    token: str,
    start: str | None = Query(None, alias="from"),
    end: str | None = Query(None, alias="to"),
    format: str = "html",
    paper: str = "a4",
) -> Response:
    from letdown.render import report as render
    from letdown.services.portability import report as service

    members.resolve_share(db, token, now=now)
    if format not in ("html", "pdf", "csv"):
        raise InvalidInput("format", f"choose html, pdf or csv, got '{format}'")
    bundle = service.build(db, members.share_household(token), now=now, start=start, end=end)
    if format == "html":
        return HTMLResponse(render.render_html(bundle), headers=HEADERS)
    body = render.render_pdf(bundle, paper) if format == "pdf" else render.render_csv(bundle).encode()
    name = f"letdown-report-{bundle.report.start.isoformat()}-{bundle.report.end.isoformat()}.{format}"
    return Response(
        body,
        media_type=TYPES[format],
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
