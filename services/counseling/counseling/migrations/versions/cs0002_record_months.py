"""record_months: case records summed per month, subject, channel and counselor (statistics)

Revision ID: cs0002
Revises: cs0001
"""

import sqlalchemy as sa
from alembic import op

revision = "cs0002"
down_revision = "cs0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_months",
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("counselor_id", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("centre_id", "month", "subject", "channel", "counselor_id"),
    )
    op.execute(
        "INSERT INTO record_months SELECT centre_id, date_trunc('month', occurred_on)::date, subject, channel, "
        "counselor_id, count(*), sum(minutes) FROM case_records GROUP BY 1, 2, 3, 4, 5"
    )


def downgrade() -> None:
    op.drop_table("record_months")
