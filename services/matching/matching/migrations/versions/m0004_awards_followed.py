"""change numbers on awards, tombstones of ended awards (followers keep workload current too)

Revision ID: m0004
Revises: m0003
"""

from alembic import op
import sqlalchemy as sa

revision = "m0004"
down_revision = "m0003"
branch_labels = None
depends_on = None

NEXT = sa.text("nextval('projection_changes')")


def upgrade() -> None:
    op.add_column("awards", sa.Column("changed", sa.BigInteger(), server_default=NEXT, nullable=False))
    op.create_index("ix_awards_changed", "awards", ["changed"])
    op.create_table(
        "ended_awards",
        sa.Column("order_id", sa.String(length=200), primary_key=True),
        sa.Column("changed", sa.BigInteger(), server_default=NEXT, nullable=False),
    )
    op.create_index("ix_ended_awards_changed", "ended_awards", ["changed"])


def downgrade() -> None:
    op.drop_table("ended_awards")
    op.drop_index("ix_awards_changed", "awards")
    op.drop_column("awards", "changed")
