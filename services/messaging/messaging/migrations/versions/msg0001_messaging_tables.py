"""messaging tables

Revision ID: msg0001
Revises: 
Create Date: 2026-11-22 07:02:07.305879
"""

from alembic import op
import sqlalchemy as sa


revision = 'msg0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('actor_id', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=True),
    sa.Column('report_id', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('conversations',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('order_id', sa.String(length=200), nullable=True),
    sa.Column('offer_id', sa.String(length=200), nullable=True),
    sa.Column('organisation_id', sa.String(length=200), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('opened_by', sa.String(length=200), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_seq', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('offer_id')
    )
    op.create_table('guardianships',
    sa.Column('ward_id', sa.String(length=200), nullable=False),
    sa.Column('guardian_id', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('ward_id', 'guardian_id')
    )
    op.create_table('memberships',
    sa.Column('account_id', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('account_id', 'organisation_id')
    )
    op.create_index('ix_memberships_org', 'memberships', ['organisation_id', 'role'], unique=False)
    op.create_table('notifications',
    sa.Column('seq', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('recipient_id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.Text(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('source_event_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('id'),
    sa.UniqueConstraint('source_event_id', 'recipient_id', 'kind', name='uq_notification_source')
    )
    op.create_index('ix_notifications_recipient', 'notifications', ['recipient_id', 'seq'], unique=False)
    op.create_table('offers',
    sa.Column('offer_id', sa.String(length=200), nullable=False),
    sa.Column('order_id', sa.String(length=200), nullable=False),
    sa.Column('seeker_id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('assistant_id', sa.String(length=200), nullable=True),
    sa.Column('organisation_id', sa.String(length=200), nullable=True),
    sa.Column('submitted_by', sa.String(length=200), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.PrimaryKeyConstraint('offer_id')
    )
    op.create_index(op.f('ix_offers_order_id'), 'offers', ['order_id'], unique=False)
    op.create_table('preferences',
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('email', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('sms', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('quiet_from', sa.Time(), nullable=True),
    sa.Column('quiet_until', sa.Time(), nullable=True),
    sa.PrimaryKeyConstraint('person_id')
    )
    op.create_table('presence',
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('person_id')
    )
    op.create_table('abuse_reports',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('reported_by', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('deliveries',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('notification_id', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), server_default=sa.text("'pending'"), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('secret_link', sa.Text(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('notification_id', 'channel', name='uq_delivery_channel')
    )
    op.create_index('ix_deliveries_due', 'deliveries', ['next_attempt_at'], unique=False, postgresql_where=sa.text("state = 'pending'"))
    op.create_table('documents',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('uploader_id', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.Text(), nullable=False),
    sa.Column('media_type', sa.String(length=60), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_documents_content_hash'), 'documents', ['content_hash'], unique=False)
    op.create_index(op.f('ix_documents_conversation_id'), 'documents', ['conversation_id'], unique=False)
    op.create_index(op.f('ix_documents_uploader_id'), 'documents', ['uploader_id'], unique=False)
    op.create_table('messages',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('document_id', sa.String(length=64), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('conversation_id', 'seq', name='uq_messages_seq')
    )
    op.create_table('participants',
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('read_seq', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ),
    sa.PrimaryKeyConstraint('conversation_id', 'person_id')
    )
    op.create_index('ix_participants_person', 'participants', ['person_id'], unique=False)
    op.create_table('video_rooms',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('room', sa.String(length=100), nullable=False),
    sa.Column('moderator_id', sa.String(length=200), nullable=False),
    sa.Column('external_url', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_video_rooms_conversation_id'), 'video_rooms', ['conversation_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_video_rooms_conversation_id'), table_name='video_rooms')
    op.drop_table('video_rooms')
    op.drop_index('ix_participants_person', table_name='participants')
    op.drop_table('participants')
    op.drop_table('messages')
    op.drop_index(op.f('ix_documents_uploader_id'), table_name='documents')
    op.drop_index(op.f('ix_documents_conversation_id'), table_name='documents')
    op.drop_index(op.f('ix_documents_content_hash'), table_name='documents')
    op.drop_table('documents')
    op.drop_index('ix_deliveries_due', table_name='deliveries', postgresql_where=sa.text("state = 'pending'"))
    op.drop_table('deliveries')
    op.drop_table('abuse_reports')
    op.drop_table('presence')
    op.drop_table('preferences')
    op.drop_index(op.f('ix_offers_order_id'), table_name='offers')
    op.drop_table('offers')
    op.drop_index('ix_notifications_recipient', table_name='notifications')
    op.drop_table('notifications')
    op.drop_index('ix_memberships_org', table_name='memberships')
    op.drop_table('memberships')
    op.drop_table('guardianships')
    op.drop_table('conversations')
    op.drop_table('audit_log')
