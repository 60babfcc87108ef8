"""counseling tables

Revision ID: cs0001
Revises: 
Create Date: 2026-12-03 13:55:07.324644
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'cs0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # pseudonym search by any part
    op.create_table('bookmarks',
    sa.Column('counselor_id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('centre_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('counselor_id', 'client_id')
    )
    op.create_index('ix_bookmarks_client', 'bookmarks', ['client_id'], unique=False)
    op.create_table('case_records',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('centre_id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('counselor_id', sa.String(length=64), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('fields', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_case_records_centre_period', 'case_records', ['centre_id', 'occurred_on'], unique=False, postgresql_include=['subject', 'channel', 'counselor_id', 'minutes'])
    op.create_index(op.f('ix_case_records_client_id'), 'case_records', ['client_id'], unique=False)
    op.create_table('centre_settings',
    sa.Column('centre_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('automatic_primary_counselor', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('mail_overdue_days', sa.Integer(), nullable=False),
    sa.Column('deletion_days', sa.Integer(), nullable=False),
    sa.Column('contact_address', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('billing_address', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('filter_criteria', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('record_fields', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.PrimaryKeyConstraint('centre_id')
    )
    op.create_table('centre_staff',
    sa.Column('centre_id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('centre_id', 'account_id')
    )
    op.create_table('client_groups',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('centre_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_client_groups_centre_id'), 'client_groups', ['centre_id'], unique=False)
    op.create_table('clients',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('centre_id', sa.String(length=64), nullable=False),
    sa.Column('pseudonym', sa.String(length=200), nullable=True),
    sa.Column('pseudonym_key', sa.String(length=200), nullable=True),
    sa.Column('opened_by', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='active', nullable=False),
    sa.Column('erase_after', sa.Date(), nullable=True),
    sa.Column('primary_counselor_id', sa.String(length=64), nullable=True),
    sa.Column('master_data', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('filters', postgresql.ARRAY(sa.String(length=40)), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_clients_centre_key', 'clients', ['centre_id', 'pseudonym_key', 'id'], unique=False)
    op.create_index('ix_clients_centre_primary', 'clients', ['centre_id', 'primary_counselor_id'], unique=False)
    op.create_index('ix_clients_filters', 'clients', ['filters'], unique=False, postgresql_using='gin')
    op.create_index('ix_clients_key_trgm', 'clients', ['pseudonym_key'], unique=False, postgresql_using='gin', postgresql_ops={'pseudonym_key': 'gin_trgm_ops'})
    op.create_table('counselor_photos',
    sa.Column('photo_id', sa.String(length=64), nullable=False),
    sa.Column('counselor_id', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('photo_id')
    )
    op.create_index(op.f('ix_counselor_photos_counselor_id'), 'counselor_photos', ['counselor_id'], unique=False)
    op.create_table('counselors',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('centre_id', sa.String(length=64), nullable=False),
    sa.Column('internal', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('languages', postgresql.ARRAY(sa.String(length=8)), server_default='{}', nullable=False),
    sa.Column('photo_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_counselors_centre_id'), 'counselors', ['centre_id'], unique=False)
    op.create_table('direct_messages',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('sent_by', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_direct_messages_client_id'), 'direct_messages', ['client_id'], unique=False)
    op.create_table('group_members',
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('group_id', 'client_id')
    )
    op.create_index('ix_group_members_client', 'group_members', ['client_id'], unique=False)
    op.create_table('notes',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_notes_client_id'), 'notes', ['client_id'], unique=False)
    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index(op.f('ix_notes_client_id'), table_name='notes')
    op.drop_table('notes')
    op.drop_index('ix_group_members_client', table_name='group_members')
    op.drop_table('group_members')
    op.drop_index(op.f('ix_direct_messages_client_id'), table_name='direct_messages')
    op.drop_table('direct_messages')
    op.drop_index(op.f('ix_counselors_centre_id'), table_name='counselors')
    op.drop_table('counselors')
    op.drop_index(op.f('ix_counselor_photos_counselor_id'), table_name='counselor_photos')
    op.drop_table('counselor_photos')
    op.drop_index('ix_clients_key_trgm', table_name='clients', postgresql_using='gin', postgresql_ops={'pseudonym_key': 'gin_trgm_ops'})
    op.drop_index('ix_clients_filters', table_name='clients', postgresql_using='gin')
    op.drop_index('ix_clients_centre_primary', table_name='clients')
    op.drop_index('ix_clients_centre_key', table_name='clients')
    op.drop_table('clients')
    op.drop_index(op.f('ix_client_groups_centre_id'), table_name='client_groups')
    op.drop_table('client_groups')
    op.drop_table('centre_staff')
    op.drop_table('centre_settings')
    op.drop_index(op.f('ix_case_records_client_id'), table_name='case_records')
    op.drop_index('ix_case_records_centre_period', table_name='case_records', postgresql_include=['subject', 'channel', 'counselor_id', 'minutes'])
    op.drop_table('case_records')
    op.drop_index('ix_bookmarks_client', table_name='bookmarks')
    op.drop_table('bookmarks')
    # ### end Alembic commands ###
