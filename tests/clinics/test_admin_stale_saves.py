"""The clinic and user change forms carry the version they opened (clinic.admin_versions): a
form kept open does not silently undo what someone else saved meanwhile."""

import pytest
from django.contrib.auth import get_user_model

from clinics.models import Clinic
from tests import factories
from tests.clinic.test_admin_versions import REFUSED, posted_back, signed_in

pytestmark = pytest.mark.django_db


def user_form_back(page, **changes) -> dict:
    """posted_back for a superuser's user form, whose date joined the page splits in two."""
    joined = page.context["adminform"].form["date_joined"].value()
    split = {"date_joined_0": f"{joined:%Y-%m-%d}", "date_joined_1": f"{joined:%H:%M:%S}"}
    return posted_back(page, **split, **changes)


def test_a_kept_user_form_does_not_reactivate_a_user_a_superuser_deactivated(clinic):
    therapist = factories.clinician(clinic)
    as_clinic_admin = signed_in(factories.clinic_admin(clinic))
    as_superuser = signed_in(factories.superuser())
    url = f"/admin/auth/user/{therapist.pk}/change/"
    kept = as_clinic_admin.get(url)
    assert kept.status_code == 200

    page = as_superuser.get(url)
    deactivated = as_superuser.post(url, user_form_back(page, is_active=""))
    assert deactivated.status_code == 302, deactivated.context["adminform"].form.errors

    refused = as_clinic_admin.post(
        url, posted_back(kept, first_name="Renamed", email="new@example.org")
    )
    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    therapist.refresh_from_db()
    assert not therapist.is_active
    assert (therapist.first_name, therapist.email) != ("Renamed", "new@example.org")


def test_a_current_user_form_saves(clinic):
    therapist = factories.clinician(clinic)
    as_clinic_admin = signed_in(factories.clinic_admin(clinic))
    url = f"/admin/auth/user/{therapist.pk}/change/"

    saved = as_clinic_admin.post(url, posted_back(as_clinic_admin.get(url), first_name="Renamed"))

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert get_user_model().objects.get(pk=therapist.pk).first_name == "Renamed"


def test_a_superuser_can_still_add_a_user():
    as_superuser = signed_in(factories.superuser())
    password = "a-new-long-passphrase-1"

    page = as_superuser.get("/admin/auth/user/add/")
    added = as_superuser.post(
        "/admin/auth/user/add/",
        posted_back(page, username="new-clinician", password1=password, password2=password),
    )

    assert added.status_code == 302, added.context["adminform"].form.errors
    assert get_user_model().objects.filter(username="new-clinician").exists()


def test_a_kept_clinic_form_does_not_overwrite_a_newer_emergency_number(clinic):
    first = signed_in(factories.clinic_admin(clinic))
    second = signed_in(factories.superuser())
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    kept, current = first.get(url), second.get(url)
    assert kept.status_code == current.status_code == 200

    saved = second.post(url, posted_back(current, emergency_number="112"))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    refused = first.post(url, posted_back(kept, emergency_number="999", name="Renamed"))

    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    clinic = Clinic.objects.get(pk=clinic.pk)
    assert (clinic.emergency_number, clinic.name) != ("999", "Renamed")
    assert clinic.emergency_number == "112"
