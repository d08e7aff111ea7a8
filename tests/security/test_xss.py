"""Stored XSS: every payload in payloads.py goes into every field one person writes and another
sees; then the pages that show them are checked as HTML (always) and opened in real headless
Chromium with hooks on every script sink (when Chromium is installed).

Fields: comment bodies, report reasons, article titles, summaries and bodies, sponsor display
names, membership notes, usernames (refused by the username rule: asserted).
"""

import os
import re
import shutil

import pytest

from service.domain.membership import grants
from service.domain.threads.clean import multi_line, single_line
from service.extensions import db
from service.models import User

from .conftest import client_for, password_hash, publish
from .payloads import GROUPS, PAYLOADS

RUN = {"payloads": len(PAYLOADS), "pages": 0}


def chunks(items, limit, sep="\n"):
    """Pack payloads into texts of at most `limit` characters."""
    out, current = [], ""
    for item in items:
        item = item[:limit]
        if current and len(current) + len(sep) + len(item) > limit:
            out.append(current)
            current = item
        else:
            current = current + sep + item if current else item
    if current:
        out.append(current)
    return out


class fast:
    """An Api client that fetches its CSRF token once (it lasts as long as the session)."""

    def __init__(self, api):
        self.api, self.client, self._token = api, api.client, api.token()

    def post(self, url, json=None):
        return self.client.post(url, json=json, headers={"X-CSRFToken": self._token})


def test_the_corpus_is_big_and_varied():
    assert len(PAYLOADS) >= 200
    assert all(len(group) >= 10 for group in GROUPS.values())


# --- the scene: every writable, shown-to-others field filled with payloads ----------------


def plant(app, world):
    """Write the payloads through the API as the people who may write each field."""
    rita = fast(client_for(app, world, "reader"))
    otto = fast(client_for(app, world, "other_reader"))
    admin = fast(client_for(app, world, "admin"))
    slug = world.article_slug
    planted = {"comments": [], "articles": 0, "sponsors": 0, "notes": 0, "reports": 0}

    # Article titles and summaries (packed, 300 and 2,000 characters) and one long body, as the admin writes them.
    titles, summaries = chunks(PAYLOADS, 300, " "), chunks(PAYLOADS, 2000)
    for i, title in enumerate(titles):
        response = admin.post(
            "/api/v1/admin/articles",
            {
                "slug": f"xss-{i}",
                "title": title,
                "summary": summaries[i % len(summaries)],
                "comments_mode": "open",
            },
        )
        assert response.status_code == 201, (title, response.get_json())
        assert response.get_json()["article"]["title"] == single_line(title)
        planted["articles"] += 1
    body = "\n\n".join(PAYLOADS)
    assert (
        admin.post(
            "/api/v1/admin/articles", {"slug": "xss-body", "title": "Body", "summary": "S", "body": body}
        ).status_code
        == 201
    )

    # Comment bodies, as a reader writes them; each comes back exactly as sent (less controls).
    for payload in PAYLOADS:
        response = rita.post(f"/api/v1/articles/{slug}/comments", {"body": payload})
        assert response.status_code == 201, (payload, response.get_json())
        comment = response.get_json()["comment"]
        assert comment["body"] == multi_line(payload)
        planted["comments"].append(comment["id"])
    # A moderator approves them, so everyone sees them (the first through the API, the rest directly).
    mona = fast(client_for(app, world, "moderator"))
    assert (
        mona.post(f"/api/v1/review/comments/{planted['comments'][0]}/decision", {"action": "approve"}).status_code
        == 200
    )
    with app.app_context():
        for comment_id in planted["comments"][1:]:
            publish(comment_id, world.users["moderator"])
        db.session.remove()

    # Report reasons (moderators read them in the reported queue), packed 500 characters a report.
    for comment_id, reason in zip(planted["comments"], chunks(PAYLOADS, 500)):
        response = otto.post(f"/api/v1/comments/{comment_id}/reports", {"reason": reason})
        assert response.status_code == 201, response.get_json()
        planted["reports"] += 1

    # Sponsor display names (public sponsors page): one sponsor per payload.
    with app.app_context():
        users = [
            User(
                email=f"s{i}@example.com",
                username=f"sponsor{i}",
                username_key=f"sponsor{i}",
                password_hash=password_hash(),
            )
            for i in range(len(PAYLOADS))
        ]
        db.session.add_all(users)
        db.session.commit()
        sponsor_ids = [u.id for u in users]
    # The first few through the API; the rest through the same domain call, to keep the run short.
    for n, (user_id, payload) in enumerate(zip(sponsor_ids, PAYLOADS)):
        data = {"tier": "sponsor", "amount": 100, "public": True, "display_name": payload[:80], "note": payload[:2000]}
        if n < 20:
            response = admin.post(f"/api/v1/admin/users/{user_id}/memberships", data)
            assert response.status_code == 201, (payload, response.get_json())
            assert response.get_json()["membership"]["display_name"] == (single_line(payload[:80]) or None)
        else:
            with app.app_context():
                grants.grant(db.session.get(User, user_id), data, db.session.get(User, world.users["admin"]))
                db.session.remove()
        planted["sponsors"] += 1
    # Membership notes, all on rita's record (the admin's member page shows them).
    for note in chunks(PAYLOADS, 2000):
        response = admin.post(
            f"/api/v1/admin/users/{world.users['reader']}/memberships", {"tier": "subscriber", "note": note}
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["membership"]["note"] == multi_line(note).strip()
        planted["notes"] += 1
    return planted


def test_usernames_refuse_every_payload(app, world):
    anonymous = fast(client_for(app, world, "anonymous"))
    accepted = []
    for i, payload in enumerate(PAYLOADS):
        response = anonymous.post(
            "/api/v1/auth/register",
            {"email": f"u{i}@example.com", "username": payload, "password": "a-long-enough-password"},
        )
        if response.status_code not in (409, 422):
            accepted.append((payload, response.status_code))
    assert not accepted, f"usernames that got through: {accepted}"


# Pages and who opens them. Each shows many payloads at once.
def pages(world, planted):
    return [
        ("anonymous", "/"),
        ("anonymous", f"/articles/{world.article_slug}"),
        ("anonymous", "/articles/xss-body"),
        ("anonymous", "/sponsors"),
        ("reader", "/profile"),
        ("reader", "/membership"),
        ("moderator", "/review/reported"),
        ("moderator", f"/review/comments/{planted['comments'][0]}"),
        ("moderator", f"/review/users/{world.users['reader']}"),
        ("admin", "/admin/articles"),
        ("admin", f"/admin/members/{world.users['reader']}"),
        ("admin", "/admin/members"),
    ]


SCRIPT = re.compile(r"<script(?![^>]*\bsrc=\"/static/)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
BAD_URL = re.compile(
    r"<[^>]*\s(href|src|action|formaction|data)\s*=\s*[\"']?\s*(javascript|data|vbscript):", re.IGNORECASE
)


def test_stored_payloads_come_out_escaped_in_every_page(app, world):
    """The server-side half, which runs everywhere: no tag, handler or script URL survives."""
    planted = plant(app, world)
    problems = []
    sessions = {role: client_for(app, world, role) for role in ("anonymous", "reader", "moderator", "admin")}
    for role, url in pages(world, planted):
        response = sessions[role].client.get(url)
        RUN["pages"] += 1
        assert response.status_code == 200, (role, url, response.status_code)
        html = response.get_data(as_text=True)
        # Jinja writes quotes in text and attribute values as &#34;/&#39;, so a raw quote only
        # delimits a real attribute: blank the values and what is left is markup we wrote.
        markup = re.sub(r"\"[^\"]*\"", '""', html)
        for pattern, text in ((SCRIPT, html), (HANDLER, markup), (BAD_URL, markup)):
            for match in pattern.finditer(text):
                problems.append(f"{url} as {role}: {match.group(0)[:80]!r}")
        assert "test-secret-key" not in html  # template injection would print the test secret
    assert not problems, "\n".join(problems[:40])


# --- Chromium ------------------------------------------------------------------------------

HOOKS = """
(() => {
  const record = (kind, value) => {
    try { (window.top.__xss = window.top.__xss || []).push(kind + ': ' + String(value).slice(0, 120)); } catch (e) {}
    try { (window.__xss = window.__xss || []).push(kind + ': ' + String(value).slice(0, 120)); } catch (e) {}
  };
  window.__xss = window.__xss || [];
  window.__csp = window.__csp || [];
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => record(name, args[0]);
  }
  // eval and Function pass through (Playwright itself evaluates with them); code that names a
  // sink is recorded even before the sink runs.
  const suspicious = (code) => /alert|confirm|prompt|print|__pwned/.test(String(code));
  const realEval = window.eval;
  window.eval = function (code) { if (suspicious(code)) record('eval', code); return realEval(code); };
  window.Function = new Proxy(window.Function, {
    construct(t, args) { if (suspicious(args.join(','))) record('Function', args.join(',')); return Reflect.construct(t, args); },
    apply(t, self, args) { if (suspicious(args.join(','))) record('Function', args.join(',')); return Reflect.apply(t, self, args); },
  });
  Object.defineProperty(window, '__pwned', { configurable: false, set(v) { record('pwned', v); }, get() { return undefined; } });
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
  });
})();
"""

DOM_AUDIT = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase().replace(/[\\s\\u0000-\\u001f]/g, '');
      if (name.startsWith('on')) found.push(el.tagName + ' ' + name);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc'].includes(name)
          && (value.startsWith('javascript:') || value.startsWith('data:text/html') || value.startsWith('vbscript:') || name === 'srcdoc'))
        found.push(el.tagName + ' ' + name + '=' + attr.value.slice(0, 60));
    }
    if (el.tagName === 'SCRIPT' && !(el.getAttribute('src') || '').startsWith('/static/')) found.push('inline SCRIPT');
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'META'].includes(el.tagName) && el.closest('body')) found.push(el.tagName);
    if (el.namespaceURI && el.namespaceURI.includes('svg') && el.closest('main, article, .comments, body')) {
      if (!el.closest('.chart, figure, [data-chart]')) found.push('svg ' + el.tagName);
    }
  }
  return found;
}
"""


def chromium_or_skip():
    from ..browser_fixtures import CHROMIUM

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}; the server-side XSS checks still ran")


def watched_page(context, origins, csp, stripped, executions, label=""):
    """A page in `context` with the hooks in every frame, where each dialog and each request that
    leaves `origins` or reaches /pwned is recorded in `executions` (after `label`) and stopped.
    With "CSP stripped", the responses under `stripped` (a path pattern on the first origin, the
    app's) lose their Content-Security-Policy header, so that escaping alone must hold."""
    server = origins[0]
    context.add_init_script(HOOKS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("dialog", lambda d: (executions.append(f"{label}dialog {d.type} {d.message}"), d.dismiss()))

    def outside(route):
        executions.append(f"{label}request to {route.request.url}")
        route.abort()

    context.route(re.compile(r"^(?!" + "|".join(re.escape(origin) for origin in origins) + r").*"), outside)
    context.route(re.compile(re.escape(server) + r"/pwned.*"), outside)
    if csp == "CSP stripped":

        def strip(route):
            response = route.fetch()
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"}
            route.fulfill(response=response, headers=headers)

        context.route(re.compile(re.escape(server) + stripped), strip)
    return page


def test_no_payload_runs_in_chromium(app, world, live_server, browser):
    """With the CSP on, nothing runs and the CSP reports nothing (escaping did the work).
    With the CSP stripped by the test, still nothing runs: escaping alone holds."""
    chromium_or_skip()
    planted = plant(app, world)
    sessions = {role: client_for(app, world, role) for role in ("anonymous", "reader", "moderator", "admin")}
    for csp in ("with CSP", "CSP stripped"):
        open_pages(browser, live_server, sessions, pages(world, planted), csp)


def open_pages(browser, live_server, sessions, targets, csp):
    executions, violations, dom = [], [], []
    for role, url in targets:
        context = browser.new_context()
        cookie = sessions[role].client.get_cookie("session")
        if role != "anonymous" and cookie is not None:
            context.add_cookies([{"name": "session", "value": cookie.value, "url": live_server}])
        page = watched_page(context, (live_server,), csp, r"/(?!pwned).*", executions, label=f"{url}: ")
        response = page.goto(live_server + url, wait_until="load")
        assert response.status == 200, (role, url, response.status)
        RUN["pages"] += 1
        # Give timers, autofocus and animations a moment, and move the mouse over everything.
        page.mouse.move(5, 5)
        for y in range(0, 2000, 400):
            page.mouse.move(200, y)
        page.keyboard.press("Tab")
        page.wait_for_timeout(300)
        executions.extend(f"{url}: {x}" for x in page.evaluate("window.__xss || []"))
        violations.extend(f"{url}: {x}" for x in page.evaluate("window.__csp || []"))
        dom.extend(f"{url}: {x}" for x in page.evaluate(DOM_AUDIT))
        context.close()
    assert not executions, f"{csp}: payloads ran:\n" + "\n".join(executions[:40])
    assert not dom, f"{csp}: dangerous markup reached the DOM:\n" + "\n".join(dom[:40])
    if csp == "with CSP":
        assert not violations, "the CSP had to block something (escaping let it through):\n" + "\n".join(
            violations[:40]
        )


def test_the_hooks_do_catch_a_payload_that_runs(browser):
    """A positive control: the same hooks on a page that does run a payload record it."""
    chromium_or_skip()
    context = browser.new_context()
    context.add_init_script(HOOKS)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content("<img src=x onerror=alert(1)><script>window.__pwned = 1; confirm(2)</script>")
    page.wait_for_timeout(300)
    recorded = page.evaluate("window.__xss || []")
    context.close()
    assert any(r.startswith("alert") for r in recorded) and any(r.startswith("pwned") for r in recorded), recorded
