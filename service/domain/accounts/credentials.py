"""The rules for a new account's credentials: what a username may be (and when two are too
alike), what an email address is, and which passwords are too easy to guess. The registration
schema (service/schemas/accounts.py) validates with these; so do password changes and resets."""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from flask import current_app

from moderation.normalize import CONFUSABLES

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")
DELETED_PREFIX = "deleted-user"  # deleted accounts are renamed deleted-user-N (domain/accounts/deletion.py)
COMMON_PASSWORDS = Path(__file__).resolve().parents[2] / "data" / "common_passwords.txt"

# Letters from other scripts that pass for Latin ones on screen: the word lists' table
# (moderation.normalize), so a name and a banned word are folded alike. Usernames are ASCII
# after NFKC today, so these are refused anyway; the table keeps the refusal explicit.
# Within ASCII: what a reader cannot tell apart in many fonts, after case folding.
# Applied in this order, both in Python and (in look_alike_taken) in SQL.
ASCII_SKELETON = (("-", ""), ("_", ""), (".", ""), ("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"))
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)


def username_key(username):
    """The form that decides uniqueness: compatibility-normalised and case-folded."""
    return unicodedata.normalize("NFKC", username).casefold()


def username_skeleton(username):
    """What a name looks like: the key with look-alike letters merged and separators dropped.

    Two names with one skeleton (alice / AIice / a.lice / ALICE) cannot both be registered.
    """
    key = "".join(CONFUSABLES.get(char, char) for char in username_key(username) if char not in INVISIBLE)
    for old, new in ASCII_SKELETON:
        key = key.replace(old, new)
    return key


def _script(char):
    """A coarse script name for a letter (LATIN, CYRILLIC, GREEK …); None for digits and marks."""
    if not char.isalpha():
        return None
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


def _username_problem(raw):
    """Why a username is refused before the character rule looks at it, or None."""
    if any(char in INVISIBLE or unicodedata.category(char) in ("Cc", "Cf") for char in raw):
        return "Use visible characters only."
    scripts = {_script(char) for char in unicodedata.normalize("NFKC", raw)} - {None}
    if len(scripts) > 1:
        return "Use letters from one alphabet only."
    if any(char in CONFUSABLES for char in username_key(raw)):
        return "Use Latin letters, digits, dots, dashes or underscores."
    return None


@lru_cache(maxsize=1)
def common_passwords():
    """The shipped list of passwords too common to allow, folded for comparison."""
    try:
        lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:  # a trimmed install still works; the length rule remains
        return frozenset()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def normalise_email(email):
    return email.strip().lower() if isinstance(email, str) else ""


def password_problem(password, names=()):
    """Why `password` is refused, or None. `names` are the account's own username and email:
    the first thing anyone would guess."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if not isinstance(password, str) or len(password) < minimum:
        return f"Use at least {minimum} characters."
    if len(password) > 256:
        return "Use at most 256 characters."
    if password.strip().casefold() in common_passwords():
        return "That password is one of the most common ones; choose another."
    if password.strip().casefold() in {n.strip().casefold() for n in names if isinstance(n, str) and n.strip()}:
        return "Your password cannot be your username or email address; choose another."
    return None


def check_password_strength(password, errors, names=()):
    """password_problem(), put in errors["password"]."""
    problem = password_problem(password, names)
    if problem:
        errors["password"] = problem


def username_problem(raw):
    """Why a username (as sent, stripped) is refused, or None."""
    problem = _username_problem(raw)
    username = unicodedata.normalize("NFKC", raw)
    if problem:
        return problem
    if not USERNAME.match(username):
        return "Use 3–30 letters, digits, dots, dashes or underscores."
    if username_skeleton(username).startswith(username_skeleton(DELETED_PREFIX)):
        return "Names starting with “deleted-user” are kept for deleted accounts."
    return None
