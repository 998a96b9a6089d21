"""The prescribing workspace as the admin site's own pages: reached from the admin's old
addresses and the list, signed in as the admin is, and written to the admin's History."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

from prescriptions import services
from prescriptions.models import Prescription
from tests import factories
from tests.prescriptions.support import new_workspace_data, workspace_form_data

pytestmark = pytest.mark.django_db

PRESCRIPTIONS = "/admin/prescriptions/prescription"


@pytest.fixture
def signed_in(client, therapist):
    client.force_login(therapist)
    return client


def test_the_admins_old_addresses_lead_to_the_workspace(signed_in, own_draft):
    change = signed_in.get(f"{PRESCRIPTIONS}/{own_draft.pk}/change/")
    assert change.status_code == 307
    assert change["Location"] == f"{PRESCRIPTIONS}/{own_draft.pk}/workspace/"
    add = signed_in.get(f"{PRESCRIPTIONS}/add/?patient={own_draft.patient_id}")
    assert add.status_code == 307
    assert add["Location"] == f"{PRESCRIPTIONS}/new/?patient={own_draft.patient_id}"


def test_a_page_opened_at_the_old_address_still_saves_there(signed_in, own_draft):
    """A page opened before the move posts to the old address: the save goes along."""
    posted = workspace_form_data(own_draft, notes="Kept through the move.")
    response = signed_in.post(f"{PRESCRIPTIONS}/{own_draft.pk}/change/", posted, follow=True)
    assert response.redirect_chain[0] == (f"{PRESCRIPTIONS}/{own_draft.pk}/workspace/", 307)
    own_draft.refresh_from_db()
    assert own_draft.notes == "Kept through the move."


def test_the_workspace_needs_the_admins_sign_in(client, own_draft):
    response = client.get(f"{PRESCRIPTIONS}/{own_draft.pk}/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(f"{PRESCRIPTIONS}/new/?patient={own_draft.patient_id}").status_code == 302


def test_the_list_links_each_prescription_to_its_workspace(signed_in, own_draft):
    page = signed_in.get(f"{PRESCRIPTIONS}/").content.decode()
    assert f'href="{PRESCRIPTIONS}/{own_draft.pk}/workspace/"' in page
    assert f'href="{PRESCRIPTIONS}/{own_draft.pk}/change/"' not in page


def test_the_workspace_shows_the_admins_chrome_and_its_history_link(signed_in, own_draft):
    page = signed_in.get(f"{PRESCRIPTIONS}/{own_draft.pk}/workspace/").content.decode()
    assert "Riverside Physio · Exercise prescriptions" in page
    assert f'href="{PRESCRIPTIONS}/{own_draft.pk}/history/"' in page


def test_a_new_prescription_and_its_changes_are_in_the_admins_history(signed_in, clinic, therapist):
    patient = factories.PatientFactory(clinic=clinic)
    exercise = factories.ExerciseFactory()
    created = signed_in.post(
        f"{PRESCRIPTIONS}/new/?patient={patient.pk}",
        new_workspace_data({"exercise": exercise.pk, "reps": "10"}, notes="Walk the dog again."),
    )
    prescription = Prescription.objects.get(patient=patient)
    assert created["Location"] == f"{PRESCRIPTIONS}/{prescription.pk}/workspace/"

    posted = workspace_form_data(prescription, notes="Walk to the shops.", opened_by=therapist.pk)
    # The boxes of dose fields not used are sent empty.
    posted = {name: "" if value is None else value for name, value in posted.items()}
    changed = signed_in.post(f"{PRESCRIPTIONS}/{prescription.pk}/workspace/", posted)
    assert changed.status_code == 302

    entries = LogEntry.objects.filter(object_id=str(prescription.pk)).order_by("pk")
    assert [(e.action_flag, e.user, e.get_change_message()) for e in entries] == [
        (ADDITION, therapist, "Added."),
        (CHANGE, therapist, "Changed Goal and notes."),
    ]
    history = signed_in.get(f"{PRESCRIPTIONS}/{prescription.pk}/history/").content.decode()
    assert "Changed Goal and notes." in history


def test_a_refused_save_writes_no_history(signed_in, own_draft):
    response = signed_in.post(
        f"{PRESCRIPTIONS}/{own_draft.pk}/workspace/",
        workspace_form_data(own_draft, **{"items-0-reps": "x"}),
    )
    assert response.status_code == 200
    assert not LogEntry.objects.filter(object_id=str(own_draft.pk)).exists()


def test_an_issued_prescription_reads_as_text(signed_in, own_draft):
    services.issue_prescription(prescription=own_draft)
    page = signed_in.get(f"{PRESCRIPTIONS}/{own_draft.pk}/workspace/").content.decode()
    assert 'name="notes"' not in page
    assert '<div class="readonly">Ease the pull at the back of your thighs.</div>' in page
    assert 'class="row-dose-summary"' in page
