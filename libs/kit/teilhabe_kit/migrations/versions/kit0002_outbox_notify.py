"""Notify the relay when outbox rows commit (wakes it without polling delay).

Revision ID: kit0002
Revises: kit0001
"""

from alembic import op

revision = "kit0002"
down_revision = "kit0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('teilhabe_outbox', '');
            RETURN NULL;
        END $$;
        """
    )
    op.execute(
        "CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox "
        "FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER outbox_inserted ON outbox")
    op.execute("DROP FUNCTION outbox_notify()")
