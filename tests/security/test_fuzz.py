"""API fuzzing with schemathesis, straight against the WSGI app, signed in as an admin.

Every operation in /api/v1/openapi.json gets generated requests; each answer must not be a
5xx and must match the documented schema and content type. CI runs a few examples per
operation (FUZZ_EXAMPLES, default 10); `make fuzz` runs many more.
"""
import os

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis", reason="pip install -r requirements-dev.txt for the fuzz tests")
from schemathesis import checks  # noqa: E402

from .conftest import build_world, client_for  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.content_type_conformance]
RUN = {"examples": 0}


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
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize=os.environ.get("FUZZ_RANDOM") != "1", database=None)
        def run(case):
            response = case.call(headers={**(case.headers or {}), **admin_headers})
            RUN["examples"] += 1
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001  (collect every operation's failure, then report)
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
