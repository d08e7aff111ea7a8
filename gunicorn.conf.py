"""Production-style serving: `make serve`, or `gunicorn -c gunicorn.conf.py wsgi:app`."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads keep a process answering reads while another request waits on the database.
# Two, not more: every thread of a process shares one GIL, and with four, requests queued
# for it. Under benchmarks/load.py (50 posts/s, 340 reads/s, 2 cores) two threads per
# process cut comment POST p99 from 95-156 ms to 36-64 ms; add processes, not threads.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("ACCESS_LOG", "0") == "1" else None
errorlog = "-"
# Each process builds its own app (and its own database pool) after the fork.
preload_app = False
