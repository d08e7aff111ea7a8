"""Membership tests: the default tiers exist in every test (the suite empties tables after each)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.domain.membership.perks import ensure_default_tiers
from service.extensions import db
from service.models import Membership, MembershipAudit
from service.models.base import utcnow


@pytest.fixture(autouse=True)
def default_tiers(app):
    with app.app_context():
        ensure_default_tiers()
        db.session.remove()


@pytest.fixture
def admin_api(api, make_user):
    make_user("boss", role="admin")
    api.login("boss")
    return api


def counts(app):
    """(memberships, audit rows): what a refused request must leave unchanged."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Membership)),
            db.session.scalar(select(func.count()).select_from(MembershipAudit)),
        )


def days(n):
    return (utcnow() + timedelta(days=n)).isoformat(timespec="seconds") + "Z"
