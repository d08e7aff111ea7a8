"""Run in a subprocess by test_rate_limit_storage.py: the limiter is process-global, so an
app with its own storage must live in its own process. Prints one JSON line."""

import json
import logging
import sys
import tempfile

from flask_migrate import upgrade

from service import create_app

storage = sys.argv[1]
records = []
handler = logging.Handler()
handler.emit = lambda record: records.append(record.getMessage())
logging.getLogger("flask-limiter").addHandler(handler)

app = create_app(
    {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tempfile.mkdtemp()}/probe.db",
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": f"parley-probe-{tempfile.mktemp(dir='').strip('/')}",
        "LOGIN_LIMIT_PER_ACCOUNT": "2 per minute",
    }
)
with app.app_context():
    upgrade()
client = app.test_client()
token = client.get("/api/v1/session").get_json()["csrf_token"]
codes = [
    client.post(
        "/api/v1/auth/login", json={"login": "nobody", "password": "wrong-password"}, headers={"X-CSRFToken": token}
    ).status_code
    for _ in range(3)
]
site = client.get("/api/v1/articles").status_code
print(json.dumps({"codes": codes, "site": site, "warnings": records, "prefix": app.config["RATELIMIT_KEY_PREFIX"]}))
