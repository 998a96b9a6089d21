"""gunicorn's configuration: scripts/serve and the load tests start gunicorn with this file."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
# Method, path without query string, status, milliseconds and request id: a query string
# (`?search=<name>`) and the Referer (the admin's `?q=`) carry patient data that would outlive
# an erasure in the log.
access_log_format = "%(m)s %(U)s %(s)s %(M)sms %({x-request-id}o)s"
