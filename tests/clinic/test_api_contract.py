"""The OpenAPI schema as client generators read it, and the request rules it promises:
Bearer tokens, strict query parameters, ordering values."""

import re

import pytest
from knox.models import AuthToken
from rest_framework.exceptions import ValidationError

from clinic.api.fields import TimeZoneField
from tests import factories

pytestmark = pytest.mark.django_db

METHODS = {"get", "put", "post", "patch", "delete"}
TAGS = {
    "auth",
    "me",
    "exercises",
    "conditions",
    "assessments",
    "safety-notes",
    "patients",
    "prescriptions",
    "templates",
}
ERROR_COMPONENTS = {
    "#/components/schemas/ValidationErrorResponse",
    "#/components/schemas/ClientErrorResponse",
    "#/components/schemas/ServerErrorResponse",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def headers_of(operation) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


def refs(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if "$ref" in node else set()
        return found.union(*(refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(value) for value in node))
    return set()


def test_every_operation_has_a_resource_tag_a_summary_and_a_clean_id(schema):
    assert {tag["name"] for tag in schema["tags"]} == TAGS
    assert all(tag["description"] for tag in schema["tags"])
    ids = []
    for path, method, operation in operations(schema):
        (tag,) = operation["tags"]
        assert tag in TAGS, path
        assert operation["summary"], (method, path)
        assert re.fullmatch(rf"{tag.replace('-', '_')}_[a-z_]+", operation["operationId"])
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    assert {"patients_list", "patients_partial_update", "prescriptions_issue"} <= set(ids)
    assert {"prescriptions_save_as_template", "templates_prescribe", "me_retrieve"} <= set(ids)


def test_every_response_is_described_and_errors_share_one_component_per_kind(schema):
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            assert response["description"], (method, path, status)
            assert "X-Request-ID" in response["headers"], (method, path, status)
            if status[0] in "45":
                assert refs(response["content"]) <= ERROR_COMPONENTS, (method, path, status)
    names = set(schema["components"]["schemas"])
    assert not any(re.fullmatch(r"(Error|ErrorResponse)\d+.*", name) for name in names)
    assert not {"NullEnum", "TimezoneEnum", "TokenRequestRequest"} & names
    assert not any(name.endswith("ListList") for name in names)


def test_nullable_choices_have_no_null_enum_and_the_time_zone_is_a_plain_string(schema):
    text = str(schema)
    assert "NullEnum" not in text and "BlankEnum" not in text
    timezone = schema["components"]["schemas"]["Clinic"]["properties"]["timezone"]
    assert timezone["type"] == "string" and "enum" not in timezone
    assert timezone["example"] == "Europe/London"


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "europe/london", "GMT+99"])
def test_the_time_zone_field_takes_iana_names_only(name):
    field = TimeZoneField()
    assert field.run_validation("Europe/London") == "Europe/London"
    with pytest.raises(ValidationError):
        field.run_validation(name)


def test_response_fields_are_required_as_every_response_carries_them(schema):
    prescription = schema["components"]["schemas"]["Prescription"]
    assert set(prescription["required"]) == set(prescription["properties"])
    request = schema["components"]["schemas"]["PatchedPrescriptionRequest"]
    assert "required" not in request


def test_headers_are_documented_where_they_apply(schema):
    paths = schema["paths"]
    if_match_ops = [
        paths["/api/v1/patients/{id}/"]["put"],
        paths["/api/v1/patients/{id}/"]["delete"],
        paths["/api/v1/patients/{id}/archive/"]["post"],
        paths["/api/v1/patients/{id}/unarchive/"]["post"],
        paths["/api/v1/prescriptions/{id}/"]["patch"],
        paths["/api/v1/prescriptions/{id}/issue/"]["post"],
        paths["/api/v1/prescriptions/{id}/revise/"]["post"],
        paths["/api/v1/prescriptions/{id}/void/"]["post"],
        paths["/api/v1/prescriptions/{id}/"]["delete"],
        paths["/api/v1/templates/{id}/"]["put"],
        paths["/api/v1/templates/{id}/"]["patch"],
        paths["/api/v1/templates/{id}/"]["delete"],
        paths["/api/v1/exercises/{id}/"]["patch"],
        paths["/api/v1/exercises/{id}/publish/"]["post"],
        paths["/api/v1/exercises/{id}/image/"]["put"],
        paths["/api/v1/conditions/{id}/"]["put"],
        paths["/api/v1/assessments/{id}/"]["delete"],
        paths["/api/v1/safety-notes/{id}/"]["patch"],
    ]
    for operation in if_match_ops:
        assert "If-Match" in headers_of(operation), operation["operationId"]
        assert "412" in operation["responses"]

    # Only issuing requires If-Match: 428 without it.
    required = [
        operation["operationId"]
        for _path, _method, operation in operations(schema)
        if any(
            parameter["name"] == "If-Match" and parameter.get("required")
            for parameter in operation.get("parameters", [])
        )
    ]
    assert required == ["prescriptions_issue"]
    assert [
        operation["operationId"]
        for _path, _method, operation in operations(schema)
        if "428" in operation["responses"]
    ] == ["prescriptions_issue"]

    for path, _method, operation in operations(schema):
        responses = operation["responses"]
        if "201" in responses:
            assert "Idempotency-Key" in headers_of(operation), path
            assert {"Location", "ETag"} <= set(responses["201"]["headers"]), path
        if operation["operationId"].endswith("_retrieve") and path != "/api/v1/me/":
            assert "If-None-Match" in headers_of(operation)
            assert "ETag" in responses["200"]["headers"] and "304" in responses
        if "429" in responses:
            assert "Retry-After" in responses["429"]["headers"]
    assert "Idempotency-Key" not in headers_of(paths["/api/v1/auth/token/"]["post"])

    handout = paths["/api/v1/prescriptions/{id}/handout/"]["get"]["responses"]["200"]
    assert handout["content"]["application/pdf"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    assert "Content-Disposition" in handout["headers"]


def test_bearer_is_the_declared_scheme_and_examples_use_real_urls(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    page = schema["components"]["schemas"]["PaginatedExerciseSummaryList"]["properties"]
    assert page["next"]["example"] == "https://clinic.example.org/api/v1/exercises/?page=4"
    assert "api.example.org" not in str(schema)


def test_the_ordering_values_are_an_enum(schema):
    (ordering,) = [
        p
        for p in schema["paths"]["/api/v1/exercises/"]["get"]["parameters"]
        if p["name"] == "ordering"
    ]
    assert ordering["schema"]["enum"] == ["name", "-name", "difficulty", "-difficulty"]


# Bearer and Token ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "Token"])
def test_a_token_is_accepted_as_bearer_or_token(api, therapist, scheme):
    token = AuthToken.objects.create(therapist)[1]
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"{scheme} {token}")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == therapist.username


def test_a_wrong_bearer_token_is_401_telling_the_client_to_use_bearer(api, therapist):
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert api.get("/api/v1/me/")["WWW-Authenticate"] == "Bearer"


def test_logout_takes_a_bearer_token(api, therapist):
    token = AuthToken.objects.create(therapist)[1]
    assert api.post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 204
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


# Strict query parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/exercises/?categroy=stretch",
        "/api/v1/patients/?serach=zoe",
        "/api/v1/conditions/?page=1&colour=red",
        "/api/v1/exercises/{exercise}/?categroy=stretch",
        "/api/v1/prescriptions/{prescription}/?expand=items",
        "/api/v1/prescriptions/{prescription}/handout/?papr=letter",
    ],
)
def test_an_unknown_query_parameter_is_400_naming_it(as_therapist, clinic, url):
    exercise = factories.ExerciseFactory()
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=[exercise])
    response = as_therapist.get(url.format(exercise=exercise.pk, prescription=prescription.pk))

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    unknown = re.search(r"\?(?:page=1&)?(\w+)=", url).group(1)
    assert [(e["attr"], e["code"]) for e in body["errors"]] == [(unknown, "unknown_parameter")]


def test_documented_parameters_are_accepted(as_therapist, clinic):
    exercise = factories.ExerciseFactory(name="Towel stretch", category="stretch")
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=[exercise])
    ok = [
        "/api/v1/exercises/?category=stretch&search=towel&ordering=-name&page=1&page_size=5",
        "/api/v1/exercises/?format=json",
        "/api/v1/patients/?search=ada&archived=true&ordering=family_name",
        f"/api/v1/exercises/{exercise.pk}/?format=json",
        f"/api/v1/prescriptions/{prescription.pk}/handout/?paper=letter&large_print=1",
    ]
    for url in ok:
        assert as_therapist.get(url).status_code == 200, url


def test_an_unknown_ordering_is_400_naming_the_choices(as_therapist):
    response = as_therapist.get("/api/v1/exercises/?ordering=colour")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["attr"] == "ordering" and "difficulty" in error["detail"]
