"""The tendon's agreed pain score is the therapist's to set (0-10, or empty for the usual
starting score of 3): the API and the admin's workspace take it, the sheet prints it as a
number and, when it is the default, says so."""

import pytest

from prescriptions.models import Prescription
from prescriptions.services import revise_prescription
from tests import factories
from tests.prescriptions.handout_fixtures import TENDINOPATHY, _catalogue, _patient
from tests.prescriptions.support import (
    errors,
    issue_and_commit,
    item,
    pdf_text,
    saved_rows,
    workspace_form_data,
)

PRESCRIPTIONS = "/api/v1/prescriptions/"
DEFAULT_SCORE = "Your agreed score: 3 out of 10, the usual starting score."


@pytest.fixture
def tendon_patient(clinic):
    _catalogue()
    return _patient(clinic, TENDINOPATHY)


@pytest.fixture
def bridge(db):
    return _catalogue("glute-bridge")[0]


def handout_text(api, prescription_id) -> str:
    return pdf_text(api.get(f"{PRESCRIPTIONS}{prescription_id}/handout/"))


def test_the_score_the_therapist_sets_is_the_score_the_patient_reads(
    as_therapist, tendon_patient, bridge
):
    created = as_therapist.post(
        PRESCRIPTIONS,
        {"patient": tendon_patient.pk, "items": [item(bridge)], "agreed_pain_score": 5},
        format="json",
    )

    assert created.status_code == 201, created.content
    assert created.json()["agreed_pain_score"] == 5
    sheet = handout_text(as_therapist, created.json()["id"])
    assert "Your agreed score: 5 out of 10." in sheet
    assert "3 out of 10" not in sheet


def test_left_empty_the_sheet_states_the_usual_starting_score_as_the_default(
    as_therapist, tendon_patient, bridge
):
    created = as_therapist.post(
        PRESCRIPTIONS, {"patient": tendon_patient.pk, "items": [item(bridge)]}, format="json"
    )

    assert created.json()["agreed_pain_score"] is None
    assert DEFAULT_SCORE in handout_text(as_therapist, created.json()["id"])


def test_a_score_of_0_is_a_score_not_the_default(as_therapist, tendon_patient, bridge):
    created = as_therapist.post(
        PRESCRIPTIONS,
        {"patient": tendon_patient.pk, "items": [item(bridge)], "agreed_pain_score": 0},
        format="json",
    )

    assert "Your agreed score: 0 out of 10." in handout_text(as_therapist, created.json()["id"])


@pytest.mark.parametrize("score", [11, -1, 2.5, "three", True, "", [3]])
def test_a_score_that_is_not_a_whole_number_from_0_to_10_answers_400_and_saves_nothing(
    as_therapist, tendon_patient, bridge, score
):
    before = saved_rows()

    response = as_therapist.post(
        PRESCRIPTIONS,
        {"patient": tendon_patient.pk, "items": [item(bridge)], "agreed_pain_score": score},
        format="json",
    )

    assert [attr for attr, _code in errors(response, 400)] == ["agreed_pain_score"]
    assert saved_rows() == before


def test_a_bad_score_on_a_draft_leaves_its_score_as_it_was(as_therapist, tendon_patient, bridge):
    draft = factories.PrescriptionFactory(
        patient=tendon_patient, items=[bridge], agreed_pain_score=4
    )

    response = as_therapist.patch(
        f"{PRESCRIPTIONS}{draft.pk}/", {"agreed_pain_score": 12}, format="json"
    )

    assert [attr for attr, _code in errors(response, 400)] == ["agreed_pain_score"]
    draft.refresh_from_db()
    assert draft.agreed_pain_score == 4


def test_the_issued_sheet_keeps_its_score_and_a_revision_carries_it_on(
    as_therapist, therapist, tendon_patient, bridge
):
    draft = factories.PrescriptionFactory(
        patient=tendon_patient, items=[bridge], agreed_pain_score=4
    )
    issue_and_commit(draft)

    # The stored content is frozen: a later change of the record does not reach it.
    Prescription.objects.filter(pk=draft.pk).update(agreed_pain_score=6)
    assert "Your agreed score: 4 out of 10." in handout_text(as_therapist, draft.pk)

    revision = revise_prescription(
        prescription=Prescription.objects.get(pk=draft.pk), clinician=therapist
    )
    assert revision.agreed_pain_score == 6
    issue_and_commit(revision)
    assert "Your agreed score: 6 out of 10." in handout_text(as_therapist, revision.pk)


def test_the_workspace_form_sets_the_score(client, therapist, tendon_patient, bridge):
    client.force_login(therapist)
    draft = factories.PrescriptionFactory(patient=tendon_patient, items=[bridge])

    saved = client.post(
        f"/admin/prescriptions/prescription/{draft.pk}/workspace/",
        workspace_form_data(draft, agreed_pain_score="6"),
    )

    assert saved.status_code == 302, saved.content
    draft.refresh_from_db()
    assert draft.agreed_pain_score == 6


@pytest.mark.parametrize("typed", ["11", "3a", "2.5", "-1"])
def test_the_workspace_form_refuses_a_score_it_cannot_take_at_its_field(
    client, therapist, tendon_patient, bridge, typed
):
    client.force_login(therapist)
    draft = factories.PrescriptionFactory(patient=tendon_patient, items=[bridge])

    refused = client.post(
        f"/admin/prescriptions/prescription/{draft.pk}/workspace/",
        workspace_form_data(draft, agreed_pain_score=typed),
    )

    assert refused.status_code == 200
    assert "agreed_pain_score" in refused.context["form"].errors
    draft.refresh_from_db()
    assert draft.agreed_pain_score is None
