"""One error shape: domain errors from services become the API's standard JSON errors, and the
errors raised outside DRF's views (404s, 413s, 500s, the lockout) answer the same JSON body."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.handler import ExceptionHandler as StandardExceptionHandler
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.generics import GenericAPIView

from clinic.errors import (
    PreconditionRequired,
    StalePrecondition,
    StateConflict,
    StorageUnavailable,
)
from clinic.redis_config import REDIS_UNREACHABLE


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


class PreconditionRequiredError(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send the ETag you read in If-Match: this change applies only to the version you saw."
    )
    default_code = "precondition_required"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The service cannot complete this request now.")
    default_code = "service_unavailable"


def shared_cache_unavailable_message() -> str:
    return gettext_now("The shared cache does not answer. Try again in a moment.")


def api_field_paths(serializer, prefix: str = "") -> dict[str, str]:
    """Model attribute -> the API's path for it, through serializers nested with source="*".

    The exercise API shows `default_hold_seconds` as `default_dose.hold_seconds`; a model's
    error about the attribute must name the field the client sent.
    """
    paths = {}
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.Serializer) and field.source == "*":
            paths.update(api_field_paths(field, prefix=f"{prefix}{name}."))
        elif hasattr(field, "model_paths"):
            paths.update(
                {attribute: f"{prefix}{name}.{path}" for attribute, path in field.model_paths()}
            )
        elif len(field.source_attrs) == 1:
            paths[field.source] = f"{prefix}{name}"
    return paths


def drf_validation_error(
    exc: DjangoValidationError, field_paths: dict[str, str] | None = None
) -> exceptions.ValidationError:
    """Keeps field paths ("items.2.reps") and codes of a service's ValidationError; renames
    model attributes found in `field_paths` to their API paths."""
    field_paths = field_paths or {}
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field_paths.get(field, field)): [
                ErrorDetail(str(message), code=error.code or "invalid")
                for error in errors
                for message in error
            ]
            for field, errors in exc.error_dict.items()
        }
    else:
        detail = {
            "non_field_errors": [
                ErrorDetail(str(message), code=error.code or "invalid")
                for error in exc.error_list
                for message in error
            ]
        }
    return exceptions.ValidationError(detail)


class ExceptionHandler(StandardExceptionHandler):
    def convert_known_exceptions(self, exc):
        if isinstance(exc, DjangoValidationError):
            return drf_validation_error(exc, self.request_field_paths())
        if isinstance(exc, StateConflict):
            return Conflict(exc.message, code=exc.code)
        if isinstance(exc, StorageUnavailable):
            return ServiceUnavailable(exc.message, code=exc.code)
        if isinstance(exc, REDIS_UNREACHABLE):
            return ServiceUnavailable(shared_cache_unavailable_message(), code="cache_unreachable")
        if isinstance(exc, StalePrecondition):
            return PreconditionFailed()
        if isinstance(exc, PreconditionRequired):
            return PreconditionRequiredError()
        if isinstance(exc, ProtectedError | RestrictedError):
            return Conflict(_("This record is in use by other records and cannot be deleted."))
        return super().convert_known_exceptions(exc)

    def request_field_paths(self) -> dict[str, str]:
        """The API paths of the fields the failing view writes."""
        view = self.context.get("view")
        if not isinstance(view, GenericAPIView):
            return {}
        return api_field_paths(view.get_serializer())


def error_body(error_type: str, code: str, detail: str, attr: str | None = None) -> dict:
    return {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": attr}]}


def json_error_response(status: int, code: str, detail: str) -> JsonResponse:
    error_type = "server_error" if status >= 500 else "client_error"
    return JsonResponse(error_body(error_type, code, detail), status=status)


HEALTH_PATHS = ("/healthz", "/livez", "/readyz")


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or request.path in HEALTH_PATHS


def handler404(request, exception=None):
    if _wants_json(request):
        return json_error_response(404, "not_found", gettext_now("Not found."))
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if _wants_json(request):
        return json_error_response(500, "error", gettext_now("A server error occurred."))
    from django.views.defaults import server_error

    return server_error(request)


def handler400(request, exception=None):
    if _wants_json(request):
        return json_error_response(400, "bad_request", gettext_now("Bad request."))
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def handler403(request, exception=None):
    if _wants_json(request):
        return json_error_response(403, "permission_denied", gettext_now("Permission denied."))
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)
