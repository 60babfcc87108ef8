"""clients of counseling centres: a login name (the pseudonym, case-folded) unique per centre, and
a password someone else set that must be changed at the first sign-in, and the centre's deletion
routine (days from a client's deletion to the erasure; from counseling's centre settings)

Revision ID: id0004
Revises: id0003
"""

import sqlalchemy as sa
from alembic import op

revision = "id0004"
down_revision = "id0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("login_name", sa.String(length=200), nullable=True))
    op.create_index("uq_accounts_centre_login", "accounts", ["organisation_id", "login_name"], unique=True)
    op.add_column("organisations", sa.Column("client_retention_days", sa.Integer(), nullable=True))
    op.add_column(
        "credentials", sa.Column("must_change", sa.Boolean(), nullable=False, server_default=sa.text("false"))
    )


def downgrade() -> None:
    op.drop_column("credentials", "must_change")
    op.drop_column("organisations", "client_retention_days")
    op.drop_index("uq_accounts_centre_login", table_name="accounts")
    op.drop_column("accounts", "login_name")
