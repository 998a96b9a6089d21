"""OpenAPI: every operation lists the errors it can answer, in the one error shape."""

from drf_standardized_errors.openapi import AutoSchema as StandardErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from clinic.api.exceptions import Conflict, PayloadTooLarge, PreconditionFailed

BODY_METHODS = {"POST", "PUT", "PATCH"}


def _error_response_serializer(exception_class):
    status_code = exception_class.status_code
    error = type(
        f"Error{status_code}Serializer",
        (serializers.Serializer,),
        {
            "code": serializers.CharField(help_text=f"e.g. {exception_class.default_code}"),
            "detail": serializers.CharField(),
            "attr": serializers.CharField(allow_null=True),
        },
    )
    return type(
        f"ErrorResponse{status_code}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=ClientErrorEnum.choices),
            "errors": error(many=True),
        },
    )


ErrorResponse409Serializer = _error_response_serializer(Conflict)
ErrorResponse412Serializer = _error_response_serializer(PreconditionFailed)
ErrorResponse413Serializer = _error_response_serializer(PayloadTooLarge)


class AutoSchema(StandardErrorsAutoSchema):
    """Adds 409 (state conflicts), 412 (stale If-Match) and 413 (oversized body) where they apply.

    Views declare what they can answer: `conflict_methods` (methods that may answer 409) and
    `etag_methods` (methods that honour If-Match).
    """

    def _should_add_error_response(self, responses, status_code):
        method = self.method.upper()
        if status_code == "409":
            return method in getattr(self.view, "conflict_methods", ())
        if status_code == "412":
            return method in getattr(self.view, "etag_methods", ())
        if status_code == "413":
            return method in BODY_METHODS
        return super()._should_add_error_response(responses, status_code)
