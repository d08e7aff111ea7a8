"""articles by publication: the index the paged article lists read, newest first

The front page, the admins' article list and GET /api/v1/articles show a page of articles at
a time, continued by a keyset cursor on (published_at, id); this index gives each page in
order without sorting the archive.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 23:50:00

"""
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_articles_published', 'articles', ['published_at', 'id'])


def downgrade():
    op.drop_index('ix_articles_published', table_name='articles')
