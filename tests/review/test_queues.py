"""The queues: what lands where, the cards, sorting and filtering, reasons to reject."""

import re

from sqlalchemy import select

from service.domain.moderation import reports, verdicts
from service.domain.moderation.workspace import CONTEXT, ELIDED, WHOLE_UP_TO, excerpt, highlight
from service.extensions import db
from service.models import Article, Comment, User
from tests.conftest import Api

from .conftest import decide, flashes, held, html, post, scores, status_of, system_decides


def test_a_comment_on_a_premoderated_article_waits_in_pending_with_its_card(app, as_moderator, worker):
    with app.app_context():
        db.session.scalar(select(Article)).premoderated = True
        db.session.commit()
    comment_id = post(app, "ann", "A perfectly polite remark about the talks.")
    worker.drain()
    assert status_of(app, comment_id) == "held"
    page = html(as_moderator.get("/review/pending"))
    assert f'id="card-{comment_id}"' in page and "A perfectly polite remark about the talks." in page
    assert '<span class="count" data-count="pending">1</span>' in page
    assert "A test article" in page and 'href="/review/users/' in page
    assert "pre-moderat" in page  # the reason the policy gave
    assert page.count("<meter") == 6, page[page.index("card-") :][:3000]


def test_card_shows_scores_as_meters_the_parent_and_escaped_highlights(app, as_moderator):
    parent = post(app, "bob", "The parent comment, for context.")
    system_decides(app, parent, "publish", scores())
    body = "You <b>idiot</b>, read it again."
    start = body.index("idiot")
    spans = [{"start": start, "end": start + 5, "text": "idiot", "weight": 0.9}]
    comment_id = post(app, "ann", body, parent_id=parent)
    system_decides(app, comment_id, "hold", scores(toxicity=0.91, insult=0.88), "toxicity 0.91 ≥ hold 0.80", spans)

    page = html(as_moderator.get("/review/pending"))
    card = page[page.index(f'id="card-{comment_id}"') :]
    assert "You &lt;b&gt;<mark>idiot</mark>&lt;/b&gt;, read it again." in card
    assert "<b>idiot" not in card
    assert "In reply to:</span> The parent comment, for context." in card
    assert "toxicity 0.91 ≥ hold 0.80" in card and "test-model" in card
    assert re.search(rf'<meter id="score-{comment_id}-toxicity"[^>]*value="0.91"', card)
    assert re.search(rf'<meter id="score-{comment_id}-insult"[^>]*low="0.6" high="0.85" value="0.88"', card)
    assert 'style="' not in page  # the CSP blocks inline styles


def test_queue_sorts_by_score_and_filters_by_author_article_and_attribute(app, as_moderator, make_article):
    make_article(slug="other-article", title="Another story")
    mild = held(app, "ann", "mild words", scores(toxicity=0.81))
    worst = held(app, "bob", "worst words", scores(toxicity=0.99, insult=0.7))
    elsewhere = held(app, "ann", "elsewhere words", scores(toxicity=0.85), slug="other-article")

    def order(query):
        return [
            int(i) for i in re.findall(r'data-comment-id="(\d+)"', html(as_moderator.get(f"/review/pending{query}")))
        ]

    assert order("") == [elsewhere, worst, mild]  # newest first
    assert order("?sort=oldest") == [mild, worst, elsewhere]
    assert order("?sort=score") == [worst, elsewhere, mild]
    assert order("?author=ann") == [elsewhere, mild]
    assert order("?article=other-article") == [elsewhere]
    assert order("?attribute=insult") == [worst]
    bad = as_moderator.get("/review/pending?sort=sideways")
    assert bad.status_code == 302 and "sort" in " ".join(flashes(html(as_moderator.get(bad.headers["Location"]))))


def test_reader_reports_from_the_article_page_and_it_lands_in_the_reported_queue(app, api, other_api, world):
    comment_id = post(app, "bob", "Something people may object to.")
    system_decides(app, comment_id, "publish", scores())
    api.login("ann")
    article_page = html(api.get("/articles/test-article"))
    report = f'<details class="report" data-form="report" data-id="{comment_id}"'  # the page's report form, folded
    assert report in article_page and "Moderate</a>" not in article_page
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
    assert report not in html(bob.get("/articles/test-article"))  # not on his own comment


def test_a_reported_card_says_it_is_here_for_its_reports_and_offers_their_reasons_first(
    app, world, as_moderator, make_user
):
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
    page = html(as_moderator.get("/review/reported"))
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


def test_rejecting_needs_a_chosen_reason_on_a_card_and_in_bulk(app, as_moderator):
    one, two = held(app, "ann", "one"), held(app, "ann", "two")
    page = html(as_moderator.get("/review/pending"))
    assert '<option value="" selected>Choose a reason…</option>' in page
    assert page.count("Choose a reason…") == 3  # two cards and the bulk bar
    decide(as_moderator, one, "reject", reason="", reason_text="  ")
    assert f"Comment #{one}: Choose a reason for rejecting (or write one): nothing was rejected." in flashes(
        html(as_moderator.get("/review/pending"))
    )
    as_moderator.form(
        "/review/bulk", {"action": "reject", "reason": "", "ids": [str(one), str(two)], "next": "/review/pending"}
    )
    assert "Choose a reason for rejecting (or write one): nothing was rejected." in flashes(
        html(as_moderator.get("/review/pending"))
    )
    assert (status_of(app, one), status_of(app, two)) == ("held", "held")
    decide(as_moderator, one, "reject", reason="threat")
    assert status_of(app, one) == "rejected"


def test_a_banned_word_hold_marks_the_banned_word_on_the_card(app, as_moderator):
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
    page = html(as_moderator.get(f"/review/comments/{comment_id}"))
    assert "<mark>Bl0ody</mark>" in page and "<mark>and</mark>" in page
    assert "banned word &#39;bloody&#39;" in page


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


PADDING = "The council met on Tuesday to discuss the budget for the new library wing. " * 30


def test_a_long_comment_card_shows_the_marked_words_first_and_folds_the_rest(app, as_moderator):
    """A troll pads an insult with pages of text: the moderator on a phone sees the insult and
    its surroundings at once, and can still open the whole comment."""
    body = PADDING + "And you are a worthless idiot. " + PADDING
    start = body.index("worthless idiot")
    spans = [{"start": start, "end": start + 15, "text": "worthless idiot", "weight": 0.9}]
    comment_id = post(app, "ann", body)
    system_decides(app, comment_id, "hold", scores(toxicity=0.93), "toxicity 0.93 ≥ hold 0.80", spans)

    page = html(as_moderator.get("/review/pending"))
    card = page[page.index(f'id="card-{comment_id}"') :]
    card = card[: card.index("</article>")]
    shown, whole = card.split('<details class="card-whole">')
    assert "<mark>worthless idiot</mark>" in shown and shown.count('class="elided"') == 2
    assert len(shown) < 2 * CONTEXT + 1500  # the excerpt, not the 4,600 characters
    assert f"Whole comment ({len(body)} characters)" in whole
    assert whole.count("The council met on Tuesday") == 60 and "<mark>worthless idiot</mark>" in whole


def test_a_short_comment_card_shows_it_whole_with_no_fold(app, as_moderator):
    comment_id = held(app, "ann", "Short and rude, you fool.", scores(toxicity=0.9))
    page = html(as_moderator.get("/review/pending"))
    card = page[page.index(f'id="card-{comment_id}"') :]
    card = card[: card.index("</article>")]
    assert "Short and rude, you fool." in card
    assert '<details class="card-whole">' not in card and 'class="elided"' not in card


def test_excerpt_keeps_each_mark_with_its_surroundings_in_order():
    text = "a" * 1000 + " first " + "b" * 50 + " second " + "c" * 1000
    spans = [
        {"start": text.index("first"), "end": text.index("first") + 5},
        {"start": text.index("second"), "end": text.index("second") + 6},
    ]
    short = excerpt(highlight(text, spans))
    assert [t for t, marked in short if marked] == ["first", "second"]
    assert short[0] == (ELIDED, None) and short[-1] == (ELIDED, None)
    assert short[1] == ("a" * (CONTEXT - 1) + " ", False)
    assert (" " + "b" * 50 + " ", False) in short  # the text between two close marks is kept whole
    assert short[-2] == (" " + "c" * (CONTEXT - 1), False)
    kept = "".join(t for t, marked in short if marked is not None)
    assert len(kept) == 2 * CONTEXT + len("first " + "b" * 50 + " second")


def test_excerpt_leaves_short_comments_whole_and_opens_unmarked_long_ones():
    assert excerpt(highlight("x" * WHOLE_UP_TO, [])) is None
    words = "word " * 400
    short = excerpt(highlight(words, []))
    assert short[-1] == (ELIDED, None) and len(short) == 2
    opening = short[0][0]
    assert words.startswith(opening) and opening.endswith("word") and len(opening) <= 2 * CONTEXT
