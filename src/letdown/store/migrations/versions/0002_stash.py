"""stash: containers, their append-only events, and custom storage limits

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 07:11:26.278700
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "containers",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("expressed_at", sa.DateTime(), nullable=False),
        sa.Column("ml", sa.Float(), nullable=False),
        sa.Column("session_id", sa.String(length=16), nullable=True),
        sa.Column("split_from", sa.String(length=16), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ml > 0", name=op.f("ck_containers_ml_positive")),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_containers_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "id", name=op.f("pk_containers")),
    )
    with op.batch_alter_table("containers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_containers_household_id_expressed_at", ["household_id", "expressed_at"], unique=False
        )

    op.create_table(
        "storage_limits",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("case_name", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("use_by", sa.Integer(), nullable=False),
        sa.Column("use_soon_after", sa.Integer(), nullable=True),
        sa.Column("best_within", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("unit IN ('hours', 'days', 'months')", name=op.f("ck_storage_limits_unit")),
        sa.CheckConstraint("use_by > 0", name=op.f("ck_storage_limits_use_by_positive")),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_storage_limits_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "case_name", name=op.f("pk_storage_limits")),
    )
    op.create_table(
        "container_events",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("container_id", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("location", sa.String(length=8), nullable=True),
        sa.Column("ml", sa.Float(), nullable=True),
        sa.Column("other_id", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("copied_from", sa.String(length=16), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('stored', 'moved', 'thawed', 'feed-started', 'feed-finished', 'used', 'discarded', 'split-into', 'split-from')",
            name=op.f("ck_container_events_kind"),
        ),
        sa.CheckConstraint(
            "location IS NULL OR location IN ('room', 'fridge', 'freezer', 'cooler')",
            name=op.f("ck_container_events_location"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id", "container_id"],
            ["containers.household_id", "containers.id"],
            name=op.f("fk_container_events_household_id_container_id_containers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "container_id", "seq", name=op.f("pk_container_events")),
    )


def downgrade() -> None:
    op.drop_table("container_events")
    op.drop_table("storage_limits")
    with op.batch_alter_table("containers", schema=None) as batch_op:
        batch_op.drop_index("ix_containers_household_id_expressed_at")

    op.drop_table("containers")
