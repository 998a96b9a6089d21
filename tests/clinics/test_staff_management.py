"""A clinic administrator manages its clinic's clinicians and nobody above them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from clinics.roles import CATALOGUE_EDITOR
from prescriptions.models import Patient
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PATIENT = {
    "given_name": "Zoë",
    "family_name": "Mover",
    "date_of_birth": "1970-03-02",
    "identifier": "MRN-MOVE",
}
NEW_PASSWORD = {"password1": "a-new-long-passphrase-1", "password2": "a-new-long-passphrase-1"}


def test_a_clinic_admin_cannot_set_the_catalogue_editors_password(client, clinic):
    editor = factories.ClinicianFactory(
        clinic=clinic, user=factories.UserFactory(roles=[CATALOGUE_EDITOR])
    ).user
    client.force_login(factories.clinic_admin(clinic))

    response = client.post(f"/admin/auth/user/{editor.pk}/password/", NEW_PASSWORD)

    assert response.status_code == 403
    editor.refresh_from_db()
    assert editor.check_password(factories.PASSWORD)


def test_a_clinic_admin_cannot_deactivate_another_admin(client, clinic):
    fellow_admin = factories.clinic_admin(clinic)
    client.force_login(factories.clinic_admin(clinic))

    response = client.post(
        f"/admin/auth/user/{fellow_admin.pk}/change/",
        {"username": fellow_admin.username, "is_active": ""},
    )

    assert response.status_code == 403
    fellow_admin.refresh_from_db()
    assert fellow_admin.is_active


def test_a_clinic_admin_sees_the_editor_read_only(client, clinic):
    editor = factories.ClinicianFactory(
        clinic=clinic, user=factories.UserFactory(roles=[CATALOGUE_EDITOR])
    ).user
    client.force_login(factories.clinic_admin(clinic))

    page = client.get(f"/admin/auth/user/{editor.pk}/change/")

    assert page.status_code == 200
    assert b'name="is_active"' not in page.content
    assert f"/admin/auth/user/{editor.pk}/password/".encode() not in page.content


# Tokens and sessions end with their reason.


def signed_in_everywhere(user):
    """An API token and an admin session of `user`: (API client with the token, browser)."""
    api = APIClient()
    token = api.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": factories.PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.7",
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    browser = Client()
    browser.force_login(user)
    assert api.get("/api/v1/me/").status_code == 200
    assert browser.get("/admin/").status_code == 200
    return api, browser


def assert_signed_out(api, browser):
    assert api.get("/api/v1/me/").status_code == 401
    assert browser.get("/admin/").status_code == 302


def test_a_password_reset_by_the_clinic_admin_ends_the_old_token_and_sessions(client, clinic):
    therapist = factories.clinician(clinic)
    api, browser = signed_in_everywhere(therapist)
    client.force_login(factories.clinic_admin(clinic))

    reset = client.post(f"/admin/auth/user/{therapist.pk}/password/", NEW_PASSWORD)

    assert reset.status_code == 302
    assert_signed_out(api, browser)


def test_a_password_set_in_code_ends_the_old_token(clinic):
    therapist = factories.clinician(clinic)
    api, browser = signed_in_everywhere(therapist)

    therapist.set_password("another-long-passphrase-2")
    therapist.save()

    assert_signed_out(api, browser)


def test_deactivation_ends_the_admin_sessions_too(clinic):
    therapist = factories.clinician(clinic)
    api, browser = signed_in_everywhere(therapist)

    therapist.is_active = False
    therapist.save()

    assert_signed_out(api, browser)


def test_a_role_change_ends_the_old_token(clinic):
    therapist = factories.clinician(clinic)
    api, browser = signed_in_everywhere(therapist)

    call_command("create_clinician", therapist.username, "--clinic", clinic.name, "--editor")

    assert_signed_out(api, browser)


def test_a_move_to_another_clinic_ends_tokens_and_stored_answers(clinic):
    therapist = factories.clinician(clinic)
    api, browser = signed_in_everywhere(therapist)
    api.post("/api/v1/patients/", NEW_PATIENT, format="json", HTTP_IDEMPOTENCY_KEY="move-1")

    call_command("create_clinician", therapist.username, "--clinic", "Hilltop Clinic")

    assert_signed_out(api, browser)
    api.force_authenticate(get_user_model().objects.get(pk=therapist.pk))
    replay = api.post(
        "/api/v1/patients/", NEW_PATIENT, format="json", HTTP_IDEMPOTENCY_KEY="move-1"
    )
    assert replay.status_code == 201, replay.content
    created = Patient.objects.get(pk=replay.json()["id"])
    assert created.clinic.name == "Hilltop Clinic"
    assert Patient.objects.filter(clinic=clinic).count() == 1


def test_unchanged_roles_and_clinic_keep_the_token(clinic):
    therapist = factories.clinician(clinic)
    api, _browser = signed_in_everywhere(therapist)

    call_command("create_clinician", therapist.username, "--clinic", clinic.name)
    therapist.first_name = "Alex"
    therapist.save()

    assert api.get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("password", ["123", "password", "short"])
def test_create_clinician_refuses_a_weak_password(clinic, password):
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_clinician", "sam", "--clinic", clinic.name, "--password", password)
    assert not get_user_model().objects.filter(username="sam").exists()


def test_the_admin_refuses_a_weak_password(client, clinic):
    therapist = factories.clinician(clinic)
    client.force_login(factories.clinic_admin(clinic))

    page = client.post(
        f"/admin/auth/user/{therapist.pk}/password/", {"password1": "123", "password2": "123"}
    )

    assert page.status_code == 200
    assert b"This password is too short" in page.content
    therapist.refresh_from_db()
    assert therapist.check_password(factories.PASSWORD)
