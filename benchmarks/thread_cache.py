"""CPU per signed-out thread read inside one process: rendered (a cache miss) vs replayed (a hit).

    python benchmarks/thread_cache.py [--thread-size 300] [--requests 200]

Seeds a SQLite database in a temporary folder the way benchmarks/load.py does (its seed
command: the 300-comment thread), then asks the app, through Flask's test client (no network,
no server), for the article page and the API thread call `--requests` times each with the
micro-cache off (every request renders) and on (every request after the first is a hit), and
prints the process CPU time per request (mean, and the median of 10-request slices). CPU time,
not wall time, because the development machine is shared: waiting for a core is not counted.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLICE = 10


def seed(url, thread_size):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SCORING_WORKER": "external",
        "FLASK_APP": "wsgi.py",
        "PARLEY_ENV": "development",
    }
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "load_db.py"),
            "seed",
            "--readers",
            "5",
            "--thread-size",
            str(thread_size),
            "--live-articles",
            "1",
            "--password",
            "thread-cache-benchmark",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def cpu_ms_per_request(client, url, requests, expect):
    """[CPU ms per request] for each slice of SLICE requests; every answer must carry `expect`."""
    slices = []
    for _ in range(requests // SLICE):
        began = time.process_time()
        for _ in range(SLICE):
            response = client.get(url)
            assert response.status_code == 200 and response.headers.get("X-Cache") in expect, response.headers
        slices.append((time.process_time() - began) * 1000 / SLICE)
    return slices


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--thread-size", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="parley-thread-cache-") as folder:
        url = f"sqlite:///{Path(folder) / 'parley.db'}"
        seed(url, args.thread_size)
        os.environ.update(DATABASE_URL=url, SCORING_WORKER="external")
        sys.path.insert(0, str(ROOT))
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from load_db import BIG_SLUG

        from service import create_app

        app = create_app({"PARLEY_ENV": "development"})
        client = app.test_client()
        print(
            f"{args.thread_size}-comment thread, {args.requests} requests each, load average {os.getloadavg()[0]:.2f}"
        )
        print(f"CPU ms per request, mean / median of {SLICE}-request slices")
        print(f"{'read':8}{'miss':>16}{'hit':>16}{'miss/hit':>10}")
        for name, path in (("page", f"/articles/{BIG_SLUG}"), ("API", f"/api/v1/articles/{BIG_SLUG}/comments")):
            app.config["THREAD_CACHE_SECONDS"] = 0
            client.get(path)  # warm: templates compiled, connection open
            miss = cpu_ms_per_request(client, path, args.requests, {None})
            app.config["THREAD_CACHE_SECONDS"] = 60  # every request below is a hit of one entry
            client.get(path)
            hit = cpu_ms_per_request(client, path, args.requests, {"hit"})
            print(
                f"{name:8}{statistics.mean(miss):>9.2f} / {statistics.median(miss):<5.2f}"
                f"{statistics.mean(hit):>9.2f} / {statistics.median(hit):<5.2f}{statistics.mean(miss) / statistics.mean(hit):>9.0f}x"
            )
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
