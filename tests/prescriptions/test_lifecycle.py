"""A prescription's life: draft -> issued -> superseded by its revision, or voided."""

import pytest

from prescriptions.models import Prescription, PrescriptionItem
from tests import factories
from tests.prescriptions.support import committed, errors, issue_via_api, item, pdf_text, saved_rows

pytestmark = pytest.mark.django_db

PRESCRIPTIONS = "/api/v1/prescriptions/"


@pytest.fixture
def bridge(db):
    return factories.ExerciseFactory(
        name="Glute bridge",
        default_hold_seconds=None,
        default_reps=10,
        default_sets=2,
        default_rest_seconds=30,
        default_days_per_week=3,
        default_side=None,
    )


@pytest.fixture
def draft_url(as_therapist, patient, exercise, bridge):
    response = as_therapist.post(
        PRESCRIPTIONS,
        {
            "patient": patient.pk,
            "notes": "Ease the pull at the back of your thighs.",
            "items": [item(exercise, hold_seconds=45, notes="Slowly"), item(bridge)],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response["Location"]


@pytest.fixture
def issued_url(as_therapist, draft_url):
    with committed():
        assert issue_via_api(as_therapist, draft_url).status_code == 200
    return draft_url


def shown(api, url) -> dict:
    response = api.get(url)
    assert response.status_code == 200, response.content
    return response.json()


# Issuing ----------------------------------------------------------------------------------


def test_issuing_a_draft_freezes_it(as_therapist, draft_url):
    draft_etag = as_therapist.get(draft_url)["ETag"]

    response = issue_via_api(as_therapist, draft_url)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "issued"
    assert body["issued_at"]
    assert len(body["fingerprint"]) == 64
    assert response["ETag"] != draft_etag
    assert as_therapist.get(draft_url)["ETag"] == response["ETag"]
    prescription = Prescription.objects.get()
    assert prescription.snapshot["patient_name"] == "Zoë Łukasiewicz-Núñez"
    assert [s["name"] for s in prescription.snapshot["exercises"]] == [
        "Lying hamstring stretch",
        "Glute bridge",
    ]


def test_issuing_twice_is_409(as_therapist, issued_url):
    response = issue_via_api(as_therapist, issued_url)

    assert errors(response, 409) == [(None, "already_issued")]


def test_a_draft_without_items_cannot_be_issued(as_therapist, patient):
    url = as_therapist.post(PRESCRIPTIONS, {"patient": patient.pk}, format="json")["Location"]

    response = issue_via_api(as_therapist, url)

    assert errors(response, 400) == [("items", "empty")]
    assert shown(as_therapist, url)["status"] == "draft"


def test_a_draft_whose_exercise_was_archived_since_cannot_be_issued(
    as_therapist, draft_url, bridge
):
    bridge.status = "archived"
    bridge.save()

    response = issue_via_api(as_therapist, draft_url)

    assert errors(response, 400) == [("items.1.exercise", "not_published")]
    assert shown(as_therapist, draft_url)["status"] == "draft"
    assert Prescription.objects.get().snapshot is None


def test_a_contraindication_found_since_blocks_issuing(as_therapist, draft_url, patient, bridge):
    sciatica = factories.ConditionFactory(slug="sciatica")
    factories.CautionFactory(condition=sciatica, exercise=bridge, severity="contraindication")
    patient.conditions.add(sciatica)

    response = issue_via_api(as_therapist, draft_url)

    assert errors(response, 400) == [("items.1.exercise", "contraindicated")]
    assert shown(as_therapist, draft_url)["status"] == "draft"


def test_an_acknowledged_contraindication_can_be_issued(as_therapist, patient, exercise):
    sciatica = factories.ConditionFactory(slug="sciatica")
    factories.CautionFactory(condition=sciatica, exercise=exercise, severity="contraindication")
    patient.conditions.add(sciatica)
    url = as_therapist.post(
        PRESCRIPTIONS,
        {
            "patient": patient.pk,
            "items": [
                item(
                    exercise,
                    acknowledge_contraindication=True,
                    contraindication_reason="Checked in clinic: symptoms settled.",
                )
            ],
        },
        format="json",
    )["Location"]

    response = issue_via_api(as_therapist, url)

    assert response.status_code == 200, response.content
    assert [w["code"] for w in response.json()["warnings"]] == ["contraindication"]


# An issued prescription does not change -------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("if_match", [None, '"rx0-1"', "current"])
def test_changing_an_issued_prescription_is_409(
    as_therapist, issued_url, patient, method, if_match
):
    before = shown(as_therapist, issued_url)
    headers = {}
    if if_match == "current":
        headers["HTTP_IF_MATCH"] = as_therapist.get(issued_url)["ETag"]
    elif if_match:
        headers["HTTP_IF_MATCH"] = if_match

    response = getattr(as_therapist, method)(
        issued_url,
        {"patient": patient.pk, "notes": "Changed", "items": []},
        format="json",
        **headers,
    )

    assert errors(response, 409) == [(None, "not_draft")]
    assert shown(as_therapist, issued_url) == before


@pytest.mark.parametrize("if_match", [None, '"rx0-1"'])
def test_deleting_an_issued_prescription_is_409(as_therapist, issued_url, if_match):
    headers = {"HTTP_IF_MATCH": if_match} if if_match else {}

    response = as_therapist.delete(issued_url, **headers)

    assert errors(response, 409) == [(None, "not_draft")]
    assert shown(as_therapist, issued_url)["status"] == "issued"


def test_a_draft_may_be_deleted(as_therapist, draft_url):
    response = as_therapist.delete(draft_url)

    assert response.status_code == 204
    assert errors(as_therapist.get(draft_url), 404) == [(None, "not_found")]
    assert not PrescriptionItem.objects.exists()


def test_the_issued_handout_keeps_its_text_after_the_catalogue_and_clinic_change(
    as_therapist, clinic, patient, exercise
):
    factories.SafetyNoteFactory(tier="contact-clinic", text="Numbness spreads down your leg.")
    url = as_therapist.post(
        PRESCRIPTIONS, {"patient": patient.pk, "items": [item(exercise)]}, format="json"
    )["Location"]
    with committed():
        issue_via_api(as_therapist, url)
    issued_text = pdf_text(as_therapist.get(f"{url}handout/"))
    assert "Lying hamstring stretch" in issued_text
    assert "Lift one leg slowly, keeping it straight." in issued_text
    assert "Numbness spreads down your leg." in issued_text
    assert "020 7946 0000" in issued_text

    exercise.name = "Towel hamstring stretch"
    exercise.save()
    exercise.steps.update(text="Loop a towel around your foot.")
    factories.SafetyNoteFactory._meta.model.objects.update(text="Your foot goes cold.")
    clinic.phone = "0800 123 456"
    clinic.save()

    assert pdf_text(as_therapist.get(f"{url}handout/")) == issued_text
    for options in ({"paper": "letter"}, {"large_print": "true"}):
        text = pdf_text(as_therapist.get(f"{url}handout/", options))
        for old in ("Lying hamstring stretch", "Numbness spreads down your leg.", "020 7946 0000"):
            assert old in text
        for new in ("Towel", "Loop a towel", "Your foot goes cold.", "0800 123 456"):
            assert new not in text
    # A draft prints today's catalogue: the edits above are real and visible.
    draft = as_therapist.post(
        PRESCRIPTIONS, {"patient": patient.pk, "items": [item(exercise)]}, format="json"
    )["Location"]
    draft_text = pdf_text(as_therapist.get(f"{draft}handout/"))
    for new in ("Towel hamstring stretch", "Loop a towel", "Your foot goes cold.", "0800 123 456"):
        assert new in draft_text


# Revising ---------------------------------------------------------------------------------


def test_revising_an_issued_prescription_makes_a_new_draft(
    as_therapist, as_colleague, colleague, issued_url
):
    original = shown(as_therapist, issued_url)

    response = as_colleague.post(f"{issued_url}revise/")

    assert response.status_code == 201, response.content
    revision = response.json()
    assert response["Location"] == f"http://testserver{PRESCRIPTIONS}{revision['id']}/"
    assert revision["id"] != original["id"]
    assert (revision["status"], revision["version"], revision["supersedes"]) == (
        "draft",
        2,
        original["id"],
    )
    assert revision["clinician"]["id"] == colleague.pk
    assert (revision["patient"], revision["notes"]) == (original["patient"], original["notes"])
    assert revision["items"] == original["items"]
    assert [i["notes"] for i in revision["items"]] == ["Slowly", ""]
    assert shown(as_therapist, issued_url)["status"] == "issued"


def test_revising_a_draft_is_409(as_therapist, draft_url):
    before = saved_rows()

    response = as_therapist.post(f"{draft_url}revise/")

    assert errors(response, 409) == [(None, "not_issued")]
    assert saved_rows() == before


def test_an_issued_prescription_is_revised_once(as_therapist, issued_url):
    as_therapist.post(f"{issued_url}revise/")

    response = as_therapist.post(f"{issued_url}revise/")

    assert errors(response, 409) == [(None, "already_revised")]


def test_issuing_the_revision_supersedes_the_original(as_therapist, issued_url):
    original_etag = as_therapist.get(issued_url)["ETag"]
    revision_url = as_therapist.post(f"{issued_url}revise/")["Location"]

    response = issue_via_api(as_therapist, revision_url)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "issued"
    original = as_therapist.get(issued_url)
    assert original.json()["status"] == "superseded"
    assert original.json()["superseded_by"] == response.json()["id"]
    assert original["ETag"] != original_etag
    assert errors(as_therapist.post(f"{issued_url}revise/"), 409) == [(None, "not_issued")]
    assert errors(issue_via_api(as_therapist, issued_url), 409) == [(None, "already_issued")]


def test_the_revision_is_edited_while_the_original_stays(as_therapist, issued_url, exercise):
    revision_url = as_therapist.post(f"{issued_url}revise/")["Location"]

    response = as_therapist.patch(
        revision_url, {"items": [item(exercise, hold_seconds=60)]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert [i["hold_seconds"] for i in response.json()["items"]] == [60]
    assert [i["hold_seconds"] for i in shown(as_therapist, issued_url)["items"]] == [45, None]


# Voiding ----------------------------------------------------------------------------------


def test_voiding_an_issued_prescription_keeps_the_reason(as_therapist, issued_url):
    response = as_therapist.post(
        f"{issued_url}void/", {"reason": "Wrong patient chosen."}, format="json"
    )

    assert response.status_code == 200, response.content
    body = shown(as_therapist, issued_url)
    assert (body["status"], body["void_reason"]) == ("voided", "Wrong patient chosen.")
    assert body["voided_at"]
    assert errors(as_therapist.post(f"{issued_url}revise/"), 409) == [(None, "not_issued")]


@pytest.mark.parametrize(
    ("body", "code"), [({}, "required"), ({"reason": ""}, "blank"), ({"reason": None}, "null")]
)
def test_voiding_needs_a_reason(as_therapist, issued_url, body, code):
    response = as_therapist.post(f"{issued_url}void/", body, format="json")

    assert errors(response, 400) == [("reason", code)]
    assert shown(as_therapist, issued_url)["status"] == "issued"


def test_a_blank_reason_of_spaces_is_refused(as_therapist, issued_url):
    response = as_therapist.post(f"{issued_url}void/", {"reason": "   "}, format="json")

    assert [attr for attr, _ in errors(response, 400)] == ["reason"]
    assert shown(as_therapist, issued_url)["status"] == "issued"


def test_a_draft_cannot_be_voided_and_voiding_twice_is_409(as_therapist, draft_url, issued_url):
    other_draft = as_therapist.post(f"{issued_url}revise/")["Location"]
    assert errors(
        as_therapist.post(f"{other_draft}void/", {"reason": "No"}, format="json"), 409
    ) == [(None, "not_issued")]

    as_therapist.post(f"{issued_url}void/", {"reason": "Mistake in the dose."}, format="json")

    response = as_therapist.post(f"{issued_url}void/", {"reason": "Again"}, format="json")
    assert errors(response, 409) == [(None, "not_issued")]
    assert shown(as_therapist, issued_url)["void_reason"] == "Mistake in the dose."


def test_a_voided_prescription_cannot_change(as_therapist, issued_url):
    as_therapist.post(f"{issued_url}void/", {"reason": "Mistake in the dose."}, format="json")

    assert errors(as_therapist.patch(issued_url, {"notes": "x"}, format="json"), 409) == [
        (None, "not_draft")
    ]
    assert errors(as_therapist.delete(issued_url), 409) == [(None, "not_draft")]
    assert errors(issue_via_api(as_therapist, issued_url), 409) == [(None, "already_issued")]


def test_a_draft_acknowledged_before_reasons_existed_asks_for_one_at_issue(
    as_therapist, patient, exercise
):
    sciatica = factories.ConditionFactory(slug="sciatica")
    factories.CautionFactory(condition=sciatica, exercise=exercise, severity="contraindication")
    patient.conditions.add(sciatica)
    draft = factories.PrescriptionFactory(patient=patient, items=[exercise])
    draft.items.update(acknowledge_contraindication=True)

    response = issue_via_api(as_therapist, f"{PRESCRIPTIONS}{draft.pk}/")

    assert errors(response, 400) == [("items.0.contraindication_reason", "reason_required")]
    draft.refresh_from_db()
    assert draft.status == "draft"
