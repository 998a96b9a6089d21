"""Every signed-in user reads the catalogue; only catalogue editors change it."""

import pytest

from exercises.models import Assessment, Caution, Condition, Exercise, SafetyNote
from tests import factories

pytestmark = pytest.mark.django_db

WRITES = [
    ("post", "/api/v1/exercises/", {"name": "New"}),
    ("put", "/api/v1/exercises/{exercise}/", {"name": "Renamed"}),
    ("patch", "/api/v1/exercises/{exercise}/", {"name": "Renamed"}),
    ("delete", "/api/v1/exercises/{exercise}/", None),
    ("post", "/api/v1/exercises/{exercise}/publish/", None),
    ("post", "/api/v1/exercises/{exercise}/archive/", None),
    ("put", "/api/v1/exercises/{exercise}/image/", "image"),
    ("post", "/api/v1/conditions/", {"slug": "gout", "name": "Gout"}),
    ("put", "/api/v1/conditions/{condition}/", {"slug": "sciatica", "name": "Renamed"}),
    ("patch", "/api/v1/conditions/{condition}/", {"name": "Renamed"}),
    ("delete", "/api/v1/conditions/{condition}/", None),
    ("post", "/api/v1/assessments/", {"slug": "new", "name": "New"}),
    ("put", "/api/v1/assessments/{assessment}/", {"name": "Renamed"}),
    ("patch", "/api/v1/assessments/{assessment}/", {"name": "Renamed"}),
    ("delete", "/api/v1/assessments/{assessment}/", None),
    ("post", "/api/v1/safety-notes/", {"slug": "new", "tier": "urgent", "text": "Call."}),
    ("put", "/api/v1/safety-notes/{note}/", {"text": "Changed."}),
    ("patch", "/api/v1/safety-notes/{note}/", {"text": "Changed."}),
    ("delete", "/api/v1/safety-notes/{note}/", None),
]
WRITE_IDS = [f"{method} {url}" for method, url, _ in WRITES]


@pytest.fixture
def records():
    exercise = factories.ExerciseFactory(name="Lying stretch", status="draft")
    condition = factories.ConditionFactory()
    factories.CautionFactory(condition=condition, exercise=exercise, text="Go gently.")
    return {
        "exercise": exercise.pk,
        "condition": condition.pk,
        "assessment": factories.AssessmentFactory(name="Sit and reach").pk,
        "note": factories.SafetyNoteFactory(text="Stop if it hurts.").pk,
    }


def catalogue_state() -> list:
    return [
        list(Exercise.objects.values_list("name", "status", "image")),
        list(Condition.objects.values_list("slug", "name")),
        list(Caution.objects.values_list("text", flat=True)),
        list(Assessment.objects.values_list("name", flat=True)),
        list(SafetyNote.objects.values_list("text", flat=True)),
    ]


def send(client, method, url, payload, records):
    url = url.format(**records)
    if payload == "image":
        return client.put(url, {"image": factories.picture()}, format="multipart")
    return getattr(client, method)(url, payload, format="json")


@pytest.mark.parametrize(("method", "url", "payload"), WRITES, ids=WRITE_IDS)
def test_a_clinician_cannot_change_the_catalogue(as_therapist, records, method, url, payload):
    before = catalogue_state()
    response = send(as_therapist, method, url, payload, records)
    assert response.status_code == 403
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "permission_denied",
                "detail": "Only catalogue editors can change the catalogue.",
                "attr": None,
            }
        ],
    }
    assert catalogue_state() == before


@pytest.mark.parametrize(("method", "url", "payload"), WRITES, ids=WRITE_IDS)
def test_nobody_changes_the_catalogue_without_credentials(api, records, method, url, payload):
    before = catalogue_state()
    response = send(api, method, url, payload, records)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"
    assert catalogue_state() == before


def test_a_clinic_administrator_is_not_an_editor(api, records):
    api.force_authenticate(factories.clinic_admin())
    response = api.patch(
        f"/api/v1/exercises/{records['exercise']}/", {"name": "Renamed"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/exercises/",
        "/api/v1/conditions/",
        "/api/v1/conditions/{condition}/",
        "/api/v1/assessments/",
        "/api/v1/assessments/{assessment}/",
        "/api/v1/safety-notes/",
        "/api/v1/safety-notes/{note}/",
    ],
)
def test_every_signed_in_user_reads_the_catalogue(as_therapist, records, url):
    assert as_therapist.get(url.format(**records)).status_code == 200


def test_an_editor_can_open_a_draft(as_editor, records):
    response = as_editor.get(f"/api/v1/exercises/{records['exercise']}/")
    assert response.status_code == 200
    assert response.json()["name"] == "Lying stretch"
