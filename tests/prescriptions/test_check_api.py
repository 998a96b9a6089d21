"""POST /api/v1/prescriptions/check/: a draft's errors and warnings as the create would give
them, every row at once, nothing saved, the read recorded."""

import pytest
from auditlog.models import LogEntry

from prescriptions.models import Prescription
from prescriptions.rules import MAX_ITEMS
from tests import factories

CHECK = "/api/v1/prescriptions/check/"


@pytest.fixture
def sciatica(db):
    return factories.ConditionFactory(slug="sciatica", name="Sciatica")


@pytest.fixture
def patient(clinic, sciatica):
    return factories.PatientFactory(clinic=clinic, conditions=[sciatica])


@pytest.fixture
def bridge(db):
    return factories.ExerciseFactory(name="Bridge")


@pytest.fixture
def seated_fold(sciatica):
    fold = factories.ExerciseFactory(name="Seated fold")
    factories.CautionFactory(condition=sciatica, exercise=fold, severity="contraindication")
    return fold


def by_field(answer) -> dict[str, str]:
    return {error["attr"]: error["detail"] for error in answer["errors"]}


def test_each_row_gets_the_errors_the_create_would_give_and_nothing_is_saved(
    as_therapist, patient, bridge, seated_fold
):
    items = [
        {"exercise": bridge.pk, "reps": "5e"},
        {"exercise": bridge.pk, "reps": 500},
        {"exercise": seated_fold.pk},
    ]
    answer = as_therapist.post(CHECK, {"patient": patient.pk, "items": items})
    assert answer.status_code == 200, answer.content
    errors = by_field(answer.json())
    assert errors["items.0.reps"] == "Reps: enter a whole number from 1 to 100."
    assert errors["items.1.reps"] == "Reps: enter a whole number from 1 to 100."
    assert "Seated fold" in errors["items.2.exercise"]
    assert len(answer.json()["errors"]) == 3
    created = as_therapist.post("/api/v1/prescriptions/", {"patient": patient.pk, "items": items})
    assert created.status_code == 400
    assert {error["attr"] for error in created.json()["errors"]} >= {"items.0.reps", "items.1.reps"}
    assert Prescription.objects.count() == 0


def test_a_row_after_a_row_with_an_error_keeps_its_own_number_and_warnings(
    as_therapist, patient, bridge, seated_fold
):
    warned = factories.ExerciseFactory(name="Knee hug")
    factories.CautionFactory(condition=patient.conditions.get(), exercise=warned)
    items = [
        {"exercise": bridge.pk, "sets": "two"},
        {"exercise": warned.pk},
        {
            "exercise": seated_fold.pk,
            "acknowledge_contraindication": True,
            "contraindication_reason": "Agreed with the consultant on 3 May.",
        },
    ]
    answer = as_therapist.post(CHECK, {"patient": patient.pk, "items": items}).json()
    assert set(by_field(answer)) == {"items.0.sets"}
    cautions = {
        (warning["item"], warning["severity"])
        for warning in answer["warnings"]
        if warning["code"] != "outside_advised_range"
    }
    assert (1, "warning") in cautions
    assert (2, "contraindication") in cautions
    assert all(warning["item"] != 0 for warning in answer["warnings"])


def test_a_clean_draft_has_no_errors(as_therapist, patient, bridge):
    answer = as_therapist.post(CHECK, {"patient": patient.pk, "items": [{"exercise": bridge.pk}]})
    assert answer.status_code == 200
    assert answer.json()["errors"] == []


def test_for_issue_adds_the_rules_of_issuing(as_therapist, patient):
    hold = factories.ExerciseFactory(name="Wall sit", required_dose_fields=["hold_seconds"])
    draft = {"patient": patient.pk, "items": [{"exercise": hold.pk, "hold_seconds": None}]}
    assert as_therapist.post(CHECK, draft).json()["errors"] == []
    issuing = as_therapist.post(f"{CHECK}?for_issue=1", draft).json()
    assert set(by_field(issuing)) == {"items.0.hold_seconds"}
    assert by_field(issuing)["items.0.hold_seconds"].endswith("Set it before issuing.")


def test_the_dates_are_checked_as_the_create_checks_them(as_therapist, patient, bridge):
    draft = {
        "patient": patient.pk,
        "start_date": "2026-12-07",
        "review_date": "2026-11-01",
        "items": [{"exercise": bridge.pk}],
    }
    assert by_field(as_therapist.post(CHECK, draft).json()) == {
        "review_date": "The review date is before the start date."
    }


def test_the_check_is_recorded_as_a_read_of_the_patient(as_therapist, therapist, patient, bridge):
    as_therapist.post(CHECK, {"patient": patient.pk, "items": [{"exercise": bridge.pk}]})
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
    assert entry.object_pk == str(patient.pk)
    assert entry.actor == therapist
    assert entry.additional_data["event"] == "check"


def test_another_clinics_patient_cannot_be_checked(as_other_clinic, patient, bridge):
    answer = as_other_clinic.post(
        CHECK, {"patient": patient.pk, "items": [{"exercise": bridge.pk}]}
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "patient"
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_without_a_patient_the_items_are_checked_as_a_templates(as_therapist, seated_fold):
    answer = as_therapist.post(CHECK, {"items": [{"exercise": seated_fold.pk, "reps": "1,5"}]})
    assert answer.status_code == 200
    assert by_field(answer.json()) == {"items.0.reps": "Reps: enter a whole number from 1 to 100."}
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


@pytest.mark.parametrize(
    "body",
    [
        [],
        "items",
        {"patient": "x", "items": []},
        {"patient": 2**70, "items": []},
    ],
)
def test_a_body_that_is_no_draft_answers_400(as_therapist, patient, body):
    assert as_therapist.post(CHECK, body, format="json").status_code == 400


@pytest.mark.parametrize(
    "items",
    [
        "bridge",
        {"exercise": 1},
        [{"exercise": 1}] * (MAX_ITEMS + 1),
        [[]] * 5000,
    ],
)
def test_items_that_are_not_a_short_list_answer_400(as_therapist, patient, items):
    answer = as_therapist.post(CHECK, {"patient": patient.pk, "items": items}, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "items"


@pytest.mark.parametrize(
    "item",
    [
        [],
        "x",
        None,
        {"exercise": "x"},
        {"exercise": True},
        {"exercise": 1, "reps": {"a": 1}},
        {"exercise": 1, "reps": [5]},
        {"exercise": 1, "reps": 2.5},
        {"exercise": 1, "reps": "9" * 40},
        {"exercise": 1, "side": ["left"]},
    ],
)
def test_a_malformed_item_is_an_error_at_that_item(as_therapist, patient, bridge, item):
    answer = as_therapist.post(
        CHECK, {"patient": patient.pk, "items": [{"exercise": bridge.pk}, item]}, format="json"
    )
    assert answer.status_code == 200, answer.content
    attributes = {error["attr"] for error in answer.json()["errors"]}
    assert attributes and all(attribute.startswith("items.1") for attribute in attributes)


def test_a_number_no_database_column_holds_is_refused_at_its_field(as_therapist, patient):
    items = [{"exercise": 2**70}]
    answer = as_therapist.post(CHECK, {"patient": patient.pk, "items": items}, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "items.0.exercise"


def test_json_nested_deeper_than_it_can_read_answers_400(as_therapist, patient):
    deep = "[" * 100_000 + "]" * 100_000
    body = f'{{"patient": {patient.pk}, "items": {deep}}}'
    answer = as_therapist.post(CHECK, body, content_type="application/json")
    assert answer.status_code == 400
