"""calendar_feeds: a counselor's private iCalendar feed (the token's hash only)

Revision ID: a0004
Revises: a0003
"""

import sqlalchemy as sa
from alembic import op

revision = "a0004"
down_revision = "a0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=100), nullable=False),
        sa.Column("counselor_id", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
        comment="a counselor's private iCalendar feed: only the SHA-256 of the URL's secret token is kept",
    )
    op.create_index("ix_calendar_feeds_owner", "calendar_feeds", ["centre_id", "counselor_id"])


def downgrade() -> None:
    op.drop_table("calendar_feeds")
