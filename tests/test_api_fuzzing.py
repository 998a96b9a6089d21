"""Schema fuzzing: every operation and method of our own OpenAPI schema, as a clinician and
as a catalogue editor. Nothing may answer 500, and every response must match the schema
(status code, content type and body). FUZZ_EXAMPLES raises the examples per operation."""

import io
import json
import os
import struct
import zipfile
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from PIL import Image
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from clinic.wsgi import application
from tests import factories
from tests.clinics.test_logo_uploads import post_logo

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


# The workspace's live check and its picker (the public API's check and exercise list, with
# the admin's session), signed in as a clinician.

CHECK = "/api/v1/prescriptions/check/"
EXERCISE_LIST = "/api/v1/exercises/"
ROW_FIELDS = ["exercise", "reps", "sets", "hold_seconds", "times_per_day", "days_per_week", "side"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | huge_integers
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(ROW_FIELDS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=20,
)
rows = st.lists(
    st.dictionaries(st.sampled_from(ROW_FIELDS), json_values, max_size=len(ROW_FIELDS))
    | json_values,
    max_size=5,
)


@pytest.fixture
def workspace_client(client, db):
    clinic = factories.ClinicFactory(name="Fuzz Clinic")
    client.force_login(factories.clinician(clinic))
    client.raise_request_exception = False
    return client, factories.PatientFactory(clinic=clinic).pk


def assert_below_500(response):
    """A JSON answer or a 4xx (the admin's pages for an unknown patient, a NUL or a number
    out of range in the query); never a 500."""
    assert response.status_code < 500, response.content[:300]
    if response.status_code == 200:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@given(patient=json_values, items=rows)
@settings(max_examples=EXAMPLES * 4, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_check_answers_any_json_without_a_server_error(workspace_client, patient, items):
    client, own_patient = workspace_client
    for body in ({"patient": own_patient, "items": items}, {"patient": patient, "items": items}):
        response = client.post(CHECK, json.dumps(body), content_type="application/json")
        assert_below_500(response)


@pytest.mark.django_db
@given(depth=st.integers(min_value=33, max_value=60_000))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_check_answers_deep_bodies_with_a_400(workspace_client, depth):
    client, _patient = workspace_client
    response = client.post(CHECK, _nested(depth, None), content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "search",
                "category",
                "position",
                "equipment",
                "body_region",
                "condition_safe",
                "status",
                "cautions_for_conditions",
                "id",
            ]
        ),
        st.text(max_size=30) | huge_integers.map(str),
        max_size=5,
    ),
    ids=st.lists(st.integers(min_value=0) | huge_integers, max_size=3).map(
        lambda values: [str(value) for value in values]
    ),
)
@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_picker_query_answers_without_a_server_error(workspace_client, params, ids):
    """The public list as the workspace's picker asks it, with the admin's session."""
    client, _patient = workspace_client
    query = {"cautions_for_conditions": "", "id": ",".join(ids), **params}
    assert_below_500(client.get(EXERCISE_LIST, query))


# Picture uploads (an exercise's image through the API, a clinic's logo through the admin):
# truncated files, polyglots and huge dimensions answer 400 at the field (or are stored
# re-encoded, the payload gone), never 500.

PAYLOAD = b"<script>alert('polyglot')</script>"


def picture(image_format: str, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, format=image_format)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", PAYLOAD)
    return buffer.getvalue()


hostile_pictures = st.one_of(
    st.tuples(st.sampled_from(["PNG", "JPEG", "WEBP"]), st.floats(0.05, 0.95)).map(
        lambda cut: picture(cut[0])[: int(len(picture(cut[0])) * cut[1])]
    ),
    st.sampled_from(["PNG", "JPEG", "WEBP"]).map(lambda kind: picture(kind) + PAYLOAD),
    st.sampled_from(["PNG", "JPEG"]).map(lambda kind: picture(kind) + zip_archive()),
    st.just(PAYLOAD + picture("PNG")),
    st.tuples(st.integers(1, 2**31 - 1), st.integers(1, 2**31 - 1)).map(
        lambda size: png_claiming(*size)
    ),
)


def named(content: bytes, name: str = "picture.png") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def stored_files(folder) -> list[bytes]:
    return [path.read_bytes() for path in folder.rglob("*") if path.is_file()]


@pytest.fixture
def picture_uploads(db, settings, tmp_path_factory):
    clinic = factories.ClinicFactory(name="Fuzz Clinic")
    return clinic, factories.editor(clinic), factories.clinic_admin(clinic), tmp_path_factory


@pytest.mark.django_db
@given(content=hostile_pictures)
@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=list(HealthCheck))
def test_hostile_pictures_are_refused_or_stored_clean(picture_uploads, content, settings):
    clinic, editor, clinic_admin, folders = picture_uploads
    settings.MEDIA_ROOT = folders.mktemp("media")
    exercise = factories.ExerciseFactory()
    api = APIClient()
    api.force_authenticate(editor)
    api.raise_request_exception = False
    response = api.put(
        f"/api/v1/exercises/{exercise.pk}/image/", {"image": named(content)}, format="multipart"
    )
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        assert [error["attr"] for error in response.json()["errors"]] == ["image"]

    browser = Client(raise_request_exception=False)
    browser.force_login(clinic_admin)
    page = post_logo(browser, clinic, named(content))
    assert page.status_code in (200, 302), page.content[:300]
    assert all(PAYLOAD not in stored for stored in stored_files(settings.MEDIA_ROOT))
