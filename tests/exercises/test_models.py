import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from exercises.models import Caution, Exercise
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_difficulty_from_1_to_3_is_valid(difficulty):
    exercise = factories.ExerciseFactory(difficulty=difficulty)
    exercise.full_clean()


@pytest.mark.parametrize("difficulty", [0, 4])
def test_difficulty_outside_1_to_3_is_refused(difficulty):
    exercise = factories.ExerciseFactory.build(
        difficulty=difficulty, body_region=factories.BodyRegionFactory()
    )
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert set(error.value.message_dict) == {"difficulty"}


def test_database_refuses_a_difficulty_of_4():
    exercise = factories.ExerciseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.objects.filter(pk=exercise.pk).update(difficulty=4)


def test_advised_minimum_above_maximum_is_refused():
    exercise = factories.ExerciseFactory(advised_min_reps=5, advised_max_reps=3)
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert error.value.message_dict == {
        "advised_max_reps": ["The advised maximum is below the advised minimum."]
    }


@pytest.mark.parametrize(("minimum", "maximum"), [(3, 3), (2, 5), (None, 5), (5, None)])
def test_advised_range_with_minimum_at_most_maximum_is_valid(minimum, maximum):
    exercise = factories.ExerciseFactory(advised_min_reps=minimum, advised_max_reps=maximum)
    exercise.full_clean()
    assert exercise.advised_range()["reps"] == (minimum, maximum)


@pytest.mark.parametrize(
    ("status", "prescribable"), [("published", True), ("draft", False), ("archived", False)]
)
def test_only_published_exercises_can_be_prescribed(status, prescribable):
    assert factories.ExerciseFactory(status=status).is_prescribable is prescribable


def test_default_dose_reads_the_default_fields():
    exercise = factories.ExerciseFactory(
        default_hold_seconds=45, default_reps=2, default_side="left"
    )
    assert exercise.default_dose() == {
        "hold_seconds": 45,
        "reps": 2,
        "sets": 1,
        "rest_seconds": None,
        "times_per_day": 1,
        "days_per_week": 7,
        "duration_seconds": None,
        "side": "left",
    }


def test_a_caution_may_target_an_exercise():
    caution = factories.CautionFactory(exercise=factories.ExerciseFactory(name="Wall stretch"))
    assert str(caution) == "Sciatica → Wall stretch"


def test_a_caution_may_target_a_tag():
    caution = factories.CautionFactory(tag=factories.TagFactory())
    assert str(caution) == "Sciatica → #static-hold"


def test_a_caution_cannot_target_both_an_exercise_and_a_tag():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CautionFactory(exercise=factories.ExerciseFactory(), tag=factories.TagFactory())
    assert not Caution.objects.exists()


def test_a_caution_must_target_an_exercise_or_a_tag():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CautionFactory()
    assert not Caution.objects.exists()


def test_an_exercise_in_a_prescription_cannot_be_deleted():
    exercise = factories.ExerciseFactory()
    factories.PrescriptionFactory(items=[exercise])
    with pytest.raises(ProtectedError):
        exercise.delete()
    assert Exercise.objects.filter(pk=exercise.pk).exists()
