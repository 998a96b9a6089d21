import pytest
from django.db import connection

from tests import factories

pytestmark = pytest.mark.django_db


def test_token_obtain_use_and_revoke(api, therapist):
    response = api.post(
        "/api/v1/auth/token/",
        {"username": therapist.username, "password": factories.PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["expiry"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 200
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401


def test_logout_all_revokes_every_token(api, therapist):
    tokens = [
        api.post(
            "/api/v1/auth/token/",
            {"username": therapist.username, "password": factories.PASSWORD},
            format="json",
        ).json()["token"]
        for _ in range(2)
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    assert api.post("/api/v1/auth/logout-all/").status_code == 204
    for token in tokens:
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/me/").status_code == 401


def test_wrong_password_is_401_in_the_error_shape(api, therapist):
    response = api.post(
        "/api/v1/auth/token/", {"username": therapist.username, "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["type"] == "client_error"


def test_missing_token_answers_401_json(api):
    response = api.get("/api/v1/exercises/")
    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "not_authenticated",
                "detail": "Authentication credentials were not provided.",
                "attr": None,
            }
        ],
    }


def test_unknown_api_url_answers_json_404(as_therapist):
    response = as_therapist.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "not_found"


def test_malformed_json_answers_400_parse_error(as_therapist):
    response = as_therapist.generic(
        "POST", "/api/v1/patients/", "{bad json", content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "parse_error"


def test_wrong_method_answers_json_405(as_therapist):
    response = as_therapist.put("/api/v1/me/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"


def test_oversized_body_answers_json_413(as_therapist, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    response = as_therapist.post("/api/v1/patients/", {"notes": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_every_response_has_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    assert len(client.get("/healthz")["X-Request-ID"]) == 32


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_503_when_database_unreachable(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_me_answers_user_clinic_and_roles(api, clinic):
    user = factories.editor(clinic)
    api.force_authenticate(user)
    body = api.get("/api/v1/me/").json()
    assert body["user"]["username"] == user.username
    assert body["clinic"]["name"] == "Riverside Physio"
    assert body["roles"] == ["catalogue-editor", "clinician"]


def test_list_pagination_shape(as_therapist):
    factories.ExerciseFactory.create_batch(3)
    body = as_therapist.get("/api/v1/exercises/?page_size=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]


def test_page_size_is_capped_at_100(as_therapist):
    body = as_therapist.get("/api/v1/exercises/?page_size=500").json()
    assert body["count"] == 0


def test_schema_and_docs_are_public(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/redoc/").status_code == 200


def test_request_id_is_in_the_log_line(client, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="clinic.access")
    client.get("/healthz", HTTP_X_REQUEST_ID="trace-42")
    record = next(r for r in caplog.records if r.name == "clinic.access")
    assert record.request_id == "trace-42"
    assert "GET /healthz 200" in record.getMessage()


def test_production_settings_refuse_to_start_without_a_secret_key():
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='clinic.settings.base'; django.setup()",
        ],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "0"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_nul_characters_in_a_body_are_a_400_naming_the_field(as_editor):
    response = as_editor.post(
        "/api/v1/exercises/",
        {"name": "x", "tags": ["static\x00hold"], "body_region": "hamstrings"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "null_characters_not_allowed",
            "detail": "Text cannot contain NUL characters.",
            "attr": "tags.0",
        }
    ]


def test_nul_characters_in_a_filter_are_a_400_naming_the_parameter(as_therapist):
    response = as_therapist.get("/api/v1/patients/", {"search": "zo\x00e"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "search"


def test_nul_characters_outside_the_filters_are_a_400_too(as_therapist):
    """A list given none of its filters skips the filterset, not the check."""
    response = as_therapist.get("/api/v1/exercises/", {"ordering": "name\x00"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "ordering"


def test_list_count_is_exact_up_to_the_cap_and_capped_beyond(as_therapist, clinic, monkeypatch):
    monkeypatch.setattr("clinic.api.pagination.COUNT_LIMIT", 5)
    factories.PatientFactory.create_batch(4, clinic=clinic)
    assert as_therapist.get("/api/v1/patients/").json()["count"] == 4
    factories.PatientFactory.create_batch(4, clinic=clinic)
    body = as_therapist.get("/api/v1/patients/?page_size=2").json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"]
