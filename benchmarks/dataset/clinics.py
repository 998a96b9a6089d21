"""Clinics and their clinicians: a few hundred rows, made with the ORM's bulk_create (which sends
no signals), kept and reused by the next run."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from benchmarks.dataset.plan import CLINIC_PREFIX, LARGE_CLINIC_FACTOR, USER_PREFIX, allocate
from clinics.models import Clinic, ClinicianProfile
from clinics.roles import CLINICIAN

TIMEZONES = ("Europe/London", "Europe/Dublin", "Europe/Berlin", "America/Toronto")
PATIENTS_PER_CLINICIAN = 300


@dataclass(frozen=True)
class ClinicPlan:
    """One generated clinic as the later tables need it."""

    id: int
    number: int  # 1 is the large clinic
    patients: int
    prescriptions: int
    staff: list[int]  # user ids, ascending


def ensure_clinics_and_staff(rng, sizes, log) -> list[ClinicPlan]:
    """The generated clinics and their clinicians, made where missing. The first clinic weighs
    LARGE_CLINIC_FACTOR times the median of the others'."""
    others = [rng.lognormvariate(0, 0.5) for _ in range(sizes.clinics - 1)]
    median = sorted(others)[len(others) // 2]
    patients = allocate(sizes.patients, [LARGE_CLINIC_FACTOR * median, *others])
    prescriptions = allocate(sizes.prescriptions, patients)
    names = [f"{CLINIC_PREFIX}{number:02d}" for number in range(1, sizes.clinics + 1)]
    clinics = _ensure_clinics(names)
    staff_clinic = {}
    for number, name in enumerate(names, start=1):
        for index in range(1, max(2, round(patients[number - 1] / PATIENTS_PER_CLINICIAN)) + 1):
            staff_clinic[f"{USER_PREFIX}c{number:02d}-{index:03d}"] = clinics[name]
    users, created = _ensure_clinicians(staff_clinic)
    log(f"{len(clinics)} clinics, {len(users)} clinicians ({created} new)")
    return [
        ClinicPlan(
            id=clinics[name].pk,
            number=number,
            patients=patients[number - 1],
            prescriptions=prescriptions[number - 1],
            staff=sorted(
                users[username] for username, clinic in staff_clinic.items() if clinic.name == name
            ),
        )
        for number, name in enumerate(names, start=1)
    ]


def _ensure_clinics(names: list[str]) -> dict[str, Clinic]:
    existing = set(Clinic.objects.filter(name__in=names).values_list("name", flat=True))
    Clinic.objects.bulk_create(
        Clinic(
            name=name,
            address=f"{number} Generated Road, Testville",
            phone=f"0161 496 {number:04d}",
            email=f"clinic{number:02d}@example.org",
            emergency_number="999",
            timezone=TIMEZONES[number % len(TIMEZONES)],
            paper_size="a4" if number % 5 else "letter",
        )
        for number, name in enumerate(names, start=1)
        if name not in existing
    )
    return {clinic.name: clinic for clinic in Clinic.objects.filter(name__in=names)}


def _ensure_clinicians(staff_clinic: dict[str, Clinic]) -> tuple[dict[str, int], int]:
    """Clinician users (unusable passwords) with their profiles and role, made where missing.
    Answers every wanted username's user id, and how many were made."""
    user_model = get_user_model()
    known = set(
        user_model.objects.filter(username__in=staff_clinic).values_list("username", flat=True)
    )
    missing = [username for username in staff_clinic if username not in known]
    unusable = make_password(None)
    user_model.objects.bulk_create(
        user_model(username=username, password=unusable, is_staff=True, first_name="Gen")
        for username in missing
    )
    users = dict(user_model.objects.filter(username__in=staff_clinic).values_list("username", "pk"))
    ClinicianProfile.objects.bulk_create(
        ClinicianProfile(
            user_id=users[username],
            clinic=staff_clinic[username],
            display_name=f"Clinician {username[len(USER_PREFIX) :]}",
            profession="Physiotherapist",
        )
        for username in missing
    )
    Group.objects.get(name=CLINICIAN).user_set.add(*[users[username] for username in missing])
    return users, len(missing)
