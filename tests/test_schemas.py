"""One schema per payload (service/schemas/): the OpenAPI document is made from the models,
with the code's own constants as its enums, and a payload a form shares with the API is
refused by both in the same words."""

from moderation.labels import LABELS
from moderation.policy import LANGUAGE_ACTIONS
from service.domain.moderation.history import HISTORY_ACTIONS
from service.domain.moderation.queues import QUEUES
from service.models.article import COMMENTS_MODES
from service.models.comment import STATUSES
from service.models.membership import KINDS, SOURCES
from service.models.user import ROLES
from service.schemas.articles import SLUG_RULE, TITLE_RULE

from .conftest import refused_alike


def enum(schema):
    """The enum of a schema, through pydantic's anyOf [..., null] for optional fields."""
    for option in schema.get("anyOf", [schema]):
        if "enum" in option:
            return option["enum"]
    return None


def query(operation, name):
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


def test_the_documents_enums_are_the_codes_constants(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas, paths = doc["components"]["schemas"], doc["paths"]
    assert enum(schemas["Comment"]["properties"]["status"]) == list(STATUSES)
    assert enum(schemas["User"]["properties"]["role"]) == list(ROLES)
    assert enum(schemas["ArticleFields"]["properties"]["comments_mode"]) == list(COMMENTS_MODES)
    assert enum(schemas["Tier"]["properties"]["kind"]) == list(KINDS)
    assert enum(schemas["Membership"]["properties"]["source"]) == list(SOURCES)
    assert enum(schemas["Settings"]["properties"]["language_action"]) == list(LANGUAGE_ACTIONS)
    queue = paths["/api/v1/review/queues/{queue}"]["get"]
    assert enum(queue["parameters"][0]["schema"]) == list(QUEUES)
    assert enum(query(queue, "attribute")) == list(LABELS)
    assert enum(query(paths["/api/v1/review/history"]["get"], "action")) == list(HISTORY_ACTIONS)


def test_every_documented_operation_says_how_it_refuses(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert operation["summary"], (method, path)
            assert operation["responses"]["422"]["content"]["application/json"]["schema"] == error, (method, path)


def test_the_article_form_and_the_api_refuse_a_bad_article_in_the_same_words(app, api, make_user):
    make_user("boss", role="admin")
    api.login("boss")
    bad = {"slug": "Not a slug", "title": " ", "comments_mode": "everyone"}
    errors = refused_alike(app, api, "/api/v1/admin/articles", "/admin/articles/new", bad)["errors"]
    assert errors == {"slug": SLUG_RULE, "title": TITLE_RULE, "comments_mode": "One of open, closed, members."}
    assert api.get("/api/v1/articles").get_json()["articles"] == []


def test_the_tier_form_and_the_api_refuse_a_bad_tier_in_the_same_words(app, api, make_user):
    make_user("boss", role="admin")
    api.login("boss")
    before = api.get("/api/v1/admin/tiers").get_json()["tiers"]
    bad = {"slug": "gold", "name": "", "kind": "lifetime", "rank": "1001", "currency": "EURO"}
    errors = refused_alike(app, api, "/api/v1/admin/tiers", "/admin/tiers/new", bad)["errors"]
    assert errors == {
        "name": "1–80 characters.",
        "kind": "One of free, subscription, sponsorship.",
        "currency": "An ISO 4217 currency code such as EUR or USD.",
        "rank": "A whole number from 0 to 1000.",
    }
    assert api.get("/api/v1/admin/tiers").get_json()["tiers"] == before
