"""decisions.language: the comment's language as the scoring worker detected it

A comment confidently in a language the model does not read goes by the `language` rule
(moderation/policy.py); the detected language ("de", "en", or "unsure") is kept with the
decision so moderators see it on the card and in history. Decisions made before this
version have none (NULL).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('language')
