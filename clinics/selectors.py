"""Which clinic a request acts for: every clinic-scoped query starts here."""

from clinics.models import Clinic


def clinic_of(user) -> Clinic | None:
    profile = getattr(user, "clinician", None) if user.is_authenticated else None
    return profile.clinic if profile else None
