"""accounts: who opened an account for the person (an interested person's is limited until verified)

Revision ID: id0003
Revises: id0002
"""

import sqlalchemy as sa
from alembic import op

revision = "id0003"
down_revision = "id0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("created_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("accounts", "created_by")
