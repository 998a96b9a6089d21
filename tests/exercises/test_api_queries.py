"""A page of the catalogue costs the same number of queries whatever its size."""

import pytest

from exercises.translations import translate
from tests import factories

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def rich_exercise(*, tags, equipment):
    exercise = factories.ExerciseFactory(tags=tags)
    exercise.equipment.set(equipment)
    return exercise


@pytest.mark.parametrize("size", SIZES)
def test_exercise_list(as_therapist, django_assert_num_queries, size):
    tags = [factories.TagFactory(), factories.TagFactory(slug="floor-work", name="Floor work")]
    equipment = [factories.EquipmentFactory(), factories.EquipmentFactory(slug="strap")]
    for _ in range(size):
        rich_exercise(tags=tags, equipment=equipment)

    # roles (asked once a request: whose cached list, editor's or clinician's, and what they
    # see), count, page of exercises with their body region, equipment, tags
    with django_assert_num_queries(5):
        response = as_therapist.get(f"/api/v1/exercises/?page_size={size}")

    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_exercise_list_with_every_filter(as_therapist, django_assert_num_queries, size):
    tag = factories.TagFactory()
    towel = factories.EquipmentFactory()
    factories.ConditionFactory()
    for _ in range(size):
        rich_exercise(tags=[tag], equipment=[towel])
    query = (
        "category=stretch&position=lying-on-back&equipment=towel&body_region=hamstrings"
        f"&tag=static-hold&condition_safe=sciatica&search=stretch&ordering=-difficulty&page_size={size}"
    )

    # + body region, tag, equipment slugs and the condition checked, and the search's words
    # of the catalogue (read once while the catalogue is unchanged)
    with django_assert_num_queries(10):
        response = as_therapist.get(f"/api/v1/exercises/?{query}")

    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_exercise_detail(as_therapist, django_assert_num_queries, size):
    tags = [factories.TagFactory(slug=f"tag-{index}", name=f"Tag {index}") for index in range(size)]
    exercise = factories.ExerciseFactory(
        steps=[f"Step {index}." for index in range(size)], tags=tags
    )
    exercise.equipment.set(
        [factories.EquipmentFactory(slug=f"kit-{index}") for index in range(size)]
    )
    for index in range(size):
        condition = factories.ConditionFactory(slug=f"condition-{index}", name=f"C{index}")
        factories.CautionFactory(condition=condition, exercise=exercise)
        factories.CautionFactory(condition=condition, tag=tags[index])
        factories.ExerciseReferenceFactory(exercise=exercise)

    # roles, exercise with its body region, equipment, tags, the tags' cautions, steps,
    # references, their sources, the exercise's own cautions
    with django_assert_num_queries(9):
        response = as_therapist.get(f"/api/v1/exercises/{exercise.pk}/")

    body = response.json()
    assert (len(body["steps"]), len(body["references"]), len(body["cautions"])) == (
        size,
        size,
        2 * size,
    )


@pytest.mark.parametrize("size", SIZES)
def test_condition_list(as_therapist, django_assert_num_queries, size):
    exercise = factories.ExerciseFactory()
    tag = factories.TagFactory()
    for index in range(size):
        condition = factories.ConditionFactory(slug=f"condition-{index}", name=f"C{index}")
        factories.CautionFactory(condition=condition, exercise=exercise)
        factories.CautionFactory(condition=condition, tag=tag)

    # roles (whose cached list), count, conditions, cautions, their exercises, their tags
    with django_assert_num_queries(6):
        response = as_therapist.get(f"/api/v1/conditions/?page_size={size}")

    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_condition_detail(as_therapist, django_assert_num_queries, size):
    condition = factories.ConditionFactory()
    for index in range(size):
        factories.CautionFactory(condition=condition, exercise=factories.ExerciseFactory())
        factories.CautionFactory(
            condition=condition, tag=factories.TagFactory(slug=f"tag-{index}", name="T")
        )

    # condition, cautions, their exercises, their tags
    with django_assert_num_queries(4):
        response = as_therapist.get(f"/api/v1/conditions/{condition.pk}/")

    assert len(response.json()["cautions"]) == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_assessment_list(as_therapist, django_assert_num_queries, size):
    factories.AssessmentFactory.create_batch(size)

    # roles (whose cached list), count, assessments
    with django_assert_num_queries(3):
        response = as_therapist.get(f"/api/v1/assessments/?page_size={size}")

    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_assessment_detail(as_therapist, django_assert_num_queries, size):
    assessment = factories.AssessmentFactory(
        procedure="\n".join(f"Step {index}." for index in range(size))
    )

    with django_assert_num_queries(1):
        response = as_therapist.get(f"/api/v1/assessments/{assessment.pk}/")

    assert len(response.json()["procedure"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_safety_note_list(as_therapist, django_assert_num_queries, size):
    conditions = [
        factories.ConditionFactory(),
        factories.ConditionFactory(slug="disc-injury", name="Disc injury"),
    ]
    for _ in range(size):
        note = factories.SafetyNoteFactory()
        for condition in conditions:
            factories.SafetyNoteVariantFactory(note=note, condition=condition)

    # roles (whose cached list), count, notes, variants, their conditions
    with django_assert_num_queries(5):
        response = as_therapist.get(f"/api/v1/safety-notes/?page_size={size}")

    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_safety_note_detail(as_therapist, django_assert_num_queries, size):
    note = factories.SafetyNoteFactory()
    for index in range(size):
        factories.SafetyNoteVariantFactory(
            note=note, condition=factories.ConditionFactory(slug=f"condition-{index}", name="C")
        )

    # note, variants, their conditions
    with django_assert_num_queries(3):
        response = as_therapist.get(f"/api/v1/safety-notes/{note.pk}/")

    assert len(response.json()["variants"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_a_spanish_page_reads_its_translations_once(as_therapist, django_assert_num_queries, size):
    for index in range(size):
        exercise = factories.ExerciseFactory(name=f"Stretch {index}")
        translate(exercise, "name", "es", f"Estiramiento {index}")

    # as the English list, + the Spanish translations (read once while the catalogue is
    # unchanged, for every page and record)
    with django_assert_num_queries(6):
        response = as_therapist.get(f"/api/v1/exercises/?page_size={size}&lang=es")

    assert {exercise["name"] for exercise in response.json()["results"]} == {
        f"Estiramiento {index}" for index in range(size)
    }


@pytest.mark.parametrize("size", SIZES)
def test_a_spanish_exercise_reads_its_translations_once(
    as_therapist, django_assert_num_queries, size
):
    exercise = factories.ExerciseFactory(steps=[f"Step {index}." for index in range(size)])
    for step in exercise.steps.all():
        translate(step, "text", "es", f"Paso {step.order}.")

    # roles, exercise with its body region, equipment, tags (none: no tags' cautions), steps,
    # references, its cautions, + the Spanish translations
    with django_assert_num_queries(8):
        response = as_therapist.get(f"/api/v1/exercises/{exercise.pk}/", {"lang": "es"})

    assert len(response.json()["steps"]) == size
    assert response.json()["steps"][0].startswith("Paso")
