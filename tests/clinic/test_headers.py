"""Security headers on every response, and CORS by allow-list only."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/healthz",
    "/api/v1/exercises/",
    "/api/schema/",
    "/api/docs/",
    "/api/redoc/",
    "/admin/login/",
]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.fixture
def allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    return "https://app.example.org"


def test_cors_preflight_from_an_allowed_origin(client, allowed_origin):
    response = client.options(
        "/api/v1/prescriptions/1/",
        HTTP_ORIGIN=allowed_origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, if-match, content-type",
    )
    assert response["Access-Control-Allow-Origin"] == allowed_origin
    allowed = response["Access-Control-Allow-Headers"].lower()
    for header in (
        "authorization",
        "if-match",
        "if-none-match",
        "idempotency-key",
        "content-type",
        "x-request-id",
    ):
        assert header in allowed


def test_cors_exposes_the_headers_clients_need(client, allowed_origin):
    response = client.get("/healthz", HTTP_ORIGIN=allowed_origin)
    response = client.get("/api/v1/me/", HTTP_ORIGIN=allowed_origin)
    exposed = response["Access-Control-Expose-Headers"].lower()
    for header in ("etag", "content-disposition", "location", "retry-after"):
        assert header in exposed


def test_cors_refuses_other_origins(client, allowed_origin):
    response = client.options(
        "/api/v1/exercises/",
        HTTP_ORIGIN="https://evil.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in response
