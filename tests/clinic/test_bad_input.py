"""No 500 from bad input: too-deep JSON, integers outside 64 bits, hostile query strings."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def error_pairs(response, status):
    assert response.status_code == status, response.content
    return [(error["attr"], error["code"]) for error in response.json()["errors"]]


def test_a_deeply_nested_body_to_the_token_endpoint_is_a_400_parse_error(api):
    response = api.post(TOKEN_URL, "[" * 1000 + "]" * 1000, content_type="application/json")
    assert error_pairs(response, 400) == [(None, "parse_error")]
    assert "nested more than 32 levels" in response.json()["errors"][0]["detail"]


def test_a_body_nested_just_too_deep_for_the_limit_is_refused(as_therapist):
    body = "[" * 34 + "]" * 34
    response = as_therapist.post("/api/v1/patients/", body, content_type="application/json")
    assert error_pairs(response, 400) == [(None, "parse_error")]


def test_a_huge_number_in_the_token_body_is_a_400_naming_the_field(api):
    response = api.post(
        TOKEN_URL,
        '{"username": 99999999999999999999999, "password": "x"}',
        content_type="application/json",
    )
    assert error_pairs(response, 400) == [("username", "out_of_range")]


def test_a_huge_exercise_id_in_a_prescription_is_a_400_naming_the_item(as_therapist, clinic):
    patient = factories.PatientFactory(clinic=clinic)
    response = as_therapist.post(
        "/api/v1/prescriptions/",
        {"patient": patient.pk, "items": [{"exercise": 2**64}]},
        format="json",
    )
    assert error_pairs(response, 400) == [("items.0.exercise", "out_of_range")]


@pytest.mark.parametrize("value", ["9223372036854775808", "-9223372036854775809", "1" * 40])
def test_a_patient_filter_outside_64_bits_is_a_400_naming_it(as_therapist, value):
    response = as_therapist.get("/api/v1/prescriptions/", {"patient": value})
    assert error_pairs(response, 400) == [("patient", "out_of_range")]


def test_the_largest_64_bit_patient_filter_finds_nothing(as_therapist):
    response = as_therapist.get("/api/v1/prescriptions/", {"patient": str(2**63 - 1)})
    assert response.status_code == 200
    assert response.json()["count"] == 0
