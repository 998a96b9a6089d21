"""Writes for clinics and their staff."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from clinics.models import Clinic, ClinicianProfile
from clinics.roles import CATALOGUE_EDITOR, CLINIC_ADMIN, CLINICIAN, ensure_roles


@transaction.atomic
def create_or_update_clinician(
    *,
    username: str,
    clinic_name: str,
    password: str | None = None,
    editor: bool = False,
    clinic_admin: bool = False,
    display_name: str = "",
    profession: str = "",
) -> tuple[ClinicianProfile, bool]:
    """Creates the user (and the clinic if new) or updates their clinic and roles."""
    ensure_roles()
    clinic, _ = Clinic.objects.get_or_create(name=clinic_name)
    user, created = get_user_model().objects.get_or_create(username=username)
    if password:
        user.set_password(password)
    user.is_active = True
    user.is_staff = True
    user.save()
    wanted = (
        [CLINICIAN]
        + ([CATALOGUE_EDITOR] if editor else [])
        + ([CLINIC_ADMIN] if clinic_admin else [])
    )
    user.groups.add(*Group.objects.filter(name__in=wanted))
    profile, _ = ClinicianProfile.objects.update_or_create(
        user=user,
        defaults={"clinic": clinic},
        create_defaults={
            "clinic": clinic,
            "display_name": display_name,
            "profession": profession,
        },
    )
    return profile, created
