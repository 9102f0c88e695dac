"""triage: a household's country and its own emergency number

Revision ID: 0008_triage_emergency
Revises: 0007_feeding_mode
Create Date: 2026-12-01 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_triage_emergency"
down_revision = "0007_feeding_mode"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("households", sa.Column("country", sa.String(length=2), nullable=True))
    op.add_column("households", sa.Column("emergency_number", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("households") as batch:
        batch.drop_column("emergency_number")
        batch.drop_column("country")
