"""household_settings.feeding_mode: how the baby feeds (exclusive, partly, occasional; null: not said)

Revision ID: 0007_feeding_mode
Revises: 0005
Create Date: 2026-12-01 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_feeding_mode"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("household_settings") as batch:
        batch.add_column(sa.Column("feeding_mode", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("household_settings") as batch:
        batch.drop_column("feeding_mode")
