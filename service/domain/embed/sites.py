"""The comment widget's rules: which sites may embed it, and articles it creates on first load."""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...errors import Forbidden, NotFound, TooManyRequests, ValidationError
from ...extensions import db
from ...models import Article, EmbedOrigin, EmbedPage, ModerationAction
from ..moderation import settings
from ..threads.articles import clean_fields, get_article
from ..threads.clean import single_line

DEFAULT_PORTS = {"http": 80, "https": 443}
HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")
IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")
URL_LIMIT = 2000


def normalise_origin(value):
    """`https://Example.com:443/` -> `https://example.com`; anything but scheme, host and port
    (a path, query, fragment, user name, other scheme) is refused with a message."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > 255:
        raise ValidationError({"origin": "Give the site's address, like https://news.example.com."})
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationError({"origin": "That is not a valid address (check the port)."}) from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS:
        raise ValidationError({"origin": "Start with http:// or https://."})
    if parts.username is not None or parts.password is not None:
        raise ValidationError({"origin": "No user name or password in the address."})
    if parts.path not in ("", "/") or parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ValidationError({"origin": "Only the scheme, host and port: no path, query or fragment."})
    if ":" in host:
        host = f"[{host}]"
    if not (HOSTNAME.match(host) or IPV6.match(host)):
        raise ValidationError({"origin": "That host name is not valid."})
    if port is not None and port != DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def origin_of_url(url):
    """The normalised origin of a full URL, or None when it is not an http(s) URL."""
    try:
        parts = urlsplit(url)
        return normalise_origin(f"{parts.scheme}://{parts.netloc}")
    except (ValidationError, ValueError):
        return None


def list_origins():
    return db.session.scalars(select(EmbedOrigin).order_by(EmbedOrigin.origin)).all()


def registered(origin):
    """Whether pages at `origin` may embed the widget (a normalised origin string)."""
    return db.session.scalar(select(EmbedOrigin.id).where(EmbedOrigin.origin == origin)) is not None


def allowed(origin, own_origin):
    """A registered origin, or Parley's own (its demo page embeds the widget in itself)."""
    try:
        origin = normalise_origin(origin)
    except ValidationError:
        return None
    return origin if origin == own_origin or registered(origin) else None


def _record(actor, reason, details):
    db.session.add(ModerationAction(actor_id=actor.id, action="settings", reason=reason, details=details))


def add_origin(value, actor):
    origin = normalise_origin(value)
    if registered(origin):
        raise ValidationError({"origin": f"{origin} is already allowed."})
    db.session.add(EmbedOrigin(origin=origin, created_by_id=actor.id))
    _record(actor, "embed origin added", {"origin": origin})
    try:
        db.session.commit()
    except IntegrityError:  # added by someone else a moment ago
        db.session.rollback()
        raise ValidationError({"origin": f"{origin} is already allowed."}) from None
    return origin


def remove_origin(origin_id, actor):
    row = db.session.get(EmbedOrigin, origin_id) if isinstance(origin_id, int) else None
    if row is None:
        raise NotFound("That origin is not in the list.")
    db.session.delete(row)
    _record(actor, "embed origin removed", {"origin": row.origin})
    db.session.commit()
    return row.origin


def creates_articles():
    return bool(settings.current()["embed_create_articles"])


@dataclass
class Framing:
    """What the browser said about the request that loads the widget's frame."""

    fetch_dest: str | None  # Sec-Fetch-Dest: "iframe" when a page frames it
    referer: str | None  # the page that frames it (its origin at least, by default policy)


def article_for_page(slug, origin, title=None, url=None, framing=None, spend=lambda origin: True):
    """The article a widget shows; an unknown slug is created from the host page's data when
    the site setting allows it, else it is a 404. `origin` is allowed (checked by the caller);
    only a registered one creates: Parley's own pages (the demo) show existing articles.

    Creating is open to anyone who can send a GET, so it takes what only a real page of the
    site produces: a framed load (`framing`) whose Referer is on the origin, with the page's
    address on the origin; and `spend(origin)`, the caller's rate budget, must allow it. What
    it creates is unlisted: off the front page until an admin lists it."""
    try:
        return get_article(slug)
    except NotFound:
        if not creates_articles():
            raise
    if not registered(origin):
        raise Forbidden("Articles are created only from pages of a site registered under Admin → Embed.")
    _check_framed(framing, origin)
    fields = _new_page_fields(slug, origin, title, url)
    if not spend(origin):
        raise TooManyRequests("Many new pages have been set up here just now; try again later.")
    article = Article(
        slug=fields["slug"], title=fields["title"], summary="", body="", comments_mode="open", listed=False
    )
    db.session.add(article)
    db.session.add(EmbedPage(article=article, origin=origin, url=fields["url"]))
    try:
        db.session.commit()
    except IntegrityError:  # two first loads at once: the other one created it
        db.session.rollback()
        return get_article(slug)
    return article


def _check_framed(framing, origin):
    """Forbidden unless the browser framed this load from a page on `origin`."""
    framed = framing is not None and framing.fetch_dest == "iframe"
    if not framed or origin_of_url(framing.referer or "") != origin:
        raise Forbidden(f"Comments for a new page start when a page on {origin} shows the widget.")


# The host page's attributes, named as the snippet names them, for the article form's fields.
SNIPPET_NAMES = {"slug": "data-article", "title": "data-title"}


def _new_page_fields(slug, origin, title, url):
    """Slug and title by the admin's article rules (a missing title comes from the slug), and
    the page's address, which must be on the registered site that shows the widget."""
    title = single_line(title) if isinstance(title, str) else ""  # a title of only invisible characters is none
    if not title and isinstance(slug, str):
        title = slug.replace("-", " ").capitalize()
    errors = {}
    try:
        fields = clean_fields({"slug": slug, "title": title, "comments_mode": "open"})
    except ValidationError as exc:
        errors = {SNIPPET_NAMES.get(field, field): message for field, message in exc.errors.items()}
    page = _page_url(url, origin)
    if page is None:
        errors["data-url"] = f"Give the address of a page on {origin}, the site that shows these comments."
    if errors:
        raise ValidationError(errors)
    return {"slug": fields["slug"], "title": fields["title"], "url": page}


def _page_url(url, origin):
    """The host page's address when it is a printable http(s) URL on `origin`; None otherwise.

    Missing, it is the site's front page."""
    url = url.strip() if isinstance(url, str) else ""
    if not url:
        return origin + "/"
    # urlsplit quietly drops tabs and newlines, so look at the raw text first.
    if len(url) > URL_LIMIT or any(char.isspace() or unicodedata.category(char)[0] == "C" for char in url):
        return None
    return url if origin_of_url(url) == origin else None


def pages_created():
    """Articles the widget created, newest first, for the admin's Embed page."""
    return db.session.scalars(select(EmbedPage).order_by(EmbedPage.created_at.desc()).limit(200)).all()
