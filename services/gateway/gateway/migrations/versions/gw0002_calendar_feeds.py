"""calendar feeds of assistants

Revision ID: gw0002
Revises: gw0001
Create Date: 2026-12-03 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "gw0002"
down_revision = "gw0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("account_id", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False, comment="SHA-256 of the secret in the feed URL"),
        sa.Column("data", sa.LargeBinary(), nullable=True, comment="AES-GCM sealed iCalendar text as of the last visit"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id"),
        sa.UniqueConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("calendar_feeds")
