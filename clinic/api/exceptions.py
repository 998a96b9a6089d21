"""One error shape: domain errors from services become the API's standard JSON errors."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.handler import ExceptionHandler as StandardExceptionHandler
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail

from clinic.errors import StalePrecondition, StateConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the resource.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The resource was changed since you read it. Reload it and apply your change again."
    )
    default_code = "precondition_failed"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


def drf_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """Keeps field paths ("items.2.reps") and codes of a service's ValidationError."""
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [
                ErrorDetail(message, code=error.code or "invalid")
                for error in errors
                for message in error
            ]
            for field, errors in exc.error_dict.items()
        }
    else:
        detail = {
            "non_field_errors": [
                ErrorDetail(message, code=error.code or "invalid")
                for error in exc.error_list
                for message in error
            ]
        }
    return exceptions.ValidationError(detail)


class ExceptionHandler(StandardExceptionHandler):
    def convert_known_exceptions(self, exc):
        if isinstance(exc, DjangoValidationError):
            return drf_validation_error(exc)
        if isinstance(exc, StateConflict):
            return Conflict(exc.message, code=exc.code)
        if isinstance(exc, StalePrecondition):
            return PreconditionFailed()
        if isinstance(exc, ProtectedError | RestrictedError):
            return Conflict(_("This record is in use by other records and cannot be deleted."))
        return super().convert_known_exceptions(exc)
