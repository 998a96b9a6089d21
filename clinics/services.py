"""Writes for clinics and their staff."""

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from clinics.models import Clinic, ClinicianProfile
from clinics.roles import CLINIC_ADMIN, CLINICIAN, ensure_roles


@transaction.atomic
def create_or_update_clinician(
    *,
    username: str,
    clinic_name: str,
    password: str | None = None,
    roles: set[str] | None = None,
    display_name: str = "",
    profession: str = "",
) -> tuple[ClinicianProfile, bool]:
    """Creates the user (and the clinic if new) or updates their clinic and roles.

    `roles` (group names) replace the user's roles; a clinic administrator is also a
    clinician. Left out: a new user is a clinician, an existing one keeps their roles.
    """
    ensure_roles()
    clinic, _ = Clinic.objects.get_or_create(name=clinic_name)
    user, created = get_user_model().objects.get_or_create(username=username)
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    user.is_active = True
    user.is_staff = True
    user.save()
    if roles is None and created:
        roles = {CLINICIAN}
    if roles is not None:
        if CLINIC_ADMIN in roles:
            roles = {*roles, CLINICIAN}
        user.groups.set(Group.objects.filter(name__in=roles))
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


def end_access(user: User) -> None:
    """Revokes every API token of `user` and ends their signed-in sessions."""
    AuthToken.objects.filter(user=user).delete()
    end_sessions(user)


def end_sessions(user: User) -> int:
    """Ends every signed-in session of `user` (admin, browsable API); answers how many.

    Sessions are stored encoded, so each unexpired one is read: a clinic has a few hundred.
    """
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
