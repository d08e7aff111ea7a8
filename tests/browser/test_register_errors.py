"""In Chromium: a refused registration puts focus on a summary of what to fix (role=alert),
each field keeps its hint in aria-describedby beside its error, and the summary's links lead
to the fields."""

from playwright.sync_api import expect


def test_register_errors_take_focus_and_keep_the_hints(live_server, page):
    page.goto(f"{live_server}/register")
    page.get_by_label("Email").fill("not-an-address")
    page.get_by_label("Username").fill("x")
    page.get_by_label("Password").fill("x")
    page.get_by_role("button", name="Register").click()

    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    # The page's script moves focus once it has loaded, a moment after the summary exists:
    # wait for it rather than read the focus at once. expect() polls with Playwright's own
    # engine; wait_for_function("...") evaluates a string in the page, which the page's CSP
    # (no 'unsafe-eval') refused in one CI run.
    expect(summary).to_be_focused(timeout=15_000)
    assert summary.get_by_role("link").count() == 3
    password = page.locator("#f-password")
    assert password.get_attribute("aria-describedby").split() == ["f-password-error", "f-password-hint"]
    assert password.get_attribute("aria-invalid") == "true"
    # What the summary says, the fields say too; its link moves to the field.
    summary.get_by_role("link", name="Username:").click()
    assert page.url.endswith("#f-username")
    assert page.locator("#f-email").input_value() == "not-an-address"
