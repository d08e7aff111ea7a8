"""What a queue page costs: the same queries, CSRF tokens, URLs and mapped objects for 3 cards
as for 12."""

from tests.conftest import page_costs

from .conftest import held


def queue_page_costs(app, as_moderator):
    """(cards, {SQL statements, CSRF tokens built, URLs built}) for one render of the pending queue."""
    page, counts = page_costs(app, as_moderator, "/review/pending")
    return page.count('class="card"'), counts


def test_a_queue_page_costs_the_same_for_3_cards_as_for_12(app, as_moderator):
    for i in range(3):
        held(app, "ann", f"Held comment {i}.")
    few, at_3 = queue_page_costs(app, as_moderator)
    for i in range(9):
        held(app, "bob" if i % 2 else "ann", f"Another held comment {i}.")
    many, at_12 = queue_page_costs(app, as_moderator)
    assert (few, many) == (3, 12)
    # Per card: no query, no CSRF token, no url_for (all twelve are on one article, whose
    # link is built once a page); the rest is per page.
    assert at_12["sql"] == at_3["sql"] and at_12["csrf"] == at_3["csrf"]
    assert at_12["url_for"] == at_3["url_for"]
    # The cards are plain rows (queues.QueuedComment), not mapped comments with mapped
    # authors, articles and parents: those cost a page more CPU than its SQL.
    assert at_12["mapped"] == at_3["mapped"], (at_3, at_12)
    # And the page's own: the signed-in user, the page's comments with their authors, articles
    # and parents, the authors' tiers (with the base tier), their records, the decisions, the
    # open reports, the tab counts, the article menu, the settings, the scoring banner.
    assert at_3["sql"] <= 10, at_3


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
