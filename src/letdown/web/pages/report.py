"""``/report``: the clinician's report of the signed-in household, as a page, PDF or CSV."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from letdown.api.deps import DbDep, NowDep
from letdown.api.guard import REPORT_HEADERS
from letdown.domain.errors import InvalidInput
from letdown.domain.permissions import Action
from letdown.web import deps
from letdown.web.deps import MaybeViewerDep
from letdown.web.render import redirect

router = APIRouter(include_in_schema=False)

TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
HEADERS = REPORT_HEADERS


@router.get("/report")
def report_page(
    request: Request,
    db: DbDep,
    now: NowDep,
    viewer: MaybeViewerDep,
    start: str | None = Query(None, alias="from"),
    end: str | None = Query(None, alias="to"),
    format: str = "html",
    paper: str = "a4",
    include_demo: bool = False,
) -> Response:
    from letdown.render import report as render
    from letdown.services.portability import report as service

    if viewer is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return redirect(f"/signin?next={quote(target, safe='')}")
    member = deps.get_member(viewer)
    deps.require(member, Action.VIEW_LOG)
    assert member.household_id is not None
    if format not in ("html", "pdf", "csv"):
        raise InvalidInput("format", f"choose html, pdf or csv, got '{format}'")
    bundle = service.build(db, member.household_id, now=now, start=start, end=end, include_demo=include_demo)
    name = f"letdown-report-{bundle.report.start.isoformat()}-{bundle.report.end.isoformat()}"
    if format == "pdf":
        body = render.render_pdf(bundle, paper)
    elif format == "csv":
        body = render.render_csv(bundle).encode()
    else:
        links = render.download_links("/report", {"from": start, "to": end})
        return HTMLResponse(render.render_html(bundle, links, back="/"), headers=HEADERS)
    disposition = f'attachment; filename="{name}.{format}"'
    return Response(body, media_type=TYPES[format], headers={**HEADERS, "Content-Disposition": disposition})
