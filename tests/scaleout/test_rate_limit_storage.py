"""Rate limits live in Redis when it is there, and fall back to memory when it is not."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def probe(storage):
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("limits_probe.py")), storage],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_redis_down_falls_back_to_memory_with_a_warning():
    # Nothing listens on this port: Redis is "down".
    answer = probe("redis://127.0.0.1:6399/0")
    assert answer["site"] == 200
    assert answer["codes"] == [401, 401, 429]
    assert any("falling back" in w.lower() or "unreachable" in w.lower() for w in answer["warnings"]), answer


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set; the Redis-backed limit test needs a Redis server"
)
def test_limits_are_kept_in_redis():
    import redis

    answer = probe(os.environ["REDIS_URL"])
    assert answer["codes"] == [401, 401, 429] and not answer["warnings"]
    keys = redis.Redis.from_url(os.environ["REDIS_URL"]).keys(f"*{answer['prefix']}*")
    assert keys, "the limit counters should be in Redis"
