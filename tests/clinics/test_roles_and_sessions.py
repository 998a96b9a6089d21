"""Roles and sessions as documented: sign-in resets the lockout, logout-all ends everything,
create_clinician's roles, the demo editor, and the audit admin's filters."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from knox.models import AuthToken

from clinics.roles import user_roles
from prescriptions.demo import ensure_demo_clinic
from tests import factories

pytestmark = pytest.mark.django_db


def sign_in(api, username, password):
    return api.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR="10.0.0.9",
    )


def test_a_successful_api_sign_in_resets_the_failure_count(api, therapist):
    for _ in range(4):
        assert sign_in(api, therapist.username, "wrong").status_code == 401
    assert sign_in(api, therapist.username, factories.PASSWORD).status_code == 200
    for _ in range(4):
        assert sign_in(api, therapist.username, "wrong").status_code == 401
    assert sign_in(api, therapist.username, factories.PASSWORD).status_code == 200


def test_logout_all_revokes_every_token_and_ends_admin_sessions(api, therapist, clinic):
    browser, other_browser = Client(), Client()
    browser.force_login(therapist)
    colleague = factories.clinician(clinic)
    other_browser.force_login(colleague)
    AuthToken.objects.create(therapist)
    token = sign_in(api, therapist.username, factories.PASSWORD).json()["token"]
    assert browser.get("/admin/prescriptions/patient/").status_code == 200

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post("/api/v1/auth/logout-all/").status_code == 204

    assert not AuthToken.objects.filter(user=therapist).exists()
    assert browser.get("/admin/prescriptions/patient/").status_code == 302
    assert other_browser.get("/admin/prescriptions/patient/").status_code == 200


def roles_after(*arguments) -> list[str]:
    call_command("create_clinician", "sam", "--clinic", "Riverside Physio", *arguments)
    return user_roles(get_user_model().objects.get(username="sam"))


def test_create_clinician_roles_replace_the_users_roles(clinic):
    assert roles_after() == ["clinician"]
    assert roles_after("--editor") == ["catalogue-editor"]
    assert roles_after("--role", "clinic-admin") == ["clinic-admin", "clinician"]
    assert roles_after("--role", "clinician", "--role", "editor") == [
        "catalogue-editor",
        "clinician",
    ]
    assert roles_after("--password", "a-new-password-2026") == ["catalogue-editor", "clinician"]
    assert roles_after("--role", "editor") == ["catalogue-editor"]


def test_create_clinician_refuses_an_unknown_role(clinic):
    with pytest.raises(CommandError, match="invalid choice"):
        roles_after("--role", "owner")


def test_the_demo_editor_edits_the_catalogue_and_reads_no_patient(api):
    call_command("load_catalogue", verbosity=0)
    ensure_demo_clinic()
    token = sign_in(api, "editor", "demo-editor-2026").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["roles"] == ["catalogue-editor"]
    assert api.get("/api/v1/patients/").status_code == 403
    assert api.get("/api/v1/exercises/", {"status": "draft"}).status_code == 200


def test_the_audit_admin_lists_only_the_viewers_clinics_actors(client, clinic, other_clinic_user):
    clinic_admin = factories.clinic_admin(clinic)
    colleague = factories.clinician(clinic)
    client.force_login(clinic_admin)
    page = client.get("/admin/auditlog/logentry/").content.decode()
    assert colleague.username in page
    assert other_clinic_user.username not in page
