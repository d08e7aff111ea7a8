"""The moderators' workspace pages, as a moderator (and an admin) uses them.

Comments are put in a queue deterministically: a pre-moderated article (the policy holds
whatever the scores), a reader's report, or a system decision recorded with known scores
where a test needs exact numbers (score bars, highlights, calibration).
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from moderation.policy import DEFAULT_HOLD, DEFAULT_REVIEW, Decision
from service.domain.moderation import calibration, reports, settings, verdicts
from service.domain.moderation.workspace import highlight
from service.domain.threads import comments
from service.extensions import db
from service.models import Article, Comment, ModerationAction, User, WorkerHeartbeat
from service.models.base import utcnow
from tests.conftest import Api

CALM = {
    "toxicity": 0.02,
    "severe_toxicity": 0.01,
    "obscene": 0.01,
    "threat": 0.01,
    "insult": 0.01,
    "identity_attack": 0.01,
}


def scores(**values):
    return {**CALM, **values}


@pytest.fixture
def world(app, make_user, make_article):
    """A moderator, a reader who comments, and an article; returns their ids."""
    ids = {
        "mod": make_user("mod", role="moderator"),
        "ann": make_user("ann"),
        "bob": make_user("bob"),
        "article": make_article(),
    }
    return ids


@pytest.fixture
def mod(api, world):
    api.login("mod")
    return api


def post(app, author, body, slug="test-article", parent_id=None):
    """A comment as the author posts it: stored pending."""
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        user = db.session.scalar(select(User).where(User.username == author))
        return comments.post_comment(article, user, body, parent_id).id


def system_decides(app, comment_id, outcome, values, reason=None, spans=None):
    """What a scoring worker records for one comment, with scores chosen by the test."""
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        decision = Decision(outcome, reason or f"toxicity {values['toxicity']:.2f}", "scores")
        verdicts.record_system_decision(comment, decision, values, "test-model", "1", spans)
        db.session.commit()


def held(app, author, body, values=None, **kwargs):
    comment_id = post(app, author, body, **kwargs)
    system_decides(app, comment_id, "hold", values or scores(toxicity=0.9))
    return comment_id


def status_of(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id).status


def html(response):
    return response.get_data(as_text=True)


def flashes(page):
    return re.findall(r'<p class="flash flash-\w+"[^>]*>(.*?)</p>', page)


def decide(api, comment_id, action, **extra):
    return api.form(f"/review/comments/{comment_id}/decision", {"action": action, "next": "/review/pending", **extra})


# --- who may see the workspace -------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for url in ("/review/pending", "/review/history", "/review/settings", "/review/users/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_readers_are_refused_and_moderators_not_admins_are_kept_out_of_admin_pages(api, other_api, world, make_user):
    api.login("ann")
    for url in ("/review/pending", "/review/reported", "/review/history", "/review/history.csv", "/review/calibration"):
        assert api.get(url).status_code == 403, url
    assert decide(api, 1, "approve").status_code == 403
    assert "Moderation</a>" not in html(api.get("/"))
    other_api.login("mod")
    assert "Moderation</a>" in html(other_api.get("/"))
    assert other_api.get("/review/pending").status_code == 200
    assert other_api.get("/review/settings").status_code == 403
    assert other_api.get("/review/calibration").status_code == 403


# --- queues ----------------------------------------------------------------------------------


def test_a_comment_on_a_premoderated_article_waits_in_pending_with_its_card(app, mod, worker):
    with app.app_context():
        db.session.scalar(select(Article)).premoderated = True
        db.session.commit()
    comment_id = post(app, "ann", "A perfectly polite remark about the talks.")
    worker.drain()
    assert status_of(app, comment_id) == "held"
    page = html(mod.get("/review/pending"))
    assert f'id="card-{comment_id}"' in page and "A perfectly polite remark about the talks." in page
    assert '<span class="count" data-count="pending">1</span>' in page
    assert "A test article" in page and 'href="/review/users/' in page
    assert "pre-moderat" in page  # the reason the policy gave
    assert page.count("<meter") == 6, page[page.index("card-") :][:3000]


def test_card_shows_scores_as_meters_the_parent_and_escaped_highlights(app, mod):
    parent = post(app, "bob", "The parent comment, for context.")
    system_decides(app, parent, "publish", scores())
    body = "You <b>idiot</b>, read it again."
    start = body.index("idiot")
    spans = [{"start": start, "end": start + 5, "text": "idiot", "weight": 0.9}]
    comment_id = post(app, "ann", body, parent_id=parent)
    system_decides(app, comment_id, "hold", scores(toxicity=0.91, insult=0.88), "toxicity 0.91 ≥ hold 0.80", spans)

    page = html(mod.get("/review/pending"))
    card = page[page.index(f'id="card-{comment_id}"') :]
    assert "You &lt;b&gt;<mark>idiot</mark>&lt;/b&gt;, read it again." in card
    assert "<b>idiot" not in card
    assert "In reply to:</span> The parent comment, for context." in card
    assert "toxicity 0.91 ≥ hold 0.80" in card and "test-model" in card
    assert re.search(rf'<meter id="score-{comment_id}-toxicity"[^>]*value="0.91"', card)
    assert re.search(rf'<meter id="score-{comment_id}-insult"[^>]*low="0.6" high="0.85" value="0.88"', card)
    assert 'style="' not in page  # the CSP blocks inline styles


def test_queue_sorts_by_score_and_filters_by_author_article_and_attribute(app, mod, make_article):
    make_article(slug="other-article", title="Another story")
    mild = held(app, "ann", "mild words", scores(toxicity=0.81))
    worst = held(app, "bob", "worst words", scores(toxicity=0.99, insult=0.7))
    elsewhere = held(app, "ann", "elsewhere words", scores(toxicity=0.85), slug="other-article")

    def order(query):
        return [int(i) for i in re.findall(r'data-comment-id="(\d+)"', html(mod.get(f"/review/pending{query}")))]

    assert order("") == [elsewhere, worst, mild]  # newest first
    assert order("?sort=oldest") == [mild, worst, elsewhere]
    assert order("?sort=score") == [worst, elsewhere, mild]
    assert order("?author=ann") == [elsewhere, mild]
    assert order("?article=other-article") == [elsewhere]
    assert order("?attribute=insult") == [worst]
    bad = mod.get("/review/pending?sort=sideways")
    assert bad.status_code == 302 and "sort" in " ".join(flashes(html(mod.get(bad.headers["Location"]))))


def test_reader_reports_from_the_article_page_and_it_lands_in_the_reported_queue(app, api, other_api, world):
    comment_id = post(app, "bob", "Something people may object to.")
    system_decides(app, comment_id, "publish", scores())
    api.login("ann")
    article_page = html(api.get("/articles/test-article"))
    assert f'action="/comments/{comment_id}/report"' in article_page and "Moderate</a>" not in article_page
    response = api.form(
        f"/comments/{comment_id}/report", {"reason": "off topic", "detail": "nothing to do with the story"}
    )
    assert response.status_code == 302
    assert "a moderator will look" in html(api.get(response.headers["Location"]))
    again = api.form(f"/comments/{comment_id}/report", {"reason": "spam"})
    assert "already reported" in html(api.get(again.headers["Location"]))

    other_api.login("mod")
    page = html(other_api.get("/review/reported"))
    assert f'id="card-{comment_id}"' in page and "off topic: nothing to do with the story" in page
    assert '<span class="count" data-count="reported">1</span>' in page
    assert f'href="/review/comments/{comment_id}">Moderate</a>' in html(other_api.get("/articles/test-article"))

    bob = Api(app.test_client())
    bob.login("bob")
    assert f'action="/comments/{comment_id}/report"' not in html(bob.get("/articles/test-article"))


def test_a_reported_card_says_it_is_here_for_its_reports_and_offers_their_reasons_first(app, world, mod, make_user):
    comment_id = post(app, "bob", "You lot are all idiots.")
    system_decides(app, comment_id, "publish", scores())
    for name, reason in (
        ("rep1", "abuse or harassment: calls us idiots"),
        ("rep2", "abuse or harassment"),
        ("rep3", "spam"),
        ("rep4", "other: odd"),
        ("rep5", "an API reporter's own words"),
    ):
        reporter_id = make_user(name)
        with app.app_context():  # straight to the domain: from the third report on, readers no longer see it
            reports.report_comment(db.session.get(Comment, comment_id), db.session.get(User, reporter_id), reason)
    page = html(mod.get("/review/reported"))
    card = page[page.index(f'id="card-{comment_id}"') :]
    card = card[: card.index("</article>")]
    why = re.search(r'<span class="label">Why here:</span>(.*?)</p>', card, re.S).group(1)
    assert " ".join(why.split()) == (
        "reported by 5 readers: abuse or harassment (2), spam (1), other (1), an API reporter&#39;s own words (1)."
    )
    assert "all scores below" not in why
    options = re.findall(r'<option value="([^"]*)"', card)
    # Nothing chosen; the reporters' listed reasons first, then the rest once each.
    assert options[:3] == ["", "abuse or harassment", "spam"]
    assert sorted(options[3:]) == sorted(r for r in ("hate speech", "threat", "off topic", "misinformation"))
    assert "selected" not in card[card.index('<option value="abuse') : card.index("</select>")]
    assert 'label="Reported as"' in card and "abuse or harassment (2 reports)" in card


def test_rejecting_needs_a_chosen_reason_on_a_card_and_in_bulk(app, mod):
    one, two = held(app, "ann", "one"), held(app, "ann", "two")
    page = html(mod.get("/review/pending"))
    assert '<option value="" selected>Choose a reason…</option>' in page
    assert page.count("Choose a reason…") == 3  # two cards and the bulk bar
    decide(mod, one, "reject", reason="", reason_text="  ")
    assert f"Comment #{one}: Choose a reason for rejecting (or write one): nothing was rejected." in flashes(
        html(mod.get("/review/pending"))
    )
    mod.form("/review/bulk", {"action": "reject", "reason": "", "ids": [str(one), str(two)], "next": "/review/pending"})
    assert "Choose a reason for rejecting (or write one): nothing was rejected." in flashes(
        html(mod.get("/review/pending"))
    )
    assert (status_of(app, one), status_of(app, two)) == ("held", "held")
    decide(mod, one, "reject", reason="threat")
    assert status_of(app, one) == "rejected"


def test_a_banned_word_hold_marks_the_banned_word_on_the_card(app, mod):
    from moderation.assess import judge
    from moderation.policy import Settings

    comment_id = post(app, "ann", "What a load of Bl0ody nonsense, and more besides.")
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        model_spans = [{"start": 32, "end": 35, "text": "and", "weight": 0.4}]
        verdict = judge(comment.body, scores(), Settings(banned_words=("bloody",)), explain=lambda _: model_spans)
        assert verdict.decision.rule == "banned_word"
        verdicts.record_system_decision(comment, verdict.decision, scores(), "test-model", "1", verdict.spans)
        db.session.commit()
    page = html(mod.get(f"/review/comments/{comment_id}"))
    assert "<mark>Bl0ody</mark>" in page and "<mark>and</mark>" in page
    assert "banned word &#39;bloody&#39;" in page


# --- decisions -------------------------------------------------------------------------------


def test_approve_reject_and_feature_through_the_card_forms(app, mod):
    first = held(app, "ann", "first")
    second = held(app, "ann", "second")
    third = held(app, "bob", "third")

    response = decide(mod, first, "approve")
    assert response.status_code == 302 and response.headers["Location"] == "/review/pending"
    assert f"Comment #{first} approved." in flashes(html(mod.get("/review/pending")))
    decide(mod, second, "reject", reason="spam", reason_text="  selling watches  ")
    decide(mod, third, "feature")
    assert (status_of(app, first), status_of(app, second), status_of(app, third)) == (
        "published",
        "rejected",
        "published",
    )
    with app.app_context():
        assert db.session.get(Comment, third).featured
        rejection = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "reject"))
        assert rejection.reason == "selling watches" and rejection.actor.username == "mod"
    decide(mod, held(app, "bob", "fourth"), "reject", reason="hate speech")
    with app.app_context():
        assert db.session.scalar(select(Comment).where(Comment.body == "fourth")).reason == "hate speech"
    assert '<span class="count" data-count="pending">0</span>' in html(mod.get("/review/pending"))


def test_a_decision_someone_already_made_is_reported_not_overwritten(app, mod, other_api, make_user):
    make_user("mod2", role="moderator")
    other_api.login("mod2")
    comment_id = held(app, "ann", "contested")
    assert 'name="expected_status" value="held"' in html(mod.get("/review/pending"))  # what the card showed
    decide(other_api, comment_id, "approve", expected_status="held")
    response = decide(mod, comment_id, "reject", reason="spam", expected_status="held")
    assert response.status_code == 302
    messages = flashes(html(mod.get("/review/pending")))
    assert messages == [f"Comment #{comment_id}: This comment is now published, not held."]
    decide(mod, comment_id, "approve")
    assert flashes(html(mod.get("/review/pending"))) == [
        f"Comment #{comment_id}: Already decided: this comment is published."
    ]
    assert status_of(app, comment_id) == "published"
    assert "Unknown action" in flashes(html(mod.get(decide(mod, comment_id, "obliterate").headers["Location"])))[0]


def test_bulk_approve_and_reject_of_a_selection(app, mod):
    ids = [held(app, "ann", f"bulk {n}") for n in range(4)]
    response = mod.form(
        "/review/bulk", {"action": "approve", "ids": [str(ids[0]), str(ids[1])], "next": "/review/pending"}
    )
    assert response.status_code == 302
    assert "Approved 2 comments." in flashes(html(mod.get("/review/pending")))
    mod.form(
        "/review/bulk",
        {"action": "reject", "reason": "spam", "ids": [str(i) for i in ids[1:]], "next": "/review/pending"},
    )
    messages = flashes(html(mod.get("/review/pending")))
    assert f"Comment #{ids[1]}: Already decided: this comment is published." in messages
    assert "Rejected 2 comments." in messages
    assert [status_of(app, i) for i in ids] == ["published", "published", "rejected", "rejected"]
    mod.form("/review/bulk", {"action": "approve", "next": "/review/pending"})
    assert "Select some comments first." in flashes(html(mod.get("/review/pending")))


# --- authors and sanctions -------------------------------------------------------------------


def test_author_page_shows_record_comments_and_applies_sanctions(app, mod, world):
    approved = held(app, "ann", "an approved one")
    rejected = held(app, "ann", "a rejected one")
    decide(mod, approved, "approve")
    decide(mod, rejected, "reject", reason="spam")
    url = f"/review/users/{world['ann']}"
    page = html(mod.get(url))
    assert '<dd data-field="approved">1</dd>' in page and '<dd data-field="rejected">1</dd>' in page
    assert "a rejected one" in page and "status-rejected" in page

    response = mod.form(f"{url}/sanctions", {"action": "suspend", "days": "3", "reason": "cooling off"})
    assert response.status_code == 302 and response.headers["Location"] == url
    page = html(mod.get(url))
    assert "ann: suspend recorded." in flashes(page) and 'data-field="status">suspended until' in page
    assert "cooling off" in page  # in the user's history
    with app.app_context():
        assert db.session.get(User, world["ann"]).is_suspended

    mod.form(f"{url}/sanctions", {"action": "suspend", "days": "zero"})
    assert "days" in flashes(html(mod.get(url)))[0]
    mod.form(f"{url}/sanctions", {"action": "premoderate"})
    assert 'data-field="premoderation">on (set by a moderator)' in html(mod.get(url))
    mod.form(f"{url}/sanctions", {"action": "ban"})
    mod.form(f"{url}/sanctions", {"action": "reinstate"})
    with app.app_context():
        user = db.session.get(User, world["ann"])
        assert user.status == "active" and user.premoderated
        actions = [
            a.action
            for a in db.session.scalars(select(ModerationAction).where(ModerationAction.actor_id == world["mod"]))
        ]
        assert actions.count("suspend") == 1 and "ban" in actions and "reinstate" in actions
    mod.form(f"/review/users/{world['mod']}/sanctions", {"action": "warn"})
    assert "You cannot sanction yourself." in flashes(html(mod.get(f"/review/users/{world['mod']}")))


# --- history ---------------------------------------------------------------------------------


def test_history_site_wide_filtered_and_as_csv(app, mod, world):
    first = held(app, "ann", "history one")
    second = held(app, "bob", "history two")
    decide(mod, first, "approve")
    decide(mod, second, "reject", reason_text='=HYPERLINK("http://evil")')

    page = html(mod.get("/review/history"))
    assert page.count("<tr>") >= 5  # two holds, an approve, a reject, plus the header row
    approves = html(mod.get("/review/history?action=approve"))
    assert f'href="/review/comments/{first}">#{first}' in approves and f">#{second}<" not in approves
    by_user = html(mod.get("/review/history?user=bob"))
    assert f">#{second}<" in by_user and f">#{first}<" not in by_user
    assert "No user called" in " ".join(flashes(html(mod.get("/review/history?user=nobody"))))

    response = mod.get("/review/history.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(html(response))))
    reject = next(r for r in rows if r["action"] == "reject")
    assert reject["actor"] == "mod" and reject["user"] == "bob" and reject["comment_id"] == str(second)
    assert reject["reason"].startswith("'=HYPERLINK")  # not a formula in a spreadsheet
    assert {r["actor"] for r in rows if r["action"] == "hold"} == {"system"}
    only = list(csv.DictReader(io.StringIO(html(mod.get(f"/review/history.csv?comment={first}")))))
    assert {r["comment_id"] for r in only} == {str(first)}


# Details as the writers of history rows have left them, and shapes none of them writes yet:
# a page must render every row, whatever its details hold.
ODD_DETAILS = (
    None,
    {},
    {"origin": "https://news.example.com"},
    {"before": {"a": 1}},
    {"after": {"b": [1, 2]}},
    {"before": {"x": 0.8}, "after": {"x": 0.7, "y": True}},
    ["a", "list"],
    "a string",
    7,
    {"nested": {"k": None}},
)


def test_every_kind_of_history_row_renders_on_the_page_and_in_csv(app, admin, world):
    from service.domain.embed import sites
    from service.domain.moderation.history import HISTORY_ACTIONS

    comment_id = held(app, "ann", "a comment for every action")
    with app.app_context():
        boss = db.session.scalar(select(User).where(User.username == "boss"))
        sites.add_origin("https://news.example.com", boss)  # the row that once answered 500
        for n, action in enumerate(HISTORY_ACTIONS):
            db.session.add(
                ModerationAction(
                    action=action,
                    actor_id=boss.id,
                    user_id=world["ann"],
                    comment_id=comment_id,
                    reason=f"row {action}",
                    details=ODD_DETAILS[n % len(ODD_DETAILS)],
                )
            )
        db.session.commit()

    page = html(admin.get("/review/history"))
    for action in HISTORY_ACTIONS:
        assert f"row {action}" in page
    assert "origin: https://news.example.com" in page and "x: 0.8 → 0.7; y: — → True" in page
    for action in HISTORY_ACTIONS:
        response = admin.get(f"/review/history?action={action}")
        assert response.status_code == 200 and f"row {action}" in html(response), action
    assert "embed origin added" in html(admin.get("/review/history?action=settings"))
    assert admin.get(f"/review/users/{world['ann']}").status_code == 200
    assert admin.get(f"/review/comments/{comment_id}").status_code == 200
    rows = list(csv.DictReader(io.StringIO(html(admin.get("/review/history.csv")))))
    assert {r["action"] for r in rows} >= set(HISTORY_ACTIONS)
    assert any(r["details"] == '{"origin": "https://news.example.com"}' for r in rows)


def test_comment_page_shows_the_card_and_its_history(app, mod):
    comment_id = held(app, "ann", "a comment with a past")
    decide(mod, comment_id, "approve", next=f"/review/comments/{comment_id}")
    page = html(mod.get(f"/review/comments/{comment_id}"))
    assert f'id="card-{comment_id}"' in page and "a comment with a past" in page
    assert "pending → held" in page and "held → published" in page
    assert mod.get("/review/comments/999999").status_code == 404


# --- admin settings --------------------------------------------------------------------------


@pytest.fixture
def admin(api, make_user, world):
    make_user("boss", role="admin")
    api.login("boss")
    return api


def settings_form(**changes):
    form = {
        f"{band}_{a}": str(v)
        for band, values in (("review", DEFAULT_REVIEW), ("hold", DEFAULT_HOLD))
        for a, v in values.items()
    }
    form.update(
        reject_threshold="0.97",
        premoderation_rate="0.5",
        rate_window="10",
        rate_min_decided="4",
        report_hide_threshold="3",
        banned_words="",
        suspect_words="",
    )
    form.update(changes)
    return form


def test_settings_page_saves_and_records_changes(app, admin):
    page = html(admin.get("/review/settings"))
    assert 'id="f-review_toxicity"' in page and 'id="f-banned_words"' in page
    response = admin.form(
        "/review/settings",
        settings_form(
            banned_words="scumbag\n  Badword \n", suspect_words="clown", auto_reject="on", hold_threat="0.65"
        ),
    )
    assert response.status_code == 302
    assert "Settings saved" in " ".join(flashes(html(admin.get("/review/settings"))))
    with app.app_context():
        values = settings.current()
        assert values["banned_words"] == ["badword", "scumbag"] and values["suspect_words"] == ["clown"]
        assert values["auto_reject"] is True and values["hold"]["threat"] == 0.65
        assert db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings")) is not None
    assert "badword\nscumbag</textarea>" in html(admin.get("/review/settings"))


def test_settings_page_shows_errors_next_to_fields_and_saves_nothing(app, admin):
    bad = admin.form("/review/settings", settings_form(review_insult="lots"))
    page = html(bad)
    assert bad.status_code == 422 and 'id="f-review_insult-error"' in page and 'aria-invalid="true"' in page
    assert 'value="lots"' in page  # what was typed stays

    crossed = admin.form("/review/settings", settings_form(review_toxicity="0.9", hold_toxicity="0.8"))
    assert crossed.status_code == 422 and "review threshold for toxicity (0.90) is above its hold threshold" in html(
        crossed
    )

    too_big = admin.form("/review/settings", settings_form(report_hide_threshold="0"))
    assert too_big.status_code == 422 and 'id="f-report_hide_threshold-error"' in html(too_big)
    with app.app_context():
        assert db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings")) is None


# --- calibration -----------------------------------------------------------------------------

HAND = [  # toxicity, rejected by a moderator
    (0.95, True),
    (0.85, True),
    (0.75, False),
    (0.55, True),
    (0.15, False),
]


def test_calibration_report_on_a_hand_computed_case():
    result = calibration.report([({"toxicity": s}, r) for s, r in HAND], target=0.9, minimum=5)
    tox = result["attributes"]["toxicity"]
    share = {row["threshold"]: (row["above"], row["rejected"]) for row in tox["rows"]}
    assert share[0.1] == (5, 3)
    assert share[0.2] == share[0.5] == (4, 3)
    assert share[0.6] == share[0.7] == (3, 2)
    assert share[0.8] == (2, 2) and share[0.9] == (1, 1)
    assert tox["rows"][0]["precision"] == pytest.approx(0.6)
    assert tox["suggested"] == 0.8 and tox["suggested_above"] == 2 and tox["decided"] == 5
    assert (
        calibration.report([({"toxicity": s}, r) for s, r in HAND], target=0.75, minimum=5)["attributes"]["toxicity"][
            "suggested"
        ]
        == 0.2
    )
    assert tox["histogram"] == {
        "approved": [0, 1, 0, 0, 0, 0, 0, 1, 0, 0],
        "rejected": [0, 0, 0, 0, 0, 1, 0, 0, 1, 1],
    }
    # Attributes the rows do not score are empty, not errors.
    insult = result["attributes"]["insult"]
    assert insult["suggested"] is None and all(r["above"] == 0 and r["precision"] is None for r in insult["rows"])


def test_calibration_withholds_a_suggestion_below_the_minimum_of_decisions():
    hand = [({"toxicity": s}, r) for s, r in HAND]
    tox = calibration.report(hand, target=0.9, minimum=6)["attributes"]["toxicity"]
    assert tox["withheld"] and tox["suggested"] is None and tox["decided"] == 5
    assert [r["above"] for r in tox["rows"]][:1] == [5]  # the table still shows what there is
    # By default a suggestion needs MIN_DECISIONS (30): 29 are too few, 30 are enough.
    many = [({"toxicity": 0.95}, True)] * (calibration.MIN_DECISIONS - 1)
    assert calibration.report(many)["attributes"]["toxicity"]["withheld"]
    enough = calibration.report(many + [({"toxicity": 0.95}, True)])["attributes"]["toxicity"]
    assert not enough["withheld"] and enough["suggested"] == 0.1 and enough["suggested_above"] == 30
    # No threshold meeting the target is not "withheld": there is nothing to withhold.
    assert not calibration.report([({"toxicity": 0.5}, False)])["attributes"]["toxicity"]["withheld"]


def test_calibration_edges():
    at = calibration.report([({"threat": 0.5}, True), ({"threat": 1.0}, False)])["attributes"]["threat"]
    assert {r["threshold"]: r["above"] for r in at["rows"]}[0.5] == 2  # at the threshold counts as above
    assert at["histogram"]["approved"][9] == 1 and at["histogram"]["rejected"][5] == 1
    assert at["suggested"] is None  # 1 of 2 at 0.5, 0 of 1 from 0.6 up
    assert calibration.report([])["attributes"]["toxicity"]["suggested"] is None
    with pytest.raises(ValueError, match=r"^target must be in \(0, 1\]$"):
        calibration.report([], target=0)


def test_calibration_page_uses_moderators_latest_decisions(app, admin, world, monkeypatch):
    ids = []
    for value, rejected in HAND:
        comment_id = held(app, "ann", f"scored {value}", scores(toxicity=value))
        decide(admin, comment_id, "reject" if rejected else "approve", reason="spam" if rejected else None)
        ids.append(comment_id)
    # A comment moderators approved and later rejected counts once, as rejected.
    second_thoughts = decide(admin, ids[2], "reject", reason="spam", expected_status="published")
    assert status_of(app, ids[2]) == "rejected", flashes(html(admin.get(second_thoughts.headers["Location"])))
    # The system's own holds and a comment nobody decided do not count.
    held(app, "ann", "undecided", scores(toxicity=0.99))
    with app.app_context():
        outcomes = calibration.moderator_outcomes()
    assert sorted((s["toxicity"], r) for s, r in outcomes) == [
        (0.15, False),
        (0.55, True),
        (0.75, True),
        (0.85, True),
        (0.95, True),
    ]

    page = html(admin.get("/review/calibration?target=0.9"))
    assert "From 5 comments" in page
    # Five decisions are too few for a suggestion: the page says what it would rest on.
    assert "data-suggested" not in page
    assert "it would rest on 5 decisions, and a suggestion needs at least 30" in page
    monkeypatch.setattr(calibration, "MIN_DECISIONS", 5)
    page = html(admin.get("/review/calibration?target=0.9"))
    assert "resting on 5 decisions (4 scoring at or above it)" in page
    assert 'data-suggested="0.2"' in page  # from 0.2 up: 4 of 4 rejected; at 0.1: 4 of 5
    assert "<svg" in page and page.count('class="bar-rejected"') == 60
    assert 'data-suggested="0.1"' in html(admin.get("/review/calibration?target=0.8"))


# --- the banner ------------------------------------------------------------------------------


def test_moderators_see_a_banner_when_scoring_is_behind_or_down(app, mod, other_api):
    assert "moderation-banner" not in html(mod.get("/"))
    comment_id = post(app, "ann", "still waiting")
    with app.app_context():
        db.session.get(Comment, comment_id).created_at = utcnow() - timedelta(minutes=2)
        db.session.commit()
    page = html(mod.get("/"))
    assert "moderation-banner" in page and "Scoring is behind: 1 comment waited over a minute" in page
    other_api.login("ann")
    assert "moderation-banner" not in html(other_api.get("/"))

    with app.app_context():
        db.session.add(WorkerHeartbeat(id="w1", state="error", error="checkpoint missing"))
        db.session.commit()
    assert "the model could not load (checkpoint missing)" in html(mod.get("/review/pending"))


# --- pure helpers ----------------------------------------------------------------------------


def test_highlight_splits_text_by_spans_and_ignores_stale_ones():
    text = "you utter fool, you fool"
    spans = [
        {"start": 20, "end": 24, "text": "fool", "weight": 0.5},
        {"start": 10, "end": 14, "text": "fool", "weight": 0.9},
        {"start": 4, "end": 14, "text": "utter fool", "weight": 0.7},  # overlaps: kept, as it starts first
        {"start": 0, "end": 3, "text": "xyz"},  # stale: the text moved
        {"start": 30, "end": 40},  # out of range
    ]
    parts = highlight(text, spans)
    assert "".join(p for p, _ in parts) == text
    assert [p for p, marked in parts if marked] == ["utter fool", "fool"]
    assert highlight("plain", None) == [("plain", False)]
    assert highlight("", []) == []


# --- demo data -------------------------------------------------------------------------------


def test_seed_demo_fills_each_queue_once(app, worker):
    from service.demo.moderation import HELD, REVIEW
    from service.domain.moderation import queues

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"]).output
    assert "demo comments for the moderation queues" in first and "'shill'" in first
    assert first.count("password:") == 2  # demo commenters never sign in
    worker.drain()
    with app.app_context():
        status = {c.body: c.status for c in db.session.scalars(select(Comment))}
        assert [status[body] for body in HELD] == ["held", "held"]
        assert status[REVIEW] == "review"
        counts = queues.counts()
        assert counts["pending"].value == 2 and counts["reported"].value == 1 and counts["review"].value >= 1
        assert settings.current()["suspect_words"] == ["shill"]
        change = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings"))
        assert change.actor_id is None  # the system, not a person
    second = runner.invoke(args=["seed-demo"]).output
    assert "moderation queues" not in second
    with app.app_context():
        assert len(db.session.scalars(select(Comment)).all()) == len(status)


# --- what a queue page costs ---------------------------------------------------------------


def queue_page_costs(app, mod):
    """(cards, {SQL statements, CSRF tokens built, URLs built}) for one render of the pending
    queue. Calls are counted by their code object, whoever holds a reference to the function."""
    import sys

    import flask_wtf.csrf
    from flask import Flask
    from sqlalchemy import event

    counted = {flask_wtf.csrf.generate_csrf.__code__: "csrf", Flask.url_for.__code__: "url_for"}
    counts = {"sql": 0, "csrf": 0, "url_for": 0}

    def count_sql(*_):
        counts["sql"] += 1

    def count_calls(frame, what, _):
        if what == "call" and frame.f_code in counted:
            counts[counted[frame.f_code]] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count_sql)
    sys.setprofile(count_calls)
    try:
        page = html(mod.get("/review/pending"))
    finally:
        sys.setprofile(None)
        event.remove(engine, "before_cursor_execute", count_sql)
    return page.count('class="card"'), counts


def test_a_queue_page_costs_the_same_queries_csrf_tokens_and_urls_for_3_cards_as_for_12(app, mod):
    for i in range(3):
        held(app, "ann", f"Held comment {i}.")
    few, at_3 = queue_page_costs(app, mod)
    for i in range(9):
        held(app, "bob" if i % 2 else "ann", f"Another held comment {i}.")
    many, at_12 = queue_page_costs(app, mod)
    assert (few, many) == (3, 12)
    # Per card: no query, no CSRF token, one url_for (the article link); the rest is per page.
    assert at_12["sql"] == at_3["sql"] and at_12["csrf"] == at_3["csrf"]
    assert at_12["url_for"] - at_3["url_for"] == 9


def test_card_links_built_from_a_pattern_are_url_for_s(app):
    from flask import url_for

    from service.urls import ID, id_url

    with app.test_request_context("/"):
        for endpoint, key in (
            ("review.decide", "comment_id"),
            ("api.review_decision", "comment_id"),
            ("review.user", "user_id"),
        ):
            build = id_url(endpoint, **{key: ID})
            assert [build(n) for n in (1, 42, 2**31 - 1)] == [url_for(endpoint, **{key: n}) for n in (1, 42, 2**31 - 1)]
