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
    """Torch threads for scoring: SCORING_THREADS, else 1 with SCORING_WORKER=thread, where the
    model shares the web process (and its cores) with the requests; None is torch's default
    (every core), for processes that only score (the embedded default's scoring process,
    `flask worker`s), which run at lower priority than requests."""
    if config.get("SCORING_THREADS"):
        return config["SCORING_THREADS"]
    return 1 if config["SCORING_WORKER"] == "thread" else None
