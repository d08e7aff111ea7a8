"""What the site tells whom (issue 14, items 13–15).

- A member's own membership, on the API as on the page, leaves out what admins write for
  each other (note, refund note, who recorded it).
- A reader's own request may ask to be listed on the sponsors page, under a name they
  choose; where they stand in the list is the admins' call.
- The development server does not announce its and Python's versions; /healthz gives
  everyone the status, the pending count and a coarse backlog, and the loader's error to
  staff only.
"""

from sqlalchemy import select

from service.extensions import db
from service.models import Membership, User

from .conftest import client_for


def test_a_member_sees_no_admin_notes_on_the_api(app, world):
    with app.app_context():
        membership = db.session.get(Membership, world.membership_id)
        membership.note, membership.refund_note = "paid late; chased twice", "goodwill refund"
        db.session.commit()
    rita = client_for(app, world, "reader")
    page = rita.get("/membership").get_data(as_text=True)
    [mine] = rita.get("/api/v1/me/membership").get_json()["memberships"]
    for field, text in (("note", "chased twice"), ("refund_note", "goodwill refund")):
        assert text not in page
        assert field not in mine
    assert "recorded_by" not in mine
    admin = client_for(app, world, "admin")
    [seen] = [
        m for m in admin.get("/api/v1/admin/memberships").get_json()["memberships"] if m["id"] == world.membership_id
    ]
    assert seen["note"] == "paid late; chased twice" and seen["recorded_by"] == "adam"


def test_a_readers_request_cannot_place_itself_on_the_sponsors_page(app, world):
    otto = client_for(app, world, "other_reader")
    response = otto.post(
        "/api/v1/me/membership/requests",
        {"tier": "sponsor", "amount": 5000, "public": True, "display_name": "Otto O.", "public_order": -1000},
    )
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        request = db.session.scalar(select(Membership).where(Membership.user_id == world.users["other_reader"]))
        assert request.public is True and request.display_name == "Otto O." and request.public_order == 0


def test_the_development_server_names_no_versions(app, world, live_server):
    import urllib.request

    with urllib.request.urlopen(live_server + "/healthz", timeout=10) as response:
        server = response.headers.get_all("Server")
    assert server == ["Parley"]


def test_healthz_gives_everyone_the_contract_and_only_staff_the_loader_error(app, world, client):
    with app.app_context():
        db.session.add(User(email="x@example.com", username="xx1", username_key="xx1", password_hash="!"))
        db.session.commit()
    public = client.get("/healthz").get_json()
    assert public["status"] == "ok" and public["backlog"] in ("none", "some", "large")
    assert isinstance(public["pending"], int) and "model_error" not in public
    staff = client_for(app, world, "moderator").get("/healthz").get_json()
    assert isinstance(staff["pending"], int)
