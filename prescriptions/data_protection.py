"""A patient's right of access (export everything held) and erasure (anonymise, keep structure)."""

import datetime
import json
import re
import zipfile
from pathlib import Path

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clinic.idempotency import forget_stored_answers_for_patient, stored_answers_for_patient
from exercises.dose import DOSE_FIELD_NAMES
from prescriptions.models import (
    Patient,
    Prescription,
    PrescriptionItem,
    ProgrammeTemplate,
    TemplateItem,
)

ERASED_NAME = "Erased"
IDENTIFYING_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "identifier",
    "email",
    "phone",
    "address",
    "notes",
)


def _audit_entries(patient: Patient):
    return LogEntry.objects.filter(additional_data__patient_id=patient.pk).order_by(
        "timestamp", "pk"
    )


def _admin_log_entries(patient: Patient):
    """Django's admin history of the patient and of their prescriptions."""
    prescription_ids = [str(pk) for pk in patient.prescriptions.values_list("pk", flat=True)]
    return AdminLogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Patient), object_id=str(patient.pk))
        | Q(
            content_type=ContentType.objects.get_for_model(Prescription),
            object_id__in=prescription_ids,
        )
    )


def patient_record(patient: Patient) -> dict:
    prescriptions = patient.prescriptions.prefetch_related("items__exercise").order_by("created_at")
    return {
        "exported_at": timezone.now(),
        "patient": {
            "id": patient.pk,
            "clinic": patient.clinic.name,
            **{name: getattr(patient, name) for name in IDENTIFYING_FIELDS},
            "preferred_language": patient.preferred_language,
            "conditions": [condition.slug for condition in patient.conditions.all()],
            "archived_at": patient.archived_at,
            "created_at": patient.created_at,
        },
        "prescriptions": [
            {
                "id": rx.pk,
                "version": rx.version,
                "status": rx.status,
                "notes": rx.notes,
                "start_date": rx.start_date,
                "review_date": rx.review_date,
                "issued_at": rx.issued_at,
                "voided_at": rx.voided_at,
                "void_reason": rx.void_reason,
                "fingerprint": rx.fingerprint,
                "items": [
                    {
                        "exercise": item.exercise.name,
                        "notes": item.notes,
                        **{name: getattr(item, name) for name in DOSE_FIELD_NAMES},
                        "acknowledge_contraindication": item.acknowledge_contraindication,
                        "contraindication_reason": item.contraindication_reason,
                    }
                    for item in rx.items.all()
                ],
                "handout_text": rx.snapshot,
            }
            for rx in prescriptions
        ],
        "audit_trail": [
            {
                "timestamp": entry.timestamp,
                "action": entry.get_action_display(),
                "object": entry.object_repr,
                "actor": entry.actor.get_username() if entry.actor else None,
                "address": entry.remote_addr,
                "changes": entry.changes,
                "details": entry.additional_data,
            }
            for entry in _audit_entries(patient).select_related("actor")
        ],
        "stored_api_answers": stored_answers_for_patient(patient.pk),
        # What erasure would mask: every name and number held, past ones included.
        "names_and_numbers_held": sorted(identifying_values(patient)),
        "admin_history": [
            {
                "timestamp": entry.action_time,
                "action": entry.get_action_flag_display(),
                "object": entry.object_repr,
                "actor": entry.user.get_username(),
                "change": entry.get_change_message(),
            }
            for entry in _admin_log_entries(patient).select_related("user").order_by("pk")
        ],
    }


def export_patient(patient: Patient, output: Path) -> list[str]:
    """Writes a zip: record.json plus every stored handout PDF. Returns the names written."""
    names = ["record.json"]
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "record.json",
            json.dumps(
                patient_record(patient), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
            ),
        )
        for rx in patient.prescriptions.exclude(handout_pdf=""):
            name = f"handouts/prescription-{rx.pk}-v{rx.version}.pdf"
            with rx.handout_pdf.open("rb") as pdf:
                archive.writestr(name, pdf.read())
            names.append(name)
    return names


class Scrubber:
    """Masks every name and number a patient has had, wherever it appears in a text.

    Whole words only and case-insensitively: "Ann" goes from "Call Ann", not from "Annual".
    """

    MASK = "[erased]"

    def __init__(self, values: set[str]):
        terms = sorted((v for v in values if len(v.strip()) >= 2), key=len, reverse=True)
        self.terms = terms
        self.pattern = (
            re.compile(
                "|".join(rf"(?<!\w){re.escape(term.strip())}(?!\w)" for term in terms),
                re.IGNORECASE,
            )
            if terms
            else None
        )

    def text(self, value: str) -> str:
        return self.pattern.sub(self.MASK, value) if self.pattern and value else value

    def json(self, value):
        """The same structure with every string (keys too) masked."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.text(key): self.json(item) for key, item in value.items()}
        return value

    def mentioned_in(self, *fields: str) -> Q:
        """Rows whose `fields` may mention a term (a superset: the masking decides)."""
        query = Q(pk__in=[])
        for term in self.terms:
            for field in fields:
                query |= Q(**{f"{field}__icontains": term.strip()})
        return query


def identifying_values(patient: Patient) -> set[str]:
    """Every value of an identifying text field the patient has had: today's, and the before
    and after of each change in the audit trail (a renamed patient's old names)."""
    text_fields = [name for name in IDENTIFYING_FIELDS if name != "date_of_birth"]
    values = {getattr(patient, name) for name in text_fields}
    values.add(patient.full_name)
    values.add(str(patient))
    for changes in (
        _audit_entries(patient)
        .filter(content_type=ContentType.objects.get_for_model(Patient), object_id=patient.pk)
        .values_list("changes", flat=True)
    ):
        for name, change in (changes or {}).items():
            if name in text_fields and isinstance(change, list):
                values.update(value for value in change if isinstance(value, str))
    values.discard("None")
    return {value for value in values if value}


def _scrub_rows(queryset, scrubber: Scrubber, text_fields=(), json_fields=()) -> int:
    """Masks `text_fields` and `json_fields` of each row; saves only rows that changed."""
    changed = 0
    for row in queryset:
        before = [getattr(row, name) for name in (*text_fields, *json_fields)]
        for name in text_fields:
            setattr(row, name, scrubber.text(getattr(row, name)))
        for name in json_fields:
            setattr(row, name, scrubber.json(getattr(row, name)))
        if [getattr(row, name) for name in (*text_fields, *json_fields)] != before:
            type(row).objects.filter(pk=row.pk).update(
                **{name: getattr(row, name) for name in (*text_fields, *json_fields)}
            )
            changed += 1
    return changed


def _erase_patient_row(patient: Patient, scrubber: Scrubber) -> int:
    patient.given_name = ERASED_NAME
    patient.family_name = f"patient {patient.pk}"
    patient.date_of_birth = datetime.date(1900, 1, 1)
    patient.identifier = f"erased-{patient.pk}"
    patient.email = patient.phone = patient.address = patient.notes = ""
    with disable_auditlog():
        # The one erasure entry stands for this change; its diff would hold the names.
        patient.save()
    return 1


def _erase_stored_handouts(patient: Patient, scrubber: Scrubber) -> int:
    deleted = 0
    for rx in patient.prescriptions.exclude(handout_pdf=""):
        rx.handout_pdf.storage.delete(rx.handout_pdf.name)
        deleted += 1
    patient.prescriptions.update(handout_pdf="", handout_sha256="")
    return deleted


def _erase_prescriptions(patient: Patient, scrubber: Scrubber) -> int:
    prescriptions = patient.prescriptions.all()
    for rx in prescriptions.filter(snapshot__isnull=False):
        Prescription.objects.filter(pk=rx.pk).update(
            snapshot={**rx.snapshot, "patient_name": patient.full_name, "patient_birth_date": ""}
        )
    return _scrub_rows(
        prescriptions.all(),
        scrubber,
        text_fields=["notes", "void_reason"],
        json_fields=["snapshot"],
    )


def _erase_prescription_items(patient: Patient, scrubber: Scrubber) -> int:
    items = PrescriptionItem.objects.filter(prescription__patient=patient)
    return _scrub_rows(items, scrubber, text_fields=["notes"])


def _erase_templates(patient: Patient, scrubber: Scrubber) -> int:
    """The clinic's templates: one saved from the patient's prescription keeps its notes and
    may be named after the patient."""
    templates = ProgrammeTemplate.objects.filter(clinic=patient.clinic_id)
    return _scrub_rows(templates, scrubber, text_fields=["name", "notes"])


def _erase_template_items(patient: Patient, scrubber: Scrubber) -> int:
    items = TemplateItem.objects.filter(template__clinic=patient.clinic_id)
    return _scrub_rows(items, scrubber, text_fields=["notes"])


def _erase_audit_trail(patient: Patient, scrubber: Scrubber) -> int:
    """The patient's entries and their prescriptions' (diffs hold old names; a prescription's
    label holds the patient's name), the clinic's templates' entries, and any other entry
    whose label or diff text mentions the patient."""
    template_type = ContentType.objects.get_for_model(ProgrammeTemplate)
    template_ids = ProgrammeTemplate.objects.filter(clinic=patient.clinic_id).values("pk")
    entries = LogEntry.objects.filter(
        Q(additional_data__patient_id=patient.pk)
        | Q(content_type=template_type, object_id__in=template_ids)
        | scrubber.mentioned_in("object_repr", "changes_text")
    )
    patient_type = ContentType.objects.get_for_model(Patient)
    masked = 0
    for entry in entries.distinct():
        before = (entry.object_repr, entry.changes_text, entry.changes, entry.additional_data)
        entry.object_repr = scrubber.text(entry.object_repr)
        entry.changes_text = scrubber.text(entry.changes_text)
        entry.additional_data = scrubber.json(entry.additional_data)
        entry.serialized_data = scrubber.json(entry.serialized_data)
        changes = entry.changes or {}
        if entry.content_type_id == patient_type.pk:
            # Dates of birth and addresses are not names: every identifying diff goes whole.
            changes = {
                field: ["(erased)", "(erased)"] if field in IDENTIFYING_FIELDS else change
                for field, change in changes.items()
            }
        entry.changes = scrubber.json(changes) if entry.changes is not None else None
        if (entry.object_repr, entry.changes_text, entry.changes, entry.additional_data) != before:
            entry.save(
                update_fields=[
                    "object_repr",
                    "changes_text",
                    "changes",
                    "additional_data",
                    "serialized_data",
                ]
            )
            masked += 1
    return masked


def _erase_admin_log(patient: Patient, scrubber: Scrubber) -> int:
    """Django's own admin history: each entry's label is the object's name when it was saved."""
    entries = AdminLogEntry.objects.filter(
        Q(pk__in=_admin_log_entries(patient).values("pk"))
        | scrubber.mentioned_in("object_repr", "change_message")
    )
    return _scrub_rows(entries, scrubber, text_fields=["object_repr", "change_message"])


def _erase_stored_answers(patient: Patient, scrubber: Scrubber) -> int:
    """Answers kept for Idempotency-Key retries can hold the patient's name: they go."""
    return forget_stored_answers_for_patient(patient.pk)


# Each step erases one place the patient's data is kept and answers how many rows or files it
# changed; `erase_patient` runs them in order and reports each. A new place (a new table
# that copies patient data) adds its step here.
ERASURE_STEPS = (
    ("patient record", _erase_patient_row),
    ("stored handouts deleted", _erase_stored_handouts),
    ("prescriptions masked", _erase_prescriptions),
    ("prescription items masked", _erase_prescription_items),
    ("templates masked", _erase_templates),
    ("template items masked", _erase_template_items),
    ("audit entries masked", _erase_audit_trail),
    ("admin log entries masked", _erase_admin_log),
    ("stored API answers deleted", _erase_stored_answers),
)


@transaction.atomic
def erase_patient(*, patient: Patient, reason: str, erased_by) -> dict[str, int]:
    """Anonymises the patient and masks every name and record number they have had wherever
    it is kept (see ERASURE_STEPS); deletes their stored handouts. The clinical structure
    (prescriptions, items) and the audit entries stay, and a new entry records who erased the
    record and why. Answers how many rows or files each step changed."""
    if not erased_by.is_superuser:
        raise PermissionDenied("Only a superuser can erase a patient.")
    scrubber = Scrubber(identifying_values(patient))
    report = {label: step(patient, scrubber) for label, step in ERASURE_STEPS}
    LogEntry.objects.log_create(
        patient,
        action=LogEntry.Action.UPDATE,
        changes={"erasure": ["", reason]},
        force_log=True,
        actor=erased_by,
        additional_data={**patient.get_additional_data(), "event": "erasure", "reason": reason},
    )
    return report
