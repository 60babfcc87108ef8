"""centre_staff: the centres' teams from identity's events

Revision ID: a0002
Revises: a0001
"""

import sqlalchemy as sa
from alembic import op

revision = "a0002"
down_revision = "a0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "centre_staff",
        sa.Column("centre_id", sa.String(length=100), nullable=False),
        sa.Column("account_id", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("centre_id", "account_id"),
        comment="the centres' teams as identity announces them (StaffJoined / RoleChanged / Removed)",
    )


def downgrade() -> None:
    op.drop_table("centre_staff")
