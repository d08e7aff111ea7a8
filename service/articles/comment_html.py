"""A thread's comments, built in Python rather than by a recursive template macro.

A signed-in page of a busy article holds some 190 comments, each with its reply, edit,
report, respect and moderate controls. As a recursive Jinja macro that was 60% of the
moderator's article page's CPU (README, "Size"); here a comment is a few f-strings. The
markup is what the macro wrote. Every value from the database or the request goes through
`escape`; the comment's body goes through `render_body` (escaped, then linked).

`page` is the `ThreadPage` the `thread_page` macro (templates/articles/_comment.html) builds once
a page: the CSRF field, the page's hidden fields, the form targets, who is reading, and the
thread's settings (the refusal, who may edit, the depth limit, a refused draft, the
comments the reader gave respect to).
"""

from types import SimpleNamespace

from flask import current_app
from markupsafe import Markup, escape

from ..domain.membership.perks import badge_of
from ..text import render_body

STATE = {  # what the author alone sees of a comment nobody else can
    "pending": "being checked — only you can see this for now",
    "held": "being reviewed by a moderator — only you can see this",
    "rejected": "not published — only you can see this",
}


class ThreadPage(SimpleNamespace):
    """What every comment of a page shares. A plain object rather than Jinja's `namespace`:
    each of a page's ~190 comments reads it about 20 times, and a Jinja namespace's
    attribute lookup costs a Python call each (about 1.5 ms a moderator's page)."""


def comment_text_html(field_id, label, body="", error=None, rows=3, hint=True):
    """A comment's text box: no maxlength (the browser would cut a long paste silently); the
    limit is said in words, counted live by parley.js, and enforced by the server, which
    keeps the text and says what to do when it refuses. `error` is why a draft was refused."""
    limit = int(current_app.config["COMMENT_MAX_LENGTH"])
    fid = escape(field_id)
    described = f"{fid}-error {fid}-hint" if error else f"{fid}-hint"
    said = f'<p class="error form-error" id="{fid}-error" role="alert">{escape(error)}</p>' if error else ""
    invalid = ' aria-invalid="true" autofocus' if error else ""
    words = f"Plain text, up to {limit:,} characters. Links become clickable. " if hint else ""
    return Markup(
        f'<label for="{fid}">{escape(label)}</label>{said}'
        f'<textarea id="{fid}" name="body" rows="{int(rows)}" required data-max-length="{limit}" '
        f'data-counter="{fid}-count" aria-describedby="{described}"{invalid}>{escape(body)}</textarea>'
        f'<p class="hint" id="{fid}-hint">{words}<span class="counter" id="{fid}-count" aria-live="polite"></span></p>'
    )


def comment_html(node, page):
    """One comment of the thread, `(comment, children)`, with its replies, as Markup."""
    comment, children = node
    cid = int(comment.id)
    classes = "comment"
    if comment.status != "published":
        classes += f" comment-{escape(comment.status)}"
    if comment.featured and not comment.is_deleted:
        classes += " is-featured"
    if comment.is_deleted:
        label, inner = "a deleted comment", '<p class="deleted">This comment was deleted.</p>'
    else:
        label, inner = comment.author.username, _head(comment) + _body(comment) + _actions(comment, page)
    replies = ""
    if children:
        replies = '<ol class="replies">' + "".join(comment_html(child, page) for child in children) + "</ol>"
    return Markup(
        f'<li class="{classes}" id="comment-{cid}"><article aria-label="Comment by {escape(label)}">'
        f"{inner}</article>{replies}</li>"
    )


def _head(comment):
    badge = badge_of(comment.author)
    parts = [f'<span class="author">{escape(comment.author.username)}</span>']
    if badge:
        parts.append(f'<span class="badge tier-badge">{escape(badge)}</span>')
    if comment.featured:
        parts.append('<span class="badge featured-badge">Featured</span>')
    created = comment.created_at
    parts.append(f'<time datetime="{created.isoformat()}Z">{created.strftime("%d %b %Y, %H:%M")}</time>')
    if comment.edited_at:
        parts.append('<span class="edited">edited</span>')
    if comment.status in STATE:
        parts.append(f'<span class="state">{STATE[comment.status]}</span>')
    return '<header class="comment-head">' + " ".join(parts) + "</header>"


def _body(comment):
    # Long comments fold behind "Read more" (parley.js); without it they show whole.
    body = comment.body
    long = " data-long" if len(body) > 1200 or body.count("\n") > 14 else ""
    return f'<div class="comment-body"{long}>{render_body(body)}</div>'


def _draft(page, kind, cid):
    """The refused draft of this form, if this is the form it was refused in."""
    draft = page.draft
    return draft if draft and draft.kind == kind and draft.target == cid else None


def _actions(comment, page):
    cid = int(comment.id)
    mine = page.me is not None and page.me == comment.author_id
    others = page.me is not None and not mine
    parts = [_respect(comment, page, cid)]
    if not page.refusal and comment.status in ("published", "review"):
        parts.append(_reply(comment, page, cid))
    if page.can_edit(comment):
        draft = _draft(page, "edit", cid)
        parts.append(
            f'<details class="edit"{" open" if draft else ""}><summary>Edit</summary>'
            f'<form method="post" action="{page.urls["edit"](cid)}">{page.csrf}{page.fields}'
            + str(
                comment_text_html(
                    f"edit-{cid}",
                    "Edit your comment",
                    draft.body if draft else comment.body,
                    draft.error if draft else None,
                )
            )
            + '<button type="submit">Save</button>'
            '<button type="reset" class="secondary" data-close-details>Cancel</button></form></details>'
        )
    if mine:
        parts.append(
            f'<form class="inline" method="post" action="{page.urls["delete"](cid)}" data-confirm="Delete this comment?">'
            f'{page.csrf}<button class="link danger" type="submit">Delete</button></form>'
        )
    # Reporting (readers, on others' comments) and the moderators' way into a comment's history.
    if others:
        parts.append(
            f'<details class="report"><summary>Report</summary><form method="post" action="{page.urls["report"](cid)}">'
            f'{page.csrf}<label for="report-reason-{cid}">Why are you reporting this comment?</label>'
            f'<select id="report-reason-{cid}" name="reason" required>{page.report_options}</select>'
            f'<label for="report-text-{cid}">More detail (optional)</label>'
            f'<input type="text" id="report-text-{cid}" name="detail" maxlength="400">'
            '<button type="submit">Send report</button></form></details>'
        )
    if page.moderator:
        parts.append(f'<a class="moderate" href="{page.urls["moderate"](cid)}">Moderate</a>')
    return '<div class="comment-actions">' + "\n".join(p for p in parts if p) + "</div>"


def _respect(comment, page, cid):
    """Respect: a count everyone sees, a toggle for signed-in readers on others' published comments."""
    if comment.status not in ("published", "review"):
        return ""
    n = int(comment.respect_count or 0)
    if page.me is not None and page.me != comment.author_id:
        given = cid in page.respected
        return (
            f'<form class="inline respect" method="post" action="{page.urls["respect"](cid)}">'
            f'{page.csrf}{page.fields}<input type="hidden" name="respect" value="{"take" if given else "give"}">'
            f'<button type="submit" class="link respect-button" aria-pressed="{"true" if given else "false"}">'
            f"Respect{f' · {n}' if n else ''}</button></form>"
        )
    return f'<span class="respect-count">{n} respect</span>' if n else ""


def _reply(comment, page, cid):
    if comment.depth >= page.max_depth:
        return '<span class="depth-note">Replies stop at this depth; reply to a comment higher up.</span>'
    draft = _draft(page, "reply", cid)
    return (
        f'<details class="reply"{" open" if draft else ""}><summary>Reply</summary>'
        f'<form method="post" action="{escape(page.urls["post"])}">{page.csrf}{page.fields}'
        f'<input type="hidden" name="parent_id" value="{cid}">'
        + str(
            comment_text_html(
                f"reply-{cid}",
                f"Reply to {comment.author.username}",
                draft.body if draft else "",
                draft.error if draft else None,
            )
        )
        + '<button type="submit">Post reply</button></form></details>'
    )
