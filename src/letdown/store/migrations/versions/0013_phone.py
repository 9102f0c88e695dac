"""share links: whether the parent's session notes are shown through this link (issue 16)

Revision ID: 0013_phone
Revises: 0012_one_settings
Create Date: 2026-12-01 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_phone"
down_revision = "0012_one_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("share_links") as batch:
        batch.add_column(sa.Column("show_notes", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("share_links") as batch:
        batch.drop_column("show_notes")
