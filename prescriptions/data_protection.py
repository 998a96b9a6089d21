"""A patient's right of access (export everything held) and erasure (anonymise, keep structure)."""

import datetime
import json
import zipfile
from pathlib import Path

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from clinic.idempotency import forget_stored_answers_for_patient, stored_answers_for_patient
from exercises.dose import DOSE_FIELD_NAMES
from prescriptions.models import Patient, Prescription

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


@transaction.atomic
def erase_patient(*, patient: Patient, reason: str, erased_by) -> Patient:
    """Anonymises the patient's identifying fields, deletes stored handouts, and masks the
    patient's name in the audit trail. The clinical structure (prescriptions, items) and the
    audit entries stay, and a new entry records who erased the record and why."""
    if not erased_by.is_superuser:
        raise PermissionDenied("Only a superuser can erase a patient.")
    old_repr, old_name = str(patient), patient.full_name
    patient.given_name = ERASED_NAME
    patient.family_name = f"patient {patient.pk}"
    patient.date_of_birth = datetime.date(1900, 1, 1)
    patient.identifier = f"erased-{patient.pk}"
    patient.email = patient.phone = patient.address = patient.notes = ""
    with disable_auditlog():
        # The one erasure entry below stands for this change; its diff would hold the names.
        patient.save()
    for rx in patient.prescriptions.all():
        if rx.handout_pdf:
            rx.handout_pdf.delete(save=False)
        if rx.snapshot:
            rx.snapshot = {
                **rx.snapshot,
                "patient_name": patient.full_name,
                "patient_birth_date": "",
            }
        Prescription.objects.filter(pk=rx.pk).update(
            handout_pdf="", handout_sha256="", snapshot=rx.snapshot
        )
    for entry in _audit_entries(patient):
        entry.object_repr = entry.object_repr.replace(old_repr, str(patient)).replace(
            old_name, patient.full_name
        )
        if entry.changes:
            entry.changes = {
                field: ["(erased)", "(erased)"] if field in IDENTIFYING_FIELDS else change
                for field, change in entry.changes.items()
            }
        entry.save(update_fields=["object_repr", "changes"])
    forget_stored_answers_for_patient(patient.pk)
    LogEntry.objects.log_create(
        patient,
        action=LogEntry.Action.UPDATE,
        changes={"erasure": ["", reason]},
        force_log=True,
        actor=erased_by,
        additional_data={**patient.get_additional_data(), "event": "erasure", "reason": reason},
    )
    return patient
