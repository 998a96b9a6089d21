"""Who and what the benchmark measures with: a clinic of the generated data set, one of its
clinicians, a patient, draft prescriptions of 3, 10, 30 and 40 items and an issued one of 10
made through the prescribing service. Everything made here is deleted again by `cleanup()`."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count

from benchmarks.dataset.plan import CLINIC_PREFIX
from clinics.models import Clinic
from exercises.models import Exercise, Severity, Status
from exercises.selectors import cautions_by_exercise
from prescriptions import services
from prescriptions.models import Patient, Prescription

FIXTURE_NOTE = "Benchmark fixture: keep going, gently."
BENCHMARK_REASON = "Benchmark fixture: every exercise prescribed on purpose."
ITEM_COUNTS = (3, 10, 30, 40)
ISSUED_ITEMS = 10
# A surname: Núñez and Łukasiewicz-Núñez, found accent-free; ~1% of a clinic's patients.
PATIENT_SEARCH = "nunez"
# A record-number prefix of the subject's clinic ("g01-0001" for Generated clinic 01): up to 100
# patients whatever the data set, so small and large answer the same page and a similar count.
RECORD_SEARCH = "g{number:02d}-0001"
# A common word (~20% of the catalogue): a full page and the largest count a search makes.
EXERCISE_SEARCH = "stretch"


@dataclass
class Subject:
    role: str  # "large" or "median" clinic of the data set
    clinic_id: int
    clinic_name: str
    patients: int
    prescriptions: int
    user_id: int
    patient_id: int
    prescription_ids: dict[int, int] = field(default_factory=dict)  # item count -> id
    issued_id: int | None = None  # ISSUED_ITEMS items, its handout stored
    exercise_ids: list[int] = field(default_factory=list)
    # Of those, the ones a contraindication applies to for the patient: only these take an
    # acknowledgement (the rules refuse any other).
    contraindicated_ids: list[int] = field(default_factory=list)
    created: list[int] = field(default_factory=list)

    @property
    def record_search(self) -> str:
        return RECORD_SEARCH.format(number=int(self.clinic_name.removeprefix(CLINIC_PREFIX)))

    @property
    def user(self):
        """A fresh user object, as a request's authentication would load it."""
        return get_user_model().objects.get(pk=self.user_id)

    def describe(self) -> dict:
        return {
            "role": self.role,
            "clinic": self.clinic_name,
            "patients": self.patients,
            "prescriptions": self.prescriptions,
        }


def _generated_clinics() -> list[dict]:
    clinics = list(
        Clinic.objects.filter(name__startswith=CLINIC_PREFIX)
        .annotate(patient_count=Count("patients", distinct=True))
        .order_by("-patient_count", "pk")
        .values("pk", "name", "patient_count")
    )
    if not clinics:
        raise RuntimeError(
            "No generated clinics in this database: run `python -m benchmarks generate-dataset` first."
        )
    return clinics


def make_subject(role: str) -> Subject:
    clinics = _generated_clinics()
    row = clinics[0] if role == "large" else clinics[len(clinics) // 2]
    clinic = Clinic.objects.get(pk=row["pk"])
    staff = clinic.staff.order_by("user_id").first()
    patient = (
        Patient.objects.filter(clinic=clinic, archived_at__isnull=True, conditions__isnull=False)
        .order_by("pk")
        .first()
    ) or Patient.objects.filter(clinic=clinic).order_by("pk").first()
    exercises = list(
        Exercise.objects.filter(status=Status.PUBLISHED)
        .select_related("body_region")
        .order_by("pk")[: max(ITEM_COUNTS)]
    )
    subject = Subject(
        role=role,
        clinic_id=clinic.pk,
        clinic_name=clinic.name,
        patients=row["patient_count"],
        prescriptions=Prescription.objects.filter(clinic=clinic).count(),
        user_id=staff.user_id,
        patient_id=patient.pk,
        exercise_ids=[exercise.pk for exercise in exercises],
    )
    user = subject.user
    cautions = cautions_by_exercise(
        subject.exercise_ids, patient.conditions.values_list("pk", flat=True)
    )
    subject.contraindicated_ids = sorted(
        exercise_id
        for exercise_id, found in cautions.items()
        if any(caution.severity == Severity.CONTRAINDICATION for caution in found)
    )

    def draft(count: int) -> Prescription:
        return services.create_prescription(
            clinician=user,
            patient=patient,
            items=[
                {"exercise": exercise}
                | (
                    {
                        "acknowledge_contraindication": True,
                        "contraindication_reason": BENCHMARK_REASON,
                    }
                    if exercise.pk in subject.contraindicated_ids
                    else {}
                )
                for exercise in exercises[:count]
            ],
            notes=FIXTURE_NOTE,
        )

    for count in ITEM_COUNTS:
        subject.prescription_ids[count] = draft(count).pk
    issued = services.issue_prescription(prescription=draft(ISSUED_ITEMS))
    subject.issued_id = issued.pk
    subject.created.extend([*subject.prescription_ids.values(), issued.pk])
    return subject


def cleanup(subject: Subject) -> None:
    Prescription.objects.filter(pk__in=subject.created).delete()
    subject.created.clear()
