"""The comment widget under the security suite's payloads and forgeries.

XSS: every payload goes into comment bodies (published ones, and the author's own pending ones),
into article titles the widget creates from a host page's data-title, and into the host style
the loader passes along; the framed thread is checked as HTML and opened in Chromium inside a
host page on another origin, with the sink hooks in every frame, as a visitor and signed in.
CSRF: a bearer token is the only way around the cookie CSRF check, and a bad one is refused
outright, never downgraded to the cookie.
"""

import re
from urllib.parse import urlencode

from sqlalchemy import func, select

from service.domain.embed import sites, tokens
from service.domain.moderation import moderator_actions, settings
from service.extensions import db
from service.models import Article, Comment, User

from ..browser.embed_host import host_site
from ..conftest import PASSWORD
from .conftest import client_for, db_fingerprint
from .payloads import PAYLOADS
from .test_xss import BAD_URL, DOM_AUDIT, HANDLER, SCRIPT, chromium_or_skip, chunks, watched_page

RUN = {"payloads": len(PAYLOADS), "frames": 0}
STYLE_PAYLOADS = [
    '"><script>alert(1)</script>',
    "expression(alert(2))",
    "url(javascript:alert(3))",
    "</style><svg onload=alert(4)>",
]


def allow(app, world, origin):
    with app.app_context():
        admin = db.session.get(User, world.users["admin"])
        sites.add_origin(origin, admin)
        settings.update({"embed_create_articles": True}, admin)
        db.session.remove()


def plant(app, world):
    """Payload comments on the scene's article: packed bodies, every other one a reply, all
    published; and some of rita's own left pending (only she sees them, with their state)."""
    rita = client_for(app, world, "reader")
    token = rita.token()
    url = f"/api/v1/articles/{world.article_slug}/comments"
    posted, parent = [], None
    for i, body in enumerate(chunks(PAYLOADS, 4000)):
        response = rita.client.post(url, json={"body": body, "parent_id": parent}, headers={"X-CSRFToken": token})
        assert response.status_code == 201, response.get_json()
        posted.append(response.get_json()["comment"]["id"])
        parent = posted[-1] if i % 2 == 0 else None
    with app.app_context():
        moderator = db.session.get(User, world.users["moderator"])
        for comment_id in posted:
            moderator_actions.moderate(comment_id, moderator, "approve")
        db.session.remove()
    for body in chunks(PAYLOADS[::-1], 4000)[:3]:
        assert rita.client.post(url, json={"body": body}, headers={"X-CSRFToken": token}).status_code == 201
    return posted


def thread_path(slug, origin, title=None, **style):
    query = {"article": slug, "origin": origin, **({"title": title} if title else {}), **style}
    return "/embed/thread?" + urlencode(query)


def test_payload_titles_and_host_styles_come_out_escaped_in_the_thread_page(app, world):
    origin = "https://news.example.com"
    allow(app, world, origin)
    client = app.test_client()
    client.environ_base.update(HTTP_SEC_FETCH_DEST="iframe", HTTP_REFERER=origin + "/")  # framed by the site
    problems = []
    titles = chunks(PAYLOADS, 300, " ")
    for i, title in enumerate(titles):
        style = {
            "font": STYLE_PAYLOADS[i % 4],
            "color": STYLE_PAYLOADS[(i + 1) % 4],
            "size": STYLE_PAYLOADS[(i + 2) % 4],
        }
        response = client.get(thread_path(f"xss-title-{i}", origin, title, **style))
        assert response.status_code == 200, (title, response.status_code)
        html = response.get_data(as_text=True)
        markup = re.sub(r"\"[^\"]*\"|'[^']*'", '""', html)
        for pattern, text in ((SCRIPT, html), (HANDLER, markup), (BAD_URL, markup)):
            problems.extend(f"title {i}: {m.group(0)[:80]!r}" for m in pattern.finditer(text))
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(Article).where(Article.slug.like("xss-title-%"))
        ) == len(titles)
    assert not problems, "\n".join(problems[:40])


def test_no_payload_runs_in_the_widget_in_chromium(app, world, live_server, browser):
    chromium_or_skip()
    plant(app, world)
    title = " ".join(PAYLOADS[:8])[:300]
    with host_site(live_server, world.article_slug, title=title) as host:
        allow(app, world, host)
        for csp in ("with CSP", "CSP stripped"):
            for signed_in in (False, True):
                open_widget(browser, live_server, host, csp, signed_in)


def open_widget(browser, live_server, host, csp, signed_in):
    context = browser.new_context()
    executions = []
    # The hooks in every frame (the host page and the widget); the host site is an allowed origin.
    page = watched_page(context, (live_server, host), csp, r"/embed/thread.*", executions)
    page.goto(host + "/")
    widget = wait_for_widget(page, live_server)
    if signed_in:  # through the popup, as a reader does
        with page.expect_popup() as popup:
            widget.click("text=Sign in to comment")
        popup.value.get_by_label("Email or username").fill("rita")
        popup.value.get_by_label("Password").fill(PASSWORD)
        popup.value.get_by_role("button", name="Sign in").click()
        widget.wait_for_selector("#pw-account strong")
        widget.wait_for_selector(".pw-pending")  # her own, not yet published
    for _ in range(20):  # every page of the thread
        button = widget.query_selector(".pw-more button")
        if button is None:
            break
        button.click()
        widget.wait_for_timeout(200)
    for action in widget.query_selector_all(".pw-actions button:not(.pw-danger)")[:6]:  # reply/report forms
        action.click()
    page.mouse.move(5, 5)
    for y in range(0, 3000, 300):
        page.mouse.move(200, y)
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    RUN["frames"] += 1
    bodies = widget.eval_on_selector_all(".pw-body", "nodes => nodes.map(n => n.textContent).join('\\n')")
    assert PAYLOADS[0] in bodies and PAYLOADS[-1] in bodies  # shown, as text
    executions += page.evaluate("window.__xss || []") + widget.evaluate("window.__xss || []")
    dom = widget.evaluate(DOM_AUDIT)
    violations = widget.evaluate("window.__csp || []")
    context.close()
    who = "signed in" if signed_in else "visitor"
    assert not executions, f"{csp}, {who}: payloads ran:\n" + "\n".join(executions[:40])
    assert not dom, f"{csp}, {who}: dangerous markup in the widget:\n" + "\n".join(dom[:40])
    if csp == "with CSP":
        assert not violations, f"{who}: the CSP had to block something:\n" + "\n".join(violations[:40])


def wait_for_widget(page, live_server):
    page.wait_for_selector("#parley-comments iframe")
    page.frame_locator("#parley-comments iframe").locator(".pw-comment").first.wait_for()
    return page.frame(url=lambda url: url.startswith(live_server + "/embed/thread"))


# --- CSRF and credentials ---------------------------------------------------------------------


def _bearer(app, world, role):
    with app.app_context():
        raw, _ = tokens.mint(db.session.get(User, world.users[role]))
        db.session.remove()
    return raw


def test_a_bad_bearer_token_is_refused_not_downgraded_to_the_cookie(app, world):
    """A signed-in victim's cookies plus a junk bearer header: 401, nothing written."""
    admin = client_for(app, world, "admin")
    before = db_fingerprint(app)
    for header in ("Bearer pe_junk", "Bearer ", "bearer pe_" + "0" * 43):
        response = admin.client.post(
            f"/api/v1/articles/{world.article_slug}/comments",
            json={"body": "forged"},
            headers={"Authorization": header},
        )
        assert response.status_code == 401, header
    assert db_fingerprint(app) == before


def test_other_authorization_schemes_still_need_the_csrf_token(app, world):
    reader = client_for(app, world, "reader")
    before = db_fingerprint(app)
    response = reader.client.post(
        f"/api/v1/articles/{world.article_slug}/comments",
        json={"body": "forged"},
        headers={"Authorization": "Basic cml0YTp4"},
    )
    assert response.status_code == 400 and "CSRF" in response.get_json()["error"]
    assert db_fingerprint(app) == before


def test_a_readers_token_acts_only_as_that_reader(app, world):
    """otto's token with rita's cookies: the comment is otto's, and rita's comment is out of reach."""
    rita = client_for(app, world, "reader")
    raw = _bearer(app, world, "other_reader")
    headers = {"Authorization": f"Bearer {raw}"}
    before = db_fingerprint(app)
    assert (
        rita.client.patch(f"/api/v1/comments/{world.comment_id}", json={"body": "x"}, headers=headers).status_code
        == 403
    )
    assert rita.client.delete(f"/api/v1/comments/{world.comment_id}", headers=headers).status_code == 403
    assert db_fingerprint(app) == before
    posted = rita.client.post(f"/api/v1/articles/{world.article_slug}/comments", json={"body": "mine"}, headers=headers)
    assert posted.get_json()["comment"]["author"]["username"] == "otto"


def test_suspended_and_banned_readers_tokens(app, world):
    """A suspended reader's token reads but cannot comment; a banned reader's stops working."""
    suspended, banned = _bearer(app, world, "suspended"), _bearer(app, world, "banned")
    client_for(app, world, "suspended")  # applies the sanction
    client_for(app, world, "banned")
    client = app.test_client()
    url = f"/api/v1/articles/{world.article_slug}/comments"
    assert client.get(url, headers={"Authorization": f"Bearer {suspended}"}).status_code == 200
    assert client.post(url, json={"body": "x"}, headers={"Authorization": f"Bearer {suspended}"}).status_code == 403
    assert client.get(url, headers={"Authorization": f"Bearer {banned}"}).status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.body == "x")) == 0
