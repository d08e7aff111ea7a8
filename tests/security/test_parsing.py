"""Numbers, nesting and text at the edge (issue 14, item 9): whatever a client sends in a
number field, a JSON body or a string, the answer is a clear 4xx or a stored value, never a 500.

`str.isdigit()` is true for "²" and "٣", which `int()` refuses; Python's JSON parser recursed
into a 1,000-deep array (RecursionError); a lone surrogate failed at INSERT. One parser for
numbers (service/numbers.py) and one for JSON (service/json_input.py) hold the class.
"""

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Comment, EmbedOrigin
from service.numbers import parse_id, whole_number

from ..conftest import nothing_changes
from .conftest import client_for

UNICODE_DIGITS = ["²", "٣", "１", "߁", "𝟗", "1²"]
HUGE = ["99999999999999999999", "9" * 5000]
DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize("text", UNICODE_DIGITS + HUGE + ["", " ", "-1", "1.0", "0x10", "1_000", None, 7])
def test_the_one_number_parser_takes_only_bounded_ascii_digits(text):
    assert whole_number(text, 0, 10**9) is None


def test_the_one_number_parser_reads_ascii_digits():
    assert whole_number(" 42 ", 1, 100) == 42 and parse_id("2147483647") == 2**31 - 1 and parse_id("2147483648") is None


@pytest.mark.parametrize("value", UNICODE_DIGITS + HUGE)
def test_number_arguments_in_query_strings_are_4xx(app, world, value):
    moderator = client_for(app, world, "moderator")
    for url in (
        f"/api/v1/articles/{world.article_slug}/comments?limit={value}",
        f"/api/v1/review/history?comment_id={value}",
        f"/api/v1/review/history?limit={value}",
        f"/api/v1/review/queues/pending?offset={value}",
    ):
        assert moderator.get(url).status_code == 422, url
    for url in (f"/review/history?comment={value}", f"/review/history?page={value}"):
        assert moderator.get(url).status_code == 200, url


@pytest.mark.parametrize("value", UNICODE_DIGITS + HUGE)
def test_number_fields_in_forms_are_refused_quietly(app, world, value):
    """Bulk review, embed origin removal and a reply's parent: a message, never a 500; nothing changes."""
    moderator = client_for(app, world, "moderator")
    bulk = moderator.form("/review/bulk", {"action": "approve", "ids": [value, str(world.comment_id)]})
    assert bulk.status_code == 302
    admin = client_for(app, world, "admin")
    with app.app_context():
        db.session.add(EmbedOrigin(origin="https://news.example.com"))
        db.session.commit()
    assert admin.form("/admin/embed/origins/remove", {"origin_id": value}).status_code == 302
    rita = client_for(app, world, "reader")
    reply = rita.form(f"/articles/{world.article_slug}/comments", {"body": "a reply", "parent_id": value})
    assert reply.status_code == 422  # the page again, with the text and what was wrong
    with app.app_context():
        assert db.session.scalar(select(EmbedOrigin.origin)) == "https://news.example.com"
        assert db.session.scalar(select(Comment).where(Comment.body == "a reply")) is None


@pytest.mark.parametrize("url", ["/api/v1/auth/login", "/api/v1/auth/register"])
def test_deeply_nested_json_is_a_400(app, world, client, url):
    with nothing_changes(app):
        response = client.post(url, data=DEEP, content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)[:200]


def test_lone_surrogates_in_sign_in_fields_are_a_plain_refusal(app, world, client):
    response = client.post(
        "/api/v1/auth/login", data='{"login": "\\ud800rita", "password": "\\udfff"}', content_type="application/json"
    )
    assert response.status_code == 401


def test_lone_surrogates_in_a_comment_are_replaced(app, world):
    rita = client_for(app, world, "reader")
    response = rita.client.post(
        f"/api/v1/articles/{world.article_slug}/comments",
        data='{"body": "half a pair \\ud83d here"}',
        content_type="application/json",
        headers={"X-CSRFToken": rita.token()},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["comment"]["body"] == "half a pair \ufffd here"
