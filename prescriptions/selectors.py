"""Reads shared by the API and the admin: clinic scoping and the prefetches each view needs."""

from django.db.models import F, Prefetch, QuerySet
from django.db.models.fields.json import KT

from clinics.selectors import RequestUser, scoped_to_clinic
from exercises.selectors import with_catalogue_exercises
from prescriptions.models import (
    Patient,
    Prescription,
    PrescriptionItem,
    ProgrammeTemplate,
    TemplateItem,
)


def patients_for(user: RequestUser) -> QuerySet[Patient]:
    return scoped_to_clinic(Patient.objects.prefetch_related("conditions"), user)


def _items_with_rules(model) -> Prefetch:
    """Items with what the prescribing rules read of their exercises (the cautions that apply
    are read by the rules themselves, only for the patient's conditions)."""
    return Prefetch("items", queryset=with_catalogue_exercises(model.objects.all()))


def _with_detail_relations(queryset: QuerySet[Prescription]) -> QuerySet[Prescription]:
    """Everything a prescription's detail and warnings read, in a fixed number of queries:
    of the revision that superseded it only its id (`superseded_by_id`), not its row."""
    return (
        queryset.select_related("patient", "clinician__clinician")
        .annotate(superseded_by_id=F("revision__id"))
        .prefetch_related("patient__conditions", _items_with_rules(PrescriptionItem))
    )


def prescriptions_with_details() -> QuerySet[Prescription]:
    """The detail's reads; an issued prescription's snapshot (the frozen handout, the largest
    value of its row) is not decoded: the detail does not show it."""
    return _with_detail_relations(Prescription.objects.defer("snapshot"))


def prescriptions_with_handout_content() -> QuerySet[Prescription]:
    """The detail's reads, the snapshot, and the clinic the handout names (the exercises'
    steps and pictures come from the catalogue's cached reads:
    `exercises.selectors.steps_and_frames`); for a revision the version it replaces (its
    date, version and programme number, and its items, which the revision's changes are
    compared with), for a replaced one when its revision was issued."""
    return (
        _with_detail_relations(Prescription.objects.select_related("clinic", "supersedes"))
        .prefetch_related(
            Prefetch(
                "supersedes__items", queryset=PrescriptionItem.objects.select_related("exercise")
            )
        )
        .annotate(replaced_at=F("revision__issued_at"))
    )


def prescriptions_for(user: RequestUser) -> QuerySet[Prescription]:
    return scoped_to_clinic(prescriptions_with_details(), user)


def prescriptions_with_handout_content_for(user: RequestUser) -> QuerySet[Prescription]:
    return scoped_to_clinic(prescriptions_with_handout_content(), user)


# What an issued handout's download reads of its row: its status and file, the patient and
# the dates that name the file, and what its audit entry names.
_STORED_HANDOUT_FIELDS = (
    "clinic_id",
    "status",
    "version",
    "handout_pdf",
    "issued_at",
    "created_at",
    "patient__given_name",
    "patient__family_name",
)


def prescriptions_for_handout(user: RequestUser) -> QuerySet[Prescription]:
    """A handout download's first read: what an issued prescription's stored file is answered
    with, and the paper size and language it was issued in (`issued_paper`,
    `issued_language`) read from its snapshot by the database, which is not decoded. A draft,
    or an issued one asked for in other options, is read again whole."""
    return scoped_to_clinic(
        Prescription.objects.select_related("patient")
        .only(*_STORED_HANDOUT_FIELDS)
        .annotate(issued_paper=KT("snapshot__paper"), issued_language=KT("snapshot__language")),
        user,
    )


def prescriptions_for_list(user: RequestUser) -> QuerySet[Prescription]:
    return scoped_to_clinic(
        Prescription.objects.select_related("patient", "clinician__clinician").prefetch_related(
            "items"
        ),
        user,
    )


def prescriptions_of_patient(patient: Patient) -> QuerySet[Prescription]:
    """The patient's page: every prescription, newest first, with its exercises' names in
    programme order (two queries)."""
    return patient.prescriptions.only(
        "patient_id", "status", "version", "issued_at", "review_date", "created_at"
    ).prefetch_related(
        Prefetch(
            "items",
            queryset=PrescriptionItem.objects.select_related("exercise").only(
                "prescription_id", "order", "exercise__name"
            ),
        )
    )


def templates_for(user: RequestUser) -> QuerySet[ProgrammeTemplate]:
    return scoped_to_clinic(
        ProgrammeTemplate.objects.select_related("created_by__clinician").prefetch_related(
            _items_with_rules(TemplateItem)
        ),
        user,
    )
