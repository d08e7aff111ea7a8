"""Who may call what: ONE table keyed by endpoint name, with defaults by URL pattern.

A route that neither the table nor a pattern covers fails the suite with a message saying
where to add it, so no new route goes unchecked because someone forgot.

Access levels:
  public     everyone, signed in or not
  guest      pages for signing in and up (anyone may open them)
  user       any signed-in account (a banned account is signed out, so it counts as anonymous)
  commenter  a signed-in account that is not suspended (suspended users may read, not write)
  author     only the author of the comment (the reader "rita" in the scene); not even admins
  owner      only the member who holds the membership (rita)
  moderator  moderators and admins
  admin      admins only
  signed     authenticated by its own signature (the Stripe webhook): refused for everyone here

For GET, an allowed role gets exactly `ok` (200 unless the entry says otherwise); a refused
one gets 401 (API) or a 302 to the sign-in page (pages) when anonymous, else 403.
For writes (sent with a valid CSRF token and an empty body), an allowed role must get past
the gate: anything but 401/403 and never a 5xx (usually 400/422 for the empty body).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Access:
    level: str
    ok: int = 200  # what an allowed GET answers
    write_ok: frozenset = None  # what an allowed, empty write may answer (None: anything but 401/403/5xx)
    flash: bool = False  # a page form that refuses by redirecting back with a message (checked: nothing written)
    note: str = ""


PUBLIC, GUEST, USER, COMMENTER = Access("public"), Access("guest"), Access("user"), Access("commenter")
AUTHOR, OWNER, MODERATOR, ADMIN = Access("author"), Access("owner"), Access("moderator"), Access("admin")

# Endpoint -> access. Keep it sorted by endpoint; add new routes here.
ACCESS = {
    "static": PUBLIC,
    "health.healthz": PUBLIC,
    "articles.index": PUBLIC,
    "articles.article": PUBLIC,
    "articles.api_reference": PUBLIC,
    "articles.favicon": Access("public", ok=301, note="redirects to the SVG icon"),
    "comments.post": Access("commenter", flash=True),
    "comments.edit": Access("author", flash=True),
    "comments.delete": Access("author", flash=True),
    "comments.report": Access("user", flash=True, note="a suspended reader may still report"),
    "comments.respect": Access("user", flash=True, note="the author's own comment is refused with a message"),
    "auth.login": Access("guest", write_ok=frozenset({401}), note="an empty form is a failed sign-in"),
    "auth.register": GUEST,
    "auth.forgot_password": GUEST,
    "auth.reset_password": Access("guest", ok=400, note="an invalid token is a 400 page for everyone"),
    "auth.logout": USER,
    "auth.profile": USER,
    "account.request_export": USER,
    "account.download": Access(
        "user", ok=404, note="owner only: the scene has no export, so 404 for everyone signed in"
    ),
    "account.settings_page": USER,
    "account.change_password": Access(
        "user", write_ok=frozenset({422}), note="an empty form is a wrong current password"
    ),
    "account.change_email": Access("user", write_ok=frozenset({422}), note="an empty form is a wrong current password"),
    "account.comment_mail": Access("user", write_ok=frozenset({302}), note="an empty form turns the mail off"),
    "account.confirm_email": Access("public", ok=302, note="a bad link redirects with a message"),
    "account.unsubscribe": Access("public", ok=404, note="signed link: a made-up one is a 404 for everyone"),
    "account.delete": Access(
        "user", write_ok=frozenset({422}), note="an empty form is a wrong password: nothing deleted"
    ),
    "membership.mine": USER,
    "membership.cancel": Access("owner", flash=True),
    "membership.sponsors": PUBLIC,
    "membership.support": PUBLIC,
    "membership.start": USER,
    "admin.home": Access("admin", ok=302, note="redirects to the article list"),
    "api.session_info": PUBLIC,
    "api.openapi": PUBLIC,
    "api.register": GUEST,
    "api.login": Access("guest", write_ok=frozenset({401}), note="empty credentials are a failed sign-in"),
    "api.logout": USER,
    "api.article_list": PUBLIC,
    "api.article_detail": PUBLIC,
    "api.article_comments": PUBLIC,
    "api.post_comment": COMMENTER,
    "api.comment_detail": PUBLIC,
    "api.comment_edit": AUTHOR,
    "api.comment_delete": AUTHOR,
    "api.comment_report": Access("user", note="a suspended reader may still report"),
    "api.comment_respect": Access(
        "user",
        write_ok=frozenset({200, 403, 404}),
        note="403: the author's own comment; 404 once the matrix deleted it",
    ),
    "api.comment_respect_back": Access(
        "user",
        write_ok=frozenset({200, 403, 404}),
        note="403: the author's own comment; 404 once the matrix deleted it",
    ),
    "api.tier_list": PUBLIC,
    "api.my_membership": USER,
    "api.my_membership_request": USER,
    "api.my_membership_cancel": OWNER,
    "api.my_export": USER,
    "api.my_export_request": USER,
    "api.my_account_delete": Access("user", write_ok=frozenset({422}), note="no password, no deletion"),
    "api.stripe_webhook": Access("signed", note="Stripe's signature, not a session, authorises it"),
    "api.article_create": ADMIN,
    "review.home": Access("moderator", ok=302, note="redirects to the first queue"),
    "review.calibration_page": ADMIN,
    "review.settings_page": ADMIN,
    "embed.script": PUBLIC,
    "embed.thread": Access("public", ok=400, note="without ?article= and ?origin= it is a 400 page for everyone"),
    "embed.auth": USER,
    "embed.demo": Access("public", ok=404, note="served only in development or with EMBED_DEMO=1"),
    "api.embed_config": PUBLIC,
    "api.embed_token_create": USER,
    "api.embed_token_revoke": Access("user", note="with a cookie and no bearer token it is a 400"),
}

# Defaults by URL prefix, longest first. An endpoint in ACCESS wins over its pattern.
PATTERNS = (
    ("/api/v1/admin/", ADMIN),
    ("/api/v1/review/", MODERATOR),
    ("/admin/", ADMIN),
    ("/review/", MODERATOR),
)

# Roles grouped by what the scene gives them.
SIGNED_OUT = {"anonymous", "banned"}
ALLOWED = {
    "public": {"anonymous", "reader", "other_reader", "moderator", "admin", "suspended", "banned"},
    "guest": {"anonymous", "reader", "other_reader", "moderator", "admin", "suspended", "banned"},
    "user": {"reader", "other_reader", "moderator", "admin", "suspended"},
    "commenter": {"reader", "other_reader", "moderator", "admin"},
    "author": {"reader"},
    "owner": {"reader"},
    "moderator": {"moderator", "admin"},
    "admin": {"admin"},
    "signed": set(),
}


class UnlistedRoute(AssertionError):
    pass


def access_for(rule):
    if rule.endpoint in ACCESS:
        return ACCESS[rule.endpoint]
    for prefix, access in PATTERNS:
        if rule.rule.startswith(prefix) or rule.rule == prefix.rstrip("/"):
            return access
    raise UnlistedRoute(
        f"Route {rule.rule} (endpoint {rule.endpoint!r}, methods {sorted(rule.methods - {'HEAD', 'OPTIONS'})}) has no "
        "entry in the security suite's access table. Add it to ACCESS in tests/security/routes.py with who may "
        "call it (public, user, commenter, author, owner, moderator, admin …), or put it under a prefix in PATTERNS."
    )


def is_api(rule):
    return rule.rule.startswith("/api/")


def expected(rule, method, role):
    """('ok', status) when `role` may call it, ('deny', {statuses}) when it must be refused."""
    access = access_for(rule)
    if role in ALLOWED[access.level]:
        return "ok", (access.ok if method == "GET" else None)
    if access.level == "signed":
        return "deny", {400, 401, 403}
    if role in SIGNED_OUT:
        return "deny", {401} if is_api(rule) else {302}
    return "deny", {403}


# Values for URL arguments, from the scene (tests/security/conftest.py World).
def url_values(rule, world):
    values = {}
    for name in rule.arguments:
        if name == "comment_id":
            values[name] = world.comment_id
        elif name == "membership_id":
            values[name] = world.membership_id
        elif name == "user_id":
            values[name] = world.users["reader"]
        elif name == "tier_id":
            values[name] = world.tier_id
        elif name == "article_id":
            values[name] = world.article_id
        elif name == "token":
            values[name] = "not-a-real-token"
        elif name == "filename":
            values[name] = "css/parley.css"
        elif name == "name":
            values[name] = "pending"
        elif name == "action":
            values[name] = "cancel"
        elif name == "export_id":
            values[name] = 999_999  # no such export: downloads are 404 for all but the owner
        elif name == "slug":
            tier_routes = ("/api/v1/admin/tiers/", "/support/")
            if rule.rule.startswith("/support/"):
                values[name] = world.paid_tier_slug
            elif rule.rule.startswith(tier_routes):
                values[name] = world.tier_slug
            else:
                values[name] = world.article_slug
        else:
            raise UnlistedRoute(
                f"Route {rule.rule} takes <{name}>, which the security suite cannot fill in yet: "
                "teach url_values() in tests/security/routes.py where to find one in the scene."
            )
    return values


def build_url(rule, world):
    adapter = rule.map.bind("localhost")
    return adapter.build(rule.endpoint, url_values(rule, world), method=None)


def order(pair):
    """Reads first, then writes; deletions next to last and signing out last of all."""
    rule, method = pair
    rank = 0 if method == "GET" else 1
    if rule.endpoint in ("comments.delete", "api.comment_delete") or method == "DELETE":
        rank = 2
    if rule.endpoint in ("auth.logout", "api.logout"):
        rank = 3
    return rank, rule.rule, method
