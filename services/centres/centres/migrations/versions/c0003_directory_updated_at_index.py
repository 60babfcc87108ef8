"""directory: index on updated_at (each replica's finder index reads the recent changes)

Revision ID: c0003
Revises: c0002
Create Date: 2026-12-03 17:30:00
"""

from alembic import op

revision = 'c0003'
down_revision = 'c0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_directory_updated_at', 'directory', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_directory_updated_at', table_name='directory')
