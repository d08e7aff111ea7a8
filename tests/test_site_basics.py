"""What every page carries for browsers and search engines, the API's readable page, and gzip."""

import gzip

from service.compression import MIN_BYTES


def test_pages_link_a_favicon_that_exists_and_carry_a_description(client, make_article):
    make_article()
    page = client.get("/articles/test-article").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert '<meta name="description" content="Summary.">' in page
    assert client.get("/static/favicon.svg").status_code == 200
    old_name = client.get("/favicon.ico")
    assert old_name.status_code == 301 and old_name.headers["Location"].endswith("/static/favicon.svg")


def test_the_footer_api_link_opens_a_readable_page_that_lists_every_path(client):
    front = client.get("/").get_data(as_text=True)
    assert '<a href="/api">API</a>' in front
    page = client.get("/api")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in spec["paths"]:
        assert f'<code class="api-path">{path}</code>' in text
    assert 'href="/api/v1/openapi.json"' in text


def test_text_answers_are_gzipped_for_clients_that_accept_it(client, make_article):
    make_article()
    plain = client.get("/articles/test-article")
    packed = client.get("/articles/test-article", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers and len(plain.data) >= MIN_BYTES
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)
    # The same page, byte for byte, but for the parts that differ per request (CSRF-free: signed out).
    assert gzip.decompress(packed.data) == plain.data
    css = client.get("/static/css/parley.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip" and css.headers["ETag"].startswith("W/")
    assert b"Parley" in gzip.decompress(css.data)


def test_what_must_not_be_gzipped_is_left_alone(client):
    refused = client.get("/api/v1/articles", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    missing = client.get("/no-such-page", headers={"Accept-Encoding": "gzip"})
    assert missing.status_code == 404 and "Content-Encoding" not in missing.headers
    head = client.head("/static/css/parley.css", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in head.headers
