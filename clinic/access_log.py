"""gunicorn's access line, written without building gunicorn's whole record of the request.

gunicorn formats its access line from about forty values, every request and response header
among them, each escaped, for every request: a tenth of the time of a small request such as an
issued handout's download (profiled with py-spy under load). This logger writes the one line
the project logs (method, path without query string, status, milliseconds, request id: no
query string or Referer, which can hold patient names) from the five values it needs.
"""

from gunicorn.glogging import Logger


class AccessLogger(Logger):
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
