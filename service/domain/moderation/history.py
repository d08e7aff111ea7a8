"""The moderation history: every status change, sanction and setting, newest first, filtered
the same way on the page, in its CSV and in the API."""

import csv
import io
import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...errors import ValidationError
from ...extensions import db
from ...models import ModerationAction

# Every action the history records, as moderators filter by it.
HISTORY_ACTIONS = (
    "approve",
    "reject",
    "feature",
    "publish",
    "review",
    "hold",
    "hide",
    "edit",
    "delete",
    "warn",
    "suspend",
    "ban",
    "premoderate",
    "release",
    "reinstate",
    "auto_premoderate",
    "auto_release",
    "settings",
    "account_deleted",
    "role",
)
CSV_FIELDS = (
    "id",
    "created_at",
    "actor",
    "user",
    "comment_id",
    "action",
    "from_status",
    "to_status",
    "reason",
    "details",
)


def check_action(action):
    """An action filter from a request: None for none; a 4xx naming the field for an unknown one."""
    if action and action not in HISTORY_ACTIONS:
        raise ValidationError({"action": f"One of: {', '.join(HISTORY_ACTIONS)}."})
    return action or None


def history(comment_id=None, user_id=None, action=None, limit=200, offset=0):
    """Moderation history newest first, filtered by comment, user (the author or subject)
    and action."""
    query = select(ModerationAction).options(selectinload(ModerationAction.actor), selectinload(ModerationAction.user))
    if comment_id is not None:
        query = query.where(ModerationAction.comment_id == comment_id)
    if user_id is not None:
        query = query.where(ModerationAction.user_id == user_id)
    if action:
        query = query.where(ModerationAction.action == action)
    query = query.order_by(ModerationAction.id.desc()).offset(offset)
    return db.session.scalars(query.limit(limit) if limit else query).all()


def _cell(value):
    """Keep spreadsheet apps from running user text that starts like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def history_csv(actions):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for action in actions:
        row = action.to_dict()
        row["details"] = json.dumps(row["details"], sort_keys=True) if row["details"] is not None else ""
        writer.writerow([_cell(row[field]) for field in CSV_FIELDS])
    return out.getvalue()


def _short(value, limit=300):
    if value is None:
        return "—"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_details(details):
    """A history row's details as one line of words, whatever their shape: rows come from
    many writers over the years (settings diffs, sanctions, embed sites, deletions), so no
    key may be assumed present. A before/after pair reads "key: old → new"."""
    if details in (None, {}, []):
        return ""
    if not isinstance(details, dict):
        return _short(details)
    before, after = details.get("before"), details.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        keys = list(dict.fromkeys([*before, *after]))
        return "; ".join(f"{str(k).replace('_', ' ')}: {_short(before.get(k))} → {_short(after.get(k))}" for k in keys)
    return "; ".join(f"{str(k).replace('_', ' ')}: {_short(v)}" for k, v in details.items())
