"""The scoring worker's manners on a shared machine: how many cores torch may take, and how
loudly it complains while the database is away."""

import logging
import threading

import pytest
import torch

from service import create_app
from service.background.scoring import load_scorer, scoring_threads
from service.background.worker import ScoringWorker
from service.extensions import db

from .test_config import _start


@pytest.mark.parametrize(
    "worker,setting,expected",
    [
        ("process", None, 1),  # embedded default: a niced scoring process, one thread
        ("thread", None, 1),  # a scoring thread: the web process keeps a core for requests
        ("external", None, None),  # `flask worker` processes: torch's default, every core
        ("thread", 2, 2),
        ("external", 3, 3),
    ],
)
def test_scoring_threads_default_by_where_the_model_runs(worker, setting, expected):
    assert scoring_threads({"SCORING_WORKER": worker, "SCORING_THREADS": setting}) == expected


def test_the_in_process_scorer_runs_torch_on_one_thread(app, monkeypatch):
    """The real model, loaded where the embedded default loads it: in the scoring thread."""
    monkeypatch.setitem(app.config, "SCORING_WORKER", "thread")
    before = torch.get_num_threads()
    seen = {}

    def scoring_thread():
        scorer = load_scorer(app.config)
        seen["threads"] = torch.get_num_threads()
        seen["scores"] = scorer.score(["Thanks for the balanced article."])

    try:
        thread = threading.Thread(target=scoring_thread)
        thread.start()
        thread.join(timeout=300)
        assert seen["threads"] == 1 and seen["scores"][0]["toxicity"] < 0.5
    finally:
        torch.set_num_threads(before)  # the rest of the test run keeps its cores


def test_the_precision_setting_reaches_the_scorer(app, monkeypatch):
    monkeypatch.setitem(app.config, "SCORING_PRECISION", "float32")
    scorer = load_scorer(app.config)
    assert scorer.precision == "float32" and not scorer.model._parley_bf16


@pytest.mark.parametrize("value", ["0", "many"])
def test_a_bad_thread_count_stops_the_process(value):
    started = _start(SCORING_THREADS=value)
    assert started.returncode != 0
    assert started.stderr.strip().splitlines()[-1].startswith("service.config.ConfigError: SCORING_THREADS")


def test_a_database_outage_is_logged_once_and_its_end_once(tmp_path, caplog):
    """A real outage: the SQLite file's folder is missing, then appears. Polls, export turns and
    heartbeats all fail meanwhile; the log gets one line, without a traceback, and one on return."""
    folder = tmp_path / "not-yet"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'parley.db'}"})
    worker = ScoringWorker(app, scorer=object(), worker_id="outage-test")  # never asked to score
    with caplog.at_level(logging.INFO, logger="service.background.worker"):
        for _ in range(3):
            assert worker.run_once() == 0
            assert worker.run_exports() == 0
            worker._safe_heartbeat()
        down = [r for r in caplog.records if r.name == "service.background.worker"]
        assert [r.levelname for r in down] == ["WARNING"] and "database unavailable" in down[0].getMessage()
        assert down[0].exc_info is None
        caplog.clear()
        folder.mkdir()
        with app.app_context():
            db.create_all()
        assert worker.run_once() == 0 and worker.run_exports() == 0
        worker._safe_heartbeat()
        back = [r for r in caplog.records if r.name == "service.background.worker"]
        assert [r.getMessage() for r in back] == ["database back; the worker carries on"]
    with app.app_context():
        db.engine.dispose()
