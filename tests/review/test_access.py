"""Who may see the moderators' workspace."""

from .conftest import decide, html


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for url in ("/review/pending", "/review/history", "/review/settings", "/review/users/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_readers_are_refused_and_moderators_not_admins_are_kept_out_of_admin_pages(api, other_api, world, make_user):
    api.login("ann")
    for url in ("/review/pending", "/review/reported", "/review/history", "/review/history.csv", "/review/calibration"):
        assert api.get(url).status_code == 403, url
    assert decide(api, 1, "approve").status_code == 403
    assert "Moderation</a>" not in html(api.get("/"))
    other_api.login("mod")
    assert "Moderation</a>" in html(other_api.get("/"))
    assert other_api.get("/review/pending").status_code == 200
    assert other_api.get("/review/settings").status_code == 403
    assert other_api.get("/review/calibration").status_code == 403
