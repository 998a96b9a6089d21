"""The warnings a prescription answers with: the prescribing rules plus what the handout cannot print."""

from django.utils.translation import gettext as _

from prescriptions.handouts.styles import unprintable_characters
from prescriptions.models import Prescription
from prescriptions.rules import (
    PrescriptionWarning,
    WarningSeverity,
    prescription_findings,
    prescription_warning,
)


def printability_warnings(prescription: Prescription) -> list[PrescriptionWarning]:
    texts = {
        "patient_name": (_("the patient's name"), prescription.patient.full_name),
        "notes": (_("the goal and notes"), prescription.notes),
    }
    for index, item in enumerate(prescription.items.all()):
        texts[f"items.{index}.notes"] = (
            _("the note of exercise %(n)d") % {"n": index + 1},
            item.notes,
        )
    warnings = []
    for where, (label, text) in texts.items():
        missing = unprintable_characters(text or "")
        if missing:
            warnings.append(
                prescription_warning(
                    "unprintable_characters",
                    WarningSeverity.WARNING.value,
                    _(
                        "The handout cannot print %(what)s correctly: the characters %(chars)s have no glyph in its font."
                    )
                    % {"what": label, "chars": " ".join(missing)},
                    item=int(where.split(".")[1]) if where.startswith("items.") else None,
                )
            )
    return warnings


def prescription_warnings(prescription: Prescription) -> list[PrescriptionWarning]:
    return prescription_findings(prescription).warnings + printability_warnings(prescription)
