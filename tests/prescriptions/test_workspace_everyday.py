"""The everyday paths around the prescribing workspace: who may save a page, the patient's
page with their prescriptions, and finding a patient from the admin's home page."""

import re

import pytest
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.timezone import localtime

from prescriptions import selectors, services
from prescriptions.models import Prescription
from tests import factories
from tests.prescriptions.support import workspace_form_data

pytestmark = pytest.mark.django_db

WORKSPACE = "/admin/prescriptions/prescription"


def opened_by_on_page(html: str) -> str:
    return re.search(r'name="opened_by" value="(\d+)"', html).group(1)


def test_the_workspace_carries_who_opened_it(client, therapist, own_draft):
    client.force_login(therapist)
    html = client.get(f"{WORKSPACE}/{own_draft.pk}/workspace/").content.decode()
    assert opened_by_on_page(html) == str(therapist.pk)
    add = client.get(f"{WORKSPACE}/new/?patient={own_draft.patient_id}").content.decode()
    assert opened_by_on_page(add) == str(therapist.pk)


def test_a_save_from_a_page_another_user_opened_is_refused_and_saves_nothing(
    client, therapist, colleague, own_draft
):
    # The therapist's session ended; the colleague signed in on the same screen and saved.
    client.force_login(colleague)
    posted = workspace_form_data(own_draft, opened_by=therapist.pk, **{"items-0-reps": "7"})
    response = client.post(f"{WORKSPACE}/{own_draft.pk}/workspace/", posted)

    assert response.status_code == 200
    html = response.content.decode()
    assert "This page was opened by another user. Nothing was saved" in html
    # The page still names who opened it: saving it again is refused again.
    assert opened_by_on_page(html) == str(therapist.pk)
    assert own_draft.items.get().reps == 3
    assert Prescription.objects.get(pk=own_draft.pk).row_version == own_draft.row_version


def test_a_new_prescription_from_a_page_another_user_opened_is_not_created(
    client, therapist, colleague, own_draft
):
    client.force_login(colleague)
    posted = {
        **workspace_form_data(own_draft, opened_by=therapist.pk),
        "opened_version": "",
        "items-INITIAL_FORMS": "0",
        "items-0-id": "",
        "items-0-prescription": "",
    }
    response = client.post(f"{WORKSPACE}/new/?patient={own_draft.patient_id}", posted)

    assert response.status_code == 200
    assert "This page was opened by another user" in response.content.decode()
    assert Prescription.objects.count() == 1


def test_the_user_who_opened_the_page_saves_it(client, therapist, own_draft):
    client.force_login(therapist)
    posted = workspace_form_data(own_draft, opened_by=therapist.pk, **{"items-0-reps": "7"})
    response = client.post(f"{WORKSPACE}/{own_draft.pk}/workspace/", posted)

    assert response.status_code == 302
    assert own_draft.items.get().reps == 7


def test_the_patients_page_shows_each_prescriptions_exercises_status_and_handout_first(
    client, therapist, clinic
):
    patient = factories.PatientFactory(clinic=clinic)
    bridge = factories.ExerciseFactory(name="Bottom lift (glute bridge)")
    plank = factories.ExerciseFactory(name="Forearm plank")
    issued = factories.PrescriptionFactory(patient=patient, items=[plank, bridge])
    services.issue_prescription(prescription=issued)
    draft = factories.PrescriptionFactory(patient=patient, items=[bridge])
    client.force_login(therapist)

    html = client.get(f"/admin/prescriptions/patient/{patient.pk}/change/").content.decode()

    rows = re.findall(r'<tr class="patient-prescription">(.*?)</tr>', html, re.S)
    cells = [[strip_tags(cell).strip() for cell in re.findall(r"<td.*?</td>", row)] for row in rows]
    assert cells == [
        [f"#{draft.pk}, version 1", "Bottom lift (glute bridge)", "Draft", "–", "Preview handout"],
        [
            f"#{issued.pk}, version 1",
            "Forearm plank; Bottom lift (glute bridge)",
            "Issued",
            date_format(
                localtime(Prescription.objects.get(pk=issued.pk).issued_at), "SHORT_DATE_FORMAT"
            ),
            "Download handout",
        ],
    ]
    handout = f"/admin/prescriptions/prescription/{issued.pk}/handout/"
    assert f'href="{handout}"' in html
    assert f'href="/admin/prescriptions/prescription/{draft.pk}/handout/?preview=1"' in html
    # Near the top: before the patient's own fields.
    assert html.index("patient-prescriptions") < html.index('name="given_name"')


def test_the_patients_prescriptions_are_read_in_two_queries(clinic, django_assert_num_queries):
    patient = factories.PatientFactory(clinic=clinic)
    for _ in range(3):
        factories.PrescriptionFactory(
            patient=patient, items=[factories.ExerciseFactory(), factories.ExerciseFactory()]
        )
    with django_assert_num_queries(2):
        names = [
            [item.exercise.name for item in prescription.items.all()]
            for prescription in selectors.prescriptions_of_patient(patient)
        ]
    assert [len(programme) for programme in names] == [2, 2, 2]
