"""Membership's part of `flask seed-demo`: the default tiers, a members-only article and a
sponsor on the sponsors page. Idempotent: each piece is created only when it is missing."""

import secrets

from sqlalchemy import select

from ..domain.accounts import accounts
from ..domain.membership import grants
from ..domain.membership.perks import ensure_default_tiers
from ..domain.threads import articles
from ..extensions import db
from ..models import Article, Membership, User

MEMBERS_ARTICLE = {
    "slug": "members-briefing-beijing-talks",
    "title": "Members' briefing: what to watch after the Beijing talks",
    "summary": "Our diplomatic desk on the follow-up meetings, the working groups and the open questions. "
    "The discussion under this briefing is for subscribers and sponsors.",
    "body": (
        "The talks in Beijing ended with an agreement to keep talking, which is less modest than it sounds: "
        "for months the two governments' senior officials had barely met.\n\n"
        "Three things are worth watching in the weeks ahead. First, whether the promised working groups "
        "actually convene, and at what level. Second, whether military-to-military contacts resume, which "
        "both sides' analysts describe as the best guard against accidents at sea and in the air. Third, "
        "whether trade and technology restrictions are discussed in the same channel or kept apart.\n\n"
        "Members: tell us below which of these you think matters most, and what we should ask next."
    ),
    "comments_mode": "members",
    "published_at": "2023-06-20T08:00:00",
}
SPONSOR = {"username": "demo-sponsor", "display_name": "Harbour Street Bakery"}


def seed_membership():
    """Create what is missing; returns lines to print."""
    lines = [f"Created the {tier.name} tier" for tier in ensure_default_tiers()]
    if db.session.scalar(select(Article).where(Article.slug == MEMBERS_ARTICLE["slug"])) is None:
        article = articles.save_article(MEMBERS_ARTICLE)
        lines.append(f"Created the members-only demo article /articles/{article.slug}")
    if _seed_sponsor():
        lines.append(f"Listed {SPONSOR['display_name']} on /sponsors")
    return lines


def _seed_sponsor():
    user = db.session.scalar(select(User).where(User.username == SPONSOR["username"]))
    if user is None:
        # Nobody signs in as the demo sponsor, so its password is never shown.
        user = accounts.register(f"{SPONSOR['username']}@example.org", SPONSOR["username"], secrets.token_urlsafe(24))
    if db.session.scalar(select(Membership.id).where(Membership.user_id == user.id)) is not None:
        return False
    grants.grant(
        user,
        {
            "tier": "sponsor",
            "amount": 25000,
            "source": "manual_payment",
            "payment_reference": "demo",
            "public": True,
            "display_name": SPONSOR["display_name"],
            "note": "demo content",
        },
        actor=None,
    )
    return True
