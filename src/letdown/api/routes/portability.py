"""``/api/v1/export`` and ``/api/v1/import``: the whole household as one versioned JSON file."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request, Response

from letdown.api.deps import DbDep, HouseholdDep, NowDep
from letdown.api.idempotency import IdempotencyKeyDep, idempotent
from letdown.services.portability import archive as portability

router = APIRouter(tags=["export"])


@router.get("/export", response_class=Response)
def get_export(db: DbDep, household_id: HouseholdDep) -> Response:
    """The same file as ``letdown export``: settings, babies, sessions, the stash with its history."""
    text = portability.dumps(portability.export_household(db, household_id))
    return Response(
        text,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="letdown-export.json"'},
    )


@router.post("/import")
async def post_import(
    request: Request,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    merge: bool = False,
    key: IdempotencyKeyDep = None,
) -> Any:
    """Restore a file from ``/export`` into this household: refused (409) when it holds data,
    unless ``merge=true``; a file that is not an export, or breaks a rule, is refused (409) and
    changes nothing."""
    from starlette.concurrency import run_in_threadpool

    raw = await request.body()
    data = portability.loads(raw, "the request body")

    def work() -> dict[str, Any]:
        result = portability.import_household(
            db, data, now=now, household_id=household_id, merge=merge, name="the request body"
        )
        return result.as_json()

    # The file itself is the request: its hash (with merge) names what a repeat must match.
    payload = {"merge": merge, "sha256": hashlib.sha256(raw).hexdigest()}
    return await run_in_threadpool(idempotent, db, household_id, key, "POST /import", payload, work, now=now)
