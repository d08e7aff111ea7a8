"""Every moderator and admin page reflows at 320 CSS pixels (WCAG 1.4.10): nothing wider than
the screen, the masthead's Sign out in view, and the queue's first card on the first screen.

The pages are found from the app's routes, so a page added later is measured too."""

import os

from sqlalchemy import select

from service.domain.accounts import accounts
from service.extensions import db
from service.models import Article, Comment, Membership, Tier

from .seeding import seed_demo
from .steps import sign_in

PASSWORD = "a-long-enough-password"
WIDTH, HEIGHT = 320, 640
SHOTS = os.environ.get("REFLOW_SCREENSHOTS")  # a folder: keep a screenshot of each page there


def seed(app):
    seed_demo(app)
    with app.app_context():
        accounts.register("phoneadmin@example.com", "phoneadmin", PASSWORD, role="admin")
        member = db.session.scalar(select(Membership.user_id).order_by(Membership.id))
        return {
            "user_id": member,
            "comment_id": db.session.scalar(select(Comment.id).order_by(Comment.id)),
            "article_id": db.session.scalar(select(Article.id).order_by(Article.id)),
            "tier_id": db.session.scalar(select(Tier.id).order_by(Tier.id)),
        }


def staff_pages(app, ids):
    """Every GET page under /review and /admin, its path arguments filled from `ids`."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith(("/review", "/admin")) or rule.rule.endswith(".csv"):
            continue
        if rule.rule.endswith("/"):  # the sections' front doors redirect to a page measured anyway
            continue
        values = {name: ids[name] for name in rule.arguments if name in ids}
        if "name" in rule.arguments:
            for queue in ("pending", "reported", "review"):
                urls.append(rule.build({**values, "name": queue}, append_unknown=False)[1])
        elif set(rule.arguments) <= set(values):
            urls.append(rule.build(values, append_unknown=False)[1])
    return sorted(set(urls))


def test_every_moderator_and_admin_page_fits_a_320_pixel_screen(app, live_server, browser):
    ids = seed(app)
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, live_server, "phoneadmin", PASSWORD)
    urls = staff_pages(app, ids)
    assert len(urls) >= 15, urls  # the queues, history, settings, calibration, user record, admin pages
    problems = []
    for url in urls:
        answer = page.goto(live_server + url)
        assert answer.status == 200, f"{url}: {answer.status}"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            problems.append(f"{url}: {width}px wide")
        sign_out = page.get_by_role("button", name="Sign out").bounding_box()
        if sign_out is None or sign_out["x"] < 0 or sign_out["x"] + sign_out["width"] > WIDTH:
            problems.append(f"{url}: Sign out is not fully on screen ({sign_out})")
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, url.strip("/").replace("/", "_") + ".png"), full_page=True)
    assert not problems, "\n".join(problems)


def test_the_queue_shows_its_first_card_on_the_first_screen_of_a_phone(app, live_server, browser):
    seed(app)
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "phoneadmin", PASSWORD)
    page.goto(f"{live_server}/review/pending")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "queue_first_screen.png"))
    card = page.locator(".card").first
    box = card.bounding_box()
    assert box is not None and box["y"] < HEIGHT - 150, box  # its head and first lines, not only its top border
    # The filters are a tap away, folded by default on a narrow screen.
    filters = page.locator("details.queue-filters")
    assert filters.evaluate("d => d.open") is False
    filters.locator("summary").click()
    assert page.get_by_label("Article").is_visible()
