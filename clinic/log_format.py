"""LOG_FORMAT=json: each log record as one JSON object a line, for a log collector.

The fields are the plain format's (time, level, logger, request id, message) and an exception's
traceback when there is one. Nothing is added from the request: the messages are the same ones
the plain format writes, which never hold a query string or a request body.
"""

import json
import logging
import logging.config

from clinic.request_ids import RequestIDLogFilter


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_json_logging(logging_settings: dict) -> None:
    """Django's LOGGING_CONFIG under LOG_FORMAT=json: LOGGING as usual, and Python's warnings
    (a missing static folder, a deprecation) sent through logging, so they are JSON lines too
    rather than plain text on stderr."""
    logging.config.dictConfig(logging_settings)
    logging.captureWarnings(True)


def gunicorn_logconfig() -> dict:
    """gunicorn's own records (start, workers booting and exiting, errors, stop) as JSON lines on
    stderr, where gunicorn writes them in plain text. Its access line is not written at all: the
    service's `clinic.access` record stands for it. In the workers Django's LOGGING then sends
    the root logger's records to stdout; gunicorn's are not passed on to it, so each line is
    written once."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIDLogFilter}},
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["request_id"],
            },
        },
        "root": {"level": "INFO", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }
