"""flask commands: create-admin, set-role, seed-demo, seed-bulk, worker."""

import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .demo.membership import seed_membership
from .demo.moderation import seed_moderation
from .demo.story import DEMO_ARTICLE, DEMO_COMMENTS
from .domain.accounts import accounts, people
from .domain.threads import articles, comments
from .errors import DomainError
from .extensions import db
from .models import Article, User


def register(app):
    app.cli.add_command(create_admin)
    app.cli.add_command(set_role)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_bulk)
    app.cli.add_command(worker)


@click.command("create-admin")
@with_appcontext
@click.option("--email", prompt=True)
@click.option("--username", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(email, username, password):
    """Create an admin account (prompts for what the flags leave out)."""
    try:
        user = accounts.register(email, username, password, role="admin")
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Created admin {user.username} <{user.email}>.")


@click.command("set-role")
@with_appcontext
@click.argument("username")
@click.argument("role", type=click.Choice(people.ROLE_WORDS))
@click.option("--reason", default=None, help="Said in the mail to the person and kept in the history.")
def set_role(username, role, reason):
    """Make USERNAME a moderator, an admin or a reader again (the last admin stays one)."""
    try:
        user = people.person_by_username(username)
        changed = people.set_role(user, role, actor=None, reason=reason)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if changed:
        click.echo(f"{user.username} is now {people.ROLE_WORDS[role]}; they have been told by mail.")
    else:
        click.echo(f"{user.username} is already {people.ROLE_WORDS[role]}; nothing changed.")


def _demo_user(username, role):
    """The demo account, created with a fresh random password that is printed once."""
    existing = db.session.scalar(select(User).where(User.username_key == accounts.username_key(username)))
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    return accounts.register(f"{username}@example.org", username, password, role=role), password


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Create the demo article and accounts; running it again changes nothing."""
    created = []
    for username, role in (("demo-moderator", "moderator"), ("demo-reader", "reader")):
        user, password = _demo_user(username, role)
        if password:
            created.append((username, role, password))
    if db.session.scalar(select(Article).where(Article.slug == DEMO_ARTICLE["slug"])) is None:
        article = articles.save_article(DEMO_ARTICLE)
        reader = db.session.scalar(select(User).where(User.username == "demo-reader"))
        for body in DEMO_COMMENTS:
            comments.post_comment(article, reader, body)
        click.echo(f"Created the demo article /articles/{article.slug}")
    for line in seed_membership():
        click.echo(line)
    for line in seed_moderation(DEMO_ARTICLE["slug"]):
        click.echo(line)
    for username, role, password in created:
        click.echo(f"Created {role} {username} with password: {password}  (shown once)")
    if not created:
        click.echo("Demo content already present; nothing changed.")


@click.command("seed-bulk")
@click.option("--comments", type=click.IntRange(min=1), required=True, help="How many comments to create.")
@click.option("--articles", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option(
    "--hot-article-comments",
    type=click.IntRange(min=0),
    default=5000,
    show_default=True,
    help="Comments on the one big article.",
)
@click.option("--append", is_flag=True, help="Add to a database that already has comments.")
@with_appcontext
def seed_bulk(comments, articles, hot_article_comments, append):
    """Fill the database with many synthetic comments, fast (COPY on PostgreSQL), for measuring."""
    from .bulk import seed

    try:
        summary = seed(comments, articles, hot_article_comments, append=append)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    rate = summary.rows / summary.seconds if summary.seconds else 0
    click.echo(
        f"Created {summary.comments} comments ({', '.join(f'{s} {n}' for s, n in summary.statuses.most_common())}), "
        f"{summary.users} users, {summary.articles} articles, {summary.decisions} decisions, {summary.reports} reports "
        f"in {summary.seconds:.1f} s ({rate:,.0f} rows/s)."
    )
    click.echo(f"Big thread: /articles/{summary.hot_article}")
    click.echo(f"Every bulk user's password: {summary.password}  (moderator: {summary.moderator})")


@click.command("worker")
@click.option(
    "--once",
    is_flag=True,
    help="Decide what is pending now, build queued data exports and send due mail, then exit (for cron).",
)
@with_appcontext
def worker(once):
    """Run a scoring worker until stopped (SIGINT or SIGTERM)."""
    import signal

    from flask import current_app

    from .background.worker import ScoringWorker

    scoring = ScoringWorker(current_app._get_current_object())
    if once:
        # Exports do not need the model: a run where it cannot load still builds them.
        decided, built, mailed = scoring.drain(), scoring.drain_exports(), scoring.drain_mail()
        click.echo(
            f"Decided {decided} comments; built {built} data export{'' if built == 1 else 's'}; "
            f"took {mailed} outbox message{'' if mailed == 1 else 's'}."
        )
        return
    signal.signal(signal.SIGTERM, lambda *_: scoring.stop())
    click.echo(f"Scoring worker {scoring.id} running; Ctrl-C to stop.")
    try:
        scoring.run()
    except KeyboardInterrupt:
        scoring.stop()
