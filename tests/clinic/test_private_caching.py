"""API records and handouts carry a private cache policy, set in one place (issue 26: they
carried none, so a shared cache or the browser's disk could keep a patient's record)."""

import pytest

from tests import factories
from tests.prescriptions.support import issue_and_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(clinic):
    return factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )


def test_records_with_an_etag_are_revalidated_and_others_not_stored(as_therapist, draft):
    record = as_therapist.get(f"/api/v1/patients/{draft.patient_id}/")
    listing = as_therapist.get("/api/v1/patients/")
    me = as_therapist.get("/api/v1/me/")

    assert record.has_header("ETag")
    assert record["Cache-Control"] == "private, no-cache"
    assert listing["Cache-Control"] == "private, no-store"
    assert me["Cache-Control"] == "private, no-store"


def test_handout_downloads_are_not_stored(
    as_therapist, client, therapist, draft, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft_handout = as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/handout/")
    issue_and_commit(draft)
    issued_handout = as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/handout/")
    client.force_login(therapist)
    admin_handout = client.get(f"/admin/prescriptions/prescription/{draft.pk}/handout/")

    assert draft_handout["Cache-Control"] == "private, no-store"
    assert issued_handout["Cache-Control"] == "private, no-store"
    assert {"private", "no-store"} <= set(
        admin_handout["Cache-Control"].replace(" ", "").split(",")
    )


def test_errors_are_not_stored_either(as_therapist):
    assert as_therapist.get("/api/v1/patients/999999/")["Cache-Control"] == "private, no-store"


def test_versioned_illustrations_keep_their_private_lifetime(as_therapist):
    """The plain URL redirects to the picture's versioned URL (issue 27); the redirect is not
    stored, the versioned picture keeps its own private, year-long lifetime."""
    exercise = factories.IllustrationFactory().exercise
    plain = as_therapist.get(f"/api/v1/exercises/{exercise.pk}/illustrations/start.svg")
    assert plain.status_code == 302
    assert plain["Cache-Control"] == "private, no-store"
    picture = as_therapist.get(plain["Location"])
    assert picture.status_code == 200
    assert picture["Cache-Control"] == "private, max-age=31536000, immutable"
