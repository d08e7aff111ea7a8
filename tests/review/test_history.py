"""The history of decisions: site-wide, filtered, as CSV, and per comment."""

import csv
import io

from sqlalchemy import select

from service.extensions import db
from service.models import ModerationAction, User

from .conftest import decide, flashes, held, html


def test_history_site_wide_filtered_and_as_csv(app, as_moderator, world):
    first = held(app, "ann", "history one")
    second = held(app, "bob", "history two")
    decide(as_moderator, first, "approve")
    decide(as_moderator, second, "reject", reason_text='=HYPERLINK("http://evil")')

    page = html(as_moderator.get("/review/history"))
    assert page.count("<tr>") >= 5  # two holds, an approve, a reject, plus the header row
    approves = html(as_moderator.get("/review/history?action=approve"))
    assert f'href="/review/comments/{first}">#{first}' in approves and f">#{second}<" not in approves
    by_user = html(as_moderator.get("/review/history?user=bob"))
    assert f">#{second}<" in by_user and f">#{first}<" not in by_user
    assert "No user called" in " ".join(flashes(html(as_moderator.get("/review/history?user=nobody"))))

    response = as_moderator.get("/review/history.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(html(response))))
    reject = next(r for r in rows if r["action"] == "reject")
    assert reject["actor"] == "mod" and reject["user"] == "bob" and reject["comment_id"] == str(second)
    assert reject["reason"].startswith("'=HYPERLINK")  # not a formula in a spreadsheet
    assert {r["actor"] for r in rows if r["action"] == "hold"} == {"system"}
    only = list(csv.DictReader(io.StringIO(html(as_moderator.get(f"/review/history.csv?comment={first}")))))
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


def test_every_kind_of_history_row_renders_on_the_page_and_in_csv(app, as_admin, world):
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

    page = html(as_admin.get("/review/history"))
    for action in HISTORY_ACTIONS:
        assert f"row {action}" in page
    assert "origin: https://news.example.com" in page and "x: 0.8 → 0.7; y: — → True" in page
    for action in HISTORY_ACTIONS:
        response = as_admin.get(f"/review/history?action={action}")
        assert response.status_code == 200 and f"row {action}" in html(response), action
    assert "embed origin added" in html(as_admin.get("/review/history?action=settings"))
    assert as_admin.get(f"/review/users/{world['ann']}").status_code == 200
    assert as_admin.get(f"/review/comments/{comment_id}").status_code == 200
    rows = list(csv.DictReader(io.StringIO(html(as_admin.get("/review/history.csv")))))
    assert {r["action"] for r in rows} >= set(HISTORY_ACTIONS)
    assert any(r["details"] == '{"origin": "https://news.example.com"}' for r in rows)


def test_comment_page_shows_the_card_and_its_history(app, as_moderator):
    comment_id = held(app, "ann", "a comment with a past")
    decide(as_moderator, comment_id, "approve", next=f"/review/comments/{comment_id}")
    page = html(as_moderator.get(f"/review/comments/{comment_id}"))
    assert f'id="card-{comment_id}"' in page and "a comment with a past" in page
    assert "pending → held" in page and "held → published" in page
    assert as_moderator.get("/review/comments/999999").status_code == 404
