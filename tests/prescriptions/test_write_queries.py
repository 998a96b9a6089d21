"""Writing a prescription or a template costs the same number of queries for 3 items and for
30: the items' exercises are loaded in one query, not one per item. Each test starts with an
empty cache, so the answer's read of the exercises from the catalogue (cached per catalogue
version) is one of the counted queries."""

import pytest
from django.contrib.contenttypes.models import ContentType

from prescriptions.models import PrescriptionStatus
from tests import factories
from tests.prescriptions.support import error_detail, errors, issue_via_api, item

pytestmark = pytest.mark.django_db

SIZES = [3, 30]
PRESCRIPTIONS = "/api/v1/prescriptions/"
TEMPLATES = "/api/v1/templates/"


@pytest.fixture(autouse=True)
def cold_content_types(db):
    """The audit log looks content types up once per process: every case pays that lookup, so
    the counts do not depend on which test ran first."""
    ContentType.objects.clear_cache()


@pytest.fixture
def exercises(db):
    return [factories.ExerciseFactory(name=f"Stretch {index:02}") for index in range(30)]


def items_of(exercises, size) -> list[dict]:
    return [item(exercise, reps=5) for exercise in exercises[:size]]


@pytest.mark.parametrize("size", SIZES)
def test_creating_a_prescription(as_therapist, patient, exercises, django_assert_num_queries, size):
    with django_assert_num_queries(21):
        response = as_therapist.post(
            PRESCRIPTIONS,
            {"patient": patient.pk, "items": items_of(exercises, size)},
            format="json",
        )

    assert response.status_code == 201, response.content
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_updating_a_prescription(
    as_therapist, therapist, patient, exercises, django_assert_num_queries, size
):
    prescription = factories.PrescriptionFactory(patient=patient, clinician=therapist)

    with django_assert_num_queries(22):
        response = as_therapist.put(
            f"{PRESCRIPTIONS}{prescription.pk}/",
            {"patient": patient.pk, "items": items_of(exercises, size)},
            format="json",
        )

    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_saving_a_template(as_therapist, exercises, django_assert_num_queries, size):
    with django_assert_num_queries(17):
        response = as_therapist.post(
            TEMPLATES, {"name": "Back care", "items": items_of(exercises, size)}, format="json"
        )

    assert response.status_code == 201, response.content
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_prescribing_a_template(
    as_therapist, clinic, therapist, patient, exercises, django_assert_num_queries, size
):
    template = factories.TemplateFactory(clinic=clinic, created_by=therapist)
    for order, exercise in enumerate(exercises[:size]):
        factories.TemplateItemFactory(template=template, exercise=exercise, order=order)

    with django_assert_num_queries(25):
        response = as_therapist.post(
            f"{TEMPLATES}{template.pk}/prescribe/", {"patient": patient.pk}, format="json"
        )

    assert response.status_code == 201, response.content
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_revising_a_prescription(
    as_therapist, therapist, patient, exercises, django_assert_num_queries, size
):
    prescription = factories.PrescriptionFactory(patient=patient, clinician=therapist)
    as_therapist.put(
        f"{PRESCRIPTIONS}{prescription.pk}/",
        {"patient": patient.pk, "items": items_of(exercises, size)},
        format="json",
    )
    prescription.refresh_from_db()
    issue_via_api(as_therapist, f"{PRESCRIPTIONS}{prescription.pk}/")
    prescription.refresh_from_db()
    assert prescription.status == PrescriptionStatus.ISSUED

    with django_assert_num_queries(21):
        response = as_therapist.post(f"{PRESCRIPTIONS}{prescription.pk}/revise/")

    assert response.status_code == 201, response.content
    assert len(response.json()["items"]) == size


def test_each_bad_exercise_answers_on_its_own_item(as_therapist, patient, exercises):
    response = as_therapist.post(
        PRESCRIPTIONS,
        {
            "patient": patient.pk,
            "items": [
                item(exercises[0]),
                {"exercise": 999999},
                {"exercise": "one"},
                {"exercise": True},
                {"exercise": 2**62},
                {"exercise": str(exercises[1].pk)},
            ],
        },
        format="json",
    )

    assert errors(response, 400) == [
        ("items.1.exercise", "does_not_exist"),
        ("items.2.exercise", "incorrect_type"),
        ("items.3.exercise", "incorrect_type"),
        ("items.4.exercise", "does_not_exist"),
    ]
    assert 'Invalid pk "999999" - object does not exist.' in error_detail(response)


def test_an_exercise_id_past_64_bits_is_refused_at_the_border(as_therapist, patient):
    response = as_therapist.post(
        PRESCRIPTIONS, {"patient": patient.pk, "items": [{"exercise": 2**70}]}, format="json"
    )

    assert errors(response, 400) == [("items.0.exercise", "out_of_range")]
