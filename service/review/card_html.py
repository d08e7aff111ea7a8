"""A moderator's card, built in Python rather than by template macros.

A queue page shows 50 cards. As Jinja macros (a card, its text, its meters, its three
decision forms and its reason list) a card cost some 150 escaped outputs and a dozen macro
calls, and rendering was most of a queue page's CPU: more than its queries took
(README, "Size"). Here a card is a handful of f-strings. The markup is what the macros
wrote. Every value that comes from the database or the request goes through `escape`; the
CSRF field, the reason options and the parts built here are Markup.

`CardPage` holds what is the same on every card of a page (built once a page): the CSRF
field, the reject reasons of a card without reports, and the URL builders.
"""

from dataclasses import dataclass, field
from numbers import Number

from flask import url_for
from markupsafe import Markup, escape

from moderation.language import name_of
from moderation.policy import ATTRIBUTES

from ..domain.membership.perks import tier_of
from ..domain.moderation.reports import REASONS as REPORT_REASONS
from ..domain.moderation.workspace import excerpt, highlight
from ..urls import ID, id_url

REJECT_REASONS = tuple(r for r in REPORT_REASONS if r != "other")  # "other" says nothing to the author


@dataclass
class CardPage:
    """What every card of one page shares: built once, not once a card."""

    csrf_field: Markup
    next_url: str
    selectable: bool = True
    reasons: Markup = None
    urls: dict = field(default_factory=dict)
    articles: dict = field(default_factory=dict)  # slug -> the article's URL, each built once

    @classmethod
    def build(cls, csrf_field, next_url, selectable=True):
        return cls(
            csrf_field=Markup(csrf_field),
            next_url=next_url,
            selectable=selectable,
            reasons=reason_options_html(),
            urls={
                "decide": id_url("review.decide", comment_id=ID),
                "api": id_url("api.review_decision", comment_id=ID),
                "comment": id_url("review.comment", comment_id=ID),
                "user": id_url("review.user", user_id=ID),
            },
        )

    def article_url(self, slug):
        if slug not in self.articles:
            self.articles[slug] = url_for("articles.article", slug=slug)
        return self.articles[slug]


def reason_options_html(reported=()):
    """The reject reasons, with none chosen: a reason is the moderator's choice, never a
    default. On a reported comment the reasons its reporters gave come first, with how many
    gave each (`report_reasons` of domain/moderation/queues.py)."""
    head = '<option value="" selected>Choose a reason…</option>'
    offered = [r for r in reported if r["listed"]]
    if not offered:
        return Markup(head + _options(REJECT_REASONS))
    given = {r["reason"] for r in offered}
    first = "".join(
        f'<option value="{escape(r["reason"])}">{escape(r["reason"])} ({r["count"]} report{"s" if r["count"] != 1 else ""})</option>'
        for r in offered
    )
    rest = _options(r for r in REJECT_REASONS if r not in given)
    return Markup(
        f'{head}<optgroup label="Reported as">{first}</optgroup><optgroup label="Other reasons">{rest}</optgroup>'
    )


# Each reason's <option>, escaped once: a reported card lists the reasons its reporters did
# not give after the ones they did, fifty cards a page.
_OPTION = {r: f'<option value="{escape(r)}">{escape(r)}</option>' for r in REJECT_REASONS}


def _options(reasons):
    return "".join(_OPTION[r] for r in reasons)


def cards_html(cards, settings, page):
    """A page of cards as one Markup: one call from the template, not one a card."""
    return Markup("".join(card_html(card, settings, page) for card in cards))


def card_html(card, settings, page):
    """One card (`queues.cards()`'s dict) as Markup: head, text, author, why it is here,
    meters, reports and forms."""
    c, d = card["comment"], card["data"]
    cid = int(c.id)
    decision = d["decision"] or {}
    parts = [
        f'<article class="card" id="card-{cid}" tabindex="-1" data-comment-id="{cid}" '
        f'data-status="{escape(c.status)}" data-api="{page.urls["api"](cid)}" aria-labelledby="card-{cid}-title">',
        _head(c, d, page),
        _parent(d["parent"]),
        card_text_html(c.body, decision.get("spans")),
        _author(c, d, page),
        _why(c, d, decision),
        score_bars_html(cid, c.scores, settings),
        _reports(d["reports"]),
        card_actions_html(
            cid,
            c.status,
            c.featured,
            page.urls["decide"](cid),
            page.next_url,
            page.csrf_field,
            reason_options_html(d["report_reasons"]) if d["report_reasons"] else page.reasons,
        ),
        '<p class="card-result" data-role="result" role="status"></p></article>',
    ]
    return Markup("\n".join(parts))


def _head(c, d, page):
    cid = int(c.id)
    select = (
        f'<input type="checkbox" class="card-select" id="select-{cid}" name="ids" value="{cid}" form="bulk-form">'
        f'<label class="visually-hidden" for="select-{cid}">Select comment #{cid}</label>'
        if page.selectable
        else ""
    )
    featured = '<span class="status status-featured">featured</span>' if c.featured else ""
    article = f"{escape(page.article_url(c.article.slug))}#comment-{cid}"
    return (
        f'<header class="card-head">{select}'
        f'<h2 class="card-title" id="card-{cid}-title"><a href="{page.urls["comment"](cid)}">#{cid}</a> '
        f'on <a href="{article}">{escape(d["article_title"])}</a></h2>'
        f' <span class="status status-{escape(c.status)}" data-role="status">{escape(c.status)}</span>{featured}'
        f' <time datetime="{c.created_at.isoformat()}Z">{c.created_at.strftime("%d %b %Y, %H:%M")}</time></header>'
    )


def _parent(parent):
    if not parent:
        return ""
    return f'<blockquote class="parent"><p><span class="label">In reply to:</span> {escape(parent)}</p></blockquote>'


def _author(c, d, page):
    rec, author = d["author_record"], d.get("author") or {}
    tier = author.get("tier") or tier_of(c.author).slug  # a deleted comment's view names no author
    standing = [
        f"<span>{int(rec.get('approved') or 0)} approved</span>",
        f"<span>{int(rec.get('rejected') or 0)} rejected</span>",
    ]
    if rec["status"] != "active":
        standing.append(f'<span class="sanction">{escape(rec["status"])}</span>')
    if rec["premoderated"]:
        standing.append('<span class="sanction">on pre-moderation</span>')
    return (
        f'<p class="card-author">by <a href="{page.urls["user"](rec["user_id"])}">{escape(c.author.username)}</a>'
        f' <span class="tier">{escape(tier)}</span> · ' + " · ".join(standing) + "</p>"
    )


def _why(c, d, decision):
    """Why the comment is in a queue: its reports (most given first), then the system's reason."""
    system_reason = escape(decision.get("reason") or c.reason or "not scored yet")
    model = ""
    if decision.get("model"):
        version = f" {escape(decision['model_version'])}" if decision.get("model_version") else ""
        model = f' <span class="model">({escape(decision["model"])}{version})</span>'
    if d["report_reasons"]:
        n = len(d["reports"])
        given = ", ".join(f"{escape(r['reason'])} ({int(r['count'])})" for r in d["report_reasons"])
        why = (
            f'<p class="card-reason"><span class="label">Why here:</span> reported by {n} reader{"s" if n != 1 else ""}: {given}.</p>'
            f'<p class="card-reason"><span class="label">Scores:</span> {system_reason}{model}</p>'
        )
    else:
        why = f'<p class="card-reason"><span class="label">Why here:</span> {system_reason}{model}</p>'
    language = decision.get("language")
    if language and language != "unsure":
        why += f'<p class="card-language"><span class="label">Language:</span> {escape(name_of(language))}</p>'
    return why


def _reports(reports):
    if not reports:
        return ""
    n = len(reports)
    items = "".join(f"<li><strong>{escape(r['reporter'])}</strong>: {escape(r['reason'])}</li>" for r in reports)
    return f'<div class="reports"><h3>{n} report{"s" if n != 1 else ""}</h3><ul>{items}</ul></div>'


def card_text_html(text, spans):
    """The comment's text with the words that drove its score in <mark>. A long comment
    shows what was marked, with its surroundings; the whole text is folded below."""
    segments = highlight(text, spans)
    short = excerpt(segments)
    if not short:
        return f'<p class="card-text">{_marked(segments)}</p>'
    return (
        f'<p class="card-text card-excerpt">{_marked(short)}</p>'
        f'<details class="card-whole"><summary>Whole comment ({len(text or "")} characters)</summary>'
        f'<p class="card-text">{_marked(segments)}</p></details>'
    )


def _marked(segments):
    out = []
    for segment, marked in segments:
        if marked:
            out.append(f"<mark>{escape(segment)}</mark>")
        elif marked is None:
            out.append(f'<span class="elided" title="text left out">{escape(segment)}</span>')
        else:
            out.append(str(escape(segment)))
    return "".join(out)


_LABELS = {a: str(escape(a.replace("_", " "))) for a in ATTRIBUTES}


def _attribute(value):
    """A number as an attribute value: digits need no escaping (and were most of a card's)."""
    return str(value) if isinstance(value, Number) else str(escape(value))


def _marks(settings):
    """(attribute, its label, review threshold, hold threshold) for each meter, as attribute
    values: the same on every card of a page, so worked out once for its settings."""
    key = (tuple(settings["review"].items()), tuple(settings["hold"].items()))
    if key not in _MARKS:
        if len(_MARKS) >= 16:  # bounded whatever an admin does with the thresholds
            _MARKS.clear()
        _MARKS[key] = [
            (a, _LABELS[a], _attribute(settings["review"][a]), _attribute(settings["hold"][a])) for a in ATTRIBUTES
        ]
    return _MARKS[key]


_MARKS = {}  # a site changes its thresholds a few times a year


def score_bars_html(comment_id, scores, settings):
    """A card's score meters, one per attribute: the value, with the site's review and hold
    thresholds as the meter's low and high marks."""
    cid = int(comment_id)
    scores = scores or {}
    rows = []
    for attribute, label, low, high in _marks(settings):
        key = f"score-{cid}-{attribute}"
        value = scores.get(attribute)
        if isinstance(value, Number):
            shown = f"{value:.2f}"
            rows.append(
                f'<div class="score"><dt><label for="{key}">{label}</label></dt><dd>'
                f'<meter id="{key}" min="0" max="1" optimum="0" low="{low}" high="{high}" value="{value}">{shown}</meter>'
                f' <span class="score-value">{shown}</span></dd></div>'
            )
        else:
            rows.append(
                f'<div class="score"><dt><label for="{key}">{label}</label></dt><dd>'
                f'<span class="score-value" id="{key}">not scored</span></dd></div>'
            )
    return Markup('<dl class="scores">' + "".join(rows) + "</dl>")


def _decision_form(decide, action, label, fields, csrf_field):
    return (
        f'<form class="inline decision-form" method="post" action="{decide}" data-action="{action}">'
        f'{csrf_field}<input type="hidden" name="action" value="{action}">{fields}'
        f'<button type="submit" class="small {action}">{label}</button></form>'
    )


def card_actions_html(comment_id, status, featured, decide_url, next_url, csrf_field, reasons):
    """The card's approve, feature (or un-feature) and reject forms, as one Markup string."""
    cid, decide = int(comment_id), escape(decide_url)
    csrf_field, reasons = Markup(csrf_field), Markup(reasons)
    fields = (
        f'<input type="hidden" name="next" value="{escape(next_url)}">'
        f'<input type="hidden" name="expected_status" value="{escape(status)}">'
    )
    feature = ("unfeature", "Un-feature") if featured else ("feature", "Feature")
    return Markup(
        '<div class="card-actions">'
        + _decision_form(decide, "approve", "Approve", fields, csrf_field)
        + _decision_form(decide, *feature, fields, csrf_field)
        + f'<form class="reject-form decision-form" method="post" action="{decide}" data-action="reject">'
        f'{csrf_field}<input type="hidden" name="action" value="reject">{fields}'
        f'<label for="reason-{cid}">Reason</label>'
        f'<select id="reason-{cid}" name="reason" class="reject-reason">{reasons}</select>'
        f'<label for="reason-text-{cid}" class="visually-hidden">Or write a reason</label>'
        f'<input type="text" id="reason-text-{cid}" name="reason_text" placeholder="or write one" maxlength="1000">'
        '<button type="submit" class="small reject">Reject</button></form></div>'
    )
