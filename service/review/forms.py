"""Turning the settings page's form fields into the dict `settings.update()` takes, and back."""

from moderation.policy import ATTRIBUTES

from ..errors import ValidationError

FLOATS = ("reject_threshold", "premoderation_rate")
INTS = ("rate_window", "rate_min_decided", "report_hide_threshold")


def _number(form, name, kind, errors):
    raw = (form.get(name) or "").strip()
    try:
        return kind(raw)
    except ValueError:
        errors[name] = "A whole number." if kind is int else "A number from 0 to 1."
        return None


def settings_changes(form):
    """Parse the form; fields that are not numbers are refused here, every other rule is the
    domain's (ranges, review ≤ hold)."""
    errors, changes = {}, {}
    for band in ("review", "hold"):
        changes[band] = {a: _number(form, f"{band}_{a}", float, errors) for a in ATTRIBUTES}
    for name in FLOATS:
        changes[name] = _number(form, name, float, errors)
    for name in INTS:
        changes[name] = _number(form, name, int, errors)
    changes["auto_reject"] = form.get("auto_reject") == "on"
    changes["banned_words"] = form.get("banned_words", "")
    changes["suspect_words"] = form.get("suspect_words", "")
    if "language_action" in form:  # older forms without the field leave it as it is
        changes["language_action"] = form.get("language_action")
    if "deleted_account_comments" in form:  # older forms without the field leave it as it is
        changes["deleted_account_comments"] = form.get("deleted_account_comments")
    if errors:
        raise ValidationError(errors)
    return changes


def settings_form(values):
    """The stored settings as the form's field values."""
    form = {f"{band}_{a}": values[band][a] for band in ("review", "hold") for a in ATTRIBUTES}
    form.update({name: values[name] for name in FLOATS + INTS})
    form["auto_reject"] = "on" if values["auto_reject"] else ""
    form["banned_words"] = "\n".join(values["banned_words"])
    form["suspect_words"] = "\n".join(values["suspect_words"])
    form["deleted_account_comments"] = values["deleted_account_comments"]
    form["language_action"] = values["language_action"]
    return form
