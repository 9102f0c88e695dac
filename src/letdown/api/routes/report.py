"""``/api/v1/report``: the figures of the clinician's report for a date range, as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from letdown.api.deps import DbDep, HouseholdDep, NowDep
from letdown.services.portability import report

router = APIRouter(tags=["report"])


@router.get("/report")
def get_report(
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    start: Annotated[str | None, Query(alias="from", description="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, Query(alias="to", description="Last day (included), YYYY-MM-DD.")] = None,
    include_demo: Annotated[
        bool, Query(description="Count sample data from `letdown demo` (left out by default).")
    ] = False,
) -> dict[str, Any]:
    """Totals and daily averages, per side and method, gaps, let-downs, comfort, the daily trend,
    the signs of expressing well counted over the sessions, and the stash now."""
    return report.build(db, household_id, now=now, start=start, end=end, include_demo=include_demo).as_json()
