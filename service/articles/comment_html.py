"""A thread's comments, built in Python rather than by a recursive template macro.

A signed-in page of a busy article holds some 190 comments, each with its reply, edit,
report, respect and moderate controls. As a recursive Jinja macro that was 60% of the
moderator's article page's CPU (README, "Size"); here a comment is a few f-strings. The
markup is what the macro wrote. Every value from the database or the request goes through
`escape`; the comment's body goes through `render_body` (escaped, then linked).

`page` is the `ThreadContext` the view (articles/views.thread_page) builds once a page: the CSRF
field, the page's hidden fields, the form targets, who is reading, each author's badge, and
the thread's settings (the refusal, who may edit, the depth and length limits, a refused
draft, the comments the reader gave respect to).

Everything here is a plain string until `comment_html` wraps a top-level comment in Markup
once. Wrapping every nested reply's markup again cost a copy of its subtree each, and making
a Markup of a large Markup is slow in CPython 3.11 (a 460 KB thread: 0.7 ms against 0.02 ms
for a plain string), which is why the thread is no longer a Jinja `{% call %}` block either.
"""

from types import SimpleNamespace

from flask import current_app
from markupsafe import Markup, escape

from ..domain.moderation.reports import REASONS as REPORT_REASONS
from ..domain.threads.threads import DEFAULT_SORT
from ..text import render_body
from ..urls import SLOT

STATE = {  # what the author alone sees of a comment nobody else can
    "pending": "being checked — only you can see this for now",
    "held": "being reviewed by a moderator — only you can see this",
    "rejected": "not published — only you can see this",
}


class ThreadContext(SimpleNamespace):
    """What every comment of a page shares. A plain object rather than Jinja's `namespace`:
    each of a page's ~190 comments reads it about 20 times, and a Jinja namespace's
    attribute lookup costs a Python call each (about 1.5 ms a moderator's page)."""


REPORT_OPTIONS = "".join(f'<option value="{escape(r)}">{escape(r)}</option>' for r in REPORT_REASONS)


def page_fields(cursor, sort):
    """The thread page a form was on, as hidden fields, so a refused post comes back to it."""
    fields = f'<input type="hidden" name="cursor" value="{escape(cursor)}">' if cursor else ""
    if sort and sort != DEFAULT_SORT:
        fields += f'<input type="hidden" name="sort" value="{escape(sort)}">'
    return Markup(fields)


def comment_text_html(field_id, label, body="", error=None, rows=3, hint=True, limit=None):
    """A comment's text box: no maxlength (the browser would cut a long paste silently); the
    limit is said in words, counted live by parley.js, and enforced by the server, which
    keeps the text and says what to do when it refuses. `error` is why a draft was refused;
    `limit`, the site's COMMENT_MAX_LENGTH, is read from the config when not given."""
    limit = int(current_app.config["COMMENT_MAX_LENGTH"] if limit is None else limit)
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
    return Markup(_comment(node, page))


def _comment(node, page):
    # Plain strings all the way down, one Markup at the top (see the module's docstring).
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
        label, inner = comment.author.username, _head(comment, page) + _body(comment) + _actions(comment, page)
    replies = ""
    if children:
        replies = '<ol class="replies">' + "".join(_comment(child, page) for child in children) + "</ol>"
    return (
        f'<li class="{classes}" id="comment-{cid}"><article aria-label="Comment by {escape(label)}">'
        f"{inner}</article>{replies}</li>"
    )


def _head(comment, page):
    badge = page.badges.get(comment.author_id)
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
                    limit=page.max_length,
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
        parts.append(_folded(page, "report", cid, "Report", "", _report_form))
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
    return _folded(page, "reply", cid, "Reply", comment.author.username, _reply_form)


# --- the reply and report forms: one of each a page, put in place when a comment's is opened ---
#
# A page of 190 comments carried a reply and a report form each: three fifths of its 460 KB
# and a fifth of its CPU. Now each comment has a folded "Reply" / "Report" whose form the
# page's script copies from one <template> (forms_html) when it is opened. Without the
# script, opening it shows a link to the same page with that comment's form written in
# (?reply=ID or ?report=ID); a refused draft comes back in its own form as before.


def _folded(page, kind, cid, summary, to, form):
    """A comment's folded `kind` form: written in when it is the one asked for or refused
    in, otherwise filled in by the script from the page's template."""
    draft = _draft(page, kind, cid)
    if draft or page.opened == (kind, cid):
        return f'<details class="{kind}" open><summary>{summary}</summary>{form(page, str(cid), to, draft)}</details>'
    return (
        f'<details class="{kind}" data-form="{kind}" data-id="{cid}" data-to="{escape(to)}"><summary>{summary}</summary>'
        f'<a class="form-link" href="{page.open_url(kind, cid)}">{FORM_LINKS[kind]}</a></details>'
    )


FORM_LINKS = {"reply": "Write a reply", "report": "Say why you report it"}


def _reply_form(page, cid, to, draft=None):
    # The template's label is "Reply to" (to is ""): the script adds the author's name as text.
    return (
        f'<form method="post" action="{page.urls["post"]}">{page.csrf}{page.fields}'
        f'<input type="hidden" name="parent_id" value="{cid}">'
        + str(
            comment_text_html(
                f"reply-{cid}",
                f"Reply to {to}".rstrip(),
                draft.body if draft else "",
                draft.error if draft else None,
                limit=page.max_length,
            )
        )
        + '<button type="submit">Post reply</button></form>'
    )


def _report_form(page, cid, to="", draft=None):
    return (
        f'<form method="post" action="{page.urls["report"].slot.replace(SLOT, cid)}">{page.csrf}'
        f'<label for="report-reason-{cid}">Why are you reporting this comment?</label>'
        f'<select id="report-reason-{cid}" name="reason" required>{REPORT_OPTIONS}</select>'
        f'<label for="report-text-{cid}">More detail (optional)</label>'
        f'<input type="text" id="report-text-{cid}" name="detail" maxlength="400">'
        '<button type="submit">Send report</button></form>'
    )


def forms_html(page):
    """The page's one reply form and one report form, as <template>s for parley.js to copy
    into the comment whose "Reply" or "Report" is opened; nothing for a signed-out reader."""
    if page.me is None:
        return Markup("")
    reply = "" if page.refusal else f'<template id="reply-form">{_reply_form(page, SLOT, "")}</template>'
    return Markup(reply + f'<template id="report-form">{_report_form(page, SLOT)}</template>')
