"""A news site on another origin: a tiny http.server that serves one page with Parley's snippet."""

import html
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body {{ font-family: "Courier New", monospace; font-size: 18px; max-width: 700px; margin: 0 auto; }}</style>
</head><body>
<h1>{title}</h1><p>An article on somebody else's news site.</p>
<div id="parley-comments" data-article="{slug}" data-title="{title}"></div><script src="{parley}/embed.js" async></script>
</body></html>"""


@contextmanager
def host_site(parley, slug, title="A story elsewhere"):
    """Serves the page on a free port; yields its origin as the browser will see it.

    `localhost` while Parley is on `127.0.0.1`: a different site, not only a different port,
    so the browser treats the widget's frame as cross-site (third-party) for cookies.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = PAGE.format(parley=parley, slug=html.escape(slug), title=html.escape(title)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
