"""mail counseling threads

Revision ID: cs0003
Revises: cs0002
"""

import sqlalchemy as sa
from alembic import op

revision = "cs0003"
down_revision = "cs0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_threads",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("assignee_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sealed_subject", sa.Text(), nullable=True),
        sa.Column("draft_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_for", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mail_threads_centre_status", "mail_threads", ["centre_id", "status"])
    op.create_index("ix_mail_threads_centre_assignee", "mail_threads", ["centre_id", "assignee_id"])
    op.create_index("ix_mail_threads_client", "mail_threads", ["client_id", "created_at"])


def downgrade() -> None:
    op.drop_table("mail_threads")
