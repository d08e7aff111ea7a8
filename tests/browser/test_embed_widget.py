"""The widget in real Chromium, from another site: Parley on 127.0.0.1, the news page on localhost.

A reader signs in through the popup, comments through the widget, sees the comment as being
checked and then published once the scoring worker has decided it; the host page's scripts
cannot reach into the widget; a site that is not registered gets no widget at all.
"""

from sqlalchemy import select

from service.domain.embed import sites
from service.extensions import db
from service.models import Comment, User

from .embed_host import host_site
from .seeding import seed_demo
from .steps import open_host_page, sign_in_through_widget


def register_origin(app, origin):
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        sites.add_origin(origin, admin)
        db.session.remove()


def test_a_reader_comments_through_the_widget_from_another_site(
    app, live_server, browser, make_user, make_article, worker
):
    make_article()
    make_user("adam", role="admin")
    make_user("ann")
    with host_site(live_server, "test-article") as host:
        register_origin(app, host)
        page, frame = open_host_page(browser, host, 390, 844)  # a phone
        frame.get_by_text("No comments yet.").wait_for()

        # The frame is Parley's, in the host's font, and sized to its content.
        iframe = page.locator("#parley-comments iframe")
        assert iframe.get_attribute("src").startswith(live_server + "/embed/thread?")
        widget = page.frame(url=lambda url: url.startswith(live_server + "/embed/thread"))
        assert "Courier New" in widget.evaluate("getComputedStyle(document.body).fontFamily")
        page.wait_for_function("document.querySelector('#parley-comments iframe').offsetHeight > 100")

        # Sign in through the first-party popup.
        popup = sign_in_through_widget(page, frame, "ann")
        frame.locator("#pw-account", has_text="Signed in as ann").wait_for()
        page.wait_for_timeout(200)
        assert popup.is_closed()  # it closes itself once it has handed over the token

        # The host page's scripts can reach neither the widget's document nor its storage.
        blocked = page.evaluate(
            """() => { const w = document.querySelector('#parley-comments iframe').contentWindow;
                       try { return String(w.document.body.innerHTML.length); } catch (e) { return e.name; } }"""
        )
        assert blocked == "SecurityError"
        assert "pe_" not in page.evaluate(
            "document.cookie + JSON.stringify(Object.assign({}, sessionStorage, localStorage))"
        )

        # Comment; it is shown to its author as being checked, then published once scored.
        frame.get_by_label("Leave a comment").fill("Sensible talks. <b>Not bold</b>")
        frame.get_by_role("button", name="Post comment").click()
        mine = frame.locator(".pw-comment", has_text="Sensible talks.")
        mine.get_by_text("being checked").wait_for()
        assert mine.locator(".pw-body").inner_text() == "Sensible talks. <b>Not bold</b>"  # as text
        worker.drain()  # the scoring worker decides it; the widget looks again by itself
        mine.and_(frame.locator("[data-status=published]")).wait_for(timeout=30_000)
        assert mine.get_by_text("being checked").count() == 0

        with app.app_context():
            stored = db.session.scalar(select(Comment))
            assert stored.body == "Sensible talks. <b>Not bold</b>" and stored.author.username == "ann"
            assert stored.status == "published"

        # Edit it within the window: re-checked, as on the article page.
        mine.get_by_role("button", name="Edit").click()
        mine.get_by_label("Edit your comment").fill("Sensible talks, edited.")
        mine.get_by_role("button", name="Save").click()
        edited = frame.locator(".pw-comment", has_text="Sensible talks, edited.")
        edited.get_by_text("being checked").wait_for()

        # Sign out in the widget revokes its token.
        frame.get_by_role("button", name="Sign out").click()
        frame.get_by_role("button", name="Sign in to comment").wait_for()
        page.context.close()


def test_an_unregistered_site_gets_no_widget(app, live_server, browser, make_article):
    make_article()
    with host_site(live_server, "test-article") as host:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(host + "/")
        page.wait_for_selector("#parley-comments[data-parley=refused]", state="attached")
        assert page.locator("#parley-comments iframe").count() == 0
        # Even framed by hand, the thread page refuses (frame-ancestors, and not registered).
        response = page.request.get(f"{live_server}/embed/thread?article=test-article&origin={host}")
        assert response.status == 403
        context.close()


def test_the_demo_page_shows_a_working_thread(app, live_server, browser, worker):
    seed_demo(app)
    worker.drain()  # the seeded comments are scored like any other
    app.config["EMBED_DEMO"] = True
    try:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(live_server + "/embed/demo")
        frame = page.frame_locator("#parley-comments iframe")
        frame.locator(".pw-comment").first.wait_for()
        frame.get_by_role("button", name="Sign in to comment").wait_for()
        context.close()
    finally:
        app.config["EMBED_DEMO"] = False
