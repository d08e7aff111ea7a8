"""threads at scale: comments.root_id and the indexes keyset pagination of threads and queues reads

root_id (the top-level comment of a comment's thread) is added, filled in for existing
comments level by level (top-level comments first, then their replies, ...), so it works on a
populated database without recursive SQL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

comments = sa.table(
    'comments',
    sa.column('id', sa.Integer),
    sa.column('parent_id', sa.Integer),
    sa.column('root_id', sa.Integer),
)


def _backfill():
    """Top-level comments are their own root; then each reply takes its parent's root, one
    nesting level per statement, until no comment is left without one."""
    op.execute(comments.update().where(comments.c.parent_id.is_(None)).values(root_id=comments.c.id))
    parent = comments.alias('parent')
    parents_root = (
        sa.select(parent.c.root_id).where(parent.c.id == comments.c.parent_id).scalar_subquery()
    )
    bind = op.get_bind()
    while True:
        done = bind.execute(
            comments.update()
            .where(comments.c.root_id.is_(None), comments.c.parent_id.is_not(None))
            .where(sa.exists().where(parent.c.id == comments.c.parent_id, parent.c.root_id.is_not(None)))
            .values(root_id=parents_root)
        )
        if not done.rowcount:
            break


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('root_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_comments_root_id_comments'), 'comments', ['root_id'], ['id'])

    _backfill()

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_root_id'), ['root_id'], unique=False)
        batch_op.create_index('ix_comments_article_parent_created', ['article_id', 'parent_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_comments_status_created', ['status', 'created_at', 'id'], unique=False)
        # (status, created_at, id) serves every lookup the status-only index did.
        batch_op.drop_index(batch_op.f('ix_comments_status'))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_status'), ['status'], unique=False)
        batch_op.drop_index('ix_comments_status_created')
        batch_op.drop_index('ix_comments_article_parent_created')
        batch_op.drop_index(batch_op.f('ix_comments_root_id'))
        batch_op.drop_constraint(batch_op.f('fk_comments_root_id_comments'), type_='foreignkey')
        batch_op.drop_column('root_id')
