"""The one JSON error body, for errors raised outside DRF's views (404s, 413s, 500s)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _


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
        return json_error_response(404, "not_found", _("Not found."))
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if _wants_json(request):
        return json_error_response(500, "error", _("A server error occurred."))
    from django.views.defaults import server_error

    return server_error(request)


def handler400(request, exception=None):
    if _wants_json(request):
        return json_error_response(400, "bad_request", _("Bad request."))
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def handler403(request, exception=None):
    if _wants_json(request):
        return json_error_response(403, "permission_denied", _("Permission denied."))
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)
