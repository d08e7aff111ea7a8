"""outbox.kind: a password reset is queued as a request for the worker to compose

A reset request writes an outbox row of kind "password_reset" holding only the typed
address, whether or not an account has it; the worker writes the message (or drops the row).
Existing rows are ready messages (kind empty).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('kind')
