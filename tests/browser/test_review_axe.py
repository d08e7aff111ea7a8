"""axe-core (the accessibility engine browsers' audit tools use, bundled by
axe-playwright-python) finds nothing wrong on the queue, before and after in-place decisions."""

from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_review_decided import sign_in_to_queue
from tests.browser.test_review_keyboard import seed


def violations(page):
    results = Axe().run(page)
    return [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]]


def test_the_queue_has_no_axe_violations_before_and_after_decisions(app, live_server, page):
    first, second, third = seed(app)
    sign_in_to_queue(page, live_server)
    assert violations(page) == []

    page.locator(f"#card-{third}").focus()
    page.keyboard.press("a")
    page.locator(f"#card-{third} [data-role=status]").filter(has_text="published").wait_for()
    page.locator(f"#card-{second}").focus()
    page.locator(f"#reason-{second}").select_option("abuse or harassment")
    page.locator(f"#card-{second} button.reject").click()
    page.locator(f"#card-{second} [data-role=status]").filter(has_text="rejected").wait_for()
    assert violations(page) == []
