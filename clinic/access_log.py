"""gunicorn's access line, written without building gunicorn's whole record of the request.

gunicorn formats its access line from about forty values, every request and response header
among them, each escaped, for every request: a tenth of the time of a small request such as an
issued handout's download (profiled with py-spy under load). This logger writes the one line
the project logs (method, path without query string, status, milliseconds, request id: no
query string or Referer, which can hold patient names) from the five values it needs.
"""

from gunicorn.glogging import Logger

# gunicorn's error log quotes what it could not parse: the request line (with its query string,
# `?search=<a patient's name>`), a header, an HTTP version. Its worker writes these two messages
# on a malformed request or an unhandled error (gunicorn/workers/base.py, handle_error).
INVALID_REQUEST = "Invalid request from ip="
ERROR_HANDLING_REQUEST = "Error handling request"


class AccessLogger(Logger):
    """gunicorn's logger as the project uses it: the access line below, and an error log that
    never writes a request line, header or query string."""

    def warning(self, msg, *args, **kwargs):
        if isinstance(msg, str) and msg.startswith(INVALID_REQUEST):
            # "Invalid request from ip=ADDRESS: <what was sent>": the address stays.
            msg, args = msg.split(": ", 1)[0] + ": not logged, as it can hold patient data", ()
        super().warning(msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        if isinstance(msg, str) and msg.startswith(ERROR_HANDLING_REQUEST) and args:
            # "... %s %s" with the method and the URI: the path is kept, the query string not.
            args = tuple(str(arg).split("?", 1)[0] for arg in args)
        super().exception(msg, *args, **kwargs)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        request_id = next(
            (value for name, value in resp.headers if name.lower() == "x-request-id"), "-"
        )
        milliseconds = request_time.seconds * 1000 + request_time.microseconds // 1000
        self.access_log.info(
            "%s %s %s %sms %s",
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO"),
            status,
            milliseconds,
            request_id,
        )
