"""Cross-cutting request handling: request ids, compression, body limits, idle sessions."""

import logging
import re
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinic.api.exceptions import (
    error_body,
    json_error_response,
    shared_cache_unavailable_message,
)
from clinic.api.parsers import out_of_range
from clinic.errors import StorageUnavailable
from clinic.languages import QUERY_PARAMETER as LANGUAGE_QUERY_PARAMETER
from clinic.languages import is_offered
from clinic.redis_config import REDIS_UNREACHABLE
from clinic.request_ids import request_id_var

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_INTEGER = re.compile(r"^\s*[-+]?\d+\s*$")
access_logger = logging.getLogger("clinic.access")


class RequestIDMiddleware:
    """Tags the response and every log line with one id, taken from the caller if sane."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            # The path only: query strings and bodies may hold secrets or patient data.
            access_logger.info("%s %s %s", request.method, request.path, response.status_code)
            return response
        finally:
            request_id_var.reset(token)


class BodySizeLimitMiddleware:
    """Refuses oversized bodies before anything reads them, with the API's JSON error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        limit = (
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE if is_upload else settings.MAX_REQUEST_BODY_BYTES
        )
        if length > limit:
            return json_error_response(
                413,
                "request_too_large",
                f"The request body is larger than the limit of {limit} bytes.",
            )
        return self.get_response(request)


class QueryLanguageMiddleware:
    """`?lang=` on an API request chooses the answer's language over `Accept-Language`. It runs
    after Django's LocaleMiddleware, whose response step sends the active language as
    `Content-Language` with `Vary: Accept-Language`. A language not offered answers 400
    naming `lang`: an explicit choice is never silently replaced (an unsupported
    `Accept-Language` is only a preference, and falls back to LANGUAGE_CODE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.GET.get(LANGUAGE_QUERY_PARAMETER)
        if code is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not is_offered(code):
            detail = _("%(code)s is not a language offered here.") % {"code": code}
            return JsonResponse(
                error_body(
                    "validation_error", "invalid_choice", detail, attr=LANGUAGE_QUERY_PARAMETER
                ),
                status=400,
            )
        translation.activate(code)
        request.LANGUAGE_CODE = code
        return self.get_response(request)


class SessionIdleTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT without a request (sliding)."""

    session_key = "last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now()
            last_seen = request.session.get(self.session_key)
            if last_seen is not None and now.timestamp() - last_seen > (
                settings.SESSION_IDLE_TIMEOUT.total_seconds()
            ):
                logout(request)
            else:
                request.session[self.session_key] = now.timestamp()
        return self.get_response(request)


class CompressionMiddleware(GZipMiddleware):
    """Gzips JSON answers and the OpenAPI schema for clients that accept it.

    A response that carries an ETag stays as it is: compressing turns ETag "rx1-2" into
    W/"rx1-2", which a client echoing it in If-Match would then never match (If-Match uses
    the strong comparison). Those are single records; the lists and the schema compress.
    """

    compressible_types = ("application/json", "application/vnd.oai.openapi")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.has_header("ETag") or not content_type.startswith(self.compressible_types):
            return response
        return super().process_response(request, response)


class AdminQueryStringMiddleware:
    """The admin's query strings become lookups (`?patient=`, `?issued_at__year=`) that fail in
    the database, not in a form, when a value is a NUL character or a whole number outside 64
    bits. Refused here with a 400, for every admin list, ours and the libraries'."""

    search_parameter = "q"  # free text: a long record number is a fair thing to search for

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            for name, value in request.GET.items():
                if "\x00" in name or "\x00" in value:
                    raise BadRequest("Query parameters cannot contain NUL characters.")
                if (
                    name != self.search_parameter
                    and _INTEGER.match(value)
                    and out_of_range(int(value))
                ):
                    raise BadRequest(f"{name}: the number is out of range.")
        return self.get_response(request)


class DependencyUnavailableMiddleware:
    """The admin's answer when the media folder cannot be written or read (an upload, a stored
    handout) or the shared cache (Redis) does not answer: 503 with the reason, as the API
    answers, not a server error. Nothing was saved: the admin's saves run in a transaction
    that the exception rolls back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, StorageUnavailable):
            return HttpResponse(
                exception.message, status=503, content_type="text/plain; charset=utf-8"
            )
        if isinstance(exception, REDIS_UNREACHABLE):
            return HttpResponse(
                shared_cache_unavailable_message(),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        return None


class PrivateCacheControlMiddleware:
    """API records and handouts hold patient data: no shared cache may keep them and no
    browser should write them to disk. A response with an ETag may be kept and revalidated
    before each use (`private, no-cache`); any other is not stored (`private, no-store`). A
    response that chose its own policy keeps it: the versioned illustrations' private
    lifetime, the static files', the admin's never_cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            revalidate = response.has_header("ETag")
            response["Cache-Control"] = "private, no-cache" if revalidate else "private, no-store"
        return response
