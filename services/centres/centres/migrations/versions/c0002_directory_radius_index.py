"""directory: partial index on the radius of listed centres (the white-spot check's box)

Revision ID: c0002
Revises: c0001
Create Date: 2026-12-03 11:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = 'c0002'
down_revision = 'c0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_directory_listed_radius', 'directory', ['radius_km'], unique=False, postgresql_where=sa.text('listed'))


def downgrade() -> None:
    op.drop_index('ix_directory_listed_radius', table_name='directory', postgresql_where=sa.text('listed'))
