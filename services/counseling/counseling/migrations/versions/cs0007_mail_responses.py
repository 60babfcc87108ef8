"""mail counseling's answered waits (response times per centre)

Revision ID: cs0007
Revises: cs0006
"""

import sqlalchemy as sa
from alembic import op

revision = "cs0007"
down_revision = "cs0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_responses",
        sa.Column("thread_id", sa.String(length=64), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("counselor_id", sa.String(length=64), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("thread_id", "answered_at"),
    )
    op.create_index("ix_mail_responses_centre", "mail_responses", ["centre_id", "answered_at"])


def downgrade() -> None:
    op.drop_table("mail_responses")
