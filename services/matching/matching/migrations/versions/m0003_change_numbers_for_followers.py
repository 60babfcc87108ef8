"""change numbers on assistants and orders, tombstones of erased assistants (for index followers)

Revision ID: m0003
Revises: m0002
"""

from alembic import op
import sqlalchemy as sa

revision = "m0003"
down_revision = "m0002"
branch_labels = None
depends_on = None

NEXT = sa.text("nextval('projection_changes')")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE projection_changes")
    for table in ("assistants", "orders"):
        op.add_column(table, sa.Column("changed", sa.BigInteger(), server_default=NEXT, nullable=False))
        op.create_index(f"ix_{table}_changed", table, ["changed"])
    op.create_table(
        "removed_assistants",
        sa.Column("assistant_id", sa.String(length=200), primary_key=True),
        sa.Column("changed", sa.BigInteger(), server_default=NEXT, nullable=False),
    )
    op.create_index("ix_removed_assistants_changed", "removed_assistants", ["changed"])


def downgrade() -> None:
    op.drop_table("removed_assistants")
    for table in ("assistants", "orders"):
        op.drop_index(f"ix_{table}_changed", table)
        op.drop_column(table, "changed")
    op.execute("DROP SEQUENCE projection_changes")
