"""gunicorn's configuration: scripts/serve and the load tests start gunicorn with this file."""

import os

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
accesslog = "-"
# Method, path without query string, status, milliseconds and request id: a query string
# (`?search=<name>`) and the Referer (the admin's `?q=`) carry patient data that would outlive
# an erasure in the log. The logger writes exactly these fields (access_log_format is unused).
logger_class = "clinic.access_log.AccessLogger"
