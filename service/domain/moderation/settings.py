"""Moderation settings: defaults from config, overrides stored by admins, every change recorded."""

from dataclasses import asdict

from flask import current_app
from sqlalchemy import select

from moderation.policy import PolicyError, Settings, clean_words, merge_bands

from ...errors import ValidationError
from ...extensions import db
from ...models import ModerationAction, Setting
from ...schemas.settings import Settings as SettingsChange
from ..statements import once

POLICY_KEYS = tuple(Settings.__dataclass_fields__)
SITE_KEYS = ("report_hide_threshold", "deleted_account_comments")
# The comment widget creates an article the first time a page embeds it, only when an admin allows it.
EMBED_KEYS = ("embed_create_articles",)
# How readers pay a manual request (bank details, where to send it): shown with the reference and mailed.
MONEY_KEYS = ("payment_instructions",)
KEYS = POLICY_KEYS + SITE_KEYS + EMBED_KEYS + MONEY_KEYS


def defaults():
    config = current_app.config
    policy = asdict(Settings(auto_reject=config["MODERATION_AUTO_REJECT"]))
    policy["banned_words"] = list(policy["banned_words"])
    policy["suspect_words"] = list(policy["suspect_words"])
    return {
        **policy,
        "report_hide_threshold": config["REPORT_HIDE_THRESHOLD"],
        "deleted_account_comments": config["DELETED_ACCOUNT_COMMENTS"],
        "embed_create_articles": False,
        "payment_instructions": "",
    }


def current():
    """Every setting's value now: stored overrides on top of the defaults."""
    values = defaults()
    for row in db.session.scalars(once("settings", lambda: select(Setting).where(Setting.key.in_(KEYS)))):
        values[row.key] = row.value
    return values


def policy_settings(values=None):
    values = values or current()
    policy = {key: values[key] for key in POLICY_KEYS}
    policy["banned_words"] = tuple(policy["banned_words"])
    policy["suspect_words"] = tuple(policy["suspect_words"])
    return Settings(**policy)


def _clean_words(name, value):
    try:
        return clean_words(name, value)
    except PolicyError as exc:
        raise ValidationError({name: str(exc)}) from None


def _clean_bands(name, value, base):
    try:
        return merge_bands(name, value, base)
    except PolicyError as exc:
        raise ValidationError({name: str(exc)}) from None


def _clean(changes, values):
    """`values` with `changes` applied, each checked: the site's keys by the payload's model
    (service/schemas/settings.py), the policy's by moderation.policy."""
    merged = {**values, **SettingsChange.check(changes).changes()}
    for key in changes:
        if key in ("banned_words", "suspect_words"):
            merged[key] = _clean_words(key, changes[key])
        elif key in ("review", "hold"):
            merged[key] = _clean_bands(key, changes[key], values[key])
    try:
        policy_settings(merged)
    except PolicyError as exc:
        raise ValidationError({exc.field or "settings": str(exc)}) from None
    except TypeError:
        raise ValidationError({"settings": "A value has the wrong type."}) from None
    return merged


def update(changes, actor, reason="moderation settings changed"):
    """Apply an admin's changes (all or nothing); they govern comments scored from now on.
    `reason` says in the history what kind of settings these were."""
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"settings": "Send the settings to change."})
    before = current()
    after = _clean(changes, before)
    changed = {key: after[key] for key in KEYS if after[key] != before[key]}
    for key, value in changed.items():
        row = db.session.get(Setting, key) or Setting(key=key)
        row.value = value
        row.updated_by_id = actor.id
        db.session.add(row)
    if changed:
        db.session.add(
            ModerationAction(
                actor_id=actor.id,
                action="settings",
                reason=reason,
                details={"before": {k: before[k] for k in changed}, "after": changed},
            )
        )
    db.session.commit()
    return after
