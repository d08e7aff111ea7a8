"""The worker loop's mail turn (service/background/worker.py): write the password resets
requests have queued, then deliver what is due over SMTP (service/domain/mail/sending.py).

Requests only write the outbox; this turn, wherever scoring runs (the embedded thread, or
`flask worker` processes), is what talks to the mail server.
"""

from ..domain.accounts.accounts import compose_password_resets
from ..domain.mail.sending import deliver_due


def mail_turn():
    """One turn; how many outbox rows it took (composed, dropped or tried)."""
    return compose_password_resets() + deliver_due()
