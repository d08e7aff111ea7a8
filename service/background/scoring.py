"""Which Scorer the service uses, from settings; loaded once per process by moderation."""

from flask import current_app


def load_scorer(config=None):
    """The configured Scorer (bundled by default). Raises moderation's ModelLoadError."""
    from moderation import get_scorer

    config = config or current_app.config
    kwargs = {"batch_size": config["SCORING_BATCH_SIZE"], "precision": config["SCORING_PRECISION"]}
    threads = scoring_threads(config)
    if threads:
        kwargs["threads"] = threads
    if config["SCORING_CHECKPOINT"]:
        kwargs["checkpoint"] = config["SCORING_CHECKPOINT"]
    elif config["SCORING_MODEL"] not in ("", "bundled"):
        kwargs["model"] = config["SCORING_MODEL"]
    return get_scorer(**kwargs)


def scoring_threads(config):
    """Torch threads for scoring: SCORING_THREADS, else 1 on the embedded default (its
    scoring process, or a thread of the web process), which shares its host's cores with
    requests; None is torch's default (every core), for `flask worker` processes.

    One thread, because a scoring process runs at lower priority: on a busy 2-core machine
    torch's two threads wait for each other whenever either is preempted (benchmarks/load.py,
    embedded, 10 posts/s: scoring lag p99 32 s with two threads, 0.34 s with one; other sessions used 102% and 66% of a core during the two runs)."""
    if config.get("SCORING_THREADS"):
        return config["SCORING_THREADS"]
    return 1 if config["SCORING_WORKER"] in ("thread", "process") else None
