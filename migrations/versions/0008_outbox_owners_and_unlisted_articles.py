"""outbox rows owned by id and delivered by the worker; articles the widget creates start unlisted

outbox.user_id is the account a message is addressed to and outbox.about_user_id the reader
it quotes (a reply notice): deleting an account removes and scrubs exactly those rows.
Existing rows get their user_id from the recipient address; which reader an old message
quotes was never recorded, so about_user_id stays empty for them. outbox.attempts and
outbox.next_attempt_at let the worker loop retry SMTP delivery (it leaves mail older than a
day alone, so messages from before this version are not sent again). articles.listed keeps
widget-created articles off the front page until an admin lists them; existing articles
stay listed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

outbox = sa.table('outbox', sa.column('user_id', sa.Integer), sa.column('recipient', sa.String))
users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String))


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('about_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_about_user_id'), ['about_user_id'], unique=False)
        batch_op.create_foreign_key('fk_outbox_user_id_users', 'users', ['user_id'], ['id'])
        batch_op.create_foreign_key('fk_outbox_about_user_id_users', 'users', ['about_user_id'], ['id'])
    owner = sa.select(users.c.id).where(users.c.email == outbox.c.recipient).scalar_subquery()
    op.execute(outbox.update().values(user_id=owner))

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listed', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('listed')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint('fk_outbox_about_user_id_users', type_='foreignkey')
        batch_op.drop_constraint('fk_outbox_user_id_users', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_about_user_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_user_id'))
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('about_user_id')
        batch_op.drop_column('user_id')
