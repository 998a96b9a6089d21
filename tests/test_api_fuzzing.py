"""Schema fuzzing: every operation and method of our own OpenAPI schema, as a clinician and
as a catalogue editor. Nothing may answer 500, and every response must match the schema
(status code, content type and body). FUZZ_EXAMPLES raises the examples per operation."""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from clinic.wsgi import application
from tests import factories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
operations_run: set[str] = set()


@pytest.fixture
def keep_the_test_connection():
    """The app is called in-process through WSGI, inside the test's transaction: keep Django
    from closing the connection at each request's end, as its own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, keep_the_test_connection):
    clinic = factories.ClinicFactory(name="Fuzz Clinic")
    exercise = factories.ExerciseFactory()
    patient = factories.PatientFactory(clinic=clinic)
    factories.PrescriptionFactory(patient=patient, items=[exercise])
    return {
        "clinician": AuthToken.objects.create(factories.clinician(clinic))[1],
        "catalogue editor": AuthToken.objects.create(factories.editor(clinic))[1],
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_operation(case, tokens):
    operations_run.add(f"{case.operation.method.upper()} {case.operation.path}")
    for token in tokens.values():
        # The in-process (WSGI) transport does not undo gzip as an HTTP client would.
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
            checks=CHECKS,
        )


def test_every_operation_ran():
    expected = {
        f"{operation.method.upper()} {operation.path}"
        for operation in (result.ok() for result in schema.get_all_operations())
    }
    assert operations_run == expected


def _nested(depth: int, leaf) -> str:
    """JSON text of `leaf` inside `depth` lists, built here so that Hypothesis only ever holds
    (and prints) the depth, not a structure too deep to print."""
    return "[" * depth + json.dumps(leaf) + "]" * depth


huge_integers = st.one_of(st.integers(min_value=2**63), st.integers(max_value=-(2**63) - 1))


def post_token(api, body: str):
    return api.post("/api/v1/auth/token/", body, content_type="application/json")


@pytest.mark.django_db
@given(depth=st.integers(min_value=33, max_value=3000))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_token_endpoint_answers_deep_bodies_with_a_400(api, depth):
    response = post_token(api, _nested(depth, None))
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["code"] == "parse_error"


@pytest.mark.django_db
@given(
    field=st.sampled_from(["username", "password", "extra"]),
    depth=st.integers(min_value=0, max_value=30),
    number=huge_integers,
)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_token_endpoint_answers_huge_numbers_with_a_400(api, field, depth, number):
    body = {"username": "someone", "password": "x", field: json.loads(_nested(depth, number))}
    response = post_token(api, json.dumps(body))
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["code"] == "out_of_range"
