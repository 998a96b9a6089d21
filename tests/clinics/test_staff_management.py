"""A clinic administrator manages its clinic's clinicians and nobody above them."""

import pytest

from clinics.roles import CATALOGUE_EDITOR
from tests import factories

pytestmark = pytest.mark.django_db

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
