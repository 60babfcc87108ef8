"""centre_settings_view: the rules the free-slot query needs, one row per centre

Revision ID: a0003
Revises: a0002
"""

import sqlalchemy as sa
from alembic import op

revision = "a0003"
down_revision = "a0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "centre_settings_view",
        sa.Column("centre_id", sa.String(length=100), nullable=False),
        sa.Column("horizon_weeks", sa.Integer(), nullable=False),
        sa.Column("lead_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("centre_id"),
        comment="what the free-slot query needs of a centre's rules (written with the centre's events)",
    )


def downgrade() -> None:
    op.drop_table("centre_settings_view")
