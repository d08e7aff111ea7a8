"""What a reader is told when a comment form is refused: what happened and what to do next,
in plain words. The domain's field messages ("body: ...") are written for API clients."""

from flask import current_app

KEPT = "Your text is kept below."


def _body_problem(body):
    limit = current_app.config["COMMENT_MAX_LENGTH"]
    if len(body) > limit:
        over = len(body) - limit
        return (
            f"Your comment is {len(body):,} characters; the limit is {limit:,}. {KEPT} "
            f"Shorten it by {over:,} character{'' if over == 1 else 's'}, then post it again."
        )
    return "Your comment is empty. Write something, then post it."


def _field_problem(errors, body):
    if "body" in errors:
        return _body_problem(body)
    if "parent_id" in errors:
        return f"{errors['parent_id']} {KEPT} Copy it if you want to post it elsewhere in the thread."
    return None


def say_why(body, status, message=None, errors=None):
    """A few sentences for the page, by the refusal's HTTP status and the domain's words;
    `body` is the text the reader sent."""
    if status == 422:
        problem = _field_problem(errors or {}, body)
        if problem:
            return problem
    if status == 429:
        return f"You are posting faster than we allow. {KEPT} Wait a minute, then post it again."
    if status == 400 and message is None:
        return f"This page was open too long to post from safely. {KEPT} Post it again now."
    if status == 403:
        return f"{message} {KEPT} Copy it if you want to keep it."
    return f"{message or 'That did not work.'} {KEPT}"
