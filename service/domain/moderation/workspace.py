"""What the moderators' pages read beyond the queues: an author's record and comments,
filtered history and its CSV form, highlighted text, and whether scoring is stuck."""
import csv
import io
import json
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...errors import NotFound
from ...extensions import db
from ...models import Comment, ModerationAction, User
from ...models.base import utcnow
from .capped import CAP, capped_count
from .queues import author_records

# Every action the history records, as moderators filter by it.
HISTORY_ACTIONS = (
    "approve", "reject", "feature", "publish", "review", "hold", "hide", "edit", "delete",
    "warn", "suspend", "ban", "premoderate", "release", "reinstate",
    "auto_premoderate", "auto_release", "settings", "account_deleted", "role",
)
STUCK_AFTER = timedelta(minutes=1)
CSV_FIELDS = ("id", "created_at", "actor", "user", "comment_id", "action", "from_status", "to_status", "reason", "details")


def get_user(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def author_summary(user):
    """The author's standing as a moderator weighs it: decisions and sanctions state."""
    record = author_records([user.id])[user.id]
    return {
        **record,
        "status": user.status,
        "suspended_until": user.suspended_until if user.is_suspended else None,
        "premoderated": user.premoderated,
        "auto_premoderated": user.auto_premoderated,
    }


def recent_comments(user_id, limit=50):
    return db.session.scalars(
        select(Comment)
        .where(Comment.author_id == user_id)
        .options(selectinload(Comment.article))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()


def user_by_name(username):
    from ..accounts.accounts import username_key

    return db.session.scalar(select(User).where(User.username_key == username_key(username)))


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


def highlight(text, spans):
    """Split `text` into [(segment, marked)] by the decision's spans.

    Spans are kept only where they still match the text (an edit moves characters) and
    do not overlap an earlier one, so the output always rebuilds the text exactly.
    """
    text = text or ""
    chosen, last = [], 0
    valid = [
        s for s in spans or ()
        if isinstance(s, dict) and isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
        and 0 <= s["start"] < s["end"] <= len(text)
        and (s.get("text") is None or text[s["start"]:s["end"]] == s["text"])
    ]
    for span in sorted(valid, key=lambda s: s["start"]):
        if span["start"] >= last:
            chosen.append(span)
            last = span["end"]
    out, pos = [], 0
    for span in chosen:
        if span["start"] > pos:
            out.append((text[pos:span["start"]], False))
        out.append((text[span["start"]:span["end"]], True))
        pos = span["end"]
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def stuck_pending(cap=CAP):
    """How many comments have waited for scoring longer than a worker should take (a
    CappedCount: the banner needs "how many", up to a point, on every page)."""
    since = utcnow() - STUCK_AFTER
    # Waiting since max(created, edited) < since. An edit is never before its creation, so
    # created_at < since holds too: said separately, it bounds the scan of
    # ix_comments_status_created to old pending comments, and only those are checked for edits.
    return capped_count(
        Comment.status == "pending",
        Comment.created_at < since,
        or_(Comment.edited_at.is_(None), Comment.edited_at < since),
        model=Comment,
        cap=cap,
    )


def scoring_banner():
    """A sentence for moderators when scoring is not working, or None when it is."""
    from ...health import scoring_state

    model, error = scoring_state()
    if error:
        return f"Scoring is unavailable: the model could not load ({error[:200]}). New comments wait as pending; nothing is lost."
    stuck = stuck_pending()
    if stuck:
        plural = "s" if stuck.capped or stuck.value != 1 else ""
        return f"Scoring is behind: {stuck} comment{plural} waited over a minute to be scored (model: {model}). They stay pending until a worker scores them."
    return None

