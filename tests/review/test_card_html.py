"""A card's forms built in Python: the same forms the moderator used before, every value escaped."""

from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from service.review.card_html import card_actions_html

CSRF = Markup('<input type="hidden" name="csrf_token" value="tok">')
REASONS = Markup('<option value="" selected>Choose a reason…</option><option value="Spam">Spam</option>')


class Forms(HTMLParser):
    """Each form's action, data-action and its inputs' (name, value), in order."""

    def __init__(self, html):
        super().__init__()
        self.forms, self.tags = [], []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "form":
            self.forms.append({"action": attrs["action"], "data-action": attrs["data-action"], "fields": []})
        elif tag in ("input", "select"):
            self.forms[-1]["fields"].append((attrs.get("name"), attrs.get("value")))


def test_a_card_offers_approve_feature_and_reject_with_the_pages_csrf_field_in_each():
    html = card_actions_html(42, "held", False, "/review/comments/42/decide", "/review/pending", CSRF, REASONS)
    forms = Forms(html).forms
    assert [f["data-action"] for f in forms] == ["approve", "feature", "reject"]
    for form in forms:
        assert form["action"] == "/review/comments/42/decide"
        assert ("csrf_token", "tok") in form["fields"]
        assert ("next", "/review/pending") in form["fields"] and ("expected_status", "held") in form["fields"]
    assert ("action", "approve") in forms[0]["fields"] and ("action", "reject") in forms[2]["fields"]
    assert ("reason", None) in forms[2]["fields"] and ("reason_text", None) in forms[2]["fields"]
    assert 'id="reason-42"' in html and 'for="reason-42"' in html and 'id="reason-text-42"' in html
    assert str(REASONS) in html


def test_a_featured_card_offers_un_feature_instead():
    html = card_actions_html(7, "published", True, "/d/7", "/review/review", CSRF, REASONS)
    assert [f["data-action"] for f in Forms(html).forms] == ["approve", "unfeature", "reject"]
    assert ">Un-feature</button>" in html and '"feature"' not in html


def test_values_from_the_request_or_database_are_escaped_and_the_id_must_be_a_number():
    hostile = '/review/pending?q="><script>alert(1)</script>'
    html = card_actions_html(1, 'held"><b>', False, '/d/1"><i>', hostile, CSRF, REASONS)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    fields = Forms(html).forms[0]["fields"]
    assert ("next", hostile) in fields and ("expected_status", 'held"><b>') in fields
    with pytest.raises(ValueError):
        card_actions_html("1 onclick=x", "held", False, "/d", "/", CSRF, REASONS)
