"""A card built in Python: the forms, the reasons and the meters the moderator used before, every value escaped."""

from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from moderation.policy import ATTRIBUTES
from service.review.card_html import REJECT_REASONS, card_actions_html, reason_options_html, score_bars_html

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


def test_reject_reasons_offer_none_chosen_and_a_reported_comments_reasons_first_with_counts():
    plain = str(reason_options_html())
    assert plain.startswith('<option value="" selected>') and plain.count("<option") == len(REJECT_REASONS) + 1
    reported = [
        {"reason": "spam", "count": 2, "listed": True},
        {"reason": "my own <words>", "count": 1, "listed": False},  # typed through the API: not offered
    ]
    html = str(reason_options_html(reported))
    first, rest = html.split('<optgroup label="Other reasons">')
    assert '<optgroup label="Reported as"><option value="spam">spam (2 reports)</option></optgroup>' in first
    assert "<words>" not in html and "my own" not in html
    assert 'value="spam"' not in rest and rest.count("<option") == len(REJECT_REASONS) - 1


def test_score_meters_show_each_attribute_against_the_sites_review_and_hold_thresholds():
    settings = {"review": {a: 0.5 for a in ATTRIBUTES}, "hold": {a: 0.8 for a in ATTRIBUTES}}
    settings["hold"]["threat"] = '0.8"><script>'  # never stored (settings are validated), escaped all the same
    html = str(score_bars_html(9, {"toxicity": 0.91234, "threat": 0.1}, settings))
    assert html.count('<div class="score">') == len(ATTRIBUTES)
    assert (
        '<meter id="score-9-toxicity" min="0" max="1" optimum="0" low="0.5" high="0.8" value="0.91234">0.91</meter>'
        in html
    )
    assert 'high="0.8&#34;&gt;&lt;script&gt;"' in html and "<script>" not in html
    assert '<span class="score-value" id="score-9-insult">not scored</span>' in html
    with pytest.raises(ValueError):
        score_bars_html("9 x", {}, settings)


def test_score_meters_follow_the_thresholds_a_site_changes_to():
    # The marks are worked out once per set of thresholds, not once for good.
    settings = {"review": {a: 0.5 for a in ATTRIBUTES}, "hold": {a: 0.8 for a in ATTRIBUTES}}
    before = str(score_bars_html(9, {"toxicity": 0.7}, settings))
    stricter = {"review": {**settings["review"], "toxicity": 0.3}, "hold": {**settings["hold"], "toxicity": 0.6}}
    after = str(score_bars_html(9, {"toxicity": 0.7}, stricter))
    assert 'id="score-9-toxicity" min="0" max="1" optimum="0" low="0.5" high="0.8"' in before
    assert 'id="score-9-toxicity" min="0" max="1" optimum="0" low="0.3" high="0.6"' in after
    assert str(score_bars_html(9, {"toxicity": 0.7}, settings)) == before
