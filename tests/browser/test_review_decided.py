"""After in-place decisions the queue stays readable and honest, in real Chromium: decided
cards keep AA contrast, badges take the new status's colour, their controls are disabled,
focus ring and current-card marker stand out (3:1), and the keyboard switch turns keys off."""

from tests.browser.contrast import ratio, text_failures
from tests.browser.steps import sign_in
from tests.browser.test_review_keyboard import PASSWORD, seed, state


def sign_in_to_queue(page, live_server):
    sign_in(page, live_server, "kbmod", PASSWORD)
    page.goto(f"{live_server}/review/pending")


def test_decided_cards_keep_contrast_new_colours_and_disabled_controls(app, live_server, page):
    first, second, third = seed(app)
    sign_in_to_queue(page, live_server)
    assert text_failures(page, "#cards") == []

    card = page.locator(f"#card-{third}")
    card.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert ratio(page, outline) >= 3, outline
    marker = card.evaluate("c => getComputedStyle(c).borderLeftColor")
    assert ratio(page, marker) >= 3, marker

    page.keyboard.press("a")
    card.locator("[data-role=status]").filter(has_text="published").wait_for()
    page.locator(f"#card-{second}").focus()
    page.locator(f"#reason-{second}").select_option("abuse or harassment")
    page.locator(f"#card-{second} button.reject").click()
    page.locator(f"#card-{second} [data-role=status]").filter(has_text="rejected").wait_for()
    assert state(app, second)[2] == "abuse or harassment"

    for cid, status in ((third, "published"), (second, "rejected")):
        badge = page.locator(f"#card-{cid} [data-role=status]")
        assert badge.get_attribute("class") == f"status status-{status}"
        # The badge is painted in the new status's colours, as a server-rendered one would be.
        expected = page.evaluate(
            """s => { const e = document.createElement('span'); e.className = 'status status-' + s;
                      document.body.append(e); const c = getComputedStyle(e).backgroundColor; e.remove(); return c; }""",
            status,
        )
        assert badge.evaluate("b => getComputedStyle(b).backgroundColor") == expected
        controls = page.locator(f"#card-{cid} .card-actions").locator("button, select, input")
        assert controls.count() >= 5 and all(controls.nth(i).is_disabled() for i in range(controls.count()))
        assert page.locator(f"#card-{cid}").evaluate("c => getComputedStyle(c).opacity") == "1"
    assert text_failures(page, "#cards") == []
    assert not page.locator(f"#card-{first} .card-actions select").is_disabled()


def test_the_switch_turns_the_shortcuts_off_and_on(app, live_server, page):
    first, second, third = seed(app)
    sign_in_to_queue(page, live_server)
    switch = page.get_by_label("Keyboard shortcuts on")
    assert switch.is_visible() and switch.is_checked()
    switch.uncheck()

    page.reload()  # the choice is kept in this browser
    assert not page.get_by_label("Keyboard shortcuts on").is_checked()
    page.locator(f"#card-{third}").focus()
    page.keyboard.press("a")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == f"card-{third}"
    assert state(app, third)[0] == "held"

    page.get_by_label("Keyboard shortcuts on").check()
    page.locator(f"#card-{third}").focus()
    page.keyboard.press("a")
    page.locator(f"#card-{third} [data-role=status]").filter(has_text="published").wait_for()
    assert state(app, third)[0] == "published"


def test_bulk_reject_needs_a_chosen_reason(app, live_server, page):
    first, second, third = seed(app)
    sign_in_to_queue(page, live_server)
    page.locator(f"#select-{first}").check()
    assert page.locator("#bulk-reason").input_value() == ""
    page.get_by_role("button", name="Reject selected").click()
    page.locator("#bulk-note").filter(has_text="Choose a reason").wait_for()
    assert state(app, first)[0] == "held"
    page.locator("#bulk-reason").select_option("threat")
    page.get_by_role("button", name="Reject selected").click()
    page.locator(".flash").filter(has_text="Rejected 1 comment").wait_for()
    assert state(app, first)[:3:2] == ("rejected", "threat")
