"""The scoring worker: claims pending comments in batches, scores each batch in one model
call, hands the scores to the verdict (domain/moderation/verdicts.py) and commits the batch
in one transaction.

The database is the queue. On PostgreSQL the claim is `SELECT … FOR UPDATE SKIP LOCKED`,
held while the batch is scored, so any number of workers share the work and a worker that
dies releases its batch with its transaction. On SQLite a single worker reads the batch,
scores it outside any transaction, and writes each decision only if the comment is still
the revision it scored.
"""

import logging
import os
import socket
import threading
import time

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from ..domain.membership.lapses import notify_lapsed
from ..domain.moderation import verdicts
from ..extensions import db
from ..models import Comment, WorkerHeartbeat
from ..models.base import utcnow
from . import exports
from .heap import freeze_startup_objects
from .mail import mail_turn
from .outage import DatabaseOutage
from .priority import lower_this_thread
from .scoring import load_scorer
from .wakeups import make_listener, wakeup

log = logging.getLogger(__name__)


class ScoringWorker:
    def __init__(self, app, scorer=None, batch_size=None, worker_id=None):
        self.app = app
        self.scorer = scorer
        self.batch_size = batch_size or app.config["SCORING_BATCH_SIZE"]
        self.id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.stop_event = threading.Event()
        self._load_error = None
        self._next_load = 0.0
        self.outage = DatabaseOutage()

    # -- the model ---------------------------------------------------------------
    def ensure_model(self):
        """Load the scorer if needed; on failure remember why and retry later, never crash."""
        if self.scorer is not None:
            return True
        if time.monotonic() < self._next_load:
            return False
        try:
            self.scorer = load_scorer(self.app.config)
            self._load_error = None
        except Exception as exc:  # ModelLoadError, or anything torch throws
            self._load_error = str(exc)
            self._next_load = time.monotonic() + 30
            log.error("scoring model unavailable: %s", exc)
        self.heartbeat()
        return self.scorer is not None

    def heartbeat(self):
        with self.app.app_context():
            beat = db.session.get(WorkerHeartbeat, self.id) or WorkerHeartbeat(id=self.id)
            beat.last_seen = utcnow()
            beat.state = "ok" if self.scorer is not None else "error"
            beat.error = self._load_error
            beat.model_name = getattr(self.scorer, "name", None)
            beat.model_version = getattr(self.scorer, "version", None)
            db.session.add(beat)
            db.session.commit()

    # -- one batch ---------------------------------------------------------------
    def _claim(self):
        now = utcnow()
        query = (
            select(Comment)
            .where(Comment.status == "pending", or_(Comment.next_attempt_at.is_(None), Comment.next_attempt_at <= now))
            .order_by(Comment.id)
            .limit(self.batch_size)
            # The policy reads each comment's author and article: two queries for the batch
            # instead of one per comment.
            .options(selectinload(Comment.author), selectinload(Comment.article))
        )
        if db.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=Comment)
        return db.session.scalars(query).all()

    def _score(self, texts):
        """Scores for each text; a batch that fails is retried one by one, so a single bad
        comment cannot hold up the rest. Returns (scores or None, error or None) per text."""
        try:
            return [(s, None) for s in self.scorer.score(texts)]
        except Exception:
            log.exception("batch scoring failed; scoring one by one")
        results = []
        for text in texts:
            try:
                results.append((self.scorer.score([text])[0], None))
            except Exception as exc:
                results.append((None, f"{exc.__class__.__name__}: {exc}"))
        return results

    def run_once(self):
        """Decide one batch. Returns how many comments it decided or retried."""
        if not self.ensure_model():
            return 0
        with self.app.app_context():
            try:
                done = self._run_batch()
            except IntegrityError:
                # Another worker decided the same revision first: nothing was written by this
                # batch; the comments are decided (by it) or still pending.
                db.session.rollback()
                log.warning("batch rolled back: IntegrityError")
                return 0
            except OperationalError as exc:  # the database blipped or is away: retried next turn
                db.session.rollback()
                self.outage.failed(exc)
                return 0
            finally:
                db.session.remove()
        self.outage.ok()
        return done

    def _run_batch(self):
        """Claim, score, hand each scored revision to the verdict, commit."""
        batch = self._claim()
        if not batch:
            db.session.rollback()
            return 0
        claimed = [(c.id, c.revision, c.body) for c in batch]
        if db.engine.dialect.name == "sqlite":
            db.session.rollback()  # hold no lock while the model runs; revisions are rechecked below
        results = self._score([body for _, _, body in claimed])
        scored = []
        for (comment_id, revision, _), (scores, error) in zip(claimed, results):
            comment = db.session.get(Comment, comment_id)
            if comment is None or comment.status != "pending" or comment.revision != revision:
                continue  # edited or decided meanwhile; the new revision gets its own turn
            if error is not None:
                verdicts.record_scoring_failure(comment, error, self.app.config["SCORING_MAX_ATTEMPTS"])
            else:
                scored.append((comment, scores))
        verdicts.record_verdicts(scored, self.scorer)
        db.session.commit()
        return len(claimed)

    def run_exports(self):
        """Between batches, build one waiting data export (service/background/exports.py); 1 if it did.
        The same turn mails members whose membership lapsed (domain/membership/lapses.py)."""
        return self._side_turn(_lapses_then_export, "data export")

    def run_mail(self):
        """Between batches, compose queued resets and deliver due mail (service/background/mail.py)."""
        return self._side_turn(mail_turn, "mail")

    def _side_turn(self, job, what):
        """Run `job` in an app context; whatever it throws, the loop carries on (0 done)."""
        with self.app.app_context():
            try:
                done = job()
            except OperationalError as exc:  # the database is away; the work is retried on a later turn
                db.session.rollback()
                self.outage.failed(exc)
                return 0
            except Exception:  # a bug in this turn: worth its traceback
                db.session.rollback()
                log.exception("%s turn failed", what)
                return 0
            finally:
                db.session.remove()
        self.outage.ok()
        return done

    # -- loops -------------------------------------------------------------------
    def drain(self, limit=10_000):
        """Decide everything pending now (tests, seeding). Returns how many were processed."""
        total = 0
        while total < limit:
            done = self.run_once()
            if not done:
                return total
            total += done
        return total

    def drain_exports(self, limit=10_000):
        """Build every waiting data export (`flask worker --once`). Returns how many were taken."""
        total = 0
        while total < limit and self.run_exports():
            total += 1
        return total

    def drain_mail(self, limit=100):
        """Compose and deliver what is due now (`flask worker --once`, tests). Returns how many
        outbox rows were taken; a message whose delivery failed waits for its next try."""
        total, done = 0, None
        while done != 0 and total < limit:
            done = self.run_mail()
            total += done
        return total

    def run(self, poll_seconds=None):
        """Until stopped: decide batches, then sleep until woken by a new comment or the poll;
        exports and mail beside it, on a thread of their own (`_side_loop`)."""
        poll = poll_seconds or self.app.config["SCORING_POLL_SECONDS"]
        # Before the model loads, so torch's own threads (and the side thread) inherit it:
        # requests come first.
        lower_this_thread(self.app.config["BACKGROUND_NICENESS"])
        with self.app.app_context():
            listener = make_listener(db.engine)
        side = threading.Thread(target=self._side_loop, args=(poll,), name="parley-mail-exports", daemon=True)
        side.start()
        try:
            self._loop(poll, listener)
        finally:
            self.stop_event.set()  # the side thread ends with the loop, whatever ended it
            if listener is not None:
                listener.close()
            side.join(timeout=1)  # a daemon: one stuck in an SMTP timeout does not hold up exit

    def _loop(self, poll, listener):
        last_beat = 0.0
        gather = self.app.config["SCORING_BATCH_WAIT_MS"] / 1000
        frozen = False
        while not self.stop_event.is_set():
            wakeup.clear()  # a wake-up that arrives while this batch runs is kept for the next
            try:
                done = self.run_once()
            except Exception:  # the loop must survive anything one batch throws
                log.exception("scoring batch crashed")
                done = 0
            if self.scorer is not None and not frozen:
                freeze_startup_objects()  # the model stays loaded: keep it out of GC walks
                frozen = True
            if time.monotonic() - last_beat > 10:
                self._safe_heartbeat()
                last_beat = time.monotonic()
            if not done:
                self._wait(poll, listener)
                # Comments that arrive together are scored together: one claim, one model
                # call and one commit for several costs less CPU than one each.
                self.stop_event.wait(gather)

    def _side_loop(self, poll):
        """Data exports, lapse mail and mail delivery, until stopped: a turn of each, again at
        once while there was work, else after a poll. On their own thread since a mail server
        that accepts and never answers held scoring up for each try's SMTP timeout (10 s, up to
        20 tries a turn) while new comments waited unseen as pending; and a large export would
        too. Such work is rare and may wait a poll."""
        while not self.stop_event.is_set():
            if not self.run_exports() + self.run_mail():
                self.stop_event.wait(poll)

    def _wait(self, poll, listener):
        """Sleep until a new comment (in this process or, on PostgreSQL, anywhere) or the poll."""
        if listener is None:
            wakeup.wait(poll)
            return
        # Short slices so a stop request or an in-process wake-up is not kept waiting.
        deadline = time.monotonic() + poll
        while not self.stop_event.is_set() and not wakeup.is_set() and time.monotonic() < deadline:
            try:
                if listener.wait(min(0.5, poll)):
                    return
            except Exception:  # a dropped LISTEN connection: fall back to the poll
                log.warning("LISTEN connection lost; polling")
                wakeup.wait(poll)
                return

    def _safe_heartbeat(self):
        try:
            self.heartbeat()
        except OperationalError as exc:
            self.outage.failed(exc)
        except Exception:
            log.exception("heartbeat failed")

    def stop(self):
        self.stop_event.set()
        wakeup.set()


def _lapses_then_export():
    notify_lapsed()
    return exports.build_next()
