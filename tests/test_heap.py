"""Long-lived processes freeze their start-up heap, so GC walks skip the app and the model."""

import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from service.background.worker import ScoringWorker

ROOT = Path(__file__).resolve().parent.parent


def test_the_served_app_is_frozen_at_import(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "SCORING_WORKER": "external",
    }
    code = "import gc, wsgi; print(gc.get_freeze_count())"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    assert int(out.stdout.strip().splitlines()[-1]) > 10_000  # the app and its libraries


def test_the_scoring_loop_freezes_once_the_model_is_loaded(app, scorer):
    gc.unfreeze()
    scoring = ScoringWorker(app, scorer=scorer, worker_id="freezer")
    thread = threading.Thread(target=scoring.run, kwargs={"poll_seconds": 0.2}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while gc.get_freeze_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gc.get_freeze_count() > 100_000  # torch, transformers and the model's modules
    finally:
        scoring.stop()
        thread.join(timeout=10)
        gc.unfreeze()  # the rest of the test run collects as usual
