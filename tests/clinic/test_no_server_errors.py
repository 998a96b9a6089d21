"""Inputs that answered 500 (issue 26): each now answers a 4xx naming what is wrong, or 503
when the media folder cannot be used, and changes nothing."""

import io
import json

import pytest
from PIL import Image

from prescriptions.models import Prescription
from tests import factories
from tests.clinics.test_logo_uploads import post_logo
from tests.prescriptions.support import errors, issue_and_commit, issue_via_api

pytestmark = pytest.mark.django_db

WORKSPACE = "/admin/prescriptions/prescription"


def truncated_jpeg() -> bytes:
    """A JPEG cut in half: its header is whole (verify() passes), its pixels are not."""
    image = Image.effect_noise((400, 400), 80).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    whole = buffer.getvalue()
    return whole[: len(whole) // 2]


def upload(content: bytes, name="picture.jpg"):
    file = io.BytesIO(content)
    file.name = name
    return file


@pytest.fixture
def draft(clinic):
    return factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )


def test_a_bearer_token_that_is_not_utf8_is_401(api):
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer \xff\xfe")
    assert errors(response, 401, "client_error") == [(None, "authentication_failed")]


def test_a_truncated_jpeg_as_exercise_image_is_400_at_the_field(as_editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exercise = factories.ExerciseFactory()
    response = as_editor.put(
        f"/api/v1/exercises/{exercise.pk}/image/",
        {"image": upload(truncated_jpeg())},
        format="multipart",
    )
    assert errors(response, 400) == [("image", "invalid_image")]
    exercise.refresh_from_db()
    assert not exercise.image
    assert list(tmp_path.rglob("*.jpg")) == []


def test_a_truncated_jpeg_as_clinic_logo_is_an_error_at_the_field(
    client, clinic, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(factories.clinic_admin(clinic))
    page = post_logo(client, clinic, upload(truncated_jpeg()))
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["logo"]
    clinic.refresh_from_db()
    assert not clinic.logo


def test_an_exercise_image_into_an_unwritable_media_folder_is_503(as_editor, unwritable_media):
    as_editor.raise_request_exception = False
    exercise = factories.ExerciseFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, format="PNG")
    response = as_editor.put(
        f"/api/v1/exercises/{exercise.pk}/image/",
        {"image": upload(buffer.getvalue(), "picture.png")},
        format="multipart",
    )
    assert errors(response, 503, "server_error") == [(None, "media_unwritable")]
    exercise.refresh_from_db()
    assert not exercise.image


def test_a_clinic_logo_into_an_unwritable_media_folder_is_503(client, clinic, unwritable_media):
    client.force_login(factories.clinic_admin(clinic))
    client.raise_request_exception = False
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, format="PNG")

    page = post_logo(client, clinic, upload(buffer.getvalue(), "logo.png"))

    assert page.status_code == 503
    assert b"the file storage is not writable" in page.content
    clinic.refresh_from_db()
    assert not clinic.logo


def test_an_issued_handout_whose_stored_file_is_missing_is_503(
    as_therapist, client, therapist, draft, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    issue_and_commit(draft)
    settings.MEDIA_ROOT = tmp_path / "moved-away"
    as_therapist.raise_request_exception = False

    response = as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/handout/")

    assert errors(response, 503, "server_error") == [(None, "media_unreadable")]
    client.force_login(therapist)
    client.raise_request_exception = False
    assert client.get(f"{WORKSPACE}/{draft.pk}/handout/").status_code == 503


FAR_FUTURE = "9999-12-31"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_date", FAR_FUTURE),
        ("start_date", "1899-12-31"),
        ("review_date", FAR_FUTURE),
    ],
)
def test_a_date_out_of_bounds_is_400_naming_the_field(as_therapist, draft, field, value):
    created = as_therapist.post(
        "/api/v1/prescriptions/",
        {"patient": draft.patient_id, "items": [{"exercise": draft.items.get().exercise_id}]}
        | {field: value},
        format="json",
    )
    patched = as_therapist.patch(
        f"/api/v1/prescriptions/{draft.pk}/", {field: value}, format="json"
    )
    assert errors(created, 400) == [(field, "date_out_of_range")]
    assert errors(patched, 400) == [(field, "date_out_of_range")]
    assert Prescription.objects.count() == 1


def test_a_review_more_than_two_years_after_the_start_is_400(as_therapist, draft):
    patched = as_therapist.patch(
        f"/api/v1/prescriptions/{draft.pk}/",
        {"start_date": "2026-01-01", "review_date": "2028-01-02"},
        format="json",
    )
    assert errors(patched, 400) == [("review_date", "review_too_far")]


def test_a_stored_far_future_start_date_is_400_on_the_handout_and_issue(
    as_therapist, client, therapist, draft
):
    """A draft saved before the bounds existed: its handout and issue name the field. Issuing
    needs If-Match first (a client that names no version learns that before anything else);
    one that names the current version learns which field is wrong."""
    Prescription.objects.filter(pk=draft.pk).update(start_date="9999-12-31", review_date=None)

    handout = as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/handout/")
    unnamed = as_therapist.post(f"/api/v1/prescriptions/{draft.pk}/issue/")
    issued = issue_via_api(as_therapist, f"/api/v1/prescriptions/{draft.pk}/")

    assert errors(handout, 400) == [("start_date", "date_out_of_range")]
    assert errors(unnamed, 428) == [(None, "precondition_required")]
    assert errors(issued, 400) == [("start_date", "date_out_of_range")]
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.force_login(therapist)
    admin_handout = client.get(f"{WORKSPACE}/{draft.pk}/handout/")
    assert admin_handout.status_code == 400
    assert b"start date: Give a date between 1900-01-01 and 2100-12-31." in admin_handout.content


def test_the_admin_refuses_a_far_future_start_date_at_the_field(client, therapist, draft):
    from tests.prescriptions.support import workspace_form_data

    client.force_login(therapist)
    page = client.post(
        f"{WORKSPACE}/{draft.pk}/workspace/",
        workspace_form_data(draft, start_date=FAR_FUTURE, _issue="1"),
    )
    assert page.status_code == 200
    assert "start_date" in page.context["form"].errors
    draft.refresh_from_db()
    assert (draft.start_date, draft.status) == (None, "draft")


def test_deeply_nested_json_to_the_workspace_check_is_400(client, therapist):
    # The workspace's live check: the public endpoint, under the admin's session.
    client.force_login(therapist)
    response = client.post(
        "/api/v1/prescriptions/check/", "[" * 50_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert json.loads(response.content)["errors"]


@pytest.mark.parametrize("exercise", [14.5, 14.0, True, "14.5"])
def test_an_exercise_id_must_be_an_integer(as_therapist, draft, exercise):
    response = as_therapist.post(
        "/api/v1/prescriptions/",
        {"patient": draft.patient_id, "items": [{"exercise": exercise}]},
        format="json",
    )
    assert errors(response, 400) == [("items.0.exercise", "incorrect_type")]
