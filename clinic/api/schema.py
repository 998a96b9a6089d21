"""OpenAPI as client generators read it.

One tag per resource, `<resource>_<action>` operation ids, a summary and a described response
everywhere, every header the API reads or answers, one error component per kind (validation,
client, server), and response fields marked required (a response always carries them).
"""

from django.conf import settings
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ServerErrorEnum,
    ValidationErrorEnum,
)
from rest_framework import serializers

from clinic.api.idempotency import HEADER as IDEMPOTENCY_KEY
from clinic.api.mixins import RecordResponsesMixin
from clinic.idempotency import MAX_KEY_LENGTH
from clinic.languages import QUERY_PARAMETER as LANGUAGE_QUERY_PARAMETER

API_PREFIX = "/api/v1/"
EXAMPLE_ORIGIN = "https://clinic.example.org"
BODY_METHODS = {"POST", "PUT", "PATCH"}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="A stable code for programs, e.g. required, invalid, not_found, conflict, "
        "precondition_failed, throttled."
    )
    detail = serializers.CharField(help_text="What went wrong, in words for people.")
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field path (items.2.reps), query parameter or header it is about; "
        "null if none.",
    )


class ErrorResponseSerializer(serializers.Serializer):
    """The one error shape; each kind below fixes its `type`."""

    def get_fields(self):
        # `errors` is declared here, not as a class attribute, which would hide
        # Serializer.errors.
        return {"errors": ErrorDetailSerializer(many=True), **super().get_fields()}


class ValidationErrorResponseSerializer(ErrorResponseSerializer):
    """A field, query parameter or header is invalid: each error names it in `attr`."""

    type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)


class ClientErrorResponseSerializer(ErrorResponseSerializer):
    """The request cannot be served as sent: credentials, permission, state, size or rate."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)


class ServerErrorResponseSerializer(ErrorResponseSerializer):
    """The server failed; `X-Request-ID` finds the request in the logs."""

    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)


RESPONSE_DESCRIPTIONS = {
    "200": "Success.",
    "201": "Created: `Location` is the new record's URL and `ETag` its version.",
    "204": "Done; no content.",
    "304": "Not modified: the `If-None-Match` you sent holds the current `ETag`.",
    "400": "Invalid input: each error names the field, query parameter or header (`attr`).",
    "401": "No valid credentials: sign in at /api/v1/auth/token/ and send "
    "`Authorization: Bearer <token>`.",
    "403": "Signed in, but your role does not allow this.",
    "404": "Not found (another clinic's records are not found either).",
    "405": "This method is not allowed here.",
    "406": "The `Accept` header asks for a format this operation cannot answer.",
    "409": "Conflicts with the record's current state (an issued prescription never changes, a "
    "record in use is not deleted), or an `Idempotency-Key` already used for another request.",
    "412": "`If-Match` does not hold the current `ETag`: the record changed since you read it. "
    "Read it again and reapply your change.",
    "413": "The request body is too large.",
    "428": "`If-Match` is required here: send the `ETag` of the version you read.",
    "415": "This `Content-Type` is not accepted here.",
    "429": "Too many requests or failed sign-ins: wait `Retry-After` seconds.",
    "500": "A server error.",
    "503": "Unavailable for now (e.g. storage cannot be written); try again later.",
}

STANDARD_ACTION_SUMMARIES = {
    "list": "List {plural}",
    "create": "Create {a_singular}",
    "retrieve": "Read {a_singular}",
    "update": "Replace {a_singular}",
    "partial_update": "Change some fields of {a_singular}",
    "destroy": "Delete {a_singular}",
}


def _header(name, description, *, response=False, required=False, schema=OpenApiTypes.STR):
    return OpenApiParameter(
        name,
        schema,
        OpenApiParameter.HEADER,
        required=required,
        description=description,
        response=response,
    )


REQUEST_ID = "X-Request-ID"
REQUEST_ID_REQUEST = _header(
    REQUEST_ID,
    "Your id for this request (letters, digits, `.`, `_`, `-`; at most 64), echoed in the "
    "response and in every log line; one is generated when absent.",
)
REQUEST_ID_RESPONSE = _header(
    REQUEST_ID, "The request's id, also in every log line.", response=True, required=True
)
IF_MATCH = _header(
    "If-Match",
    "The `ETag` you read: the change applies only if the record is still at that version "
    "(412 otherwise). Without it, the change applies whatever the version.",
)
IF_MATCH_REQUIRED = _header(
    "If-Match",
    "The `ETag` you read: the change applies only if the record is still at that version, "
    "warnings included (412 otherwise). Required: without it (or with `*`) the answer is 428.",
    required=True,
)
IF_NONE_MATCH = _header(
    "If-None-Match", "The `ETag` you hold: 304 with no body when it is still current."
)
IDEMPOTENCY_KEY_HEADER = OpenApiParameter(
    IDEMPOTENCY_KEY,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID). A retry with the same key and body within 24 "
    "hours answers the first answer again and creates nothing; the same key with another body "
    "answers 409. Keys are per user.",
)
ETAG = _header(
    "ETag",
    "The record's version: send it back in `If-Match` or `If-None-Match`.",
    response=["200", "201", "304"],
    required=True,
)
LOCATION = _header("Location", "The new record's URL.", response=["201"], required=True)
RETRY_AFTER = _header("Retry-After", "Seconds to wait.", response=["429"], schema=OpenApiTypes.INT)
ACCEPT_LANGUAGE = _header(
    "Accept-Language",
    "The languages you read, by preference (e.g. `es, en;q=0.5`): messages and texts answer in "
    "the first offered; none offered: the service's default language.",
)
CONTENT_LANGUAGE = _header("Content-Language", "The language of the answer's texts.", response=True)


def _lang_parameter() -> OpenApiParameter:
    """Read when the schema is made: the languages offered come from the settings."""
    return OpenApiParameter(
        LANGUAGE_QUERY_PARAMETER,
        {"type": "string", "enum": [code for code, _name in settings.LANGUAGES]},
        OpenApiParameter.QUERY,
        description="The answer's language, over `Accept-Language`; one not offered answers "
        "400 naming `lang`.",
    )


CONTENT_DISPOSITION = _header(
    "Content-Disposition",
    "`attachment` with the file name (`filename` and RFC 6266 `filename*`).",
    response=["200"],
    required=True,
)


class AutoSchema(StandardErrorsAutoSchema):
    """Views declare what the schema cannot see: `conflict_methods` (methods that may answer
    409), `if_match_actions` (actions that honour If-Match), `if_match_required_actions`
    (actions that answer 428 without it), `untagged_actions` (record views'
    actions that answer no ETag, e.g. a PDF), `storage_actions` (actions that store a file and
    answer 503 when the media folder cannot be written)."""

    def _action(self) -> str | None:
        return getattr(self.view, "action", None)

    def _handler(self):
        return getattr(self.view, self._action() or self.method.lower(), None)

    # Operation: tags, ids, summaries ------------------------------------------------------

    def _resource(self) -> str:
        return self.path.removeprefix(API_PREFIX).split("/")[0]

    def get_tags(self):
        return [self._resource()]

    def get_operation_id(self):
        if self._action() is None:
            return super().get_operation_id()
        return f"{self._resource().replace('-', '_')}_{self._action()}"

    def get_summary(self):
        template = STANDARD_ACTION_SUMMARIES.get(self._action())
        if template is None:
            return _first_line(getattr(self._handler(), "__doc__", None)) or _first_line(
                self.view.__doc__
            )
        model = self.view.get_serializer_class().Meta.model._meta
        singular = str(model.verbose_name)
        article = "an" if singular[0] in "aeiou" else "a"
        return template.format(a_singular=f"{article} {singular}", plural=model.verbose_name_plural)

    # Headers ----------------------------------------------------------------------------

    def _is_idempotent_create(self) -> bool:
        return getattr(self._handler(), "idempotent", False)

    def _honours_if_match(self) -> bool:
        return self._action() in getattr(self.view, "if_match_actions", ())

    def _requires_if_match(self) -> bool:
        return self._action() in getattr(self.view, "if_match_required_actions", ())

    def _answers_etag(self) -> bool:
        return (
            isinstance(self.view, RecordResponsesMixin)
            and self._action() not in ("list", "destroy")
            and self._action() not in getattr(self.view, "untagged_actions", ())
        )

    def _declares_lang(self) -> bool:
        """An action whose own query parameters give `lang` a meaning (a handout's language)."""
        query = getattr(self.view, "query_serializer_classes", {}).get(self._action())
        return query is not None and LANGUAGE_QUERY_PARAMETER in query().fields

    def _answers_not_modified(self) -> bool:
        return self._answers_etag() and self.method == "GET"

    def get_override_parameters(self):
        parameters = [REQUEST_ID_REQUEST, REQUEST_ID_RESPONSE, RETRY_AFTER]
        parameters += [ACCEPT_LANGUAGE, CONTENT_LANGUAGE]
        if not self._declares_lang():
            parameters.append(_lang_parameter())
        if self._requires_if_match():
            parameters.append(IF_MATCH_REQUIRED)
        elif self._honours_if_match():
            parameters.append(IF_MATCH)
        if self._answers_not_modified():
            parameters.append(IF_NONE_MATCH)
        if self._is_idempotent_create():
            parameters += [IDEMPOTENCY_KEY_HEADER, LOCATION]
        if self._answers_etag():
            parameters.append(ETAG)
        return parameters

    # Responses --------------------------------------------------------------------------

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response" and self._answers_not_modified():
            responses["304"] = {"description": RESPONSE_DESCRIPTIONS["304"]}
        for status_code, response in responses.items():
            # drf-spectacular writes a DELETE's 204 directly, without headers.
            if "headers" not in response:
                response["headers"] = self._get_response_headers_for_code(status_code, direction)
            if response["description"] == "No response body":
                response["description"] = RESPONSE_DESCRIPTIONS[status_code]
        return dict(sorted(responses.items()))

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        if str(status_code).startswith(("4", "5")):
            return self._error_response(str(status_code), direction)
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if not response.get("description"):
            response["description"] = RESPONSE_DESCRIPTIONS.get(str(status_code), "Success.")
        return response

    def _error_response(self, status_code: str, direction) -> dict:
        """Every error response refers to the shared component of its kind."""
        if status_code == "400":
            schema = {
                "oneOf": [
                    self.resolve_serializer(ValidationErrorResponseSerializer, direction).ref,
                    self.resolve_serializer(ClientErrorResponseSerializer, direction).ref,
                ]
            }
        else:
            kind = (
                ServerErrorResponseSerializer
                if status_code.startswith("5")
                else ClientErrorResponseSerializer
            )
            schema = self.resolve_serializer(kind, direction).ref
        return {
            "description": RESPONSE_DESCRIPTIONS.get(status_code, "An error."),
            "headers": self._get_response_headers_for_code(status_code, direction),
            "content": {"application/json": {"schema": schema}},
        }

    def _get_error_response_serializer(self, status_code):
        # Only tells the base class that every allowed code has a response; the response
        # itself is built by _error_response.
        return ErrorResponseSerializer

    def _get_error_response_examples(self):
        return []

    def _should_add_error_response(self, responses, status_code):
        method = self.method.upper()
        if status_code == "409":
            return (
                method in getattr(self.view, "conflict_methods", ()) or self._is_idempotent_create()
            )
        if status_code == "412":
            return self._honours_if_match()
        if status_code == "428":
            return self._requires_if_match()
        if status_code == "503":
            return self._action() in getattr(self.view, "storage_actions", ())
        if status_code == "413":
            return method in BODY_METHODS
        if (
            status_code == "400"
            and self.method == "GET"
            and getattr(self.view, "filter_backends", ())
        ):
            return True  # an unknown query parameter, on lists and details alike
        return super()._should_add_error_response(responses, status_code)

    # Fields and pages ---------------------------------------------------------------------

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and schema.get("properties"):
            # A response carries every field; optional ones are null, never missing.
            schema["required"] = list(schema["properties"])
        return schema

    def _get_paginator(self):
        paginator = super()._get_paginator()
        if paginator is not None:
            paginator.example_url = f"{EXAMPLE_ORIGIN}{self.path}"
        return paginator


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n")[0].rstrip(".")


class ClinicSessionScheme(SessionScheme):
    """The session cookie, declared as for Django REST framework's own session class (whose
    extension matches that class only, not the subclass that adds the clinic's language)."""

    target_class = "clinic.api.authentication.ClinicLanguageSessionAuthentication"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """An HTTP bearer scheme, as generated clients expect; drf-spectacular's own knox
    extension declares bearer only when knox's single prefix is "Bearer"."""

    target_class = "clinic.api.authentication.BearerOrTokenAuthentication"
    name = "bearerAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from POST /api/v1/auth/token/, sent as "
            "`Authorization: Bearer <token>` (`Authorization: Token <token>` works too).",
        }
