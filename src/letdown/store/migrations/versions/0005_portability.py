"""portability: calendar feeds, Baby Buddy links, reminder settings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_calendar_feeds_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "id", name=op.f("pk_calendar_feeds")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calendar_feeds_household_id_token_hash", ["household_id", "token_hash"], unique=True
        )

    op.create_table(
        "babybuddy_links",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("server", sa.String(length=300), nullable=False),
        sa.Column("remote_kind", sa.String(length=16), nullable=False),
        sa.Column("remote_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "remote_kind IN ('pumping', 'feeding')", name=op.f("ck_babybuddy_links_remote_kind")
        ),
        sa.CheckConstraint("direction IN ('imported', 'pushed')", name=op.f("ck_babybuddy_links_direction")),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_babybuddy_links_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "id", name=op.f("pk_babybuddy_links")),
    )
    with op.batch_alter_table("babybuddy_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_babybuddy_links_household_id_server_remote_kind_remote_id",
            ["household_id", "server", "remote_kind", "remote_id"],
            unique=True,
        )
        batch_op.create_index(
            "ix_babybuddy_links_household_id_session_id", ["household_id", "session_id"], unique=False
        )

    op.create_table(
        "reminder_settings",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("night_gap_minutes", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_reminder_settings_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_reminder_settings")),
    )


def downgrade() -> None:
    op.drop_table("reminder_settings")
    with op.batch_alter_table("babybuddy_links", schema=None) as batch_op:
        batch_op.drop_index("ix_babybuddy_links_household_id_session_id")
        batch_op.drop_index("ix_babybuddy_links_household_id_server_remote_kind_remote_id")
    op.drop_table("babybuddy_links")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_feeds_household_id_token_hash")
    op.drop_table("calendar_feeds")
