"""``Idempotency-Key`` at the edge: the declared header (so the OpenAPI documents it) and the
adapter between a route's response and ``services.idempotency``.

A route that creates or changes something takes ``key: IdempotencyKeyDep`` and wraps its work::

    return idempotent(db, household_id, key, "POST /api/v1/sessions", body, lambda: ..., now=now)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from letdown.services import idempotency

IdempotencyKeyDep = Annotated[
    str | None, Header(alias=idempotency.HEADER, description=idempotency.HEADER_DOC, max_length=1000)
]
#: The headers a replay repeats (a redirect's target, the body's type).
KEPT_HEADERS = ("location", "content-type")


def payload_of(body: Any) -> Any:
    return body.model_dump(mode="json") if isinstance(body, BaseModel) else jsonable_encoder(body)


def idempotent(
    db: Session,
    household_id: str,
    key: str | None,
    scope: str,
    body: Any,
    work: Callable[[], Any],
    *,
    now: datetime,
) -> Response:
    """``work()``'s response, once per ``key``; a repeat gets the first response again."""
    if key is None:
        result = work()
        return result if isinstance(result, Response) else JSONResponse(jsonable_encoder(result))

    def answered() -> idempotency.Answer:
        result = work()
        response = result if isinstance(result, Response) else JSONResponse(jsonable_encoder(result))
        headers = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
        return idempotency.Answer(response.status_code, bytes(response.body).decode("utf-8"), headers)

    print_ = idempotency.fingerprint(scope, payload_of(body))
    answer = idempotency.run(db, household_id, key, print_, answered, now=now)
    response = Response(answer.body, status_code=answer.status, headers=answer.headers)
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
