"""coach: the link from a session to the coach plan it followed (coach_runs)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 07:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coach_runs",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("session_id", sa.String(length=16), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("visits", sa.JSON(), nullable=False),
        sa.Column("flow_slowed", sa.Integer(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("left_s", sa.Integer(), nullable=False),
        sa.Column("right_s", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id", "session_id"],
            ["expression_sessions.household_id", "expression_sessions.id"],
            name=op.f("fk_coach_runs_household_id_session_id_expression_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "session_id", name=op.f("pk_coach_runs")),
    )


def downgrade() -> None:
    op.drop_table("coach_runs")
