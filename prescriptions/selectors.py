"""Reads shared by the API and the admin: clinic scoping and the prefetches each view needs."""

from django.db.models import Prefetch, QuerySet

from clinics.selectors import clinic_of
from exercises.models import Caution
from prescriptions.models import (
    Patient,
    Prescription,
    PrescriptionItem,
    ProgrammeTemplate,
    TemplateItem,
)

_CAUTIONS = Caution.objects.select_related("condition", "tag")


def _scoped(queryset: QuerySet, user) -> QuerySet:
    if user.is_superuser:
        return queryset
    clinic = clinic_of(user)
    return queryset.filter(clinic=clinic) if clinic else queryset.none()


def patients_for(user) -> QuerySet[Patient]:
    return _scoped(Patient.objects.prefetch_related("conditions"), user)


def _items_with_rules(model) -> Prefetch:
    return Prefetch(
        "items",
        queryset=model.objects.select_related(
            "exercise__body_region", "exercise__illustration"
        ).prefetch_related(
            Prefetch("exercise__cautions", queryset=_CAUTIONS),
            Prefetch("exercise__tags__cautions", queryset=_CAUTIONS),
        ),
    )


def prescriptions_with_details() -> QuerySet[Prescription]:
    """Everything a prescription's detail, warnings and handout read, in a fixed number of queries."""
    return Prescription.objects.select_related(
        "clinic", "patient", "clinician__clinician", "supersedes", "revision"
    ).prefetch_related(
        "patient__conditions",
        _items_with_rules(PrescriptionItem),
        "items__exercise__steps",
    )


def prescriptions_for(user) -> QuerySet[Prescription]:
    return _scoped(prescriptions_with_details(), user)


def prescriptions_for_handout(user) -> QuerySet[Prescription]:
    """A handout download's first read: an issued prescription answers from its own row (the
    patient names the file); a draft is read again with its details to be built."""
    return _scoped(Prescription.objects.select_related("patient"), user)


def prescriptions_for_list(user) -> QuerySet[Prescription]:
    return _scoped(
        Prescription.objects.select_related("patient", "clinician__clinician").prefetch_related(
            "items"
        ),
        user,
    )


def templates_for(user) -> QuerySet[ProgrammeTemplate]:
    return _scoped(
        ProgrammeTemplate.objects.select_related("created_by__clinician").prefetch_related(
            _items_with_rules(TemplateItem)
        ),
        user,
    )
