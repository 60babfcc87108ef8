"""counseling chats: clients learned from counseling, chats with members and sealed messages, the
walk-in queue's rate windows, video rooms started from a chat

Revision ID: msg0004
Revises: msg0003
"""

from alembic import op
import sqlalchemy as sa

revision = "msg0004"
down_revision = "msg0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counseling_clients",
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("centre_id", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("client_id"),
    )
    op.create_index(op.f("ix_counseling_clients_centre_id"), "counseling_clients", ["centre_id"], unique=False)
    op.create_table(
        "chats",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("client_id", sa.String(length=200), nullable=True),
        sa.Column("guest_id", sa.String(length=64), nullable=True),
        sa.Column("guest_name", sa.Text(), nullable=True),
        sa.Column("guest_secret", sa.String(length=64), nullable=True),
        sa.Column("guest_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("accepted_by", sa.String(length=200), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=10), nullable=True),
        sa.Column("last_seq", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guest_id"),
        sa.UniqueConstraint("guest_secret"),
    )
    op.create_index(op.f("ix_chats_client_id"), "chats", ["client_id"], unique=False)
    op.create_index(
        "ix_chats_queue", "chats", ["centre_id", "requested_at"], unique=False, postgresql_where=sa.text("state = 'waiting'")
    )
    op.create_table(
        "chat_members",
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("read_seq", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"]),
        sa.PrimaryKeyConstraint("chat_id", "person_id"),
    )
    op.create_index("ix_chat_members_person", "chat_members", ["person_id"], unique=False)
    op.create_table(
        "chat_messages",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "seq", name="uq_chat_messages_seq"),
        sa.UniqueConstraint("chat_id", "author_id", "idempotency_key", name="uq_chat_messages_idempotency"),
    )
    op.create_table(
        "rate_windows",
        sa.Column("bucket", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window_start"),
    )
    op.add_column("video_rooms", sa.Column("chat_id", sa.String(length=64), nullable=True))
    op.create_foreign_key("video_rooms_chat_id_fkey", "video_rooms", "chats", ["chat_id"], ["id"])
    op.create_index(op.f("ix_video_rooms_chat_id"), "video_rooms", ["chat_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_video_rooms_chat_id"), table_name="video_rooms")
    op.drop_constraint("video_rooms_chat_id_fkey", "video_rooms", type_="foreignkey")
    op.drop_column("video_rooms", "chat_id")
    op.drop_table("rate_windows")
    op.drop_table("chat_messages")
    op.drop_index("ix_chat_members_person", table_name="chat_members")
    op.drop_table("chat_members")
    op.drop_index("ix_chats_queue", table_name="chats")
    op.drop_index(op.f("ix_chats_client_id"), table_name="chats")
    op.drop_table("chats")
    op.drop_index(op.f("ix_counseling_clients_centre_id"), table_name="counseling_clients")
    op.drop_table("counseling_clients")
