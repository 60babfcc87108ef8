"""a staff member's own login name (counselors, centre admins), unique, case-folded

Revision ID: id0005
Revises: id0004
"""

import sqlalchemy as sa
from alembic import op

revision = "id0005"
down_revision = "id0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("staff_login", sa.String(length=40), nullable=True))
    op.create_index("uq_accounts_staff_login", "accounts", ["staff_login"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_accounts_staff_login", table_name="accounts")
    op.drop_column("accounts", "staff_login")
