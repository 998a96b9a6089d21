"""Property-based checks of the dose rules and the dose sentence (hypothesis)."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.dose import DOSE_BOUNDS, Side
from exercises.wording import dose_sentence
from prescriptions.models import Prescription
from tests import factories

BOUNDS = {bound.name: bound for bound in DOSE_BOUNDS}


def in_bounds(name):
    return st.one_of(st.none(), st.integers(BOUNDS[name].minimum, BOUNDS[name].maximum))


valid_doses = st.fixed_dictionaries(
    {
        "hold_seconds": in_bounds("hold_seconds"),
        "reps": in_bounds("reps"),
        "sets": in_bounds("sets"),
        "rest_seconds": in_bounds("rest_seconds"),
        "times_per_day": in_bounds("times_per_day"),
        "days_per_week": in_bounds("days_per_week"),
        "duration_seconds": in_bounds("duration_seconds"),
        "side": st.one_of(st.none(), st.sampled_from(Side.values)),
    }
).filter(lambda dose: dose["reps"] or dose["hold_seconds"] or dose["duration_seconds"])

SENTENCE = re.compile(r"^[A-Z0-9][^.]*\.( [A-Z0-9][^.]*\.)*$")


@settings(max_examples=300, deadline=None)
@given(dose=valid_doses, limb=st.sampled_from(["leg", "arm", "side"]))
def test_every_valid_dose_reads_as_whole_sentences(dose, limb):
    sentence = dose_sentence(dose, limb)
    assert SENTENCE.match(sentence), sentence
    assert "  " not in sentence
    assert " ," not in sentence and ",," not in sentence
    assert not re.search(r"\b1 (seconds|minutes|repetitions|times|sets|days)\b", sentence)
    assert not re.search(r"\b([2-9]|\d\d+) (second|minute|repetition|set)\b(?!s)", sentence)
    for name in ("hold_seconds", "reps", "duration_seconds"):
        if dose[name] and dose[name] > 1 and name == "reps":
            assert str(dose["reps"]) in sentence
    if dose["side"] and (dose["reps"] or dose["hold_seconds"] or dose["duration_seconds"]):
        assert limb in sentence


def out_of_bounds(name):
    bound = BOUNDS[name]
    return st.one_of(
        st.integers(max_value=bound.minimum - 1), st.integers(min_value=bound.maximum + 1)
    )


invalid_item = st.sampled_from([bound.name for bound in DOSE_BOUNDS]).flatmap(
    lambda name: st.tuples(st.just(name), out_of_bounds(name).filter(lambda v: abs(v) < 10**9))
)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bad=invalid_item, position=st.integers(0, 2))
def test_every_invalid_dose_is_a_400_naming_its_field(as_therapist, clinic, bad, position):
    name, value = bad
    exercise = factories.ExerciseFactory()
    patient = factories.PatientFactory(clinic=clinic)
    items = [{"exercise": exercise.pk} for _ in range(3)]
    items[position][name] = value
    before = Prescription.objects.count()
    response = as_therapist.post(
        "/api/v1/prescriptions/", {"patient": patient.pk, "items": items}, format="json"
    )
    assert response.status_code == 400
    attrs = {error["attr"] for error in response.json()["errors"]}
    assert attrs == {f"items.{position}.{name}"}
    assert Prescription.objects.count() == before
