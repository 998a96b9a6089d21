"""LOG_FORMAT=json: each log record as one JSON object a line, for a log collector.

The fields are the plain format's (time, level, logger, request id, message) and an exception's
traceback when there is one. Nothing is added from the request: the messages are the same ones
the plain format writes, which never hold a query string or a request body.
"""

import json
import logging


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
