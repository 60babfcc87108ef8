"""documents per client (sealed with the client's key)

Revision ID: cs0004
Revises: cs0003
"""

import sqlalchemy as sa
from alembic import op

revision = "cs0004"
down_revision = "cs0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_documents",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_client_documents_client", "client_documents", ["client_id", "uploaded_at"])


def downgrade() -> None:
    op.drop_table("client_documents")
