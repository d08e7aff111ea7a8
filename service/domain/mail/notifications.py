"""Mail that tells readers what happened to their comments (the outbox; SMTP where configured).
Each ends with an unsubscribe link, and none is sent to a reader who turned them off."""

from flask import current_app

from ..accounts.settings import unsubscribe_link
from . import links
from .sending import send_mail


def _link(comment):
    # A literal path: workers send mail outside any request, where url_for cannot build one.
    return links.link(f"/articles/{comment.article.slug}#comment-{comment.id}")


def _footer(user):
    return (
        f"\n--\nYou get this because you comment on {current_app.config['SITE_NAME']}. "
        f"Stop mail about your comments: {unsubscribe_link(user)}\n"
    )


def comment_decided(comment, action, reason=None):
    """The author of a held comment hears the moderator's decision, with the reason."""
    author = comment.author
    if author.is_deleted or not author.comment_mail:  # nobody left to tell, or they said no
        return
    if action == "reject":
        subject = "Your comment was not published"
        text = f"A moderator decided not to publish your comment on “{comment.article.title}”."
    else:
        subject = "Your comment is published"
        text = f"A moderator approved your comment on “{comment.article.title}”. It is now visible to everyone:\n{_link(comment)}"
    if reason:
        text += f"\n\nReason: {reason}"
    send_mail(author, subject, f"Hello {author.username},\n\n{text}\n{_footer(author)}")


def reply_published(comment):
    """The parent's author hears about a visible reply (not their own), once: edits do not repeat it."""
    parent = comment.parent
    if parent is None or parent.is_deleted or parent.author_id == comment.author_id or comment.revision:
        return
    if parent.author.is_deleted or comment.author.is_deleted or not parent.author.comment_mail:
        return
    send_mail(
        parent.author,
        f"{comment.author.username} replied to your comment",
        f"Hello {parent.author.username},\n\n{comment.author.username} replied to your comment on "
        f"“{comment.article.title}”:\n\n{comment.body[:500]}\n\n{_link(comment)}\n{_footer(parent.author)}",
        about=comment.author,  # it quotes the reply: scrubbed if its author deletes their account
    )
