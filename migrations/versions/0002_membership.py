"""membership: tiers, memberships, their audit trail, processed payment events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 04:50:11.516438

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The three tiers every install starts with (service.domain.membership.perks.DEFAULT_TIERS holds
# the same; `flask seed-demo` re-creates any that are missing). Copied, not imported, so this
# migration keeps meaning the same thing when the application code changes.
DEFAULT_TIERS = [
    dict(slug="reader", name="Reader", kind="free", price_minor=0, interval="none", rank=0,
         members_comments=False, trusted_commenter=False, badge=None, rate_limit_multiplier=1,
         description="Free with every account: read everything and comment on open articles."),
    dict(slug="subscriber", name="Subscriber", kind="subscription", price_minor=500, interval="monthly", rank=10,
         members_comments=True, trusted_commenter=False, badge="Subscriber", rate_limit_multiplier=2,
         description="Support the newsroom every month and join the members' discussions."),
    dict(slug="sponsor", name="Sponsor", kind="sponsorship", price_minor=5000, interval="yearly", rank=20,
         members_comments=True, trusted_commenter=True, badge="Sponsor", rate_limit_multiplier=3,
         description="A yearly contribution that keeps the reporting free for everyone, "
         "with your name on our sponsors page if you like."),
]


def upgrade():
    op.create_table(
        "payment_events",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("outcome", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_events")),
    )
    tiers = op.create_table(
        "tiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("interval", sa.String(length=8), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("members_comments", sa.Boolean(), nullable=False),
        sa.Column("trusted_commenter", sa.Boolean(), nullable=False),
        sa.Column("badge", sa.String(length=40), nullable=True),
        sa.Column("rate_limit_multiplier", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tiers")),
        sa.UniqueConstraint("slug", name=op.f("uq_tiers_slug")),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tier_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("recurrence", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("payment_reference", sa.String(length=200), nullable=True),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("refunded_at", sa.DateTime(), nullable=True),
        sa.Column("refund_note", sa.Text(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=True),
        sa.Column("public_order", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_memberships_recorded_by_id_users")),
        sa.ForeignKeyConstraint(["tier_id"], ["tiers.id"], name=op.f("fk_memberships_tier_id_tiers")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_external_id"), ["external_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_tier_id"), ["tier_id"], unique=False)
        batch_op.create_index("ix_memberships_user_state", ["user_id", "state"], unique=False)

    op.create_table(
        "membership_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("tier_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_membership_audit_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["membership_id"], ["memberships.id"], name=op.f("fk_membership_audit_membership_id_memberships")
        ),
        sa.ForeignKeyConstraint(["tier_id"], ["tiers.id"], name=op.f("fk_membership_audit_tier_id_tiers")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_membership_audit_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_audit")),
    )
    with op.batch_alter_table("membership_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_audit_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_audit_membership_id"), ["membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_audit_tier_id"), ["tier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_audit_user_id"), ["user_id"], unique=False)

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(
        tiers,
        [dict(tier, currency="EUR", retired=False, created_at=now, updated_at=now) for tier in DEFAULT_TIERS],
    )


def downgrade():
    with op.batch_alter_table("membership_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_audit_user_id"))
        batch_op.drop_index(batch_op.f("ix_membership_audit_tier_id"))
        batch_op.drop_index(batch_op.f("ix_membership_audit_membership_id"))
        batch_op.drop_index(batch_op.f("ix_membership_audit_created_at"))
    op.drop_table("membership_audit")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_user_state")
        batch_op.drop_index(batch_op.f("ix_memberships_tier_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_external_id"))
    op.drop_table("memberships")
    op.drop_table("tiers")
    op.drop_table("payment_events")
