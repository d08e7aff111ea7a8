"""API fuzzing with schemathesis, straight against the WSGI app, signed in as an admin.

Every operation in /api/v1/openapi.json gets generated requests; each answer must not be a
5xx and must match the documented schema and content type. A second run puts hostile values
(Unicode digits, lone surrogates, deep nesting, huge integers) in every parameter and field.
CI runs a few examples per operation (FUZZ_EXAMPLES, default 10); `make fuzz` runs many more.
"""

import json
import os
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

schemathesis = pytest.importorskip("schemathesis", reason="pip install -r requirements-dev.txt for the fuzz tests")
from schemathesis import checks  # noqa: E402

from .conftest import build_world, client_for  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.content_type_conformance]
RUN = {"examples": 0}
# Every Hypothesis run here: a few examples each in CI, the same ones each run unless FUZZ_RANDOM=1.
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    database=None,
)


@pytest.fixture
def admin_headers(app):
    """The Cookie and X-CSRFToken a signed-in admin's browser would send, over a populated site."""
    world = build_world(app)
    admin = client_for(app, world, "admin")
    token = admin.token()
    cookie = admin.client.get_cookie("session").value
    return {"Cookie": f"session={cookie}", "X-CSRFToken": token}


def test_api_answers_as_documented(app, admin_headers):
    """Driven by hand rather than through schemathesis' pytest plugin, which does not load
    under pytest 9 here; each operation gets its own Hypothesis run."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/auth/logout"):
            continue  # signing out would only fuzz the signed-out API; the matrix covers logout

        @given(case=operation.as_strategy())
        @FUZZ_SETTINGS
        def run(case):
            response = case.call(headers={**(case.headers or {}), **admin_headers})
            RUN["examples"] += 1
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001  (collect every operation's failure, then report)
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)


# --- hostile values (issue 14, item 9) -------------------------------------------------------
# Schema-driven generation sends what the document allows; these are what it does not, and
# what broke the edge before: Unicode digits ("²": isdigit() but not int()), lone surrogates
# (no UTF-8 for them), nesting past Python's recursion limit, integers past every column.
# Each example is one hostile value, tried in every query parameter, every path id and every
# JSON field of every operation, and as a whole body nested deep.

UNICODE_DIGITS = st.text(
    st.characters(categories=["Nd", "No"], exclude_characters="0123456789"), min_size=1, max_size=6
)
HUGE_INTEGERS = st.one_of(st.integers(min_value=2**31), st.integers(max_value=-(2**31)))
SURROGATES = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3).map(lambda s: "a" + s + "b")
DEPTHS = st.integers(min_value=40, max_value=3000)
# In a URL: text only (a surrogate cannot be percent-encoded as UTF-8).
IN_URLS = st.one_of(UNICODE_DIGITS, HUGE_INTEGERS.map(str), UNICODE_DIGITS.map(lambda d: "1" + d))
# In a JSON body: a fragment of JSON text, so surrogates travel as \\ud800 escapes and depth
# is not limited by the encoder's own recursion.
IN_JSON = st.one_of(
    IN_URLS.map(json.dumps),
    HUGE_INTEGERS.map(str),
    SURROGATES.map(json.dumps),
    DEPTHS.map(lambda n: "[" * n + "]" * n),
    DEPTHS.map(lambda n: '{"a":' * n + "1" + "}" * n),
)
PATH_VALUES = {"slug": "security-article", "queue": "pending"}


def _operations(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete") and not path.endswith("/auth/logout"):
                yield path, method.upper(), operation


def _fields(operation):
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return list(body.get("properties", {})) if isinstance(body, dict) else []


def _fill(path, ids, value=None):
    """The path with its {parameters}: `value` (URL-quoted) in every {id}, or a real one."""
    for name in re.findall(r"{(\w+)}", path):
        real = PATH_VALUES.get(name, ids.get(path.split("/")[3], ids["comments"]))
        path = path.replace(f"{{{name}}}", quote(str(value)) if value is not None and name == "id" else str(real))
    return path


def _requests(app, ids, url_value, json_fragment):
    """(method, url, raw JSON body or None) for every place a hostile value can go."""
    for path, method, operation in _operations(app):
        if "{id}" in path:
            yield method, _fill(path, ids, url_value), None
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query":
                yield method, f"{_fill(path, ids)}?{parameter['name']}={quote(str(url_value))}", None
        if method != "GET":
            for field in _fields(operation):
                yield method, _fill(path, ids), f"{{{json.dumps(field)}: {json_fragment}}}"
            yield method, _fill(path, ids), json_fragment


def test_hostile_values_anywhere_are_answered_with_4xx(app, admin_headers):
    from service.extensions import db
    from service.models import Comment, Membership, User

    with app.app_context():
        ids = {
            "comments": db.session.scalar(select(Comment.id)),
            "users": db.session.scalar(select(User.id)),
            "memberships": db.session.scalar(select(Membership.id)),
            "admin": db.session.scalar(select(Membership.id)),
        }
    client = app.test_client()
    failures = []

    # Each class at least once, whatever the generator draws.
    @example(url_value="²", json_fragment="[" * 1000 + "]" * 1000)
    @example(url_value="99999999999999999999", json_fragment=json.dumps("\ud800"))
    @example(url_value="٣", json_fragment=str(2**70))
    @given(url_value=IN_URLS, json_fragment=IN_JSON)
    @FUZZ_SETTINGS
    def run(url_value, json_fragment):
        for method, url, body in _requests(app, ids, url_value, json_fragment):
            headers = dict(admin_headers, **({"Content-Type": "application/json"} if body is not None else {}))
            response = client.open(url, method=method, data=body, headers=headers)
            RUN["examples"] += 1
            if response.status_code >= 500:
                failures.append(f"{method} {url} {(body or '')[:80]!r}: {response.status_code}")

    run()
    assert not failures, f"{len(failures)} 5xx answers:\n" + "\n".join(failures[:40])
