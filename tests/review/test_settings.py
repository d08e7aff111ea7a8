"""The admin's moderation settings page."""

from sqlalchemy import select

from moderation.policy import DEFAULT_HOLD, DEFAULT_REVIEW
from service.domain.moderation import settings
from service.extensions import db
from service.models import ModerationAction

from .conftest import flashes, html


def settings_form(**changes):
    form = {
        f"{band}_{a}": str(v)
        for band, values in (("review", DEFAULT_REVIEW), ("hold", DEFAULT_HOLD))
        for a, v in values.items()
    }
    form.update(
        reject_threshold="0.97",
        premoderation_rate="0.5",
        rate_window="10",
        rate_min_decided="4",
        report_hide_threshold="3",
        banned_words="",
        suspect_words="",
    )
    form.update(changes)
    return form


def test_settings_page_saves_and_records_changes(app, as_admin):
    page = html(as_admin.get("/review/settings"))
    assert 'id="f-review_toxicity"' in page and 'id="f-banned_words"' in page
    response = as_admin.form(
        "/review/settings",
        settings_form(
            banned_words="scumbag\n  Badword \n", suspect_words="clown", auto_reject="on", hold_threat="0.65"
        ),
    )
    assert response.status_code == 302
    assert "Settings saved" in " ".join(flashes(html(as_admin.get("/review/settings"))))
    with app.app_context():
        values = settings.current()
        assert values["banned_words"] == ["badword", "scumbag"] and values["suspect_words"] == ["clown"]
        assert values["auto_reject"] is True and values["hold"]["threat"] == 0.65
        assert db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings")) is not None
    assert "badword\nscumbag</textarea>" in html(as_admin.get("/review/settings"))


def test_settings_page_shows_errors_next_to_fields_and_saves_nothing(app, as_admin):
    bad = as_admin.form("/review/settings", settings_form(review_insult="lots"))
    page = html(bad)
    assert bad.status_code == 422 and 'id="f-review_insult-error"' in page and 'aria-invalid="true"' in page
    assert 'value="lots"' in page  # what was typed stays

    crossed = as_admin.form("/review/settings", settings_form(review_toxicity="0.9", hold_toxicity="0.8"))
    assert crossed.status_code == 422 and "review threshold for toxicity (0.90) is above its hold threshold" in html(
        crossed
    )

    too_big = as_admin.form("/review/settings", settings_form(report_hide_threshold="0"))
    assert too_big.status_code == 422 and 'id="f-report_hide_threshold-error"' in html(too_big)
    with app.app_context():
        assert db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings")) is None
