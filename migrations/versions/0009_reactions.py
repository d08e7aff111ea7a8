"""reactions: a reader's "Respect" for a comment, and comments.respect_count

One reaction per reader and comment (uq_reactions_comment_user); comments.respect_count keeps
the total, so a thread sorted by it reads ix_comments_article_parent_respect instead of
counting reactions. Every existing comment starts at 0: there were no reactions before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reactions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('comment_id', 'user_id', name='uq_reactions_comment_user'),
    )
    with op.batch_alter_table('reactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reactions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('respect_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.create_index(
            'ix_comments_article_parent_respect',
            ['article_id', 'parent_id', 'respect_count', 'created_at', 'id'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_article_parent_respect')
        batch_op.drop_column('respect_count')
    with op.batch_alter_table('reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reactions_user_id'))
    op.drop_table('reactions')
