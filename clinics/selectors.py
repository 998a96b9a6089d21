"""Which clinic a request acts for: every clinic-scoped query starts here."""

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from clinics.models import Clinic

RowsT = TypeVar("RowsT", bound=QuerySet)
# Who a request acts for: a signed-in user, or nobody.
RequestUser = User | AnonymousUser


def clinic_of(user: RequestUser) -> Clinic | None:
    profile = getattr(user, "clinician", None) if user.is_authenticated else None
    return profile.clinic if profile else None


def scoped_to_clinic(queryset: RowsT, user: RequestUser, lookup: str = "clinic") -> RowsT:
    """The rows of the user's own clinic, found through `lookup` (a path to the clinic); every
    row for a superuser, none for a user of no clinic. The API, the admin and the audit trail
    all scope through here."""
    if user.is_superuser:
        return queryset
    clinic = clinic_of(user)
    return queryset.filter(**{lookup: clinic.pk}) if clinic else queryset.none()
