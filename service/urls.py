from urllib.parse import urlsplit


def safe_next(target, default="/"):
    """Only same-site relative paths are followed after sign-in (no open redirects)."""
    if not target or not isinstance(target, str):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
