import re

import pytest

from exercises.dose import DOSE_BOUNDS
from prescriptions.models import Prescription
from tests import factories
from tests.prescriptions.support import (
    error_detail,
    errors,
    issue_via_api,
    item,
    pdf_text,
    saved_rows,
)

pytestmark = pytest.mark.django_db

PRESCRIPTIONS = "/api/v1/prescriptions/"


def detail(prescription) -> str:
    return f"{PRESCRIPTIONS}{prescription if isinstance(prescription, int) else prescription.pk}/"


def create(api, patient, items, **fields):
    return api.post(PRESCRIPTIONS, {"patient": patient.pk, "items": items, **fields}, format="json")


def doses(response) -> list[tuple]:
    return [
        (i["exercise"], i["hold_seconds"], i["reps"], i["sets"], i["side"])
        for i in response.json()["items"]
    ]


# Creating ---------------------------------------------------------------------------------


def test_create_answers_201_with_location_etag_and_the_signed_in_clinician(
    as_therapist, therapist, colleague, patient, exercise
):
    response = create(
        as_therapist,
        patient,
        [item(exercise)],
        clinician=colleague.pk,
        status="issued",
        version=7,
        notes="Ease the pull at the back of your thighs.",
        start_date="2026-01-05",
        review_date="2026-02-02",
    )

    assert response.status_code == 201, response.content
    prescription = Prescription.objects.get()
    assert response["Location"] == f"http://testserver{detail(prescription)}"
    assert response["ETag"].startswith(f'"rx{prescription.pk}-1-')
    body = response.json()
    assert body["clinician"]["id"] == therapist.pk
    assert (body["status"], body["version"], body["supersedes"]) == ("draft", 1, None)
    assert (body["patient"], body["start_date"], body["review_date"]) == (
        patient.pk,
        "2026-01-05",
        "2026-02-02",
    )
    assert body["notes"] == "Ease the pull at the back of your thighs."
    assert prescription.clinician == therapist
    assert prescription.status == "draft"


def test_items_keep_the_order_they_were_sent_in(as_therapist, patient):
    first, second, third = (factories.ExerciseFactory(name=n) for n in ("Bridge", "Clam", "Plank"))

    response = create(
        as_therapist,
        patient,
        [item(third, notes="last on the list"), item(first), item(second), item(first, reps=5)],
    )

    assert response.status_code == 201, response.content
    shown = as_therapist.get(response["Location"]).json()["items"]
    assert [(i["exercise_name"], i["reps"]) for i in shown] == [
        ("Plank", 3),
        ("Bridge", 3),
        ("Clam", 3),
        ("Bridge", 5),
    ]
    assert shown[0]["notes"] == "last on the list"


def test_dose_left_out_is_the_exercise_default_and_null_means_not_used(
    as_therapist, patient, exercise
):
    response = create(
        as_therapist, patient, [item(exercise, reps=5, side=None, days_per_week=None)]
    )

    assert response.status_code == 201, response.content
    (saved,) = response.json()["items"]
    assert {name: saved[name] for name in (*(b.name for b in DOSE_BOUNDS), "side")} == {
        "hold_seconds": 30,
        "reps": 5,
        "sets": 1,
        "rest_seconds": None,
        "times_per_day": 1,
        "days_per_week": None,
        "duration_seconds": None,
        "side": None,
    }


def test_editing_the_catalogue_later_never_changes_a_saved_dose(as_therapist, patient, exercise):
    location = create(as_therapist, patient, [item(exercise)])["Location"]

    exercise.default_hold_seconds = 45
    exercise.default_reps = 10
    exercise.default_side = "left"
    exercise.save()

    assert doses(as_therapist.get(location)) == [(exercise.pk, 30, 3, 1, "both")]


def test_an_empty_draft_can_be_saved(as_therapist, patient):
    response = as_therapist.post(PRESCRIPTIONS, {"patient": patient.pk}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["items"] == []


# Updating ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_with_items_replaces_the_whole_list(as_therapist, patient, exercise, method):
    bridge = factories.ExerciseFactory(name="Bridge")
    location = create(as_therapist, patient, [item(exercise), item(exercise), item(bridge)])[
        "Location"
    ]

    response = getattr(as_therapist, method)(
        location,
        {"patient": patient.pk, "items": [item(bridge, reps=8, hold_seconds=None)]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert doses(as_therapist.get(location)) == [(bridge.pk, None, 8, 1, "both")]
    assert Prescription.objects.get().items.count() == 1


def test_patch_without_items_keeps_them(as_therapist, patient, exercise):
    location = create(as_therapist, patient, [item(exercise, reps=4)])["Location"]

    response = as_therapist.patch(location, {"notes": "Walk daily too."}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["notes"] == "Walk daily too."
    assert doses(response) == [(exercise.pk, 30, 4, 1, "both")]


def test_patch_cannot_change_clinician_status_or_version(
    as_colleague, therapist, colleague, patient, exercise
):
    prescription = factories.PrescriptionFactory(
        patient=patient, clinician=therapist, items=[exercise]
    )

    response = as_colleague.patch(
        detail(prescription),
        {"clinician": colleague.pk, "status": "issued", "version": 3},
        format="json",
    )

    assert response.status_code == 200, response.content
    prescription.refresh_from_db()
    assert (prescription.clinician, prescription.status, prescription.version) == (
        therapist,
        "draft",
        1,
    )


def test_a_rejected_update_changes_nothing(as_therapist, patient, exercise):
    created = create(as_therapist, patient, [item(exercise)], notes="Before")
    location, etag = created["Location"], created["ETag"]

    response = as_therapist.patch(
        location,
        {"notes": "After", "items": [item(exercise), item(exercise, reps=101)]},
        format="json",
    )

    assert errors(response, 400) == [("items.1.reps", "max_value")]
    after = as_therapist.get(location)
    assert after["ETag"] == etag
    assert after.json()["notes"] == "Before"
    assert doses(after) == [(exercise.pk, 30, 3, 1, "both")]


def test_a_rule_rejected_update_changes_nothing(as_therapist, patient, exercise):
    draft_exercise = factories.ExerciseFactory(status="draft")
    created = create(as_therapist, patient, [item(exercise)], notes="Before")

    response = as_therapist.patch(
        created["Location"],
        {"notes": "After", "items": [item(draft_exercise)]},
        format="json",
    )

    assert errors(response, 400) == [("items.0.exercise", "does_not_exist")]
    after = as_therapist.get(created["Location"])
    assert (after["ETag"], after.json()["notes"]) == (created["ETag"], "Before")
    assert doses(after) == [(exercise.pk, 30, 3, 1, "both")]


# Dose rules -------------------------------------------------------------------------------

OUT_OF_BOUNDS = [
    (bound.name, value, "min_value" if value < bound.minimum else "max_value")
    for bound in DOSE_BOUNDS
    for value in (bound.minimum - 1, bound.maximum + 1)
]


@pytest.mark.parametrize(("field", "value", "code"), OUT_OF_BOUNDS)
def test_dose_outside_the_bounds_is_400_on_that_item_and_field_and_saves_nothing(
    as_therapist, patient, exercise, field, value, code
):
    before = saved_rows()

    response = create(
        as_therapist, patient, [item(exercise), item(exercise), item(exercise, **{field: value})]
    )

    assert errors(response, 400) == [(f"items.2.{field}", code)]
    assert saved_rows() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [(bound.name, value) for bound in DOSE_BOUNDS for value in (bound.minimum, bound.maximum)],
)
def test_dose_on_the_bounds_is_accepted(as_therapist, patient, exercise, field, value):
    response = create(as_therapist, patient, [item(exercise, **{field: value})])

    assert response.status_code == 201, response.content
    assert response.json()["items"][0][field] == value


def test_side_must_be_one_of_the_four(as_therapist, patient, exercise):
    response = create(as_therapist, patient, [item(exercise, side="middle")])

    assert errors(response, 400) == [("items.0.side", "invalid_choice")]


@pytest.mark.parametrize("side", ["left", "right", "both", "alternate", None])
def test_every_side_is_accepted(as_therapist, patient, exercise, side):
    response = create(as_therapist, patient, [item(exercise, side=side)])

    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["side"] == side


def test_a_dose_without_reps_hold_or_duration_is_400(as_therapist, patient, exercise):
    before = saved_rows()

    response = create(as_therapist, patient, [item(exercise, reps=None, hold_seconds=None)])

    assert errors(response, 400) == [("items.0.reps", "out_of_bounds")]
    assert saved_rows() == before


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_an_unpublished_exercise_answers_as_an_unknown_id_would(
    as_therapist, patient, exercise, status
):
    unpublished = factories.ExerciseFactory(status=status, name="Secret new protocol")
    before = saved_rows()

    response = create(as_therapist, patient, [item(exercise), item(unpublished)])
    unknown = create(as_therapist, patient, [item(exercise), {"exercise": unpublished.pk + 1000}])

    assert errors(response, 400) == [("items.1.exercise", "does_not_exist")]
    assert "Secret new protocol" not in response.content.decode()
    assert error_detail(response).replace(str(unpublished.pk), "N") == error_detail(
        unknown
    ).replace(str(unpublished.pk + 1000), "N")
    assert saved_rows() == before


def test_unknown_exercise_is_400(as_therapist, patient):
    response = create(as_therapist, patient, [{"exercise": 999999}])

    assert errors(response, 400) == [("items.0.exercise", "does_not_exist")]


def test_another_clinics_patient_is_400_on_patient(as_therapist, other_clinic, exercise):
    elsewhere = factories.PatientFactory(clinic=other_clinic)
    before = saved_rows()

    response = create(as_therapist, elsewhere, [item(exercise)])

    assert errors(response, 400) == [("patient", "does_not_exist")]
    assert saved_rows() == before


def test_moving_a_draft_to_another_clinics_patient_is_400(as_therapist, patient, other_clinic):
    prescription = factories.PrescriptionFactory(patient=patient)
    elsewhere = factories.PatientFactory(clinic=other_clinic)

    response = as_therapist.patch(detail(prescription), {"patient": elsewhere.pk}, format="json")

    assert errors(response, 400) == [("patient", "does_not_exist")]
    prescription.refresh_from_db()
    assert prescription.patient == patient


def test_review_before_start_is_400(as_therapist, patient, exercise):
    response = create(
        as_therapist,
        patient,
        [item(exercise)],
        start_date="2026-03-01",
        review_date="2026-02-01",
    )

    assert errors(response, 400) == [("review_date", "invalid")]


@pytest.mark.parametrize(
    ("change", "attr", "code"),
    [
        ({"notes": "x" * 5001}, "notes", "max_length"),
        ({"items": [{"exercise": "EX", "notes": "x" * 1001}]}, "items.0.notes", "max_length"),
        ({"items": [{"exercise": "EX", "reps": "ten"}]}, "items.0.reps", "invalid"),
        ({"items": [{"exercise": "EX", "reps": 2.5}]}, "items.0.reps", "invalid"),
        ({"items": [{"exercise": "EX", "reps": True}]}, "items.0.reps", "invalid"),
        ({"items": [{"exercise": "EX", "reps": [3]}]}, "items.0.reps", "invalid"),
        ({"items": [{"exercise": "EX", "side": 3}]}, "items.0.side", "invalid_choice"),
        (
            {"items": [{"exercise": "EX", "acknowledge_contraindication": "maybe"}]},
            "items.0.acknowledge_contraindication",
            "invalid",
        ),
        ({"items": [{"exercise": "one"}]}, "items.0.exercise", "incorrect_type"),
        ({"items": [{}]}, "items.0.exercise", "required"),
        ({"items": {"exercise": "EX"}}, "items", "not_a_list"),
        ({"items": ["EX"]}, "items.0.non_field_errors", "invalid"),
        ({"patient": "someone"}, "patient", "incorrect_type"),
        ({"patient": None}, "patient", "null"),
        ({"start_date": "tomorrow"}, "start_date", "invalid"),
        ({"notes": None}, "notes", "null"),
    ],
)
def test_wrong_types_and_oversized_text_are_400_and_save_nothing(
    as_therapist, patient, exercise, change, attr, code
):
    def with_exercise(value):
        if value == "EX":
            return exercise.pk
        if isinstance(value, dict):
            return {k: with_exercise(v) for k, v in value.items()}
        if isinstance(value, list):
            return [with_exercise(v) for v in value]
        return value

    before = saved_rows()

    response = as_therapist.post(
        PRESCRIPTIONS, {"patient": patient.pk, **with_exercise(change)}, format="json"
    )

    assert errors(response, 400) == [(attr, code)]
    assert saved_rows() == before


def test_malformed_json_is_400_and_saves_nothing(as_therapist, patient):
    before = saved_rows()

    response = as_therapist.generic(
        "POST", PRESCRIPTIONS, f'{{"patient": {patient.pk}, "items": [', "application/json"
    )

    assert errors(response, 400, "client_error") == [(None, "parse_error")]
    assert saved_rows() == before


def test_more_than_100_items_is_400_on_items(as_therapist, patient, exercise):
    before = saved_rows()

    response = create(as_therapist, patient, [item(exercise)] * 101)

    assert errors(response, 400) == [("items", "max_length")]
    assert saved_rows() == before


def test_100_items_are_accepted(as_therapist, patient, exercise):
    response = create(as_therapist, patient, [item(exercise)] * 100)

    assert response.status_code == 201, response.content
    assert len(response.json()["items"]) == 100


# Warnings ---------------------------------------------------------------------------------


@pytest.fixture
def sciatica(db):
    return factories.ConditionFactory(slug="sciatica", name="Sciatica")


@pytest.fixture
def sciatica_patient(clinic, sciatica):
    return factories.PatientFactory(clinic=clinic, conditions=[sciatica])


def test_a_caution_for_the_patients_condition_is_a_warning(
    as_therapist, sciatica_patient, sciatica, exercise
):
    bridge = factories.ExerciseFactory(name="Bridge")
    factories.CautionFactory(
        condition=sciatica,
        exercise=exercise,
        text="Stop if it tingles.",
        clinician_text="Static holds can irritate the nerve; keep it light.",
    )

    response = create(as_therapist, sciatica_patient, [item(bridge), item(exercise)])

    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == [
        {
            "code": "caution",
            "severity": "warning",
            "item": 1,
            "exercise": exercise.pk,
            "condition": "sciatica",
            "message": f"“{exercise.name}”, {sciatica.name}: "
            "Static holds can irritate the nerve; keep it light.",
            "patient_text": "Stop if it tingles.",
        }
    ]


def test_a_caution_without_clinician_text_still_names_the_exercise_for_the_clinician(
    as_therapist, sciatica_patient, sciatica, exercise
):
    factories.CautionFactory(condition=sciatica, exercise=exercise, text="Stop if it tingles.")

    response = create(as_therapist, sciatica_patient, [item(exercise)])

    (warning,) = response.json()["warnings"]
    assert warning["message"] == (
        f"“{exercise.name}” needs care with {sciatica.name}; "
        "the handout prints the caution for the patient."
    )
    assert warning["patient_text"] == "Stop if it tingles."


def test_a_dose_field_the_exercise_does_not_use_is_a_warning(as_therapist, patient):
    massage = factories.ExerciseFactory(
        name="Self hamstring massage",
        default_hold_seconds=None,
        advised_min_hold_seconds=None,
        advised_max_hold_seconds=None,
        default_reps=None,
        default_duration_seconds=120,
    )

    response = create(as_therapist, patient, [item(massage, hold_seconds=30, sets=3)])

    assert response.status_code == 201, response.content
    assert [(w["code"], w["item"], w["message"]) for w in response.json()["warnings"]] == [
        (
            "unused_dose_field",
            0,
            "“Self hamstring massage” does not use hold (s), yet 30 is set and will print on "
            "the handout.",
        )
    ]


def test_rest_between_sets_counts_as_used_with_more_than_one_set(as_therapist, patient, exercise):
    response = create(as_therapist, patient, [item(exercise, sets=3, rest_seconds=30)])
    assert response.json()["warnings"] == []
    response = create(as_therapist, patient, [item(exercise, sets=1, rest_seconds=30)])
    assert [w["code"] for w in response.json()["warnings"]] == ["unused_dose_field"]


def test_a_caution_through_the_exercises_tag_is_a_warning(as_therapist, sciatica_patient, sciatica):
    tag = factories.TagFactory(slug="loaded-flexion", name="Loaded flexion")
    tagged = factories.ExerciseFactory(tags=[tag])
    factories.CautionFactory(condition=sciatica, tag=tag, text="Keep the bend small.")

    response = create(as_therapist, sciatica_patient, [item(tagged)])

    assert response.status_code == 201, response.content
    assert [
        (w["code"], w["item"], w["condition"], w["patient_text"])
        for w in response.json()["warnings"]
    ] == [("caution", 0, "sciatica", "Keep the bend small.")]


def test_a_caution_for_a_condition_the_patient_does_not_have_is_silent(
    as_therapist, patient, sciatica, exercise
):
    factories.CautionFactory(condition=sciatica, exercise=exercise, severity="contraindication")

    response = create(as_therapist, patient, [item(exercise)])

    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == []


def test_a_dose_outside_the_advised_range_is_information(as_therapist, patient, exercise):
    response = create(as_therapist, patient, [item(exercise, hold_seconds=90)])

    assert response.status_code == 201, response.content
    (warning,) = response.json()["warnings"]
    assert (warning["code"], warning["severity"], warning["item"], warning["exercise"]) == (
        "outside_advised_range",
        "info",
        0,
        exercise.pk,
    )
    assert "90" in warning["message"]
    assert "20–60" in warning["message"]


def test_a_dose_inside_the_advised_range_has_no_warning(as_therapist, patient, exercise):
    response = create(as_therapist, patient, [item(exercise, hold_seconds=60)])

    assert response.json()["warnings"] == []


@pytest.mark.parametrize("through", ["exercise", "tag"])
def test_a_contraindicated_item_is_refused_and_saves_nothing(
    as_therapist, sciatica_patient, sciatica, exercise, through
):
    tag = factories.TagFactory(slug="end-range", name="End range")
    risky = factories.ExerciseFactory(name="Slump stretch", tags=[tag])
    target = {"exercise": risky} if through == "exercise" else {"tag": tag}
    factories.CautionFactory(condition=sciatica, severity="contraindication", **target)
    before = saved_rows()

    response = create(as_therapist, sciatica_patient, [item(exercise), item(risky)])

    assert errors(response, 400) == [("items.1.exercise", "contraindicated")]
    assert saved_rows() == before


def test_an_acknowledged_contraindication_is_saved_with_its_warning(
    as_therapist, sciatica_patient, sciatica, exercise
):
    factories.CautionFactory(
        condition=sciatica,
        exercise=exercise,
        severity="contraindication",
        text="Not with sciatica.",
        acknowledged_text="Your clinician has agreed this with you: go gently.",
    )

    response = create(
        as_therapist,
        sciatica_patient,
        [item(exercise, acknowledge_contraindication=True, contraindication_reason=REASON)],
    )

    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["acknowledge_contraindication"] is True
    assert response.json()["items"][0]["contraindication_reason"] == REASON
    assert response.json()["warnings"] == [
        {
            "code": "contraindication",
            "severity": "contraindication",
            "item": 0,
            "exercise": exercise.pk,
            "condition": "sciatica",
            "message": f"“{exercise.name}” is contraindicated for {sciatica.name}.",
            "patient_text": "Your clinician has agreed this with you: go gently.",
        }
    ]


REASON = "Disc symptoms settled; checked in clinic on 1 December."


@pytest.mark.parametrize("reason", [None, "", "   ", "too short", "x" * 501])
def test_an_acknowledged_contraindication_without_a_reason_is_refused_and_saves_nothing(
    as_therapist, sciatica_patient, sciatica, exercise, reason
):
    factories.CautionFactory(condition=sciatica, exercise=exercise, severity="contraindication")
    given = {} if reason is None else {"contraindication_reason": reason}
    before = saved_rows()

    response = create(
        as_therapist,
        sciatica_patient,
        [item(exercise, acknowledge_contraindication=True, **given)],
    )

    assert response.status_code == 400, response.content
    assert ("items.0.contraindication_reason") in [
        error["attr"] for error in response.json()["errors"]
    ]
    assert saved_rows() == before


def test_an_acknowledgement_no_contraindication_applies_to_is_refused_and_saves_nothing(
    as_therapist, sciatica_patient, exercise
):
    """An acknowledgement belongs to its exercise: left ticked on another one (a row switched
    to a safe exercise), it would put "prescribed despite" on the wrong exercise's record."""
    before = saved_rows()

    response = create(
        as_therapist,
        sciatica_patient,
        [item(exercise, acknowledge_contraindication=True, contraindication_reason=REASON)],
    )

    assert errors(response, 400) == [
        ("items.0.acknowledge_contraindication", "nothing_to_acknowledge")
    ]
    assert saved_rows() == before


# ETags ------------------------------------------------------------------------------------


@pytest.fixture
def draft(patient, exercise):
    return factories.PrescriptionFactory(patient=patient, items=[exercise])


def test_detail_carries_a_strong_etag(as_therapist, draft):
    response = as_therapist.get(detail(draft))

    assert response.status_code == 200
    # Its row version, then a digest of what other rows decide (its warnings).
    assert re.fullmatch(rf'"rx{draft.pk}-1-[0-9a-f]{{16}}"', response["ETag"])


def test_update_with_the_current_etag_succeeds_and_answers_a_new_one(as_therapist, draft):
    etag = as_therapist.get(detail(draft))["ETag"]

    response = as_therapist.patch(
        detail(draft), {"notes": "Second thoughts"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] not in ("", etag)
    assert as_therapist.get(detail(draft))["ETag"] == response["ETag"]


def test_update_with_a_stale_etag_is_412_and_changes_nothing(as_therapist, as_colleague, draft):
    etag = as_therapist.get(detail(draft))["ETag"]
    as_colleague.patch(detail(draft), {"notes": "Colleague's change"}, format="json")

    response = as_therapist.patch(
        detail(draft), {"notes": "Mine"}, format="json", HTTP_IF_MATCH=etag
    )

    assert errors(response, 412) == [(None, "precondition_failed")]
    assert as_therapist.get(detail(draft)).json()["notes"] == "Colleague's change"


@pytest.mark.parametrize("stale", ['W/"{current}"', '"rx0-1"', "not-an-etag"])
def test_a_weak_or_foreign_etag_does_not_match(as_therapist, draft, stale):
    current = as_therapist.get(detail(draft))["ETag"].strip('"')

    response = as_therapist.put(
        detail(draft),
        {"patient": draft.patient_id, "notes": "x"},
        format="json",
        HTTP_IF_MATCH=stale.format(current=current),
    )

    assert errors(response, 412) == [(None, "precondition_failed")]


@pytest.mark.parametrize("if_match", ['"rx0-1", {current}', "*"])
def test_if_match_with_a_list_or_star_matches_the_current_etag(as_therapist, draft, if_match):
    current = as_therapist.get(detail(draft))["ETag"]

    response = as_therapist.patch(
        detail(draft),
        {"notes": "Fine"},
        format="json",
        HTTP_IF_MATCH=if_match.format(current=current),
    )

    assert response.status_code == 200, response.content


def test_update_without_if_match_is_allowed(as_therapist, draft):
    response = as_therapist.put(
        detail(draft), {"patient": draft.patient_id, "notes": "No precondition"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response["ETag"].startswith(f'"rx{draft.pk}-2-')


# Who sees what ----------------------------------------------------------------------------


def test_colleagues_see_change_issue_and_delete_each_others_drafts(as_colleague, patient, exercise):
    mine = factories.PrescriptionFactory(patient=patient, items=[exercise])
    another = factories.PrescriptionFactory(patient=patient, items=[exercise])

    assert [p["id"] for p in as_colleague.get(PRESCRIPTIONS).json()["results"]] == [
        another.pk,
        mine.pk,
    ]
    assert as_colleague.get(detail(mine)).status_code == 200
    assert as_colleague.patch(detail(mine), {"notes": "x"}, format="json").status_code == 200
    assert issue_via_api(as_colleague, detail(mine)).status_code == 200
    assert as_colleague.delete(detail(another)).status_code == 204


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("put", "", {"notes": "taken over"}),
        ("patch", "", {"notes": "taken over"}),
        ("delete", "", None),
        ("post", "issue/", None),
        ("post", "revise/", None),
        ("post", "void/", {"reason": "taken over"}),
        ("post", "save-as-template/", {"name": "Stolen"}),
        ("get", "handout/", None),
    ],
)
def test_another_clinics_prescription_answers_404_everywhere(
    as_therapist, as_other_clinic, patient, exercise, method, suffix, body
):
    issued = factories.PrescriptionFactory(patient=patient, items=[exercise])
    draft = factories.PrescriptionFactory(patient=patient, items=[exercise])
    assert issue_via_api(as_therapist, detail(issued)).status_code == 200
    before = saved_rows()

    for prescription in (draft, issued):
        response = getattr(as_other_clinic, method)(
            f"{detail(prescription)}{suffix}", body, format="json"
        )
        assert errors(response, 404) == [(None, "not_found")]

    assert saved_rows() == before
    assert [p.status for p in Prescription.objects.order_by("pk")] == ["issued", "draft"]
    assert not Prescription.objects.filter(notes="taken over").exists()


def test_another_clinics_prescriptions_are_not_listed(as_other_clinic, draft):
    assert as_other_clinic.get(PRESCRIPTIONS).json()["count"] == 0
    assert as_other_clinic.get(PRESCRIPTIONS, {"patient": draft.patient_id}).json()["count"] == 0


def test_superuser_sees_every_clinic(as_superuser, draft, other_clinic):
    elsewhere = factories.PrescriptionFactory(patient=factories.PatientFactory(clinic=other_clinic))

    listed = {p["id"] for p in as_superuser.get(PRESCRIPTIONS).json()["results"]}

    assert listed == {draft.pk, elsewhere.pk}
    assert as_superuser.get(detail(elsewhere)).status_code == 200


def test_list_filters_by_patient_and_status(as_therapist, clinic, patient, exercise):
    other_patient = factories.PatientFactory(clinic=clinic)
    theirs = factories.PrescriptionFactory(patient=other_patient, items=[exercise])
    mine_draft = factories.PrescriptionFactory(patient=patient, items=[exercise])
    mine_issued = factories.PrescriptionFactory(patient=patient, items=[exercise])
    issue_via_api(as_therapist, detail(mine_issued))

    def listed(**query):
        return [p["id"] for p in as_therapist.get(PRESCRIPTIONS, query).json()["results"]]

    assert listed(patient=patient.pk) == [mine_issued.pk, mine_draft.pk]
    assert listed(status="issued") == [mine_issued.pk]
    assert listed(patient=other_patient.pk, status="draft") == [theirs.pk]
    assert errors(as_therapist.get(PRESCRIPTIONS, {"status": "lost"}), 400) == [
        ("status", "invalid_choice")
    ]


def test_list_shows_patient_name_clinician_and_item_count(as_therapist, therapist, patient):
    exercises = factories.ExerciseFactory.create_batch(3)
    prescription = factories.PrescriptionFactory(
        patient=patient, clinician=therapist, items=exercises
    )
    therapist.clinician.display_name = "Dr Ada Lovelace"
    therapist.clinician.save()

    (row,) = as_therapist.get(PRESCRIPTIONS).json()["results"]

    assert row["id"] == prescription.pk
    assert row["patient_name"] == "Zoë Łukasiewicz-Núñez"
    assert row["clinician"] == {"id": therapist.pk, "name": "Dr Ada Lovelace"}
    assert row["item_count"] == 3


# Query counts -----------------------------------------------------------------------------


def exercises_with_cautions(count: int, condition) -> list:
    tag = factories.TagFactory(slug="end-range", name="End range")
    factories.CautionFactory(condition=condition, tag=tag, text="Stay short of end range.")
    exercises = [factories.ExerciseFactory(tags=[tag]) for _ in range(count)]
    for exercise in exercises:
        factories.CautionFactory(condition=condition, exercise=exercise)
    return exercises


# The user's clinic profile, clinic and roles; the prescription with patient, clinician (and
# profile) and its revision's id; the patient's conditions; the items; the catalogue's part,
# read once per catalogue version (the cache is empty at each test's start): the exercises with
# their body region, and the cautions for the patient's conditions, the exercises' own and by
# tag (one query); the audit trail's access entry.
PRESCRIPTION_DETAIL_QUERIES = 9


@pytest.mark.parametrize("items", [3, 30])
def test_detail_query_count_does_not_grow_with_items(
    client_for, therapist, clinic, sciatica, django_assert_num_queries, items
):
    patient = factories.PatientFactory(clinic=clinic, conditions=[sciatica])
    prescription = factories.PrescriptionFactory(
        patient=patient, clinician=therapist, items=exercises_with_cautions(items, sciatica)
    )
    api = client_for(therapist)

    with django_assert_num_queries(PRESCRIPTION_DETAIL_QUERIES):
        response = api.get(detail(prescription))

    assert len(response.json()["items"]) == items
    assert len(response.json()["warnings"]) == 2 * items


def test_a_detail_read_again_reads_no_catalogue_rows(
    client_for, therapist, clinic, sciatica, django_assert_num_queries
):
    patient = factories.PatientFactory(clinic=clinic, conditions=[sciatica])
    prescription = factories.PrescriptionFactory(
        patient=patient, clinician=therapist, items=exercises_with_cautions(3, sciatica)
    )
    first = client_for(therapist).get(detail(prescription)).json()
    api = client_for(therapist)

    # The exercises and the cautions come from the catalogue's cached reads.
    with django_assert_num_queries(PRESCRIPTION_DETAIL_QUERIES - 2):
        again = api.get(detail(prescription)).json()

    assert again == first


def test_an_editors_change_to_an_exercise_shows_in_the_next_detail(client_for, therapist, clinic):
    exercise = factories.ExerciseFactory(name="Seated hamstring stretch")
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, clinician=therapist, items=[exercise]
    )
    api = client_for(therapist)
    before = api.get(detail(prescription)).json()
    assert before["items"][0]["exercise_name"] == "Seated hamstring stretch"
    assert before["warnings"] == []

    exercise.name = "Seated hamstring stretch on a chair"
    exercise.advised_max_hold_seconds = before["items"][0]["hold_seconds"] - 5
    exercise.save()
    after = api.get(detail(prescription)).json()

    assert after["items"][0]["exercise_name"] == "Seated hamstring stretch on a chair"
    assert [warning["exercise"] for warning in after["warnings"]] == [exercise.pk]


# The user's clinic profile, clinic and roles; the count; the page with patients, clinicians and
# their profiles; the items of the page; the audit trail's access entries.
PRESCRIPTION_LIST_QUERIES = 7


@pytest.mark.parametrize("prescriptions", [3, 30])
def test_list_query_count_does_not_grow_with_prescriptions(
    client_for, therapist, clinic, exercise, django_assert_num_queries, prescriptions
):
    for _ in range(prescriptions):
        factories.PrescriptionFactory(
            patient=factories.PatientFactory(clinic=clinic), items=[exercise, exercise]
        )
    api = client_for(therapist)

    with django_assert_num_queries(PRESCRIPTION_LIST_QUERIES):
        response = api.get(PRESCRIPTIONS)

    rows = response.json()["results"]
    assert len(rows) == min(prescriptions, 20)
    assert all(row["item_count"] == 2 and row["clinician"]["name"] for row in rows)


# The handout endpoint ---------------------------------------------------------------------


def test_handout_is_a_pdf_even_when_json_is_asked_for(as_therapist, draft):
    response = as_therapist.get(f"{detail(draft)}handout/", HTTP_ACCEPT="application/json")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Lying hamstring stretch" in pdf_text(response)


def test_handout_filename_is_ascii_with_a_utf8_alternative(as_therapist, draft):
    disposition = as_therapist.get(f"{detail(draft)}handout/")["Content-Disposition"]

    assert disposition.startswith("attachment;")
    ascii_part, utf8_part = disposition.split("; ")[1:]
    assert ascii_part.startswith('filename="handout-zoe-lukasiewicz-nunez-')
    assert ascii_part.endswith('.pdf"')
    assert ascii_part.isascii()
    assert utf8_part.startswith(
        "filename*=UTF-8''handout-Zo%C3%AB-%C5%81ukasiewicz-N%C3%BA%C3%B1ez-"
    )
    assert utf8_part.endswith(".pdf")


def test_handout_paper_a5_is_400_on_paper(as_therapist, draft):
    response = as_therapist.get(f"{detail(draft)}handout/", {"paper": "a5"})

    assert errors(response, 400) == [("paper", "invalid_choice")]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_handout_in_either_paper_size(as_therapist, draft, paper):
    response = as_therapist.get(f"{detail(draft)}handout/", {"paper": paper})

    assert "Lying hamstring stretch" in pdf_text(response)


def test_handout_of_another_clinic_is_404_json(as_other_clinic, draft):
    response = as_other_clinic.get(f"{detail(draft)}handout/", HTTP_ACCEPT="application/pdf")

    assert errors(response, 404) == [(None, "not_found")]


def test_greek_and_cyrillic_names_print_on_the_handout(as_therapist, clinic, exercise):
    patient = factories.PatientFactory(clinic=clinic, given_name="Σοφία", family_name="Иванова")
    location = create(as_therapist, patient, [item(exercise)])["Location"]

    assert as_therapist.get(location).json()["warnings"] == []
    assert "Σοφία Иванова" in pdf_text(as_therapist.get(f"{location}handout/"))
