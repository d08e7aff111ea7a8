"""The membership part of the OpenAPI document (openapi.py merges it in)."""

from .openapi import ID, STR, _answer, _obj, _op, _ref

INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NULLABLE_STR = {"type": ["string", "null"]}
MINOR = {"type": "integer", "minimum": 0, "maximum": 100_000_000, "description": "minor units (cents)"}
CURRENCY = {"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "ISO 4217 code"}
DATE = {"type": "string", "description": "ISO 8601 date or date-time, UTC"}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": STR}

SCHEMAS = {
    "Tier": _obj(
        ["slug", "name", "kind", "price", "currency", "interval", "rank", "perks", "retired"],
        slug=STR,
        name=STR,
        description=STR,
        kind={"type": "string", "enum": ["free", "subscription", "sponsorship"]},
        price=MINOR,
        currency=CURRENCY,
        interval={"type": "string", "enum": ["none", "monthly", "yearly"]},
        rank=INT,
        perks=_obj(
            members_comments=BOOL,
            trusted_commenter=BOOL,
            badge=NULLABLE_STR,
            rate_limit_multiplier=INT,
        ),
        retired=BOOL,
    ),
    "Membership": _obj(
        ["id", "user", "tier", "state", "starts_at", "ends_at", "amount", "currency", "recurrence", "source", "active"],
        id=INT,
        user=STR,
        user_id=INT,
        tier=STR,
        tier_name=STR,
        state={"type": "string", "enum": ["requested", "confirmed", "declined"]},
        starts_at=STR,
        ends_at=NULLABLE_STR,
        active_until=NULLABLE_STR,
        active=BOOL,
        amount=MINOR,
        currency=CURRENCY,
        recurrence={"type": "string", "enum": ["none", "monthly", "yearly"]},
        source={"type": "string", "enum": ["admin_grant", "manual_payment", "stripe"]},
        payment_reference=NULLABLE_STR,
        note=NULLABLE_STR,
        recorded_by=NULLABLE_STR,
        cancelled_at=NULLABLE_STR,
        refunded_at=NULLABLE_STR,
        refund_note=NULLABLE_STR,
        public=BOOL,
        display_name=NULLABLE_STR,
        public_order=INT,
    ),
    "AuditEntry": _obj(
        ["id", "actor", "action", "created_at"],
        id=INT,
        actor=STR,
        action=STR,
        user_id={"type": ["integer", "null"]},
        membership_id={"type": ["integer", "null"]},
        tier_id={"type": ["integer", "null"]},
        before={"type": ["object", "null"]},
        after={"type": ["object", "null"]},
        created_at=STR,
    ),
}

MEMBERSHIP = _obj(["membership"], membership=_ref("Membership"))
MEMBERSHIPS = {"type": "array", "items": _ref("Membership")}
TIER = _obj(["tier"], tier=_ref("Tier"))
TIERS = _obj(["tiers"], tiers={"type": "array", "items": _ref("Tier")})
LISTING = dict(public=BOOL, display_name=NULLABLE_STR, public_order=INT)
TIER_FIELDS = dict(
    name=STR,
    description=STR,
    kind={"type": "string", "enum": ["free", "subscription", "sponsorship"]},
    price=MINOR,
    currency=CURRENCY,
    interval={"type": "string", "enum": ["none", "monthly", "yearly"]},
    rank={"type": "integer", "minimum": 0, "maximum": 1000},
    members_comments=BOOL,
    trusted_commenter=BOOL,
    badge=NULLABLE_STR,
    rate_limit_multiplier={"type": "integer", "minimum": 1, "maximum": 100},
    retired=BOOL,
)


def _action(summary, body):
    return {
        "post": _op(
            summary,
            {"200": _answer("The membership after the change", MEMBERSHIP)},
            body=body,
            parameters=[ID],
            tag="membership",
        )
    }


PATHS = {
    "/api/v1/tiers": {
        "get": _op("Tiers on offer, with their perks", {"200": _answer("Tiers", TIERS)}, tag="membership")
    },
    "/api/v1/me/membership": {
        "get": _op(
            "My current tier and my memberships",
            {"200": _answer("Membership", _obj(["tier", "memberships"], tier=STR, memberships=MEMBERSHIPS))},
            tag="membership",
        )
    },
    "/api/v1/me/membership/requests": {
        "post": _op(
            "Subscribe or sponsor: records a request (manual provider) or starts Stripe Checkout",
            {
                "201": _answer(
                    "A request an admin confirms, with the reference to pay with; or a Checkout address",
                    _obj(
                        membership=_ref("Membership"),
                        payment_reference=STR,
                        checkout_url=STR,
                        payment_instructions={
                            "type": "string",
                            "description": "how to pay (the admins' text); empty when unset",
                        },
                    ),
                )
            },
            body=_obj(["tier"], tier=STR, amount=MINOR, **LISTING),
            tag="membership",
        )
    },
    "/api/v1/me/memberships/{id}/cancel": _action("Cancel my membership (it runs to the end of the period)", None),
    "/api/v1/admin/memberships": {
        "get": _op(
            "Memberships, filtered",
            {"200": _answer("Memberships", _obj(["memberships"], memberships=MEMBERSHIPS))},
            parameters=[
                {"name": "tier", "in": "query", "schema": STR},
                {"name": "active", "in": "query", "schema": {"type": "string", "enum": ["yes", "no"]}},
                {
                    "name": "lapsing",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["1"]},
                    "description": "active and ending within 30 days",
                },
                {
                    "name": "source",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["admin_grant", "manual_payment", "stripe"]},
                },
                {
                    "name": "state",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["requested", "confirmed", "declined"]},
                },
            ],
            tag="membership",
        )
    },
    "/api/v1/admin/users/{id}/memberships": {
        "get": _op(
            "A member's tier, memberships and audit history",
            {
                "200": _answer(
                    "History",
                    _obj(
                        ["tier", "memberships", "history"],
                        tier=STR,
                        memberships=MEMBERSHIPS,
                        history={"type": "array", "items": _ref("AuditEntry")},
                    ),
                )
            },
            parameters=[ID],
            tag="membership",
        ),
        "post": _op(
            "Grant a membership or record a payment or sponsorship",
            {"201": _answer("Granted", MEMBERSHIP)},
            body=_obj(
                ["tier"],
                tier=STR,
                starts_at=DATE,
                ends_at=DATE,
                amount=MINOR,
                currency=CURRENCY,
                note=STR,
                recurrence={"type": "string", "enum": ["none", "monthly", "yearly"]},
                source={"type": "string", "enum": ["admin_grant", "manual_payment"]},
                payment_reference=STR,
                **LISTING,
            ),
            parameters=[ID],
            tag="membership",
        ),
    },
    "/api/v1/admin/memberships/{id}/extend": _action("Extend to a later end", _obj(["ends_at"], ends_at=DATE)),
    "/api/v1/admin/memberships/{id}/cancel": _action(
        "Cancel: runs to the period's end, or ends now with immediately", _obj(immediately=BOOL)
    ),
    "/api/v1/admin/memberships/{id}/refund": _action(
        "Note a refund", _obj(["refund_note"], refund_note=STR, end_now=BOOL)
    ),
    "/api/v1/admin/memberships/{id}/confirm": _action(
        "Confirm a requested membership's payment", _obj(["payment_reference"], payment_reference=STR)
    ),
    "/api/v1/admin/memberships/{id}/decline": _action("Decline a request", _obj(note=STR)),
    "/api/v1/admin/memberships/{id}/listing": _action("Sponsors page opt-in, name and order", _obj(**LISTING)),
    "/api/v1/admin/tiers": {
        "get": _op("All tiers, retired ones too", {"200": _answer("Tiers", TIERS)}, tag="membership"),
        "post": _op(
            "Add a tier",
            {"201": _answer("Created", TIER)},
            body=_obj(["slug", "name"], slug=STR, **TIER_FIELDS),
            tag="membership",
        ),
    },
    "/api/v1/admin/tiers/{slug}": {
        "patch": _op(
            "Rename, price, retire a tier or set its perks (the fields sent)",
            {"200": _answer("Updated", TIER)},
            body=_obj(**TIER_FIELDS),
            parameters=[SLUG],
            tag="membership",
        )
    },
    "/api/v1/admin/tiers/{slug}/history": {
        "get": _op(
            "The audit history of a tier",
            {"200": _answer("History", _obj(["history"], history={"type": "array", "items": _ref("AuditEntry")}))},
            parameters=[SLUG],
            tag="membership",
        )
    },
    "/api/v1/payments/stripe/webhook": {
        "post": _op(
            "Stripe's signed webhook (Stripe-Signature header); replays are answered without effect",
            {"200": _answer("Received", _obj(["received"], received=BOOL, outcome=STR, duplicate=BOOL))},
            body={"type": "object"},
            tag="membership",
        )
    },
}
