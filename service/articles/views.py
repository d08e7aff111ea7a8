from flask import current_app, get_template_attribute, render_template, request, url_for
from flask_login import current_user
from markupsafe import escape

from ..domain.membership.perks import tiers_for
from ..domain.threads import articles, comments, reactions, threads
from ..numbers import parse_id
from ..urls import ID, id_url
from . import bp
from .comment_html import ThreadContext, page_fields


@bp.get("/")
def index():
    cursor = request.args.get("cursor") or None
    return render_template("articles/index.html", page=articles.list_articles(cursor=cursor), first_page=cursor is None)


@bp.get("/articles/<slug>")
def article(slug):
    return thread_page(articles.get_article(slug))


def thread_page(item, draft=None, status=200):
    """The article with a page of its thread. `draft` (a comments.views.Draft) puts a refused
    comment back in its form with the reason beside it, so nothing a reader wrote is lost."""
    # A refused form post carries the page it was on, so the thread around the draft is the same.
    cursor = request.values.get("cursor") or None
    sort = request.values.get("sort") or threads.DEFAULT_SORT
    if sort not in threads.SORTS:
        sort = threads.DEFAULT_SORT  # an old or hand-made link still shows the thread
    page = threads.page(item, current_user, cursor=cursor, sort=sort, scores=False)
    refusal = comments.can_comment(current_user, item)
    html = render_template(
        "articles/article.html",
        article=item,
        tree=comments.as_tree(page.comments),
        next_cursor=page.next,
        first_page=cursor is None,
        sort=sort,
        sorts=threads.SORTS,
        picks=page.picks,
        comment_count=threads.comment_count(item, current_user),
        refusal=refusal,
        draft=draft,
        thread=_context(item, page.comments, cursor, sort, refusal, draft),
    )
    return html, status


def _context(item, shown, cursor, sort, refusal, draft):
    """What every comment of the page shares (comment_html.ThreadContext), built once a page."""
    reader = current_user._get_current_object()  # the user itself: each comment asks who reads it
    me = reader.id if reader.is_authenticated else None
    # Every author's tier, and the reader's own (the page's membership line), in one query.
    tiers = tiers_for({c.author_id for c in shown} | {me})
    return ThreadContext(
        # Only a signed-in reader has forms here: a CSRF token would tie the signed-out page to
        # a session, and the page cache (service/microcache.py) would then never store it.
        csrf=get_template_attribute("_forms.html", "csrf")() if me is not None else "",
        fields=page_fields(cursor, sort),
        urls=comment_urls(item),
        me=me,
        moderator=me is not None and reader.is_moderator,
        refusal=refusal,
        can_edit=lambda c: comments.can_edit(c, reader),
        max_depth=current_app.config["COMMENT_MAX_DEPTH"],
        max_length=current_app.config["COMMENT_MAX_LENGTH"],
        draft=draft,
        opened=_opened(),
        open_url=_open_url(item, cursor, sort),
        respected=reactions.respected_by(reader, {c.id for c in shown}),
        badges={uid: tier.badge for uid, tier in tiers.items() if tier.badge},
    )


def _opened():
    """The comment form asked for by ?reply=ID or ?report=ID (a reader without the page's
    script opens a comment's form that way), as (kind, id); else None."""
    for kind in ("reply", "report"):
        cid = parse_id(request.args.get(kind))
        if cid is not None:
            return kind, cid
    return None


def _open_url(item, cursor, sort):
    """This page of the thread with one comment's reply or report form written in."""
    page = url_for(
        "articles.article", slug=item.slug, cursor=cursor, sort=sort if sort != threads.DEFAULT_SORT else None
    )
    joiner = "&amp;" if "?" in page else "?"
    anchor = {"reply": "reply-", "report": "report-reason-"}
    return lambda kind, cid: f"{escape(page)}{joiner}{kind}={int(cid)}#{anchor[kind]}{int(cid)}"


def comment_urls(item):
    """Each comment's form targets and links, built once per page and filled in with the
    comment's id (service/urls.id_url): a moderator's page of 190 comments built 710 URLs."""
    return {
        "post": escape(url_for("comments.post", slug=item.slug)),
        "respect": id_url("comments.respect", comment_id=ID),
        "edit": id_url("comments.edit", comment_id=ID),
        "delete": id_url("comments.delete", comment_id=ID),
        "report": id_url("comments.report", comment_id=ID),
        "moderate": id_url("review.comment", comment_id=ID),
    }
