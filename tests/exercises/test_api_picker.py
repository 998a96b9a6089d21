"""What the prescribing workspace's picker reads from the public exercise list: each
exercise's cautions for a patient's conditions (`?cautions_for_conditions=`), its default
dose in plain words, and exercises by id."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sciatica(db):
    return factories.ConditionFactory(slug="sciatica", name="Sciatica")


def results(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {entry["name"]: entry for entry in response.json()["results"]}


def test_cautions_for_the_conditions_are_in_clinician_words(as_therapist, sciatica):
    slump = factories.ExerciseFactory(name="Slump stretch")
    factories.CautionFactory(exercise=slump, condition=sciatica, severity="contraindication")
    factories.ExerciseFactory(name="Calf raise")
    knee = factories.ConditionFactory(slug="knee-replacement", name="Knee replacement")
    factories.CautionFactory(exercise=slump, condition=knee)  # not asked for

    listed = results(as_therapist.get("/api/v1/exercises/?cautions_for_conditions=sciatica"))

    assert listed["Slump stretch"]["patient_cautions"] == [
        {
            "condition": "sciatica",
            "severity": "contraindication",
            "text": "“Slump stretch” is contraindicated for Sciatica.",
        }
    ]
    assert listed["Calf raise"]["patient_cautions"] == []


def test_several_conditions_at_once_and_none(as_therapist, sciatica):
    slump = factories.ExerciseFactory(name="Slump stretch")
    knee = factories.ConditionFactory(slug="knee-replacement", name="Knee replacement")
    factories.CautionFactory(exercise=slump, condition=sciatica)
    factories.CautionFactory(exercise=slump, condition=knee)

    both = results(
        as_therapist.get("/api/v1/exercises/?cautions_for_conditions=sciatica, knee-replacement")
    )
    none = results(as_therapist.get("/api/v1/exercises/?cautions_for_conditions="))

    assert {c["condition"] for c in both["Slump stretch"]["patient_cautions"]} == {
        "sciatica",
        "knee-replacement",
    }
    assert none["Slump stretch"]["patient_cautions"] == []


def test_without_conditions_the_cautions_are_not_read(as_therapist):
    factories.ExerciseFactory(name="Calf raise")

    assert results(as_therapist.get("/api/v1/exercises/"))["Calf raise"]["patient_cautions"] is None


def test_an_unknown_condition_is_refused_naming_the_parameter(as_therapist, sciatica):
    factories.ExerciseFactory(name="Slump stretch")

    response = as_therapist.get("/api/v1/exercises/?cautions_for_conditions=sciatica,sciatika")

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["attr"] == "cautions_for_conditions"
    assert error["detail"] == "Unknown: sciatika."


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
    as_therapist, sciatica, django_assert_num_queries, size
):
    tag = factories.TagFactory()
    for _ in range(size):
        exercise = factories.ExerciseFactory(tags=[tag])
        factories.CautionFactory(exercise=exercise, condition=sciatica)
    factories.CautionFactory(tag=tag, condition=sciatica, severity="contraindication")

    # roles, the conditions named, count, page of exercises with their body region,
    # equipment, tags, and the page's cautions for the conditions
    with django_assert_num_queries(7):
        response = as_therapist.get(
            f"/api/v1/exercises/?cautions_for_conditions=sciatica&page_size={size}"
        )

    entries = response.json()["results"]
    assert len(entries) == size
    assert all(len(entry["patient_cautions"]) == 2 for entry in entries)


def test_the_cautions_answer_from_the_catalogues_cache_until_a_caution_changes(
    as_therapist, sciatica, django_assert_num_queries
):
    """The list names no patient, so a repeated page of cautions costs no catalogue query."""
    slump = factories.ExerciseFactory(name="Slump stretch")
    url = "/api/v1/exercises/?cautions_for_conditions=sciatica"
    assert results(as_therapist.get(url))["Slump stretch"]["patient_cautions"] == []

    # None at all: the test client's user object keeps its roles from the first request.
    with django_assert_num_queries(0):
        cached = results(as_therapist.get(url))
    factories.CautionFactory(exercise=slump, condition=sciatica)
    changed = results(as_therapist.get(url))

    assert cached["Slump stretch"]["patient_cautions"] == []
    assert [c["condition"] for c in changed["Slump stretch"]["patient_cautions"]] == ["sciatica"]
