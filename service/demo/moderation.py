"""Moderation's part of `flask seed-demo`: comments that land in each moderator queue, so a
new moderator opens a working queue. Idempotent: nothing is added once the demo commenters
have commented.

The comments go through the real pipeline (stored pending, scored by the worker). Where
they land is made certain by the policy's rules rather than by scores: the first commenter
is on pre-moderation (held: the pending queue), a suspect word sends to review, and a
reader's report puts a comment in the reported queue.
"""

import secrets
from types import SimpleNamespace

from sqlalchemy import select

from ..domain.accounts import accounts
from ..domain.moderation import reports, settings
from ..domain.threads import comments
from ..extensions import db
from ..models import Article, Comment, User

SUSPECT_WORDS = ["shill"]
HELD = [
    "Diplomats flying around the world to talk is a waste of everyone's money. Nothing will come of it.",
    "Anyone who believes these talks will change anything is a fool.",
]
REVIEW = "This reads like it was written by a government shill. Where is the other side of the story?"
REPORTED = "Off topic, but does anyone know a good noodle place near the embassy?"
# seed-demo acts as the system, not as a person, in the settings history.
SYSTEM = SimpleNamespace(id=None)


def _commenter(username, premoderated=False):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        # Nobody signs in as a demo commenter, so no password is shown.
        user = accounts.register(f"{username}@example.org", username, secrets.token_urlsafe(24))
    if premoderated and not user.premoderated:
        user.premoderated = True
        db.session.commit()
    return user


def _add_suspect_words():
    current = settings.current()["suspect_words"]
    missing = [w for w in SUSPECT_WORDS if w not in current]
    if missing:
        settings.update({"suspect_words": current + missing}, SYSTEM)
    return missing


def seed_moderation(article_slug):
    """Create what is missing on the demo article; returns lines to print."""
    article = db.session.scalar(select(Article).where(Article.slug == article_slug))
    reader = db.session.scalar(select(User).where(User.username == "demo-reader"))
    if article is None or reader is None:
        return []
    troll = _commenter("demo-commenter", premoderated=True)
    critic = _commenter("demo-critic")
    if db.session.scalar(select(Comment.id).where(Comment.author_id.in_((troll.id, critic.id))).limit(1)):
        return []
    lines = [f"Added the demo suspect word {w!r} (admins change it on /review/settings)" for w in _add_suspect_words()]
    for body in HELD:
        comments.post_comment(article, troll, body)
    comments.post_comment(article, critic, REVIEW)
    reported = comments.post_comment(article, critic, REPORTED)
    reports.report_comment(reported, reader, "off topic")
    lines.append("Added demo comments for the moderation queues (pending, review, reported) — see /review/pending")
    return lines
