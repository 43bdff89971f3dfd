"""gunicorn settings; each can be overridden by QUALIZYKLUS_* environment variables."""

import gc
import os
import subprocess
import sys
from pathlib import Path

bind = os.environ.get("QUALIZYKLUS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("QUALIZYKLUS_WORKERS", "2"))
# gthread: each worker serves several requests at once, so that a meeting's phones and the
# facilitator screen's polls do not queue behind one slow write (bench/live_sessions.py).
worker_class = os.environ.get("QUALIZYKLUS_WORKER_CLASS", "gthread")
threads = int(os.environ.get("QUALIZYKLUS_THREADS", "4"))
timeout = int(os.environ.get("QUALIZYKLUS_TIMEOUT", "30"))
graceful_timeout = 20
preload_app = False  # each worker opens its own engine (SQLite connections must not cross fork)
accesslog = "-"
# Nobody's address, browser or referer in the log (the parents' survey promises it; nothing
# else needs them): the line's format leaves them out, and the logger blanks them in any other.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'  # time, request, status, size, duration
logger_class = "web.access_log.PrivateLogger"
errorlog = "-"
loglevel = os.environ.get("QUALIZYKLUS_LOG_LEVEL", "info")

# The read models' follower (`qualizyklus projections run`) runs beside the workers unless
# QUALIZYKLUS_FOLLOWER=0 (e.g. when it runs as a service of its own, as on PostgreSQL hosts).
# Several followers at once are safe: each event is still applied exactly once.
_follower = None


def when_ready(server):
    """Start the follower once the master is ready."""
    global _follower
    if os.environ.get("QUALIZYKLUS_FOLLOWER", "1") == "0":
        return
    command = Path(sys.executable).parent / "qualizyklus"
    _follower = subprocess.Popen(
        [str(command), "projections", "run", "--exit-with-parent", "--nice", "10"]
    )
    server.log.info("read-model follower started (pid %s)", _follower.pid)


def on_exit(server):
    """Stop the follower with the master."""
    if _follower is not None and _follower.poll() is None:
        _follower.terminate()
        _follower.wait(timeout=10)


def post_worker_init(worker):
    """Once the worker has loaded the application: collect, then exempt what exists now (the
    app, the engine, the plugins, the templates) from the garbage collector's later passes.

    Without this, the first full pass of a worker walks that whole heap, every thread of the
    worker waiting 50 to 80 ms (seen under a burst of parents' answers); the later passes walk
    only what was made since.
    """
    gc.collect()
    gc.freeze()
