"""The attacker's toolbox: a populated site, a signed-in client per role, and the route list.

Everything here drives the app from the outside (HTTP through Flask's test client, or a live
server for Chromium); the domain layer is only used to set the scene quickly.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from service.domain.accounts import accounts
from service.domain.membership import grants
from service.domain.membership.perks import ensure_default_tiers
from service.domain.moderation import moderator_actions, reports, sanctions
from service.domain.threads import articles
from service.extensions import db
from service.models import Comment, Tier, User

from ..conftest import PASSWORD, Api
from ..conftest import snapshot as db_fingerprint  # noqa: F401  (the security tests' name for it)

ROLES = ("anonymous", "reader", "other_reader", "moderator", "admin", "suspended", "banned")
USERNAMES = {
    "reader": "rita",
    "other_reader": "otto",
    "moderator": "mona",
    "admin": "adam",
    "suspended": "sue",
    "banned": "ben",
}
ROLE_OF_ACCOUNT = {"moderator": "moderator", "admin": "admin"}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class World:
    """Ids of what the scene holds, for filling in URL rules."""

    users: dict = field(default_factory=dict)  # role -> user id
    article_id: int = 0
    article_slug: str = "security-article"
    comment_id: int = 0  # rita's, published
    other_comment_id: int = 0  # otto's, published
    membership_id: int = 0  # rita's sponsorship
    tier_id: int = 0
    tier_slug: str = "sponsor"
    paid_tier_slug: str = "subscriber"


def publish(comment_id, moderator_id):
    """Make a pending comment visible to everyone, as a moderator's approval does."""
    moderator = db.session.get(User, moderator_id)
    moderator_actions.moderate(comment_id, moderator, "approve")


@lru_cache(maxsize=1)
def password_hash():
    return generate_password_hash(PASSWORD, method="scrypt")


def build_world(app):
    """Six accounts (one per role but anonymous), an article, two comments, a report and a sponsorship."""
    world = World()
    with app.app_context():
        ensure_default_tiers()
        for role, name in USERNAMES.items():
            # Straight into the table with a hash made once: scrypt per user per test is slow.
            user = User(
                email=f"{name}@example.com",
                username=name,
                username_key=accounts.username_key(name),
                role=ROLE_OF_ACCOUNT.get(role, "reader"),
                password_hash=password_hash(),
            )
            db.session.add(user)
            db.session.commit()
            world.users[role] = user.id
        article = articles.save_article(
            {
                "slug": world.article_slug,
                "title": "Security article",
                "summary": "S.",
                "body": "B.",
                "comments_mode": "open",
            }
        )
        world.article_id = article.id
        rita = db.session.get(User, world.users["reader"])
        otto = db.session.get(User, world.users["other_reader"])
        admin = db.session.get(User, world.users["admin"])
        from service.domain.threads import comments

        world.comment_id = comments.post_comment(article, rita, "Rita's comment").id
        world.other_comment_id = comments.post_comment(article, otto, "Otto's comment").id
        publish(world.comment_id, world.users["moderator"])
        publish(world.other_comment_id, world.users["moderator"])
        reports.report_comment(db.session.get(Comment, world.comment_id), otto, "spam")
        tier = db.session.scalar(select(Tier).where(Tier.slug == world.tier_slug))
        world.tier_id = tier.id
        membership = grants.grant(
            rita, {"tier": world.tier_slug, "amount": 500, "public": True, "display_name": "Rita R."}, admin
        )
        world.membership_id = membership.id
        db.session.remove()
    return world


def sanction(app, world, role, action, **kwargs):
    with app.app_context():
        moderator = db.session.get(User, world.users["admin"])
        sanctions.apply_sanction(world.users[role], moderator, action, **kwargs)
        db.session.remove()


@pytest.fixture
def world(app):
    return build_world(app)


def client_for(app, world, role):
    """An Api client signed in as `role` (suspended and banned ones signed in before the sanction)."""
    api = Api(app.test_client())
    api.token()  # a session cookie, as a browser that has visited would have
    if role != "anonymous":
        api.login(USERNAMES[role])
    if role == "suspended":
        sanction(app, world, "suspended", "suspend", days=7)
    if role == "banned":
        sanction(app, world, "banned", "ban")
    return api


def from_address(app, address):
    """A signed-out Api client whose requests come from `address` (per-client budgets)."""
    api = Api(app.test_client())
    api.client.environ_base["REMOTE_ADDR"] = address
    return api


@pytest.fixture
def clients(app, world):
    return {role: client_for(app, world, role) for role in ROLES}


def app_rules(app):
    """Every (rule, method) the app answers, from its URL map: new routes show up by themselves."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule, method))
    return sorted(found, key=lambda pair: (pair[0].rule, pair[1]))
