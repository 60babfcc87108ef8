"""matching's own stream version lives in the order's row (one statement less per decision)

Revision ID: m0002
Revises: m0001
"""

from alembic import op
import sqlalchemy as sa

revision = "m0002"
down_revision = "m0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("emitted", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE orders SET emitted = e.version FROM emitted_streams e WHERE e.stream_id = orders.order_id"
    )
    op.drop_table("emitted_streams")


def downgrade() -> None:
    op.create_table(
        "emitted_streams",
        sa.Column("stream_id", sa.String(length=200), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO emitted_streams SELECT order_id, emitted FROM orders WHERE emitted > 0")
    op.drop_column("orders", "emitted")
