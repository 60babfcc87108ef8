"""video rooms for counseling appointments with channel video (appointments' SlotBooked)

Revision ID: msg0005
Revises: msg0004
"""

import sqlalchemy as sa
from alembic import op

revision = "msg0005"
down_revision = "msg0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video_appointments",
        sa.Column("booking_id", sa.String(length=100), nullable=False),
        sa.Column("centre_id", sa.String(length=100), nullable=False),
        sa.Column("counselor_id", sa.String(length=100), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("booking_id"),
        comment="booked video appointments (from appointments' events): who may enter their room",
    )
    op.add_column("video_rooms", sa.Column("booking_id", sa.String(length=100), nullable=True))
    op.create_index(op.f("ix_video_rooms_booking_id"), "video_rooms", ["booking_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_video_rooms_booking_id"), table_name="video_rooms")
    op.drop_column("video_rooms", "booking_id")
    op.drop_table("video_appointments")
