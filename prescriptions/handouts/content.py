"""Prescription -> Handout: every word the patient will read, as plain frozen data.

All database work for a handout happens here, in a constant number of queries. The layout
turns a Handout into flowables without touching the database, and an issued prescription
keeps its Handout (as JSON) so it prints the same text forever.
"""

import dataclasses
import zoneinfo
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from exercises.models import TIER_ORDER, Tier
from exercises.selectors import active_safety_notes
from prescriptions.dosing import dose_sentence
from prescriptions.models import Prescription
from prescriptions.rules import applicable_cautions, drafts_from_saved


@dataclass(frozen=True)
class CautionBox:
    condition: str
    severity: str
    text: str


@dataclass(frozen=True)
class ExerciseSection:
    number: int
    name: str
    image: str
    image_alt: str
    steps: tuple[str, ...]
    dose: str
    note: str
    cautions: tuple[CautionBox, ...]
    # The exercise's pictures as pose data (exercises/illustrations/frames.py), frozen with
    # the handout; snapshots from before pictures existed have none.
    frames: tuple[dict, ...] = ()


@dataclass(frozen=True)
class SafetySection:
    tier: str
    heading: str
    intro: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Handout:
    language: str
    title: str
    clinic_name: str
    clinic_logo: str
    clinic_address: str
    clinic_contact: str
    patient_name: str
    patient_birth_date: str
    date: str
    clinician_name: str
    clinician_profession: str
    notes: str
    exercises: tuple[ExerciseSection, ...]
    safety: tuple[SafetySection, ...]
    review_date: str
    prescription_id: int
    version: int
    status: str
    paper: str

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Handout":
        exercises = tuple(
            ExerciseSection(
                **{
                    **section,
                    "steps": tuple(section["steps"]),
                    "cautions": tuple(CautionBox(**caution) for caution in section["cautions"]),
                    "frames": tuple(section.get("frames", ())),
                }
            )
            for section in data["exercises"]
        )
        safety = tuple(
            SafetySection(**{**section, "items": tuple(section["items"])})
            for section in data["safety"]
        )
        return cls(**{**data, "exercises": exercises, "safety": safety})


def _long_date(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _safety_sections(
    prescription: Prescription, condition_ids: set[int]
) -> tuple[SafetySection, ...]:
    clinic = prescription.clinic
    phone = clinic.phone or _("your clinic")
    intros = {
        Tier.PRECAUTION: (_("How it should feel, and when to stop"), ""),
        Tier.CONTACT_CLINIC: (
            _("Stop and contact us"),
            _("Call us on %(phone)s if you notice any of these:") % {"phone": phone},
        ),
        Tier.URGENT: (
            _("Contact us the same day"),
            _("Call us on %(phone)s today if you have any of these:") % {"phone": phone},
        ),
        Tier.EMERGENCY: (
            _("Emergency: get help at once"),
            _(
                "Go to an emergency department now, or call %(number)s. Do not drive yourself. "
                "Do not wait for your appointment."
            )
            % {"number": clinic.emergency_number},
        ),
    }
    by_tier = {tier: [] for tier in TIER_ORDER}
    for note in active_safety_notes():
        variant = next((v for v in note.variants.all() if v.condition_id in condition_ids), None)
        by_tier[note.tier].append(variant.text if variant else note.text)
    return tuple(
        SafetySection(
            tier=tier, heading=intros[tier][0], intro=intros[tier][1], items=tuple(by_tier[tier])
        )
        for tier in TIER_ORDER
        if by_tier[tier]
    )


def _frames_of(exercise) -> tuple[dict, ...]:
    illustration = getattr(exercise, "illustration", None)
    return tuple(illustration.frames) if illustration else ()


def build_handout(prescription: Prescription) -> Handout:
    """Reads the prescription (with the selectors' prefetches) into a Handout."""
    clinic = prescription.clinic
    with translation.override(clinic.language):
        patient = prescription.patient
        condition_ids = {condition.pk for condition in patient.conditions.all()}
        items = list(prescription.items.all())
        sections = []
        for number, (item, draft) in enumerate(
            zip(items, drafts_from_saved(items), strict=True), start=1
        ):
            exercise = item.exercise
            sections.append(
                ExerciseSection(
                    number=number,
                    name=exercise.name,
                    image=exercise.image.name if exercise.image else "",
                    image_alt=exercise.image_alt_text,
                    steps=tuple(step.text for step in exercise.steps.all()),
                    dose=dose_sentence(draft.dose, exercise.body_region.limb),
                    note=item.notes,
                    cautions=tuple(
                        CautionBox(condition=c.condition.name, severity=c.severity, text=c.text)
                        for c in applicable_cautions(exercise, condition_ids)
                    ),
                    frames=_frames_of(exercise),
                )
            )
        profile = getattr(prescription.clinician, "clinician", None)
        issued_on = prescription.issued_at or timezone.now()
        return Handout(
            language=clinic.language,
            title=_("Your home exercise programme"),
            clinic_name=clinic.name,
            clinic_logo=clinic.logo.name if clinic.logo else "",
            clinic_address=" ".join(clinic.address.split()),
            clinic_contact=clinic.contact_line,
            patient_name=patient.full_name,
            patient_birth_date=_long_date(patient.date_of_birth),
            date=_long_date(
                timezone.localtime(issued_on, timezone=zoneinfo.ZoneInfo(clinic.timezone)).date()
            ),
            clinician_name=profile.name if profile else prescription.clinician.get_username(),
            clinician_profession=profile.profession if profile else "",
            notes=prescription.notes,
            exercises=tuple(sections),
            safety=_safety_sections(prescription, condition_ids),
            review_date=_long_date(prescription.review_date),
            prescription_id=prescription.pk,
            version=prescription.version,
            status=prescription.status,
            paper=clinic.paper_size,
        )
