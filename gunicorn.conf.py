"""gunicorn's configuration: scripts/serve and the load tests start gunicorn with this file."""

import os
import shutil
import tempfile

# The workers inherit the master's umask: every file they write (SQLite's database, -wal and
# -shm, cache, media) is readable by the service's user only.
umask = 0o077
os.umask(umask)

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A worker may wait for SQLite's write lock up to its busy timeout (20 s) and then render a
# handout; the default 30 s would kill it mid-request on a busy 2-core machine (a reset
# connection instead of an answer).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "90"))
# LOG_FORMAT=json: Django's clinic.access logger writes the same line as JSON (without the
# milliseconds, which the metrics carry), so gunicorn's plain line is left out, and gunicorn's
# own lines (start, workers, errors, stop) are JSON too.
if os.environ.get("LOG_FORMAT") == "json":
    from clinic.log_format import gunicorn_logconfig

    accesslog = None
    logconfig_dict = gunicorn_logconfig()
else:
    accesslog = "-"
# Method, path without query string, status, milliseconds and request id: a query string
# (`?search=<name>`) and the Referer (the admin's `?q=`) carry patient data that would outlive
# an erasure in the log. The logger writes exactly these fields (access_log_format is unused).
logger_class = "clinic.access_log.AccessLogger"

# Prometheus (clinic/metrics.py): each worker writes its values to files in this folder and a
# scrape sums them, whichever worker answers it. Emptied at start, as prometheus_client asks:
# files of an earlier run would be added to this one's counts.
metrics_folder = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(tempfile.gettempdir(), f"clinic-metrics-{os.environ.get('PORT', '8000')}"),
)
shutil.rmtree(metrics_folder, ignore_errors=True)
os.makedirs(metrics_folder, mode=0o700)


def child_exit(server, worker):
    """A gone worker's gauges stop counting; its counters stay in the sums."""
    # Imported here, in the master, only after the folder above is in the environment.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_starting(server):
    from clinic.gunicorn_control import use_a_socket_of_its_own

    use_a_socket_of_its_own(server)
