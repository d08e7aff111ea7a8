"""What many browser tests do on the way to what they test: sign in, on the site or through the
widget's popup, and open a news site's page that embeds the widget. One copy, so a change to the
sign-in form is made once."""

from ..conftest import PASSWORD


def sign_in(page, base, login, password=PASSWORD, expect_in=True):
    """Sign in through the form; by default wait until the site has let us in (a test of a
    refused sign-in passes expect_in=False and reads the page itself)."""
    page.goto(f"{base}/login")
    page.get_by_label("Email or username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if expect_in:
        page.wait_for_url(lambda url: "/login" not in url)


def open_host_page(browser, host, width, height):
    """A phone-sized page of the news site at `host`; returns the page and the widget's frame."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(20_000)
    page.goto(host + "/")
    return page, page.frame_locator("#parley-comments iframe")


def sign_in_through_widget(page, frame, login, password=PASSWORD):
    """Sign in from the widget: its button opens Parley's own page in a popup."""
    with page.expect_popup() as popup_info:
        frame.get_by_role("button", name="Sign in to comment").click()
    popup = popup_info.value
    popup.get_by_label("Email or username").fill(login)
    popup.get_by_label("Password").fill(password)
    popup.get_by_role("button", name="Sign in").click()
    return popup
