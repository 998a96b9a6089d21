"""ETags on reads and writes, If-None-Match (304), If-Match (412) on every state-changing
patient and prescription operation, and 201s that all carry Location and ETag."""

import gzip
import json

import pytest

from prescriptions.models import Patient, PrescriptionStatus
from tests import factories
from tests.prescriptions.support import errors, issue_via_api

pytestmark = pytest.mark.django_db

STALE = '"rx0-0"'
A_PATIENT = {
    "given_name": "Ada",
    "family_name": "King",
    "date_of_birth": "1970-01-01",
    "identifier": "MRN-00100",
}


@pytest.fixture
def draft(patient, exercise):
    return factories.PrescriptionFactory(patient=patient, items=[exercise])


@pytest.fixture
def issued(as_therapist, draft):
    issue_via_api(as_therapist, f"/api/v1/prescriptions/{draft.pk}/")
    draft.refresh_from_db()
    return draft


def detail_urls(patient, draft, exercise, clinic):
    template = factories.TemplateFactory(clinic=clinic)
    return [
        f"/api/v1/patients/{patient.pk}/",
        f"/api/v1/prescriptions/{draft.pk}/",
        f"/api/v1/exercises/{exercise.pk}/",
        f"/api/v1/templates/{template.pk}/",
    ]


# Reads ------------------------------------------------------------------------------------


def test_every_record_read_answers_an_etag_and_304_while_it_is_current(
    as_therapist, patient, draft, exercise, clinic
):
    for url in detail_urls(patient, draft, exercise, clinic):
        first = as_therapist.get(url)
        etag = first["ETag"]
        assert first.status_code == 200 and etag.startswith('"'), url

        unchanged = as_therapist.get(url, HTTP_IF_NONE_MATCH=etag)
        assert unchanged.status_code == 304, url
        assert unchanged.content == b""
        assert unchanged["ETag"] == etag

        assert as_therapist.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
        assert as_therapist.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_changed_patient_is_read_again_in_full(as_therapist, patient):
    url = f"/api/v1/patients/{patient.pk}/"
    etag = as_therapist.get(url)["ETag"]
    changed = as_therapist.patch(url, {"notes": "Walks daily."}, format="json", HTTP_IF_MATCH=etag)
    assert changed["ETag"] != etag

    again = as_therapist.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again.json()["notes"] == "Walks daily."
    assert again["ETag"] == changed["ETag"]


def test_a_list_carries_no_etag(as_therapist, patient):
    assert not as_therapist.get("/api/v1/patients/").has_header("ETag")


# Patients: If-Match -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("put", "", A_PATIENT),
        ("patch", "", {"notes": "changed"}),
        ("delete", "", None),
        ("post", "archive/", None),
    ],
)
def test_a_stale_if_match_on_a_patient_is_412_and_changes_nothing(
    as_therapist, patient, method, suffix, body
):
    before = Patient.objects.get(pk=patient.pk)
    response = getattr(as_therapist, method)(
        f"/api/v1/patients/{patient.pk}/{suffix}", body, format="json", HTTP_IF_MATCH=STALE
    )

    assert errors(response, 412) == [(None, "precondition_failed")]
    after = Patient.objects.get(pk=patient.pk)
    assert (after.notes, after.archived_at, after.updated_at) == (
        before.notes,
        before.archived_at,
        before.updated_at,
    )


def test_unarchiving_with_a_stale_if_match_is_412(as_therapist, patient):
    url = f"/api/v1/patients/{patient.pk}/"
    as_therapist.post(f"{url}archive/")

    response = as_therapist.post(f"{url}unarchive/", HTTP_IF_MATCH=STALE)

    assert errors(response, 412) == [(None, "precondition_failed")]
    assert Patient.objects.get(pk=patient.pk).is_archived


def test_each_patient_change_with_the_current_etag_applies_and_answers_the_next(
    as_therapist, patient
):
    url = f"/api/v1/patients/{patient.pk}/"
    etag = as_therapist.get(url)["ETag"]
    for method, suffix, body in [
        ("patch", "", {"notes": "first"}),
        ("post", "archive/", None),
        ("post", "unarchive/", None),
        ("put", "", A_PATIENT),
    ]:
        response = getattr(as_therapist, method)(
            f"{url}{suffix}", body, format="json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200, response.content
        assert response["ETag"] != etag
        etag = response["ETag"]
        assert as_therapist.get(url)["ETag"] == etag


def test_deleting_a_patient_with_the_current_etag_is_still_refused(as_therapist, patient):
    url = f"/api/v1/patients/{patient.pk}/"
    response = as_therapist.delete(url, HTTP_IF_MATCH=as_therapist.get(url)["ETag"])
    assert errors(response, 409) == [(None, "archive_instead")]


# Prescriptions: If-Match ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "method", "suffix", "body"),
    [
        ("draft", "post", "issue/", None),
        ("draft", "delete", "", None),
        ("issued", "post", "revise/", None),
        ("issued", "post", "void/", {"reason": "Wrong patient"}),
    ],
)
def test_a_stale_if_match_on_a_prescription_action_is_412_and_changes_nothing(
    request, as_therapist, fixture, method, suffix, body
):
    prescription = request.getfixturevalue(fixture)
    status_before = prescription.status
    response = getattr(as_therapist, method)(
        f"/api/v1/prescriptions/{prescription.pk}/{suffix}",
        body,
        format="json",
        HTTP_IF_MATCH=STALE,
    )

    assert errors(response, 412) == [(None, "precondition_failed")]
    prescription.refresh_from_db()
    assert prescription.status == status_before
    assert not prescription.__class__.objects.filter(supersedes=prescription).exists()


def test_issue_revise_and_void_with_the_current_etags(as_therapist, draft):
    url = f"/api/v1/prescriptions/{draft.pk}/"
    issued = as_therapist.post(f"{url}issue/", HTTP_IF_MATCH=as_therapist.get(url)["ETag"])
    assert issued.json()["status"] == PrescriptionStatus.ISSUED

    revised = as_therapist.post(f"{url}revise/", HTTP_IF_MATCH=issued["ETag"])
    assert revised.status_code == 201
    # A read now shows the revision (`superseded_by`): the tag read before it is stale.
    reason = {"reason": "Replaced by a new plan"}
    stale = as_therapist.post(f"{url}void/", reason, format="json", HTTP_IF_MATCH=issued["ETag"])
    assert stale.status_code == 412
    current = as_therapist.get(url)
    assert current.json()["superseded_by"] == revised.json()["id"]
    voided = as_therapist.post(f"{url}void/", reason, format="json", HTTP_IF_MATCH=current["ETag"])
    assert voided.json()["status"] == PrescriptionStatus.VOIDED


def test_deleting_a_draft_with_its_current_etag(as_therapist, draft):
    url = f"/api/v1/prescriptions/{draft.pk}/"
    response = as_therapist.delete(url, HTTP_IF_MATCH=as_therapist.get(url)["ETag"])
    assert response.status_code == 204


# Creates ----------------------------------------------------------------------------------


def test_every_create_answers_location_and_the_etag_a_read_of_it_answers(
    as_therapist, client_for, patient, draft, exercise, clinic
):
    as_editor = client_for(factories.editor(clinic))
    template = factories.TemplateItemFactory(template__clinic=clinic, exercise=exercise).template
    issued_draft = factories.PrescriptionFactory(patient=patient, items=[exercise])
    issue_via_api(as_therapist, f"/api/v1/prescriptions/{issued_draft.pk}/")
    creates = [
        (as_therapist, "/api/v1/patients/", {**A_PATIENT, "identifier": "N-1"}),
        (as_therapist, "/api/v1/prescriptions/", {"patient": patient.pk}),
        (as_therapist, "/api/v1/templates/", {"name": "Evening routine"}),
        (as_therapist, f"/api/v1/templates/{template.pk}/prescribe/", {"patient": patient.pk}),
        (as_therapist, f"/api/v1/prescriptions/{draft.pk}/save-as-template/", {"name": "Copy"}),
        (as_therapist, f"/api/v1/prescriptions/{issued_draft.pk}/revise/", None),
        (as_editor, "/api/v1/conditions/", {"slug": "knee-pain", "name": "Knee pain"}),
    ]
    for client, url, body in creates:
        response = client.post(url, body, format="json")
        assert response.status_code == 201, (url, response.content)
        location = response["Location"]
        assert location.startswith("http://testserver/api/v1/")
        assert location.endswith(f"/{response.json()['id']}/")
        read = client.get(location)
        assert read.json() == response.json(), url
        assert read["ETag"] == response["ETag"], url


# Compression ------------------------------------------------------------------------------


def test_a_client_echoing_the_etag_it_received_through_gzip_still_matches(as_therapist, patient):
    url = f"/api/v1/patients/{patient.pk}/"
    read = as_therapist.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert not read.has_header("Content-Encoding")  # a tagged record stays uncompressed
    assert not read["ETag"].startswith("W/")

    changed = as_therapist.patch(
        url, {"notes": "x"}, format="json", HTTP_IF_MATCH=read["ETag"], HTTP_ACCEPT_ENCODING="gzip"
    )
    assert changed.status_code == 200


def test_lists_and_the_schema_are_gzipped_for_clients_that_accept_it(as_therapist, clinic):
    factories.PatientFactory.create_batch(5, clinic=clinic)
    listing = as_therapist.get("/api/v1/patients/", HTTP_ACCEPT_ENCODING="gzip")
    assert listing["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(listing.content))["count"] == 5

    schema = as_therapist.get("/api/schema/?format=json", HTTP_ACCEPT_ENCODING="gzip")
    compressed = b"".join(schema.streaming_content) if schema.streaming else schema.content
    plain = gzip.decompress(compressed)
    assert schema["Content-Encoding"] == "gzip"
    assert json.loads(plain)["openapi"].startswith("3.")
    assert len(compressed) * 5 < len(plain)


# The tag covers what the reader sees: a new caution changes it --------------------------


@pytest.fixture
def disc_caution(exercise):
    """A caution of the catalogue for the draft's exercise, for a condition the patient has
    not got yet."""
    return factories.CautionFactory(
        exercise=exercise,
        condition=factories.ConditionFactory(slug="disc-injury", name="Disc injury"),
        text="Bend only as far as is comfortable for your back.",
    )


def gains_disc_injury(as_therapist, patient):
    response = as_therapist.patch(
        f"/api/v1/patients/{patient.pk}/", {"conditions": ["disc-injury"]}, format="json"
    )
    assert response.status_code == 200, response.content


def caution_conditions(body) -> list[str]:
    return [warning["condition"] for warning in body["warnings"]]


def test_a_caution_the_patient_gained_since_is_read_again_not_304(
    as_therapist, patient, draft, disc_caution
):
    url = f"/api/v1/prescriptions/{draft.pk}/"
    before = as_therapist.get(url)
    assert "disc-injury" not in caution_conditions(before.json())

    gains_disc_injury(as_therapist, patient)
    again = as_therapist.get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert again.status_code == 200
    assert "disc-injury" in caution_conditions(again.json())
    assert again["ETag"] != before["ETag"]
    assert as_therapist.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_a_caution_added_to_the_catalogue_since_changes_the_tag(
    as_therapist, client_for, clinic, patient, draft, exercise
):
    url = f"/api/v1/prescriptions/{draft.pk}/"
    condition = factories.ConditionFactory(slug="disc-injury", name="Disc injury")
    patient.conditions.add(condition)
    before = as_therapist.get(url)
    as_editor = client_for(factories.editor(clinic))
    changed = as_editor.patch(
        f"/api/v1/conditions/{condition.pk}/",
        {"cautions": [{"exercise": exercise.slug, "severity": "warning", "text": "Go gently."}]},
        format="json",
    )
    assert changed.status_code == 200, changed.content

    again = as_therapist.get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert again.status_code == 200
    assert "disc-injury" in caution_conditions(again.json())


def renamed_by_an_editor(client_for, clinic, exercise, name):
    as_editor = client_for(factories.editor(clinic))
    changed = as_editor.patch(f"/api/v1/exercises/{exercise.pk}/", {"name": name}, format="json")
    assert changed.status_code == 200, changed.content


def item_names(body) -> list[str]:
    return [item["exercise_name"] for item in body["items"]]


def test_an_exercise_renamed_since_is_read_again_not_304(
    as_therapist, client_for, clinic, draft, exercise
):
    url = f"/api/v1/prescriptions/{draft.pk}/"
    before = as_therapist.get(url)
    assert not before.json()["warnings"]

    renamed_by_an_editor(client_for, clinic, exercise, "Seated knee extension")
    again = as_therapist.get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert again.status_code == 200
    assert item_names(again.json()) == ["Seated knee extension"]
    assert again["ETag"] != before["ETag"]


def test_issuing_with_the_tag_read_before_an_exercise_was_renamed_is_412(
    as_therapist, client_for, clinic, draft, exercise
):
    url = f"/api/v1/prescriptions/{draft.pk}/"
    read_before = as_therapist.get(url)["ETag"]
    renamed_by_an_editor(client_for, clinic, exercise, "Seated knee extension")

    response = as_therapist.post(f"{url}issue/", HTTP_IF_MATCH=read_before)

    assert errors(response, 412) == [(None, "precondition_failed")]
    draft.refresh_from_db()
    assert draft.status == PrescriptionStatus.DRAFT
    shown_now = as_therapist.get(url)
    issued = as_therapist.post(f"{url}issue/", HTTP_IF_MATCH=shown_now["ETag"])
    assert issued.json()["status"] == PrescriptionStatus.ISSUED
    assert item_names(issued.json()) == ["Seated knee extension"]


def test_issuing_with_the_tag_read_before_the_patient_gained_a_condition_is_412(
    as_therapist, patient, draft, disc_caution
):
    url = f"/api/v1/prescriptions/{draft.pk}/"
    read_before = as_therapist.get(url)["ETag"]
    gains_disc_injury(as_therapist, patient)

    response = as_therapist.post(f"{url}issue/", HTTP_IF_MATCH=read_before)

    assert errors(response, 412) == [(None, "precondition_failed")]
    draft.refresh_from_db()
    assert (draft.status, draft.issued_at, draft.handout_pdf.name) == (
        PrescriptionStatus.DRAFT,
        None,
        "",
    )
    shown_now = as_therapist.get(url)
    assert "disc-injury" in caution_conditions(shown_now.json())
    issued = as_therapist.post(f"{url}issue/", HTTP_IF_MATCH=shown_now["ETag"])
    assert issued.json()["status"] == PrescriptionStatus.ISSUED


@pytest.mark.parametrize("if_match", [None, "*", ""])
def test_issuing_without_naming_the_version_read_is_428(as_therapist, draft, if_match):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}

    response = as_therapist.post(f"/api/v1/prescriptions/{draft.pk}/issue/", **headers)

    assert errors(response, 428) == [(None, "precondition_required")]
    assert "If-Match" in response.json()["errors"][0]["detail"]
    draft.refresh_from_db()
    assert draft.status == PrescriptionStatus.DRAFT


def test_other_prescription_changes_keep_if_match_optional(as_therapist, draft):
    url = f"/api/v1/prescriptions/{draft.pk}/"
    assert as_therapist.patch(url, {"notes": "x"}, format="json").status_code == 200
    issued = as_therapist.post(f"{url}issue/", HTTP_IF_MATCH=as_therapist.get(url)["ETag"])
    assert issued.status_code == 200
    voided = as_therapist.post(f"{url}void/", {"reason": "Wrong patient chosen"}, format="json")
    assert voided.status_code == 200, voided.content


# Templates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "body"),
    [("patch", {"notes": "Mine"}), ("put", {"name": "Mine", "notes": "Mine"}), ("delete", None)],
)
def test_a_template_change_from_a_stale_read_is_412_and_changes_nothing(
    as_therapist, therapist, clinic, exercise, method, body
):
    template = factories.TemplateFactory(clinic=clinic, created_by=therapist, notes="First")
    factories.TemplateItemFactory(template=template, exercise=exercise)
    url = f"/api/v1/templates/{template.pk}/"

    response = getattr(as_therapist, method)(url, body, format="json", HTTP_IF_MATCH='"stale"')

    assert errors(response, 412) == [(None, "precondition_failed")]
    template.refresh_from_db()
    assert (template.name, template.notes) != ("Mine", "Mine")
    assert template.notes == "First"


def test_a_template_change_from_a_fresh_read_applies(as_therapist, therapist, clinic):
    template = factories.TemplateFactory(clinic=clinic, created_by=therapist, notes="First")
    url = f"/api/v1/templates/{template.pk}/"
    read = as_therapist.get(url)

    changed = as_therapist.patch(url, {"notes": "Mine"}, format="json", HTTP_IF_MATCH=read["ETag"])

    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != read["ETag"]
    stale = as_therapist.patch(url, {"notes": "Again"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert errors(stale, 412) == [(None, "precondition_failed")]
    assert as_therapist.get(url).json()["notes"] == "Mine"
