"""queue counts at size: comments.open_reports and the partial index of reported comments

comments.open_reports counts each comment's open reports (service/domain/moderation/open_reports.py keeps
it from here on); existing comments get theirs from the reports table, touching only the
comments that have an open report. ix_comments_reported then holds just those comments, in
the reported queue's order. On PostgreSQL, ix_comments_queue_toxicity (per status, for the
pending and review queues) and ix_comments_reported_toxicity order the queues worst toxicity
first.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

comments = sa.table('comments', sa.column('id', sa.Integer), sa.column('open_reports', sa.Integer))
reports = sa.table(
    'reports', sa.column('comment_id', sa.Integer), sa.column('resolved_at', sa.DateTime)
)
OPEN = sa.text('open_reports > 0')
TOXICITY = sa.text("((scores ->> 'toxicity'::text)::double precision) DESC NULLS LAST")
QUEUED = sa.text("status IN ('pending', 'held', 'review')")


def _backfill():
    is_open = sa.and_(reports.c.comment_id == comments.c.id, reports.c.resolved_at.is_(None))
    open_count = sa.select(sa.func.count()).where(is_open).scalar_subquery()
    op.execute(comments.update().where(sa.exists().where(is_open)).values(open_reports=open_count))


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_reports', sa.Integer(), server_default=sa.text('0'), nullable=False))

    _backfill()

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(
            'ix_comments_reported', ['created_at', 'id'], unique=False, postgresql_where=OPEN, sqlite_where=OPEN
        )
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index(
            'ix_comments_queue_toxicity', 'comments', ['status', TOXICITY, 'id'], unique=False, postgresql_where=QUEUED
        )
        op.create_index('ix_comments_reported_toxicity', 'comments', [TOXICITY, 'id'], unique=False, postgresql_where=OPEN)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_comments_reported_toxicity', table_name='comments', postgresql_where=OPEN)
        op.drop_index('ix_comments_queue_toxicity', table_name='comments', postgresql_where=QUEUED)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_reported', postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.drop_column('open_reports')
