"""embeddable widget: allowed origins (filled in by the embed work)

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
    pass


def downgrade():
    pass
