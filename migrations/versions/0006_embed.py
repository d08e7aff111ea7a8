"""embeddable widget: allowed origins, widget sign-in tokens, articles created from the embed

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 07:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('embed_origins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_embed_origins_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_embed_origins')),
    sa.UniqueConstraint('origin', name=op.f('uq_embed_origins_origin'))
    )
    op.create_table('embed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_embed_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_embed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_embed_tokens_token_hash'))
    )
    with op.batch_alter_table('embed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_embed_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('embed_pages',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=255), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_embed_pages_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_embed_pages'))
    )


def downgrade():
    op.drop_table('embed_pages')
    with op.batch_alter_table('embed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_embed_tokens_user_id'))

    op.drop_table('embed_tokens')
    op.drop_table('embed_origins')
