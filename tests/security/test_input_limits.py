"""Size and shape limits, and invisible characters in what people type."""

import re

import pytest
from sqlalchemy import select

from service.domain.threads.clean import multi_line, single_line
from service.extensions import db
from service.models import Article, Comment, Membership, Report, Tier

from ..conftest import nothing_changes, snapshot
from .conftest import client_for

NASTY = "\x00\x07\x1b[31m\x7f\u202e\u2066\x85"
ONLY_CONTROLS = "\x00\x07\x1b\x7f\u202e\u2066\x08"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff \u200b"  # zero-width spaces, joiners, BOM


def test_bodies_over_a_mebibyte_are_refused_everywhere(app, world):
    admin = client_for(app, world, "admin")
    big = "x" * (1024 * 1024 + 1)
    before = snapshot(app)
    for method, url in (
        ("POST", f"/api/v1/articles/{world.article_slug}/comments"),
        ("POST", "/api/v1/auth/login"),
        ("POST", "/api/v1/admin/articles"),
        ("POST", "/register"),
    ):
        response = admin.client.open(
            url, method=method, data=big, content_type="application/json", headers={"X-CSRFToken": admin.token()}
        )
        assert response.status_code == 413, url
    form = admin.client.post(
        f"/articles/{world.article_slug}/comments", data={"body": big, "csrf_token": admin.token()}
    )
    assert form.status_code == 413
    assert snapshot(app) == before


def test_comment_length_is_capped(app, world):
    rita = client_for(app, world, "reader")
    limit = app.config["COMMENT_MAX_LENGTH"]
    url = f"/api/v1/articles/{world.article_slug}/comments"
    assert rita.post(url, {"body": "y" * limit}).status_code == 201
    with nothing_changes(app):
        too_long = rita.post(url, {"body": "y" * (limit + 1)})
        assert rita.patch(f"/api/v1/comments/{world.comment_id}", {"body": "z" * (limit + 1)}).status_code == 422
    assert too_long.status_code == 422 and "body" in too_long.get_json()["errors"]


@pytest.mark.parametrize("body", ["", "   ", "\n\n", None, 42, ["a"], {"a": 1}, ONLY_CONTROLS, INVISIBLE])
def test_empty_or_malformed_bodies_are_refused(app, world, body):
    rita = client_for(app, world, "reader")
    with nothing_changes(app):
        response = rita.post(f"/api/v1/articles/{world.article_slug}/comments", {"body": body})
    assert response.status_code == 422


def test_replies_nest_only_so_deep(app, world):
    rita = client_for(app, world, "reader")
    url = f"/api/v1/articles/{world.article_slug}/comments"
    parent = world.comment_id
    for _ in range(app.config["COMMENT_MAX_DEPTH"]):
        response = rita.post(url, {"body": "deeper", "parent_id": parent})
        assert response.status_code == 201
        parent = response.get_json()["comment"]["id"]
    with nothing_changes(app):
        too_deep = rita.post(url, {"body": "too deep", "parent_id": parent})
    assert too_deep.status_code == 422 and "parent_id" in too_deep.get_json()["errors"]


@pytest.mark.parametrize("parent_id", [True, "1", 1.5, -1, 0, 2**31, 2**63, 10**30])
def test_odd_parent_ids_are_422_not_500(app, world, parent_id):
    """Found by this suite: ids past the database's integer range were a 500."""
    rita = client_for(app, world, "reader")
    with nothing_changes(app):
        response = rita.post(f"/api/v1/articles/{world.article_slug}/comments", {"body": "hi", "parent_id": parent_id})
    assert response.status_code == 422


def test_ids_past_the_integer_range_in_urls_are_404(app, world):
    """Every route with an <int:…> argument, from the URL map, with ids no column can hold."""
    admin = client_for(app, world, "admin")
    problems = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if conv.__class__.__name__ == "IdConverter"]
        if not ints:
            continue
        for big in (2**31, 2**63, 10**30):
            path = rule.rule
            for name in rule.arguments:
                value = (
                    big
                    if name in ints
                    else {"slug": world.article_slug, "action": "cancel", "name": "pending"}.get(name, "x")
                )
                path = path.replace(f"<{name}>", str(value))
                path = re.sub(rf"<[^<>]*:{name}>", str(value), path)
            method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
            response = admin._write(method, path, json={}) if method != "GET" else admin.get(path)
            if response.status_code not in (404, 405):  # no rule matches; never a database error
                problems.append(f"{method} {path}: {response.status_code}")
    assert not problems, problems


def test_a_reply_cannot_hang_off_another_articles_comment(app, world, make_article):
    make_article("elsewhere")
    rita = client_for(app, world, "reader")
    with nothing_changes(app):
        response = rita.post("/api/v1/articles/elsewhere/comments", {"body": "hi", "parent_id": world.comment_id})
    assert response.status_code == 422


def test_control_characters_are_dropped_from_comment_bodies_but_lines_kept(app, world):
    """NUL also used to be a 500 on PostgreSQL (it refuses NUL in text)."""
    rita = client_for(app, world, "reader")
    body = f"first line\r\nsecond{NASTY} line\n\n\tindented"
    response = rita.post(f"/api/v1/articles/{world.article_slug}/comments", {"body": body})
    assert response.status_code == 201
    stored = response.get_json()["comment"]["body"]
    assert stored == "first line\r\nsecond[31m line\n\n\tindented"


def test_an_article_title_of_invisible_characters_is_refused(app, world):
    admin = client_for(app, world, "admin")
    refused = admin.post("/api/v1/admin/articles", {"slug": "ghost", "title": INVISIBLE, "comments_mode": "open"})
    assert refused.status_code == 422 and "title" in refused.get_json()["errors"]
    with app.app_context():
        assert db.session.scalar(select(Article).where(Article.slug == "ghost")) is None


def test_invisible_joiners_inside_real_text_are_kept(app, world):
    rita = client_for(app, world, "reader")
    family = "Our family \U0001f468\u200d\U0001f469\u200d\U0001f467 read this together."  # a ZWJ emoji sequence
    created = rita.post(f"/api/v1/articles/{world.article_slug}/comments", {"body": family})
    assert created.status_code == 201 and created.get_json()["comment"]["body"] == family


def test_control_characters_are_stripped_from_single_line_fields(app, world):
    admin = client_for(app, world, "admin")
    otto = client_for(app, world, "other_reader")
    created = admin.post(
        "/api/v1/admin/articles",
        {
            "slug": "clean-title",
            "title": f"Clean{NASTY}\ntitle",
            "summary": f"Sum{NASTY}\nmary",
            "comments_mode": "open",
        },
    )
    assert created.status_code == 201, created.get_json()
    assert otto.post(
        f"/api/v1/comments/{world.comment_id}/reports", {"reason": f"spam{NASTY}\nreally"}
    ).status_code in (201, 409)
    granted = admin.post(
        f"/api/v1/admin/users/{world.users['other_reader']}/memberships",
        {
            "tier": "sponsor",
            "amount": 100,
            "public": True,
            "display_name": f"Otto{NASTY}\nO.",
            "note": f"paid{NASTY}\nin cash",
        },
    )
    assert granted.status_code == 201, granted.get_json()
    tier = admin.post(
        "/api/v1/admin/tiers", {"slug": "patron", "name": f"Pat{NASTY}ron", "kind": "sponsorship", "price_minor": 0}
    )
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "clean-title"))
        assert article.title == "Clean[31m title" and article.summary == "Sum[31m\nmary"
        report = db.session.scalar(select(Report).where(Report.reporter_id == world.users["other_reader"]))
        assert report.reason in ("spam", "spam[31m really")
        membership = db.session.scalar(select(Membership).where(Membership.user_id == world.users["other_reader"]))
        assert membership.display_name == "Otto[31m O."
        assert membership.note == "paid[31m\nin cash"
        if tier.status_code == 201:
            assert (
                db.session.scalar(select(Tier.name).where(Tier.slug == "patron")) == "Pat[31m ron"
            )  # NEL (U+0085) is a line break


def test_a_new_report_reason_is_cleaned(app, world):
    rita = client_for(app, world, "reader")
    assert (
        rita.post(
            f"/api/v1/comments/{world.other_comment_id}/reports", {"reason": f"abuse{NASTY}\n\nand more"}
        ).status_code
        == 201
    )
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.reporter_id == world.users["reader"]))
        assert report.reason == "abuse[31m and more"


def test_a_reason_made_only_of_control_characters_is_empty(app, world):
    rita = client_for(app, world, "reader")
    with nothing_changes(app):
        refused = rita.post(f"/api/v1/comments/{world.other_comment_id}/reports", {"reason": ONLY_CONTROLS})
    assert refused.status_code == 422 and "reason" in refused.get_json()["errors"]


@pytest.mark.parametrize(
    "value,line,text",
    [
        ("a\x00b", "ab", "ab"),
        ("a\r\nb", "a b", "a\r\nb"),
        ("\u202eevil", "evil", "evil"),
        ("tab\there", "tab here", "tab\there"),
        ("  spaced   out  ", "spaced out", "  spaced   out  "),
        ("emoji 👍🏽 and accents é", "emoji 👍🏽 and accents é", "emoji 👍🏽 and accents é"),
        (None, None, None),
    ],
)
def test_the_cleaning_helpers(value, line, text):
    assert single_line(value) == line
    assert multi_line(value) == text


def test_stored_comment_bodies_are_exactly_what_was_sent(app, world):
    with app.app_context():
        assert db.session.get(Comment, world.comment_id).body == "Rita's comment"
