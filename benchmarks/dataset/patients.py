"""Patients of every clinic, in the order they registered (ids interleave clinics, as in life),
with accented names, contact details and, for a quarter of them, conditions."""

from array import array
from datetime import date, timedelta

from benchmarks.dataset.plan import SPAN, at
from benchmarks.dataset.words import FAMILY_NAMES, GIVEN_NAMES
from exercises.models import Condition
from prescriptions.models import Patient
from prescriptions.text import search_key

PHONE_PREFIXES = ("07700 900", "0161 496 0", "020 7946 0")


def load_patients(rng, writer, clinics) -> list[tuple[array, array]]:
    """Answers, per clinic, (patient ids, their registration second)."""
    records = sorted(
        (rng.randrange(SPAN * 3 // 4), clinic_index, number)
        for clinic_index, clinic in enumerate(clinics)
        for number in range(1, clinic.patients + 1)
    )
    conditions = list(Condition.objects.order_by("pk").values_list("pk", flat=True))
    patients = PatientRows(rng, clinics, conditions)
    rows = patients.rows(records)
    writer.write_records(Patient, rows, len(records), label="patients", freeze=True)
    writer.write(
        Patient.conditions.through,
        ("id", "patient_id", "condition_id"),
        patients.condition_links,
        len(patients.condition_links),
        label="patient conditions",
        freeze=True,
    )
    return patients.by_clinic


class PatientRows:
    """Patient rows, made while they are written; meanwhile collects each clinic's patients
    and the patients' condition links."""

    def __init__(self, rng, clinics, conditions: list[int]):
        self.rng = rng
        self.clinics = clinics
        self.conditions = conditions
        self.by_clinic = [(array("q"), array("q")) for _ in clinics]
        self.condition_links: list[tuple[int, int, int]] = []

    def rows(self, records):
        for patient_id, (registered, clinic_index, number) in enumerate(records, start=1):
            self.by_clinic[clinic_index][0].append(patient_id)
            self.by_clinic[clinic_index][1].append(registered)
            yield self._row(patient_id, self.clinics[clinic_index], number, registered)

    def _row(self, patient_id: int, clinic, number: int, registered: int) -> dict:
        rng = self.rng
        given = rng.choice(GIVEN_NAMES)
        family = rng.choice(FAMILY_NAMES)
        identifier = f"G{clinic.number:02d}-{number:06d}"
        created = at(registered)
        archived = created + timedelta(days=rng.randint(30, 900)) if rng.random() < 0.03 else None
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(31_000))
        self._link_conditions(patient_id)
        email = f"patient{patient_id}@example.org" if rng.random() < 0.6 else ""
        phone = (
            f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(1000):03d}" if rng.random() < 0.7 else ""
        )
        search_text = search_key(f"{given} {family} {identifier}")
        return {
            "id": patient_id,
            "clinic_id": clinic.id,
            "given_name": given,
            "family_name": family,
            "date_of_birth": born,
            "identifier": identifier,
            "preferred_language": "en",
            "email": email,
            "phone": phone,
            "address": "",
            "notes": "",
            "archived_at": archived,
            "search_text": search_text,
            "created_at": created,
            "updated_at": archived or created,
        }

    def _link_conditions(self, patient_id: int) -> None:
        conditions, rng = self.conditions, self.rng
        if conditions and rng.random() < 0.25:
            for condition in rng.sample(conditions, min(len(conditions), rng.choice((1, 1, 1, 2)))):
                links = self.condition_links
                links.append((len(links) + 1, patient_id, condition))
