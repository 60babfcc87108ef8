"""video rooms for meetings (appointments of a contract process), not only for conversations

Revision ID: msg0003
Revises: msg0002
"""

from alembic import op
import sqlalchemy as sa

revision = "msg0003"
down_revision = "msg0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("contract_id", sa.String(length=200), nullable=False),
        sa.Column("seeker_id", sa.String(length=200), nullable=False),
        sa.Column("assistant_id", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.String(length=200), nullable=True),
        sa.Column("meeting_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("contract_id"),
    )
    op.alter_column("video_rooms", "conversation_id", existing_type=sa.String(length=64), nullable=True)
    op.add_column("video_rooms", sa.Column("contract_id", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_video_rooms_contract_id"), "video_rooms", ["contract_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_video_rooms_contract_id"), table_name="video_rooms")
    op.drop_column("video_rooms", "contract_id")
    op.alter_column("video_rooms", "conversation_id", existing_type=sa.String(length=64), nullable=False)
    op.drop_table("meetings")
