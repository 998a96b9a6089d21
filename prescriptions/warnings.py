"""The warnings a prescription answers with: the prescribing rules plus what the handout cannot print."""

from django.utils.translation import gettext as _

from clinic.etags import current_etag
from prescriptions.handouts.styles import unprintable_characters
from prescriptions.models import Prescription
from prescriptions.rules import prescription_findings


def printability_warnings(prescription: Prescription) -> list[dict]:
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
                {
                    "code": "unprintable_characters",
                    "severity": "warning",
                    "item": int(where.split(".")[1]) if where.startswith("items.") else None,
                    "exercise": None,
                    "condition": None,
                    "message": _(
                        "The handout cannot print %(what)s correctly: the characters %(chars)s have no glyph in its font."
                    )
                    % {"what": label, "chars": " ".join(missing)},
                    "patient_text": None,
                }
            )
    return warnings


def prescription_warnings(prescription: Prescription) -> list[dict]:
    return prescription_findings(prescription).warnings + printability_warnings(prescription)


def shown_beyond_row(prescription: Prescription) -> dict:
    """What a prescription's representation shows that its row version does not count
    (`Prescription.etag_shows`), exactly as a read shows it, in the active language: its
    warnings, its items with their exercises' names (catalogue text an editor can change),
    its clinician's name and the revision that replaced it. Read from `prescriptions_with_details`."""
    # Computed by the read's own serializer, so the tag cannot drift from what a read shows;
    # imported here, not at the top, because the serializer imports this module.
    from prescriptions.api.serializers import PrescriptionSerializer

    data = PrescriptionSerializer(prescription).data
    return {name: data[name] for name in prescription.etag_shows}


def prescription_etag(prescription: Prescription) -> str:
    """The ETag a read of the prescription answers now (clinic.etags)."""
    return current_etag(prescription, shown_beyond_row(prescription))
