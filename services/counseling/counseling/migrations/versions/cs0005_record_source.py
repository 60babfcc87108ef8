"""a case record's source contact (mail thread, chat or appointment)

Revision ID: cs0005
Revises: cs0004
"""

import sqlalchemy as sa
from alembic import op

revision = "cs0005"
down_revision = "cs0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case_records", sa.Column("source_type", sa.String(length=20), nullable=True))
    op.add_column("case_records", sa.Column("source_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("case_records", "source_id")
    op.drop_column("case_records", "source_type")
