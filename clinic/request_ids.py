"""The request's id in every log line. Apart from the middleware that sets it because logging is
configured while settings load, before the API's modules (which read settings) can be imported."""

import contextvars
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIDLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True
