"""A reader with a bit of everything (comments, replies both ways, a report, a sponsorship,
a sanction, mail, a prepared export), for the readers' own data tests."""

import json
from dataclasses import dataclass, field

from sqlalchemy import MetaData, select

from service.domain.accounts import export
from service.domain.membership import grants
from service.domain.membership.perks import ensure_default_tiers
from service.domain.moderation import moderator_actions, reports, sanctions
from service.domain.threads import comments
from service.extensions import db
from service.models import Article, Comment, User

from .conftest import PASSWORD

EMAIL = "Zelda.Q7X@example.org"
USERNAME = "zelda_q7x"
DISPLAY_NAME = "Zelda Quixote7X"  # the sponsor name she chose: a unique string from her profile
REPORT_REASON = "Quixote7X says this is misleading"


@dataclass
class Scene:
    ids: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.ids[name]
        except KeyError:
            raise AttributeError(name) from None


def build_scene(app, make_user, make_article):
    scene = Scene()
    scene.ids["admin"] = make_user("boss", role="admin")
    scene.ids["moderator"] = make_user("mona", role="moderator")
    scene.ids["otto"] = make_user("otto")
    scene.ids["zelda"] = make_user(USERNAME, email=EMAIL)
    make_article()
    with app.app_context():
        ensure_default_tiers()
        article = db.session.scalar(select(Article))
        zelda, otto = db.session.get(User, scene.zelda), db.session.get(User, scene.otto)
        moderator, admin = db.session.get(User, scene.moderator), db.session.get(User, scene.admin)

        def post(author, body, parent=None):
            comment = comments.post_comment(article, author, body, parent_id=parent)
            moderator_actions.moderate(comment.id, moderator, "approve")
            return comment.id

        scene.ids["top"] = post(zelda, "Top-level thoughts on the talks")
        scene.ids["reply_to_zelda"] = post(otto, "Otto answers Zelda", scene.top)
        scene.ids["otto_top"] = post(otto, "Otto's own view")
        scene.ids["zelda_reply"] = post(zelda, "Zelda agrees with Otto", scene.otto_top)
        gone = post(zelda, "Words Zelda took back")
        comments.delete_comment(_comment(gone), zelda)
        scene.ids["deleted_by_zelda"] = gone
        reports.report_comment(_comment(scene.otto_top), zelda, REPORT_REASON)
        sponsorship = grants.grant(
            zelda,
            {
                "tier": "sponsor",
                "amount": 1500,
                "currency": "EUR",
                "recurrence": "monthly",
                "note": f"{DISPLAY_NAME} paid at the fair",
                "public": True,
                "display_name": DISPLAY_NAME,
            },
            admin,
        )
        scene.ids["membership"] = sponsorship.id
        sanctions.apply_sanction(scene.zelda, moderator, "warn", reason="keep it civil")
        scene.ids["export"] = export.request_export(zelda).id
        db.session.remove()
    return scene


def _comment(comment_id):
    return db.session.get(Comment, comment_id)


def personal_data_left(needles):
    """Every table.column (of every table in the database, not just the models') holding a needle."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    hits = []
    with db.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(table.select()):
                for column, value in row._mapping.items():
                    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
                    hits += [f"{table.name}.{column} holds {n!r}" for n in needles if n.casefold() in text.casefold()]
    return hits


def sign_in(api, login=USERNAME, password=PASSWORD):
    return api.login(login, password)
