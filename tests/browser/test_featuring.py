"""In Chromium: a featured comment leads the thread under "Editors' picks" with a visible
"Featured" mark, on the article page and in the widget on another site; a moderator takes the
feature away from the card; a reader gives respect and sees the count."""

from sqlalchemy import select

from service.domain.embed import sites
from service.extensions import db
from service.models import Comment, User

from .embed_host import host_site
from .steps import open_host_page, sign_in

SLUG = "test-article"


def seed(app, api):
    """ann's two comments on the test article, published, the second featured."""
    ids = [
        api.post(f"/api/v1/articles/{SLUG}/comments", {"body": body}).get_json()["comment"]["id"]
        for body in ("early words", "the editors' choice")
    ]
    with app.app_context():
        for cid in ids:
            db.session.get(Comment, cid).status = "published"
        db.session.get(Comment, ids[1]).featured = True
        db.session.commit()
    return ids


def test_featured_comments_lead_the_page_and_a_moderator_unfeatures_one(app, cast_on_article, live_server, page):
    early, chosen = seed(app, cast_on_article)
    page.goto(f"{live_server}/articles/{SLUG}")
    picks = page.locator("ol.picks")
    assert page.get_by_role("heading", name="Editors' picks").is_visible()
    assert picks.locator(".comment").count() == 1
    assert picks.locator(f"#comment-{chosen} .featured-badge").inner_text() == "Featured"
    first_in_page = page.locator(".comment").first.get_attribute("id")
    assert first_in_page == f"comment-{chosen}"

    # Oldest first: the pick takes its place by time, still marked.
    page.get_by_role("link", name="Oldest first").click()
    assert page.locator(".comment").first.get_attribute("id") == f"comment-{early}"
    assert page.locator(f"#comment-{chosen} .featured-badge").is_visible()

    # A reader's respect: one click, counted, pressed.
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server}/articles/{SLUG}")
    page.locator(f"#comment-{early}").get_by_role("button", name="Respect").click()
    button = page.locator(f"#comment-{early} .respect-button")
    assert button.inner_text() == "Respect · 1" and button.get_attribute("aria-pressed") == "true"

    # The moderator's card offers Un-feature; after it, no picks.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "mod")
    page.goto(f"{live_server}/review/comments/{chosen}")
    page.get_by_role("button", name="Un-feature").click()
    page.locator(".card-result", has_text="Un-featured").wait_for()  # decided in place
    with app.app_context():
        assert db.session.get(Comment, chosen).featured is False
    page.goto(f"{live_server}/articles/{SLUG}")
    assert page.locator("ol.picks").count() == 0 and page.locator(".featured-badge").count() == 0


def test_the_widget_leads_with_the_editors_picks(app, cast_on_article, live_server, browser):
    early, chosen = seed(app, cast_on_article)
    with host_site(live_server, SLUG) as host:
        with app.app_context():
            admin = db.session.scalar(select(User).where(User.role == "admin"))
            sites.add_origin(host, admin)
            db.session.remove()
        page, frame = open_host_page(browser, host, 390, 844)
        frame.get_by_role("heading", name="Editors' picks").wait_for()
        first = frame.locator(".pw-comment").first
        assert first.get_attribute("id") == f"pw-comment-{chosen}"
        assert first.locator(".pw-featured").inner_text() == "Featured"
        assert frame.get_by_role("heading", name="All comments").is_visible()
        # The reader's own order: oldest first, no picks heading.
        frame.get_by_label("Show:").select_option("oldest")
        frame.locator(f"#pw-comment-{early}").wait_for()
        frame.get_by_role("heading", name="Editors' picks").wait_for(state="detached")
        assert frame.locator(".pw-comment").first.get_attribute("id") == f"pw-comment-{early}"
        assert frame.locator(f"#pw-comment-{chosen} .pw-featured").is_visible()
        page.context.close()
