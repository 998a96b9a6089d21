"""Every write on patients, prescriptions and templates: one transaction each.

The API and the admin both call these; a service validates with the prescribing rules and
raises Django's ValidationError keyed by field path ("items.2.reps"), StateConflict for a
request the record's state forbids, and StalePrecondition for a stale If-Match (checked
under the row lock, after the state: an issued prescription answers 409 whatever its tag).
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.audit import record_change
from clinic.errors import StateConflict
from clinic.etags import current_etag, require_current, require_tag
from clinics.models import Clinic
from exercises.dose import DOSE_FIELD_NAMES
from prescriptions import selectors
from prescriptions.api.etags import shown_beyond_row
from prescriptions.handouts.issue import freeze_handout
from prescriptions.handouts.storage import stored_before_commit
from prescriptions.models import (
    Patient,
    Prescription,
    PrescriptionItem,
    PrescriptionStatus,
    ProgrammeTemplate,
    TemplateItem,
)
from prescriptions.rules import (
    ItemDraft,
    RuleFindings,
    check_dates,
    check_item_count,
    check_items,
    check_void_reason,
    date_errors,
    date_of_birth_error,
    drafts_from_saved,
    item_drafts,
)

PATIENT_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "identifier",
    "preferred_language",
    "email",
    "phone",
    "address",
    "notes",
)


# What issuing sets on a draft from its rendering (`_rendered_for_issue`), besides the PDF's name.
FROZEN_AT_ISSUE = (
    "status",
    "issued_at",
    "row_version",
    "snapshot",
    "fingerprint",
    "handout_sha256",
)


def _raise_findings(findings: RuleFindings) -> None:
    if findings.errors:
        raise ValidationError(
            {
                path: [ValidationError(message, code=code) for message, code in messages]
                for path, messages in findings.errors.items()
            }
        )


def duplicate_identifier_error() -> ValidationError:
    return ValidationError(
        _("A patient with this record number already exists at this clinic."), code="unique"
    )


def _duplicate_identifier() -> ValidationError:
    return ValidationError({"identifier": duplicate_identifier_error()})


# Patients ---------------------------------------------------------------------------------


def identifier_taken(clinic: Clinic, identifier: str, *, exclude_pk: int | None = None) -> bool:
    return (
        Patient.objects.filter(clinic=clinic, identifier=identifier)
        .exclude(pk__in=[exclude_pk] if exclude_pk else [])
        .exists()
    )


def _locked_patient(patient: Patient, if_match: str | None) -> Patient:
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    require_current(locked, if_match)
    return locked


@transaction.atomic
def save_patient(
    *, clinic: Clinic, patient: Patient | None = None, data: dict, if_match: str | None = None
) -> Patient:
    """Creates or updates a patient; a duplicate record number is a 400 on `identifier`,
    also when two requests race (the database constraint decides)."""
    patient = _locked_patient(patient, if_match) if patient else Patient(clinic=clinic)
    conditions = data.pop("conditions", None)
    birth_error = date_of_birth_error(data.get("date_of_birth"))
    if birth_error:
        raise ValidationError({"date_of_birth": birth_error})
    for name, value in data.items():
        setattr(patient, name, value)
    patient.full_clean(exclude=["clinic", "conditions"], validate_unique=False)
    try:
        with transaction.atomic():
            patient.save()
            if conditions is not None:
                patient.conditions.set(conditions)
    except IntegrityError:
        if (
            Patient.objects.filter(clinic=clinic, identifier=patient.identifier)
            .exclude(pk=patient.pk)
            .exists()
        ):
            raise _duplicate_identifier() from None
        raise
    return patient


def refuse_patient_deletion(*, patient: Patient, if_match: str | None = None) -> None:
    """Patients are archived, never deleted; a stale If-Match is still told first (412)."""
    require_current(patient, if_match)
    raise StateConflict(
        _("Patients are never deleted. Archive the patient instead (POST .../archive/)."),
        code="archive_instead",
    )


@transaction.atomic
def archive_patient(*, patient: Patient, if_match: str | None = None) -> Patient:
    patient = _locked_patient(patient, if_match)
    if patient.archived_at is None:
        patient.archived_at = timezone.now()
        patient.save(update_fields=["archived_at", "updated_at"])
    return patient


@transaction.atomic
def unarchive_patient(*, patient: Patient, if_match: str | None = None) -> Patient:
    patient = _locked_patient(patient, if_match)
    if patient.archived_at is not None:
        patient.archived_at = None
        patient.save(update_fields=["archived_at", "updated_at"])
    return patient


# Items ------------------------------------------------------------------------------------


def _item_summary(owner) -> list[str]:
    return [
        f"{item.exercise_id}:" + ",".join(str(getattr(item, name)) for name in DOSE_FIELD_NAMES)
        for item in owner.items.all()
    ]


def _replace_items(owner, model, drafts: list[ItemDraft], **owner_field) -> None:
    before = _item_summary(owner) if owner.pk else []
    owner.items.all().delete()
    extra = (
        (
            lambda draft: {
                "acknowledge_contraindication": draft.acknowledge_contraindication,
                "contraindication_reason": draft.contraindication_reason,
            }
        )
        if (model is PrescriptionItem)
        else (lambda draft: {})
    )
    model.objects.bulk_create(
        model(
            **owner_field,
            order=index,
            exercise=draft.exercise,
            notes=draft.notes,
            **draft.dose,
            **extra(draft),
        )
        for index, draft in enumerate(drafts)
    )
    record_change(owner, "items", before, _item_summary(owner))


# Prescriptions ----------------------------------------------------------------------------


@transaction.atomic
def create_prescription(
    *,
    clinician: User,
    patient: Patient,
    items: list[dict],
    notes: str = "",
    start_date: datetime.date | None = None,
    review_date: datetime.date | None = None,
    agreed_pain_score: int | None = None,
) -> Prescription:
    check_item_count(items)
    check_dates(start_date, review_date)
    drafts = item_drafts(items)
    condition_ids = set(patient.conditions.values_list("pk", flat=True))
    _raise_findings(check_items(drafts, condition_ids))
    prescription = Prescription.objects.create(
        clinic=patient.clinic,
        patient=patient,
        clinician=clinician,
        notes=notes,
        start_date=start_date,
        review_date=review_date,
        agreed_pain_score=agreed_pain_score,
    )
    _replace_items(prescription, PrescriptionItem, drafts, prescription=prescription)
    return prescription


def _locked(prescription: Prescription) -> Prescription:
    return Prescription.objects.select_for_update().get(pk=prescription.pk)


def _lock_patient_of(prescription: Prescription) -> None:
    """The patient's row decides the prescription's warnings (its conditions), so it is locked
    while a write compares the tag that covers them or checks the rules once more."""
    prescription.patient = Patient.objects.select_for_update().get(pk=prescription.patient_id)


def _require_current_prescription(prescription: Prescription, if_match: str | None) -> None:
    """If-Match against the tag a read answers: the row version and the warnings as shown
    (clinic.etags), computed under the prescription's and its patient's row locks."""
    if if_match is not None:
        _lock_patient_of(prescription)
        require_current(prescription, if_match, shown=lambda: _shown(prescription))


def _shown(prescription: Prescription) -> dict:
    """Read as the API's read reads it, apart from the instance the write goes on changing."""
    return shown_beyond_row(selectors.prescriptions_with_details().get(pk=prescription.pk))


def _require_draft(prescription: Prescription) -> None:
    if not prescription.is_draft:
        raise StateConflict(
            _("This prescription was issued and can no longer change. Revise it instead."),
            code="not_draft",
        )


def ensure_updatable(*, prescription: Prescription, if_match: str | None) -> None:
    """Before reading the body: an issued prescription answers 409, then a stale If-Match 412."""
    _require_draft(prescription)
    require_current(prescription, if_match, shown=lambda: shown_beyond_row(prescription))


@transaction.atomic
def update_prescription(
    *, prescription: Prescription, if_match: str | None = None, data: dict
) -> Prescription:
    """Updates a draft; `items`, when given, replaces the whole list. If-Match is re-checked
    under the row lock, so two concurrent writers cannot both win."""
    locked = _locked(prescription)
    _require_draft(locked)
    _require_current_prescription(locked, if_match)
    for name in ("patient", "notes", "start_date", "review_date", "agreed_pain_score"):
        if name in data:
            setattr(locked, name, data[name])
    if "patient" in data and data["patient"].clinic_id != locked.clinic_id:
        raise ValidationError(
            {"patient": ValidationError(_("Unknown patient."), code="does_not_exist")}
        )
    check_dates(locked.start_date, locked.review_date)
    condition_ids = set(locked.patient.conditions.values_list("pk", flat=True))
    if "items" in data:
        check_item_count(data["items"])
        drafts = item_drafts(data["items"])
    else:
        drafts = drafts_from_saved(locked.items.select_related("exercise"))
    _raise_findings(check_items(drafts, condition_ids))
    if "items" in data:
        _replace_items(locked, PrescriptionItem, drafts, prescription=locked)
    locked.row_version += 1
    locked.save()
    return locked


@transaction.atomic
def delete_prescription(*, prescription: Prescription, if_match: str | None = None) -> None:
    locked = _locked(prescription)
    if not locked.is_draft:
        raise StateConflict(
            _("Only a draft can be deleted. Void an issued prescription instead."), code="not_draft"
        )
    _require_current_prescription(locked, if_match)
    locked.delete()


def _require_draft_to_issue(prescription: Prescription) -> None:
    if prescription.status != PrescriptionStatus.DRAFT:
        raise StateConflict(_("This prescription has already been issued."), code="already_issued")


def _require_items_to_issue(items: list) -> None:
    if not items:
        raise ValidationError(
            {"items": ValidationError(_("Add at least one exercise before issuing."), code="empty")}
        )


def _rendered_for_issue(prescription: Prescription) -> tuple[Prescription, str, bytes]:
    """The draft as issuing freezes it, read and rendered outside any transaction: a copy with
    its status, issue time, next row version, snapshot and PDF name set; the tag of what it
    was rendered from; and the PDF."""
    draft = Prescription.objects.select_related("patient").get(pk=prescription.pk)
    _require_draft_to_issue(draft)
    _require_items_to_issue(list(draft.items.all()[:1]))
    check_dates(draft.start_date, draft.review_date)
    rendered_from = current_etag(draft, _shown(draft))
    draft.status = PrescriptionStatus.ISSUED
    draft.issued_at = timezone.now()
    draft.row_version += 1
    return draft, rendered_from, freeze_handout(draft)


def issue_prescription(*, prescription: Prescription, if_match: str | None = None) -> Prescription:
    """Freezes a draft: checks the rules again, snapshots the handout and stores its PDF.

    The PDF is rendered first, outside the transaction, so the database is not held while it
    renders (SQLite lets one transaction write at a time). The transaction then checks, under
    the row locks, that the draft is still what was rendered (its tag, as If-Match compares
    it: 412 and nothing stored if it changed meanwhile), checks the rules and stores the file
    with the row."""
    rendered, rendered_from, pdf = _rendered_for_issue(prescription)
    with transaction.atomic():
        locked = _locked(prescription)
        _require_draft_to_issue(locked)
        # The rules are checked once more below, on the patient's conditions as they are now.
        _lock_patient_of(locked)
        current = current_etag(locked, _shown(locked))
        require_tag(current, if_match)
        require_tag(current, rendered_from)
        items = list(locked.items.select_related("exercise"))
        _require_items_to_issue(items)
        check_dates(locked.start_date, locked.review_date)
        condition_ids = set(locked.patient.conditions.values_list("pk", flat=True))
        _raise_findings(check_items(drafts_from_saved(items), condition_ids, issuing=True))
        for name in FROZEN_AT_ISSUE:
            setattr(locked, name, getattr(rendered, name))
        locked.handout_pdf.name = rendered.handout_pdf.name
        with stored_before_commit(locked.handout_pdf.name, pdf):
            locked.save()
            if locked.supersedes_id:
                Prescription.objects.filter(
                    pk=locked.supersedes_id, status=PrescriptionStatus.ISSUED
                ).update(
                    status=PrescriptionStatus.SUPERSEDED,
                    row_version=F("row_version") + 1,
                    updated_at=timezone.now(),
                )
    return locked


@transaction.atomic
def revise_prescription(
    *, prescription: Prescription, clinician: User, if_match: str | None = None
) -> Prescription:
    locked = _locked(prescription)
    if locked.status != PrescriptionStatus.ISSUED:
        raise StateConflict(_("Only an issued prescription can be revised."), code="not_issued")
    if Prescription.objects.filter(supersedes=locked).exists():
        raise StateConflict(_("This prescription already has a revision."), code="already_revised")
    _require_current_prescription(locked, if_match)
    revision = Prescription.objects.create(
        clinic=locked.clinic,
        patient=locked.patient,
        clinician=clinician,
        notes=locked.notes,
        start_date=locked.start_date,
        review_date=locked.review_date,
        agreed_pain_score=locked.agreed_pain_score,
        version=locked.version + 1,
        supersedes=locked,
    )
    drafts = drafts_from_saved(locked.items.select_related("exercise"))
    _replace_items(revision, PrescriptionItem, drafts, prescription=revision)
    return revision


@transaction.atomic
def void_prescription(
    *, prescription: Prescription, reason: str, if_match: str | None = None
) -> Prescription:
    locked = _locked(prescription)
    if locked.status != PrescriptionStatus.ISSUED:
        raise StateConflict(_("Only an issued prescription can be voided."), code="not_issued")
    _require_current_prescription(locked, if_match)
    check_void_reason(reason)
    locked.status = PrescriptionStatus.VOIDED
    locked.voided_at = timezone.now()
    locked.void_reason = reason
    locked.row_version += 1
    locked.save()
    return locked


# Templates --------------------------------------------------------------------------------


def _save_template_items(template: ProgrammeTemplate, items: list[dict]) -> None:
    check_item_count(items)
    drafts = item_drafts(items)
    _raise_findings(check_items(drafts, set()))
    _replace_items(template, TemplateItem, drafts, template=template)


def _save_template_row(template: ProgrammeTemplate) -> None:
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ValidationError(
            {
                "name": ValidationError(
                    _("The clinic already has a template with this name."), code="unique"
                )
            }
        ) from None


@transaction.atomic
def save_template(*, template: ProgrammeTemplate, data: dict) -> ProgrammeTemplate:
    items = data.pop("items", None)
    for name, value in data.items():
        setattr(template, name, value)
    _save_template_row(template)
    if items is not None:
        _save_template_items(template, items)
    return template


@transaction.atomic
def save_prescription_as_template(
    *, prescription: Prescription, name: str, user: User
) -> ProgrammeTemplate:
    template = ProgrammeTemplate(
        clinic=prescription.clinic,
        name=name,
        notes=prescription.notes,
        created_by=user,
        source_patient_id=prescription.patient_id,
    )
    _save_template_row(template)
    drafts = drafts_from_saved(prescription.items.select_related("exercise"))
    _replace_items(template, TemplateItem, drafts, template=template)
    return template


@transaction.atomic
def prescribe_template(
    *, template: ProgrammeTemplate, patient: Patient, clinician: User
) -> Prescription:
    items = [
        {
            "exercise": item.exercise,
            "notes": item.notes,
            **{n: getattr(item, n) for n in DOSE_FIELD_NAMES},
        }
        for item in template.items.select_related("exercise")
    ]
    return create_prescription(
        clinician=clinician, patient=patient, items=items, notes=template.notes
    )


def item_findings_for(
    patient: Patient | None, items: list[dict], *, issuing: bool = False
) -> RuleFindings:
    """The rules' errors and warnings for these items given to this patient, raising nothing:
    the admin shows them beside each row while the therapist works."""
    condition_ids = set(patient.conditions.values_list("pk", flat=True)) if patient else set()
    return check_items(item_drafts(items), condition_ids, issuing=issuing)


def draft_findings(
    *,
    patient: Patient | None,
    items: list[dict],
    start_date=None,
    review_date=None,
    issuing: bool = False,
) -> RuleFindings:
    """What creating this draft would answer, saving nothing: the rules' errors by field path
    (as `create_prescription` raises them) and their warnings. `issuing`: as issuing it would
    (every dose field its exercises need). Reads only: a check is no write."""
    findings = item_findings_for(patient, items, issuing=issuing)
    for name, error in date_errors(start_date, review_date).items():
        findings.error(name, str(error.message), error.code or "invalid")
    return findings


def validate_items_for(
    patient: Patient | None, items: list[dict], *, issuing: bool = False
) -> None:
    """Raises the rules' errors ("items.N.field") for these items given to this patient.

    The admin calls this while validating its forms, so a therapist sees the same errors,
    under the same rules, as an API client.
    """
    check_item_count(items)
    _raise_findings(item_findings_for(patient, items, issuing=issuing))
