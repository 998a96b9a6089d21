"""What the prescribing workspace's picker reads from the public exercise list: each
exercise's cautions for one patient of the clinic (`?cautions_for=`), its default dose in
plain words, and exercises by id."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sciatica_patient(clinic):
    return factories.PatientFactory(clinic=clinic, conditions=[factories.ConditionFactory()])


def results(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {entry["name"]: entry for entry in response.json()["results"]}


def test_cautions_for_a_patient_are_in_clinician_words(as_therapist, sciatica_patient):
    sciatica = sciatica_patient.conditions.get()
    slump = factories.ExerciseFactory(name="Slump stretch")
    factories.CautionFactory(exercise=slump, condition=sciatica, severity="contraindication")
    factories.ExerciseFactory(name="Calf raise")
    knee = factories.ConditionFactory(slug="knee-replacement", name="Knee replacement")
    factories.CautionFactory(exercise=slump, condition=knee)  # not this patient's

    listed = results(as_therapist.get(f"/api/v1/exercises/?cautions_for={sciatica_patient.pk}"))

    assert listed["Slump stretch"]["patient_cautions"] == [
        {
            "condition": "sciatica",
            "severity": "contraindication",
            "text": "“Slump stretch” is contraindicated for Sciatica.",
        }
    ]
    assert listed["Calf raise"]["patient_cautions"] == []


def test_without_a_patient_the_cautions_are_not_read(as_therapist):
    factories.ExerciseFactory(name="Calf raise")

    assert results(as_therapist.get("/api/v1/exercises/"))["Calf raise"]["patient_cautions"] is None


@pytest.mark.parametrize("patient_id", ["other-clinic", "unknown", "word", "0"])
def test_another_clinics_patient_is_refused_naming_the_parameter(
    as_therapist, patient_id, other_clinic_user
):
    theirs = factories.PatientFactory(
        clinic=other_clinic_user.clinician.clinic, conditions=[factories.ConditionFactory()]
    )
    slump = factories.ExerciseFactory(name="Slump stretch")
    factories.CautionFactory(exercise=slump, condition=theirs.conditions.get())
    value = {"other-clinic": theirs.pk, "unknown": theirs.pk + 1000}.get(patient_id, patient_id)

    response = as_therapist.get(f"/api/v1/exercises/?cautions_for={value}")

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["attr"] == "cautions_for"
    assert "Slump" not in response.content.decode()


def test_the_same_url_answers_each_clinic_for_itself(
    api, therapist, other_clinic_user, sciatica_patient
):
    """A list naming a patient is never served from the catalogue's cache to another clinic."""
    factories.ExerciseFactory(name="Slump stretch")
    url = f"/api/v1/exercises/?cautions_for={sciatica_patient.pk}"
    api.force_authenticate(therapist)
    assert api.get(url).status_code == 200

    api.force_authenticate(other_clinic_user)

    assert api.get(url).status_code == 400


def test_default_dose_in_plain_words(as_therapist):
    factories.ExerciseFactory(
        name="Calf raise", default_reps=10, default_sets=2, default_hold_seconds=None
    )

    listed = results(as_therapist.get("/api/v1/exercises/"))

    assert listed["Calf raise"]["default_dose_text"] == (
        "Do 10 repetitions on each leg. Do 2 sets. Once a day, every day."
    )


def test_exercises_by_id(as_therapist):
    wanted = [factories.ExerciseFactory(name=name) for name in ("Bridge", "Plank")]
    factories.ExerciseFactory(name="Calf raise")
    ids = ",".join(str(exercise.pk) for exercise in wanted)

    assert set(results(as_therapist.get(f"/api/v1/exercises/?id={ids}"))) == {"Bridge", "Plank"}


@pytest.mark.parametrize("ids", ["1.5", "one", "1,x", "9223372036854775808"])
def test_ids_that_are_not_whole_numbers_are_refused(as_therapist, ids):
    response = as_therapist.get(f"/api/v1/exercises/?id={ids}")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"].startswith("id")


@pytest.mark.parametrize("size", [3, 30])
def test_cautions_cost_the_same_whatever_the_page(
    as_therapist, sciatica_patient, django_assert_num_queries, size
):
    sciatica = sciatica_patient.conditions.get()
    tag = factories.TagFactory()
    for _ in range(size):
        exercise = factories.ExerciseFactory(tags=[tag])
        factories.CautionFactory(exercise=exercise, condition=sciatica)
    factories.CautionFactory(tag=tag, condition=sciatica, severity="contraindication")

    # roles, the patient, their conditions, count, page of exercises with their body region,
    # equipment, tags, and the page's cautions for the conditions (never cached: per patient)
    with django_assert_num_queries(8):
        response = as_therapist.get(
            f"/api/v1/exercises/?cautions_for={sciatica_patient.pk}&page_size={size}"
        )

    entries = response.json()["results"]
    assert len(entries) == size
    assert all(len(entry["patient_cautions"]) == 2 for entry in entries)
