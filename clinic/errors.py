"""Domain errors that services raise; the API maps them to HTTP statuses, the admin to messages."""

from clinic.metrics import storage_failures


class StateConflict(Exception):
    """The request is valid but conflicts with the record's current state (HTTP 409)."""

    def __init__(self, message: str, code: str = "conflict"):
        super().__init__(message)
        self.message = message
        self.code = code


class StalePrecondition(Exception):
    """The client's If-Match no longer matches the stored record (HTTP 412)."""


class PreconditionRequired(Exception):
    """The change must name the version the client saw (If-Match) and did not (HTTP 428)."""


class StorageUnavailable(Exception):
    """A file the request must keep cannot be written (HTTP 503); nothing was saved."""

    def __init__(self, message: str, code: str = "media_unwritable"):
        super().__init__(message)
        self.message = message
        self.code = code
        # Counted where it is raised: the one place every storage refusal passes.
        storage_failures.labels(code=code).inc()
