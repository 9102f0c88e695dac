"""storage: the 'warmed' container event (milk warmed for a feed starts a 2-hour clock)

Revision ID: 0009_storage_warm
Revises: 0008_triage_emergency
Create Date: 2026-12-01 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_storage_warm"
down_revision = "0008_triage_emergency"
branch_labels = None
depends_on = None

_BEFORE = (
    "stored",
    "moved",
    "thawed",
    "feed-started",
    "feed-finished",
    "used",
    "discarded",
    "split-into",
    "split-from",
)
_AFTER = (*_BEFORE[:3], "warmed", *_BEFORE[3:])


def _kinds(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table("container_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_container_events_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_container_events_kind"), _kinds(_AFTER))


def downgrade() -> None:
    # A warming's 2-hour clock is part of a container's history: dropping it would give the milk
    # more time than the rules allow, so a database that holds one is not downgraded.
    warmed = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM container_events WHERE kind = 'warmed'"))
    if warmed.scalar():
        raise RuntimeError(
            "Containers have 'warmed' events; the older schema cannot hold them. Export first, "
            "and stay on this version."
        )
    with op.batch_alter_table("container_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_container_events_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_container_events_kind"), _kinds(_BEFORE))
