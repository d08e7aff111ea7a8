"""Production-style serving: `make serve`, or `gunicorn -c gunicorn.conf.py wsgi:app`."""
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads keep a process answering reads while another request waits on the database.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("ACCESS_LOG", "0") == "1" else None
errorlog = "-"
# Each process builds its own app (and its own database pool) after the fork.
preload_app = False
