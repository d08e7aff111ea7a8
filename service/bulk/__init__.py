"""Bulk seeding: a database with as many comments as a big site has, for measuring pages
and queries at size (`flask seed-bulk`, benchmarks/size.py). Not for production data."""

import secrets
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from tqdm import tqdm
from werkzeug.security import generate_password_hash

from ..errors import Conflict, ValidationError
from ..extensions import db
from ..models import Article, Comment, Report, ScoringDecision, User
from ..models.base import utcnow
from . import generate
from .load import Loader

CHUNK = 20_000  # comments per round of writes: bounded memory, big transactions


@dataclass
class Summary:
    comments: int = 0
    users: int = 0
    articles: int = 0
    decisions: int = 0
    reports: int = 0
    statuses: Counter = field(default_factory=Counter)
    hot_article: str = ""
    moderator: str = ""
    password: str = ""
    seconds: float = 0.0

    @property
    def rows(self):
        return self.comments + self.users + self.articles + self.decisions + self.reports


def _check(comments, articles, hot, append):
    if comments < 1 or articles < 1 or hot < 0:
        raise ValidationError({"comments": "At least 1 comment and 1 article, and no negative counts."})
    total = db.session.scalar(select(func.count()).select_from(Comment))
    if total and not append:
        raise Conflict(
            f"This database already has {total} comments; seed-bulk fills an empty one so that its "
            "figures mean something. Pass --append to add to them anyway."
        )


def seed(comments, articles=1000, hot_comments=5000, append=False, max_depth=4, progress=True, seed_value=1):
    """Create users, articles and `comments` threaded comments (with decisions and reports)
    in one transaction; returns a Summary. Refuses a database that has comments unless `append`."""
    _check(comments, articles, hot_comments, append)
    articles = min(articles, comments)
    # The hot article takes what there is; a lone article takes everything.
    hot_comments = comments if articles == 1 else min(hot_comments, comments)
    started = time.perf_counter()
    password = secrets.token_urlsafe(12)
    plan = generate.Plan(
        comments=comments,
        articles=articles,
        hot_comments=hot_comments,
        max_depth=max_depth,
        users=max(50, comments // 50),
        tag=f"bulk-{secrets.token_hex(2)}",
        password_hash=generate_password_hash(password, method="scrypt"),
        now=utcnow(),
        seed=seed_value,
    )
    loader = Loader(db.session)
    summary = Summary(password=password, moderator=f"{plan.tag}-moderator", hot_article=f"{plan.tag}-hot-article")
    try:
        _write(plan, loader, summary, progress)
        loader.finish(
            [User.__table__, Article.__table__, Comment.__table__, ScoringDecision.__table__, Report.__table__]
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    loader.analyze()
    summary.seconds = time.perf_counter() - started
    return summary


def _write(plan, loader, summary, progress):
    rng = generate.new_rng(plan)
    first_user = loader.next_id(User.__table__)
    users = list(generate.users(plan, first_user))
    loader.write(User.__table__, users)
    user_ids = [u["id"] for u in users[1:]]  # readers write the comments, not the moderator
    sizes = generate.article_sizes(plan, rng)
    article_rows = list(generate.articles(plan, sizes, loader.next_id(Article.__table__), rng))
    loader.write(Article.__table__, article_rows)
    summary.users, summary.articles = len(users), len(article_rows)

    ids = {t: loader.next_id(t.__table__) for t in (Comment, ScoringDecision, Report)}
    chunk = {Comment: [], ScoringDecision: [], Report: []}
    bar = tqdm(total=plan.comments, unit="comments", disable=not progress, smoothing=0.1)

    def flush():
        for model in (Comment, ScoringDecision, Report):  # parents before the rows that point at them
            loader.write(model.__table__, chunk[model])
        bar.update(len(chunk[Comment]))
        for rows in chunk.values():
            rows.clear()

    for article, size in zip(article_rows, sizes):
        for comment in generate.thread_rows(plan, article, size, ids[Comment], user_ids, rng):
            ids[Comment] += 1
            chunk[Comment].append(comment)
            summary.statuses[comment["status"]] += 1
            if comment["scores"] is not None:
                chunk[ScoringDecision].append(generate.decision_row(comment, ids[ScoringDecision]))
                ids[ScoringDecision] += 1
            if generate.is_reported(comment, rng):
                reports = list(generate.report_rows(comment, ids[Report], user_ids, rng))
                comment["open_reports"] = sum(1 for r in reports if r["resolved_at"] is None)
                chunk[Report].extend(reports)
                ids[Report] += len(reports)
                summary.reports += len(reports)
            if len(chunk[Comment]) >= CHUNK:
                summary.decisions += len(chunk[ScoringDecision])
                flush()
    summary.decisions += len(chunk[ScoringDecision])
    flush()
    bar.close()
    summary.comments = sum(summary.statuses.values())
