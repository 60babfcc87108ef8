"""counseling centres: staff memberships, seats, seat requests, invitation links, session centre

Revision ID: id0002
Revises: id0001
"""

import sqlalchemy as sa
from alembic import op

revision = "id0002"
down_revision = "id0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organisations", sa.Column("agreement_signed", sa.Boolean(), server_default="false", nullable=False))
    op.add_column("organisations", sa.Column("seats", sa.Integer(), nullable=True))
    op.create_table(
        "centre_staff",
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("joined", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("invitation_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("centre_id", "account_id"),
    )
    op.create_index("ix_centre_staff_account", "centre_staff", ["account_id"])
    op.create_table(
        "seat_requests",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index("ix_seat_requests_centre_id", "seat_requests", ["centre_id"])
    op.add_column("refresh_tokens", sa.Column("centre_id", sa.String(length=64), nullable=True))
    op.add_column(
        "password_resets", sa.Column("purpose", sa.String(length=16), server_default="password", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("password_resets", "purpose")
    op.drop_column("refresh_tokens", "centre_id")
    op.drop_index("ix_seat_requests_centre_id", table_name="seat_requests")
    op.drop_table("seat_requests")
    op.drop_index("ix_centre_staff_account", table_name="centre_staff")
    op.drop_table("centre_staff")
    op.drop_column("organisations", "seats")
    op.drop_column("organisations", "agreement_signed")
