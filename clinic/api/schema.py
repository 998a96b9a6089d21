"""OpenAPI: every operation lists the errors it can answer, in the one error shape."""

from drf_standardized_errors.openapi import AutoSchema as StandardErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ServerErrorEnum,
    ValidationErrorEnum,
)
from rest_framework import serializers

BODY_METHODS = {"POST", "PUT", "PATCH"}


def _error_response_serializer(status_code: int, types: list, code_example: str):
    """{"type", "errors": [{"code", "detail", "attr"}]}; codes and field paths stay open
    strings because rules add their own codes and paths carry list indexes ("items.2.reps")."""
    error = type(
        f"Error{status_code}Serializer",
        (serializers.Serializer,),
        {
            "code": serializers.CharField(help_text=f"e.g. {code_example}"),
            "detail": serializers.CharField(),
            "attr": serializers.CharField(
                allow_null=True, help_text="The field path, e.g. items.2.reps; null if none."
            ),
        },
    )
    return type(
        f"ErrorResponse{status_code}Serializer",
        (serializers.Serializer,),
        {"type": serializers.ChoiceField(choices=types), "errors": error(many=True)},
    )


ErrorResponse400Serializer = _error_response_serializer(
    400, [*ValidationErrorEnum.choices, *ClientErrorEnum.choices], "invalid"
)
ErrorResponse409Serializer = _error_response_serializer(409, ClientErrorEnum.choices, "conflict")
ErrorResponse412Serializer = _error_response_serializer(
    412, ClientErrorEnum.choices, "precondition_failed"
)
ErrorResponse413Serializer = _error_response_serializer(
    413, ClientErrorEnum.choices, "request_too_large"
)
ErrorResponse429Serializer = _error_response_serializer(429, ClientErrorEnum.choices, "throttled")
ErrorResponse503Serializer = _error_response_serializer(
    503, ServerErrorEnum.choices, "media_unwritable"
)


class AutoSchema(StandardErrorsAutoSchema):
    """Adds 409 (state conflicts), 412 (stale If-Match) and 413 (oversized body) where they apply.

    Views declare what they can answer: `conflict_methods` (methods that may answer 409),
    `etag_methods` (methods that honour If-Match) and `storage_actions` (actions that store a
    file, and answer 503 when the media folder cannot be written).
    """

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        # Errors are JSON even where success is a PDF.
        if str(status_code).startswith(("4", "5")):
            media_types = ["application/json"]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)

    def _should_add_error_response(self, responses, status_code):
        method = self.method.upper()
        if status_code == "409":
            return method in getattr(self.view, "conflict_methods", ())
        if status_code == "412":
            return method in getattr(self.view, "etag_methods", ())
        if status_code == "503":
            return getattr(self.view, "action", None) in getattr(self.view, "storage_actions", ())
        if status_code == "413":
            return method in BODY_METHODS
        return super()._should_add_error_response(responses, status_code)
