"""settings: one table for a household's settings (the night gap joins household_settings)

The longest night gap lived in ``reminder_settings`` beside ``household_settings``; both are
one household's settings, written together by the settings form. The night gap moves into
``household_settings.night_gap_minutes`` (a household with only a reminder row gets a settings
row with the defaults and that row's time) and ``reminder_settings`` goes.

Revision ID: 0012_one_settings
Revises: 0010_idempotency
Create Date: 2026-12-01 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_one_settings"
down_revision = "0010_idempotency"
branch_labels = None
depends_on = None

_settings = sa.table(
    "household_settings",
    sa.column("household_id", sa.String),
    sa.column("share_log", sa.Boolean),
    sa.column("session_interval_minutes", sa.Integer),
    sa.column("night_gap_minutes", sa.Integer),
    sa.column("feeding_mode", sa.String),
    sa.column("updated_at", sa.DateTime),
)
_reminders = sa.table(
    "reminder_settings",
    sa.column("household_id", sa.String),
    sa.column("night_gap_minutes", sa.Integer),
    sa.column("updated_at", sa.DateTime),
)


def upgrade() -> None:
    with op.batch_alter_table("household_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("night_gap_minutes", sa.Integer(), nullable=True))
    has_settings = sa.exists().where(_settings.c.household_id == _reminders.c.household_id)
    op.execute(
        _settings.insert().from_select(
            ["household_id", "share_log", "updated_at"],
            sa.select(_reminders.c.household_id, sa.false(), _reminders.c.updated_at).where(~has_settings),
        )
    )
    gap = (
        sa.select(_reminders.c.night_gap_minutes)
        .where(_reminders.c.household_id == _settings.c.household_id)
        .scalar_subquery()
    )
    op.execute(_settings.update().values(night_gap_minutes=gap))
    op.drop_table("reminder_settings")


def downgrade() -> None:
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
    op.execute(
        _reminders.insert().from_select(
            ["household_id", "night_gap_minutes", "updated_at"],
            sa.select(_settings.c.household_id, _settings.c.night_gap_minutes, _settings.c.updated_at).where(
                _settings.c.night_gap_minutes.is_not(None)
            ),
        )
    )
    with op.batch_alter_table("household_settings", schema=None) as batch_op:
        batch_op.drop_column("night_gap_minutes")
