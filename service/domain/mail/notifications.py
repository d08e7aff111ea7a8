"""Mail that tells readers what happened to their comments (the outbox; SMTP where configured).
Each ends with an unsubscribe link, and none is sent to a reader who turned them off."""

from ..accounts.settings import unsubscribe_link
from . import links
from .compose import send


def _link(comment):
    # A literal path: workers send mail outside any request, where url_for cannot build one.
    return links.link(f"/articles/{comment.article.slug}#comment-{comment.id}")


def comment_decided(comment, action, reason=None):
    """The author of a held comment hears the moderator's decision, with the reason."""
    author = comment.author
    if author.is_deleted or not author.comment_mail:  # nobody left to tell, or they said no
        return
    subject = "Your comment was not published" if action == "reject" else "Your comment is published"
    send(
        author,
        subject,
        "comment_decided",
        comment=comment,
        action=action,
        reason=reason,
        comment_link=_link(comment),
        unsubscribe=unsubscribe_link(author),
    )


def reply_published(comment):
    """The parent's author hears about a visible reply (not their own), once: edits do not repeat it."""
    parent = comment.parent
    if parent is None or parent.is_deleted or parent.author_id == comment.author_id or comment.revision:
        return
    if parent.author.is_deleted or comment.author.is_deleted or not parent.author.comment_mail:
        return
    send(
        parent.author,
        f"{comment.author.username} replied to your comment",
        "reply_published",
        about=comment.author,  # it quotes the reply: scrubbed if its author deletes their account
        comment=comment,
        comment_link=_link(comment),
        unsubscribe=unsubscribe_link(parent.author),
    )
