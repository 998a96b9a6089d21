"""Prescriptions: each patient's in time order, some revising the one before (which becomes
superseded); drafts, issued and voided. Ids follow creation time across all clinics."""

from array import array
from dataclasses import dataclass
from datetime import timedelta

from benchmarks.dataset.plan import SPAN, at
from benchmarks.dataset.words import PRESCRIPTION_NOTES
from prescriptions.models import Prescription

PRESCRIPTION_COLUMNS = (
    "id",
    "clinic_id",
    "patient_id",
    "clinician_id",
    "notes",
    "start_date",
    "review_date",
    "status",
    "version",
    "supersedes_id",
    "row_version",
    "issued_at",
    "voided_at",
    "void_reason",
    "snapshot",
    "fingerprint",
    "handout_pdf",
    "handout_sha256",
    "created_at",
    "updated_at",
)
VOID_REASON = "Entered for the wrong patient."
# Items per prescription: 1 to 20 drawn with these weights (mostly 3 to 9), then nudged within
# 1 to MOST_ITEMS_PER_PRESCRIPTION until they sum exactly to the target.
ITEM_COUNT_WEIGHTS = (1, 3, 6, 9, 11, 12, 11, 10, 8, 6, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1)
MOST_ITEMS_PER_PRESCRIPTION = 30


@dataclass
class PlannedPrescription:
    created: int  # seconds after the data set's start
    clinic_index: int
    patient_id: int
    clinician_id: int
    status: str
    version: int = 1
    revises: int | None = None  # index of the planned prescription it revises


@dataclass(frozen=True)
class ItemPlan:
    """What the items need: per prescription (in id order) its item count and clinic, and per
    clinic its favourite exercises."""

    counts: array
    clinic_of: array
    pools: list[list[int]]


def load_prescriptions(rng, writer, clinics, patients_by_clinic, exercise_ids, items: int):
    """Answers the ItemPlan for the items."""
    published = list(exercise_ids)
    pools = [rng.sample(published, min(len(published), rng.randint(40, 80))) for _ in clinics]
    planned: list[PlannedPrescription] = []
    for clinic_index, clinic in enumerate(clinics):
        _plan_clinic(rng, planned, clinic_index, clinic, patients_by_clinic[clinic_index])
    order = sorted(range(len(planned)), key=lambda i: (planned[i].created, i))
    new_id = array("q", bytes(8 * len(planned)))
    for position, index in enumerate(order, start=1):
        new_id[index] = position
    counts = item_counts(rng, len(planned), items)
    clinic_of = array("h", (planned[index].clinic_index for index in order))
    rows = (
        _prescription_row(rng, position, planned[index], clinics, new_id)
        for position, index in enumerate(order, start=1)
    )
    writer.write(
        Prescription, PRESCRIPTION_COLUMNS, rows, len(planned), label="prescriptions", freeze=True
    )
    return ItemPlan(counts=counts, clinic_of=clinic_of, pools=pools)


def _plan_clinic(rng, planned: list, clinic_index: int, clinic, patients) -> None:
    """The clinic's prescriptions, spread at random over its patients, each patient's in time
    order from their registration on."""
    patient_ids, registered = patients
    per_patient: dict[int, int] = {}
    for _ in range(clinic.prescriptions):
        slot = rng.randrange(len(patient_ids))
        per_patient[slot] = per_patient.get(slot, 0) + 1
    for slot in sorted(per_patient):
        times = sorted(rng.randrange(registered[slot], SPAN) for _ in range(per_patient[slot]))
        previous = None
        for position, created in enumerate(times):
            revises = previous is not None and rng.random() < 0.4
            status = _status(rng.random(), last=position == len(times) - 1)
            record = PlannedPrescription(
                created, clinic_index, patient_ids[slot], rng.choice(clinic.staff), status
            )
            if revises and planned[previous].status == "issued":
                # A revision supersedes its predecessor once it is issued.
                if status != "draft":
                    planned[previous].status = "superseded"
                record.version = planned[previous].version + 1
                record.revises = previous
            previous = len(planned)
            planned.append(record)


def _status(roll: float, *, last: bool) -> str:
    """A patient's latest prescription is more often a draft or voided than the earlier ones."""
    if last:
        return "draft" if roll < 0.1 else "voided" if roll < 0.14 else "issued"
    return "issued" if roll < 0.9 else "voided" if roll < 0.97 else "draft"


def _prescription_row(rng, position: int, record: PlannedPrescription, clinics, new_id) -> tuple:
    created = at(record.created)
    start = created.date()
    status = record.status
    issued = created + timedelta(minutes=rng.randint(5, 600)) if status != "draft" else None
    voided = issued + timedelta(days=rng.randint(1, 60)) if status == "voided" else None
    row_version = {"draft": 1, "issued": 2}.get(status, 3)
    return (
        position,
        clinics[record.clinic_index].id,
        record.patient_id,
        record.clinician_id,
        rng.choice(PRESCRIPTION_NOTES),
        start,
        start + timedelta(days=rng.choice((28, 42, 56, 84))),
        status,
        record.version,
        new_id[record.revises] if record.revises is not None else None,
        row_version,
        issued,
        voided,
        VOID_REASON if voided else "",
        None,
        "",
        "",
        "",
        created,
        voided or issued or created,
    )


def item_counts(rng, prescriptions: int, target: int) -> array:
    """Items per prescription, summing exactly to `target`."""
    counts = array("b", rng.choices(range(1, 21), ITEM_COUNT_WEIGHTS, k=prescriptions))
    difference = target - sum(counts)
    step = 1 if difference > 0 else -1
    while difference:
        index = rng.randrange(prescriptions)
        if 1 <= counts[index] + step <= MOST_ITEMS_PER_PRESCRIPTION:
            counts[index] += step
            difference -= step
    return counts
