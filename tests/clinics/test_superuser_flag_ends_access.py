"""Granting or revoking superuser (or staff) in the admin is a role change: like a change of
groups, it ends every API token and signed-in session the user had."""

import pytest

from tests import factories
from tests.clinic.test_admin_versions import signed_in
from tests.clinics.test_admin_stale_saves import user_form_back
from tests.clinics.test_staff_management import assert_signed_out, signed_in_everywhere

pytestmark = pytest.mark.django_db


def saved_by_a_superuser(user, **changes):
    as_superuser = signed_in(factories.superuser())
    url = f"/admin/auth/user/{user.pk}/change/"
    saved = as_superuser.post(url, user_form_back(as_superuser.get(url), **changes))
    assert saved.status_code == 302, saved.context["adminform"].form.errors


def test_granting_superuser_in_the_admin_ends_tokens_and_sessions(clinic):
    therapist = factories.clinician(clinic)
    api, browser = signed_in_everywhere(therapist)

    saved_by_a_superuser(therapist, is_superuser="on")

    assert_signed_out(api, browser)


def test_revoking_staff_in_the_admin_ends_the_api_token(clinic):
    therapist = factories.clinician(clinic)
    api, _browser = signed_in_everywhere(therapist)

    saved_by_a_superuser(therapist, is_staff="")

    assert api.get("/api/v1/me/").status_code == 401


def test_revoking_superuser_in_the_admin_ends_tokens_and_sessions(clinic):
    promoted = factories.clinician(clinic)
    promoted.is_superuser = True
    promoted.save()
    api, browser = signed_in_everywhere(promoted)

    saved_by_a_superuser(promoted, is_superuser="")

    assert_signed_out(api, browser)


def test_a_name_change_in_the_admin_keeps_them_signed_in(clinic):
    therapist = factories.clinician(clinic)
    api, browser = signed_in_everywhere(therapist)

    saved_by_a_superuser(therapist, first_name="Alex")

    assert api.get("/api/v1/me/").status_code == 200
    assert browser.get("/admin/").status_code == 200
