"""users.comment_mail: whether a reader gets mail about their comments (replies, decisions)

On for every existing account, as the mail was sent to all of them before; readers turn it
off in their account settings or from the unsubscribe link each such mail now carries.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_mail', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('comment_mail')
