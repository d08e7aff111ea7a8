"""Files browsers ask for by a fixed name whatever the page says."""

from flask import redirect, url_for

from . import bp


@bp.get("/favicon.ico")
def favicon():
    # Pages link the SVG icon; this answers the clients that ask for the old name anyway,
    # so no page view leaves a 404 in the log.
    return redirect(url_for("static", filename="favicon.svg"), code=301)
