"""threads at scale: keyset pagination of threads and queues (filled in by the scale-out work)

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


def upgrade():
    pass


def downgrade():
    pass
