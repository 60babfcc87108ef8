"""messages: Idempotency-Key of the POST that created them

Revision ID: msg0002
Revises: msg0001
"""

from alembic import op
import sqlalchemy as sa

revision = "msg0002"
down_revision = "msg0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("idempotency_key", sa.String(length=100), nullable=True))
    op.create_unique_constraint("uq_messages_idempotency", "messages", ["author_id", "idempotency_key"])


def downgrade() -> None:
    op.drop_constraint("uq_messages_idempotency", "messages", type_="unique")
    op.drop_column("messages", "idempotency_key")
