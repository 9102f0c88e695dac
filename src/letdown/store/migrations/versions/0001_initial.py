"""initial schema: households, members, babies, tokens, sessions

Revision ID: 0001
Revises:
Create Date: 2026-11-25 07:04:06.787789
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "households",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("units", sa.String(length=8), nullable=False),
        sa.Column("storage_profile", sa.String(length=16), nullable=False),
        sa.Column("usual_feed_ml", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "storage_profile IN ('cdc', 'abm', 'custom')",
            name=op.f("ck_households_storage_profile"),
        ),
        sa.CheckConstraint("units IN ('ml', 'oz')", name=op.f("ck_households_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_api_tokens_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "id", name=op.f("pk_api_tokens")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(
            "ix_api_tokens_household_id_token_hash", ["household_id", "token_hash"], unique=True
        )

    op.create_table(
        "babies",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_babies_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "id", name=op.f("pk_babies")),
    )
    op.create_table(
        "memberships",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('owner', 'caregiver', 'viewer')", name=op.f("ck_memberships_role")),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_memberships_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("household_id", "user_id", name=op.f("pk_memberships")),
    )
    op.create_table(
        "expression_sessions",
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("baby_id", sa.String(length=16), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("left_ml", sa.Float(), nullable=True),
        sa.Column("right_ml", sa.Float(), nullable=True),
        sa.Column("passive_ml", sa.Float(), nullable=True),
        sa.Column("let_downs", sa.JSON(), nullable=False),
        sa.Column("comfort", sa.SmallInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "method IN ('hand', 'pump', 'hands-on-pump', 'passive')",
            name=op.f("ck_expression_sessions_method"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id", "baby_id"],
            ["babies.household_id", "babies.id"],
            name=op.f("fk_expression_sessions_household_id_baby_id_babies"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_expression_sessions_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "id", name=op.f("pk_expression_sessions")),
    )
    with op.batch_alter_table("expression_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_expression_sessions_household_id_started_at",
            ["household_id", "started_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("expression_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_expression_sessions_household_id_started_at")

    op.drop_table("expression_sessions")
    op.drop_table("memberships")
    op.drop_table("babies")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_api_tokens_household_id_token_hash")

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("households")
