"""the queues worst toxicity first on SQLite: one partial index per queue condition

PostgreSQL has read the score sort from ix_comments_queue_toxicity and
ix_comments_reported_toxicity since 0007. SQLite, the embedded default, read and sorted the
whole queue instead (no index can match a JSON path bound as a parameter); the queries now
write the path literally, and these partial indexes hold only the pending, held and review
comments. The reported queue, a few hundred comments, is read through ix_comments_reported.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TOXICITY = sa.text("CAST(json_extract(scores, '$.toxicity') AS FLOAT) DESC")
INDEXES = {
    'ix_comments_pending_toxicity': "status = 'pending'",
    'ix_comments_held_toxicity': "status = 'held'",
    'ix_comments_review_toxicity': "status = 'review'",
}


def upgrade():
    if op.get_bind().dialect.name != 'sqlite':
        return
    for name, where in INDEXES.items():
        op.create_index(name, 'comments', [TOXICITY, 'id'], unique=False, sqlite_where=sa.text(where))


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        return
    for name in INDEXES:
        op.drop_index(name, table_name='comments')
