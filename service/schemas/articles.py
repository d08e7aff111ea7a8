"""An article's fields, as the admins' API sends them (JSON), the article form posts them (text)
and the widget makes them for a page it creates: one model validates all three and documents
the API's body."""

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from ..domain.threads.clean import is_blank, multi_line, single_line
from ..models.article import COMMENTS_MODES
from . import Body
from .rules import or_default

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_RULE = "Use lowercase letters, digits and single dashes (at most 120)."
TITLE_RULE = "A title of 1–300 characters is required."
LISTED = {True: True, False: False, "on": True, "off": False}  # JSON booleans; the form's checkbox


def _slug(value):
    if not isinstance(value, str) or not re.match(SLUG, value) or len(value) > 120:
        raise ValueError(SLUG_RULE)
    return value


def _title(value):
    value = single_line(value)
    if not isinstance(value, str) or is_blank(value) or len(value) > 300:
        raise ValueError(TITLE_RULE)
    return value.strip()


def _long_text(limit):
    def check(value):
        value = multi_line(value or "")
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError(f"Text of at most {limit} characters.")
        return value

    return BeforeValidator(check)


def _listed(value):
    if not isinstance(value, (bool, str)) or value not in LISTED:
        raise ValueError("true or false.")
    return LISTED[value]


def _when(value):
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        raise ValueError("An ISO 8601 date and time.") from None


class ArticleFields(Body):
    slug: Annotated[str, Field(pattern=SLUG, max_length=120), BeforeValidator(_slug)]
    title: Annotated[str, Field(min_length=1, max_length=300), BeforeValidator(_title)]
    summary: Annotated[str, Field(max_length=2000), _long_text(2000)] = ""
    body: Annotated[str, Field(max_length=100_000), _long_text(100_000)] = ""
    comments_mode: Annotated[Literal[COMMENTS_MODES], or_default("open")] = "open"
    listed: Annotated[bool, BeforeValidator(_listed), Field(description="shown on the front page and in the API")] = (
        None
    )
    published_at: Annotated[datetime | None, BeforeValidator(_when), Field(description="ISO 8601")] = None

    REFUSALS = {"slug": SLUG_RULE, "title": TITLE_RULE, "comments_mode": f"One of {', '.join(COMMENTS_MODES)}."}

    def changes(self):
        """{column: value}: every field but `listed` (when absent: listed when new, unchanged when
        edited) and `published_at` (when empty: now, or unchanged)."""
        clean = self.model_dump(include={"slug", "title", "summary", "body", "comments_mode"})
        if "listed" in self.model_fields_set:
            clean["listed"] = self.listed
        if self.published_at is not None:
            clean["published_at"] = self.published_at
        return clean
