"""The dose in plain words, as the handout prints it."""

import pytest
from django.core.exceptions import ValidationError

from exercises.wording import dose_sentence
from prescriptions.dosing import parse_dose_entry
from tests import factories
from tests.prescriptions.support import item, pdf_text


def dose(**fields) -> dict:
    return {
        "hold_seconds": None,
        "reps": None,
        "sets": None,
        "rest_seconds": None,
        "times_per_day": None,
        "days_per_week": None,
        "duration_seconds": None,
        "side": None,
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        (
            dict(hold_seconds=30, reps=3, side="both", times_per_day=2, days_per_week=7),
            "Hold for 30 seconds. Do this 3 times on each leg. Twice a day, every day.",
        ),
        (
            dict(hold_seconds=20, reps=2, side="left", times_per_day=1, days_per_week=5),
            "Hold for 20 seconds. Do this 2 times, left leg only. Once a day, 5 days a week.",
        ),
        (
            dict(reps=10, sets=2, rest_seconds=30, times_per_day=1, days_per_week=3),
            "Do 10 repetitions. Do 2 sets. Rest for 30 seconds between sets. "
            "Once a day, 3 days a week.",
        ),
        (
            dict(reps=8, side="alternate", times_per_day=1, days_per_week=7),
            "Do this 8 times with each leg, taking turns. Once a day, every day.",
        ),
        (
            dict(duration_seconds=120, times_per_day=3, days_per_week=7),
            "Keep going for 2 minutes. 3 times a day, every day.",
        ),
        (
            dict(hold_seconds=1, reps=1, times_per_day=1, days_per_week=1),
            "Hold for 1 second. Do this once. Once a day, once a week.",
        ),
    ],
)
def test_the_handout_guides_example_sentences(fields, sentence):
    assert dose_sentence(dose(**fields), "leg") == sentence


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "60 seconds"),
        (119, "119 seconds"),
        (120, "2 minutes"),
        (121, "2 minutes 1 second"),
        (150, "2 minutes 30 seconds"),
        (180, "3 minutes"),
        (300, "5 minutes"),
        (3600, "60 minutes"),
    ],
)
def test_hold_time_in_seconds_then_minutes(seconds, words):
    assert dose_sentence(dose(hold_seconds=seconds)) == f"Hold for {words}."


def test_duration_in_minutes_and_seconds():
    assert (
        dose_sentence(dose(duration_seconds=150, times_per_day=1))
        == "Keep going for 2 minutes 30 seconds. Once a day."
    )


def test_rest_between_sets_uses_the_same_time_words():
    assert (
        dose_sentence(dose(reps=5, sets=3, rest_seconds=150))
        == "Do 5 repetitions. Do 3 sets. Rest for 2 minutes 30 seconds between sets."
    )


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        (dict(reps=1), "Do 1 repetition."),
        (dict(reps=2), "Do 2 repetitions."),
        (dict(hold_seconds=10, reps=2), "Hold for 10 seconds. Do this 2 times."),
        (dict(reps=10, sets=1, rest_seconds=30), "Do 10 repetitions."),
        (dict(reps=10, sets=2), "Do 10 repetitions. Do 2 sets."),
        (dict(reps=10, sets=2, rest_seconds=0), "Do 10 repetitions. Do 2 sets."),
        (dict(reps=5, times_per_day=6), "Do 5 repetitions. 6 times a day."),
        (dict(reps=5, days_per_week=1), "Do 5 repetitions. Once a week."),
        (dict(reps=5, days_per_week=2), "Do 5 repetitions. 2 days a week."),
    ],
)
def test_counts_sets_and_how_often(fields, sentence):
    assert dose_sentence(dose(**fields)) == sentence


@pytest.mark.parametrize(
    ("limb", "side", "sentence"),
    [
        ("arm", "both", "Do 10 repetitions on each arm."),
        ("arm", "left", "Do 10 repetitions, left arm only."),
        ("arm", "right", "Do 10 repetitions, right arm only."),
        ("arm", "alternate", "Do this 10 times with each arm, taking turns."),
        ("side", "both", "Do 10 repetitions on each side."),
        ("side", "left", "Do 10 repetitions, left side only."),
        ("side", "right", "Do 10 repetitions, right side only."),
        ("side", "alternate", "Do this 10 times with each side, taking turns."),
        ("leg", "right", "Do 10 repetitions, right leg only."),
        ("leg", None, "Do 10 repetitions."),
    ],
)
def test_the_side_names_the_limb(limb, side, sentence):
    assert dose_sentence(dose(reps=10, side=side), limb) == sentence


@pytest.mark.parametrize(
    ("seconds", "limb", "side", "sentence"),
    [
        (120, "leg", "both", "Keep going for 2 minutes on each leg. Once a day."),
        (90, "arm", "left", "Keep going for 90 seconds, left arm only. Once a day."),
        (
            60,
            "side",
            "alternate",
            "Keep going for 60 seconds with each side, taking turns. Once a day.",
        ),
    ],
)
def test_duration_with_a_side(seconds, limb, side, sentence):
    fields = dose(duration_seconds=seconds, side=side, times_per_day=1)

    assert dose_sentence(fields, limb) == sentence


@pytest.mark.parametrize(
    ("fields", "in_all", "sentence"),
    [
        (dict(reps=1), False, "Do this once with each leg, taking turns."),
        (dict(reps=1), True, "Do this once in all, with one leg."),
        (dict(reps=8), False, "Do this 8 times with each leg, taking turns."),
        (dict(reps=16), True, "Do this 16 times in all, changing legs each time."),
        (
            dict(hold_seconds=5, reps=8),
            False,
            "Hold for 5 seconds. Do this 8 times with each leg, taking turns.",
        ),
        (dict(hold_seconds=30), False, "Hold for 30 seconds with each leg, taking turns."),
        (
            dict(duration_seconds=120),
            True,
            "Keep going for 2 minutes in all, changing legs each time.",
        ),
    ],
)
def test_an_alternating_dose_says_whether_its_count_is_per_side_or_in_all(fields, in_all, sentence):
    """Bird-dog's "8 repetitions, switching each time" read as 8 or 16: the sentence says."""
    alternating = dose(side="alternate", **fields)

    assert dose_sentence(alternating, "leg", alternate_count_in_all=in_all) == sentence


def test_a_hold_without_reps_carries_the_side():
    assert dose_sentence(dose(hold_seconds=30, side="both"), "leg") == (
        "Hold for 30 seconds on each leg."
    )


@pytest.mark.django_db
def test_the_handout_names_the_limb_of_the_exercises_body_region(as_therapist, clinic):
    shoulders = factories.BodyRegionFactory(slug="shoulders", name="Shoulders", limb="arm")
    raise_ = factories.ExerciseFactory(
        name="Arm raise",
        body_region=shoulders,
        default_hold_seconds=None,
        default_reps=8,
        default_side="left",
        default_times_per_day=2,
        default_days_per_week=5,
    )
    stretch = factories.ExerciseFactory(name="Hamstring stretch")
    patient = factories.PatientFactory(clinic=clinic)
    response = as_therapist.post(
        "/api/v1/prescriptions/",
        {"patient": patient.pk, "items": [item(raise_), item(stretch, hold_seconds=150)]},
        format="json",
    )
    assert response.status_code == 201, response.content

    text = pdf_text(as_therapist.get(f"{response['Location']}handout/"))

    assert "Do 8 repetitions, left arm only. Twice a day, 5 days a week." in text
    assert (
        "Hold for 2 minutes 30 seconds. Do this 3 times on each leg. Once a day, every day." in text
    )


# What a therapist types in a dose box ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [("reps", "8", 8), ("reps", " 12 ", 12), ("rest_seconds", "0", 0), ("sets", "", None)],
)
def test_a_dose_box_reads_a_whole_number_in_range_and_an_empty_box_as_not_used(name, text, value):
    assert parse_dose_entry(name, text) == value


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("days_per_week", "5e", "Days a week: enter a whole number from 1 to 7."),
        ("reps", "8-12", "Reps: enter a whole number from 1 to 100."),
        ("sets", "1,5", "Sets: enter a whole number from 1 to 10."),
        ("reps", "twelve", "Reps: enter a whole number from 1 to 100."),
        ("reps", "2.5", "Reps: enter a whole number from 1 to 100."),
        ("reps", "-3", "Reps: enter a whole number from 1 to 100."),
        ("reps", "٣", "Reps: enter a whole number from 1 to 100."),
        ("reps", "500", "Reps: enter a whole number from 1 to 100."),
        ("days_per_week", "0", "Days a week: enter a whole number from 1 to 7."),
        ("hold_seconds", "9" * 5000, "Hold (s): enter a whole number from 1 to 300."),
    ],
)
def test_anything_else_in_a_dose_box_is_an_error_naming_the_field_never_a_blank(
    name, text, message
):
    with pytest.raises(ValidationError) as refused:
        parse_dose_entry(name, text)
    assert refused.value.messages == [message]
