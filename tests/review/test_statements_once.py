"""Statements built once per process (service/domain/statements.py) run with each request's
values: nothing of one request's filter, cursor or reader stays in the statement for the
next, and the number kept stays bounded by the pages' shapes, not by their values."""

import re

from service.domain import statements
from tests.conftest import Api

from .conftest import held, html, post, scores


def card_ids(client, url):
    return [int(i) for i in re.findall(r'data-comment-id="(\d+)"', html(client.get(url)))]


def test_the_same_filter_with_another_value_reads_that_value(app, as_moderator, make_user):
    make_user("cat")
    by_ann = held(app, "ann", "Ann's held words", scores(toxicity=0.9))
    by_bob = held(app, "bob", "Bob's held words", scores(toxicity=0.9))
    assert card_ids(as_moderator, "/review/pending?author=ann") == [by_ann]
    kept = len(statements._BUILT)
    assert card_ids(as_moderator, "/review/pending?author=bob") == [by_bob]
    assert card_ids(as_moderator, "/review/pending?author=BOB") == [by_bob]  # folded, as sign-in folds
    assert card_ids(as_moderator, "/review/pending?author=cat") == []
    assert card_ids(as_moderator, "/review/pending?author=nobody") == []
    assert len(statements._BUILT) == kept  # four more values, no statement more


def test_each_cursor_continues_from_its_own_comment(app, as_moderator):
    ids = [held(app, "ann", f"Held comment {i}", scores(toxicity=0.5 + i / 100)) for i in range(5)]
    api = "/api/v1/review/queues/pending?limit=2&sort="
    for sort, expected in (("age", ids[::-1]), ("oldest", ids), ("score", ids[::-1])):
        seen, url = [], api + sort
        for _ in range(3):
            answer = as_moderator.get(url).get_json()
            seen += [c["id"] for c in answer["comments"]]
            if not answer.get("next"):
                break
            url = f"{api}{sort}&cursor={answer['next']}"
        assert seen == expected, sort


def test_a_readers_thread_shows_their_own_waiting_comment_and_nobody_elses(app, world):
    # Readers share one statement; whose comments count as "their own" is a value of it.
    ann_waits = post(app, "ann", "Ann's comment, waiting to be scored.")
    bob_waits = post(app, "bob", "Bob's comment, waiting to be scored.")
    pages = {}
    for name in ("ann", "bob", "ann"):
        reader = Api(app.test_client())
        reader.login(name)
        pages[name] = html(reader.get("/articles/test-article"))
    assert f'id="comment-{ann_waits}"' in pages["ann"] and f'id="comment-{bob_waits}"' not in pages["ann"]
    assert f'id="comment-{bob_waits}"' in pages["bob"] and f'id="comment-{ann_waits}"' not in pages["bob"]
