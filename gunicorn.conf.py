"""gunicorn settings; each can be overridden by QUALIZYKLUS_* environment variables."""

import os

bind = os.environ.get("QUALIZYKLUS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("QUALIZYKLUS_WORKERS", "2"))
threads = int(os.environ.get("QUALIZYKLUS_THREADS", "1"))
timeout = int(os.environ.get("QUALIZYKLUS_TIMEOUT", "30"))
graceful_timeout = 20
preload_app = False  # each worker opens its own engine (SQLite connections must not cross fork)
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("QUALIZYKLUS_LOG_LEVEL", "info")
