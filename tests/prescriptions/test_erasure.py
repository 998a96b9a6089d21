"""Erasure that erases: after `erase_patient`, no name or record number the patient ever had is
left in any column of any table, nor in any stored file."""

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile

import pypdf
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests import factories
from tests.prescriptions.support import committed, issue_via_api, item

pytestmark = pytest.mark.django_db

# Every name and number the patient has had; unique enough that nothing else contains them.
FIRST = {"given_name": "Quillonea", "family_name": "Brackwater", "identifier": "MRN-7731905"}
SECOND = {"given_name": "Quillonia", "family_name": "Vexhollow", "identifier": "MRN-8842016"}
THIRD = {"given_name": "Quilloneth", "family_name": "Marrowfen", "identifier": "MRN-9953127"}
ALL_VALUES = [value for names in (FIRST, SECOND, THIRD) for value in names.values()]


def _texts(value):
    """Every string inside a column's value, JSON columns parsed (SQLite keeps é as \\u00e9)."""
    if value is None:
        return
    if isinstance(value, bytes | memoryview):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, str):
        yield value
        try:
            parsed = json.loads(value)
        except ValueError:
            return
        if not isinstance(parsed, str):
            yield json.dumps(parsed, ensure_ascii=False)
    elif isinstance(value, dict | list):
        yield json.dumps(value, ensure_ascii=False)


def rows_holding(values) -> list[str]:
    """'table.column: value' for every text or JSON cell of every table holding a value."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # Table names come from the database itself, quoted.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, cell in zip(columns, row, strict=True):
                    for text in _texts(cell):
                        found += [
                            f"{table}.{column} (row {row[0]}): {value}"
                            for value in values
                            if value.lower() in text.lower()
                        ]
    return found


def files_holding(values) -> list[str]:
    found = []
    for path in settings.MEDIA_ROOT.rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes()
        if content.startswith(b"%PDF"):
            text = " ".join(
                page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages
            )
        else:
            text = content.decode("utf-8", "replace")
        found += [f"{path.name}: {value}" for value in values if value.lower() in text.lower()]
    return found


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_erasure_leaves_no_name_or_record_number_the_patient_ever_had(
    media, client, api, clinic, therapist, capsys, tmp_path
):
    api.force_authenticate(therapist)
    client.force_login(therapist)
    exercise = factories.ExerciseFactory()
    patient = api.post(
        "/api/v1/patients/", {**FIRST, "date_of_birth": "1961-02-03"}, format="json"
    ).json()
    patient_url = f"/api/v1/patients/{patient['id']}/"
    assert api.patch(patient_url, SECOND, format="json").status_code == 200
    admin_change = f"/admin/prescriptions/patient/{patient['id']}/change/"
    page = client.get(admin_change)
    assert page.status_code == 200
    response = client.post(
        admin_change,
        {
            "opened_version": page.context["adminform"].form["opened_version"].value(),
            **THIRD,
            "date_of_birth": "1961-02-03",
            "preferred_language": "en",
            "prescriptions-TOTAL_FORMS": "0",
            "prescriptions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content

    mention = f"{SECOND['given_name']} {FIRST['family_name']} {FIRST['identifier']}"
    prescription = api.post(
        "/api/v1/prescriptions/",
        {
            "patient": patient["id"],
            "notes": f"Notes for {mention}",
            "items": [item(exercise, notes=f"Item note for {mention}")],
        },
        format="json",
    ).json()
    rx_url = f"/api/v1/prescriptions/{prescription['id']}/"
    with committed():
        assert issue_via_api(api, rx_url).status_code == 200
    assert api.get(f"{rx_url}handout/").status_code == 200
    revision_url = api.post(f"{rx_url}revise/")["Location"]
    with committed():
        assert issue_via_api(api, revision_url).status_code == 200
    assert (
        api.post(f"{revision_url}void/", {"reason": f"Wrong {mention}"}, format="json").status_code
        == 200
    )
    template = api.post(
        f"{rx_url}save-as-template/", {"name": f"Programme of {mention}"}, format="json"
    )
    assert template.status_code == 201, template.content
    assert (
        client.get(f"/admin/prescriptions/prescription/{prescription['id']}/workspace/").status_code
        == 200
    )
    draft = api.post(
        "/api/v1/prescriptions/",
        {"patient": patient["id"], "notes": f"Draft for {mention}", "items": [item(exercise)]},
        format="json",
    )
    assert draft.status_code == 201, draft.content
    assert rows_holding(ALL_VALUES) and files_holding(ALL_VALUES)
    call_command("export_patient", patient["id"], "-o", str(tmp_path / "export.zip"))
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        record = json.loads(archive.read("record.json"))
    assert set(ALL_VALUES) <= set(record["names_and_numbers_held"])
    assert [entry["object"] for entry in record["admin_history"]] == [
        "Quilloneth Marrowfen (MRN-9953127)"
    ]

    call_command(
        "erase_patient",
        patient["id"],
        "--reason",
        "Patient asked",
        "--by",
        factories.superuser().username,
    )

    assert rows_holding(ALL_VALUES) == []
    assert files_holding(ALL_VALUES) == []
    printed = capsys.readouterr().out
    assert "stored handouts deleted: 2" in printed
    assert "audit entries masked:" in printed


# Erasure's reach: the patient's rows lose every word of their names; the rest of their clinic
# only whole names; another clinic nothing. The patient's surname is an everyday word and their
# first name is shared with other patients, here and at another clinic.
GENTLE = {
    "given_name": "Robin",
    "family_name": "Gentle",
    "date_of_birth": "1958-04-09",
    "identifier": "RG-4471",
    "address": "12 Mill Lane\nLeeds LS1 4AB",
}
GENTLE_WORDS = ["Robin", "Gentle", "RG-4471", "12 Mill Lane", "LS1 4AB", "1958-04-09"]
EVERYDAY_TEMPLATE = {"name": "Sensitive sciatic pain: gentle start", "notes": "Start gentle."}


class Session:
    """One signed-in API client that sends every create with an Idempotency-Key and keeps
    what it sent, so the test can replay each one."""

    def __init__(self, user):
        from rest_framework.test import APIClient

        self.client = APIClient()
        self.client.force_authenticate(user)
        self.sent = []

    def create(self, path, body):
        key = f"key-{len(self.sent)}"
        response = self.client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 201, response.content
        self.sent.append((path, body, key, response.status_code))
        return response.json()


def _other_clinic_rows(clinic):
    """Everything another clinic holds that erasure could reach, as plain values."""
    from auditlog.models import LogEntry

    from clinic.models import StoredAnswer
    from prescriptions.models import Patient, Prescription, ProgrammeTemplate

    return {
        "audit": list(
            LogEntry.objects.filter(additional_data__clinic_id=clinic.pk)
            .order_by("pk")
            .values_list("object_repr", "changes", "additional_data")
        ),
        "templates": list(
            ProgrammeTemplate.objects.filter(clinic=clinic).values_list("name", "notes")
        ),
        "patients": list(Patient.objects.filter(clinic=clinic).values_list("notes", "search_text")),
        "prescriptions": list(
            Prescription.objects.filter(clinic=clinic).values_list("notes", "snapshot")
        ),
        "stored answers": list(
            StoredAnswer.objects.filter(user__clinician__clinic=clinic).values_list("body")
        ),
    }


def _patient_rows(patient_id):
    """A patient's own record, prescriptions and audit entries, as plain values."""
    from auditlog.models import LogEntry

    from prescriptions.models import Patient, Prescription

    return {
        "patient": Patient.objects.filter(pk=patient_id).values().get(),
        "prescriptions": list(Prescription.objects.filter(patient=patient_id).values()),
        "audit": list(
            LogEntry.objects.filter(additional_data__patient_id=patient_id)
            .order_by("pk")
            .values_list("object_repr", "changes", "additional_data")
        ),
    }


def test_erasure_masks_its_patient_and_leaves_everyday_words_and_other_clinics_alone(
    media, clinic, therapist
):
    from auditlog.models import LogEntry

    from clinic.models import StoredAnswer
    from prescriptions.data_protection import erase_patient
    from prescriptions.models import Patient, Prescription, ProgrammeTemplate

    # The answers show the clinician's name: a fixed one, so a random "Robinson" (rightly not
    # masked: not a word of the patient's) cannot fail the substring checks below.
    therapist.clinician.display_name = "Alex Morgan"
    therapist.clinician.save()
    exercise = factories.ExerciseFactory()
    here = Session(therapist)
    # A search that found no one yet still names the patient to whoever holds the key.
    here.client.get("/api/v1/patients/", {"search": "robin  GENTLE"})
    patient = here.create("/api/v1/patients/", GENTLE)
    prescription = here.create(
        "/api/v1/prescriptions/",
        {
            "patient": patient["id"],
            "notes": "Robin: walk from 12 Mill Lane to the park at a gentle pace.",
            "items": [item(exercise, notes="Gentle, Robin.")],
        },
    )
    derived = here.create(
        f"/api/v1/prescriptions/{prescription['id']}/save-as-template/",
        {"name": "Knee plan for Robin"},
    )
    everyday = here.create("/api/v1/templates/", {**EVERYDAY_TEMPLATE, "items": [item(exercise)]})
    named = here.create(
        "/api/v1/templates/",
        {"name": "Hip plan", "notes": "First made for robin  gentle.", "items": [item(exercise)]},
    )
    namesake = here.create(
        "/api/v1/patients/",
        {
            "given_name": "Robin",
            "family_name": "Shaw",
            "date_of_birth": "1990-01-01",
            "identifier": "RS-1",
            "notes": "Neighbour of Robin Gentle, 12 Mill Lane.",
        },
    )
    here.client.get(f"/api/v1/patients/{namesake['id']}/")
    # Another Robin Gentle at the same clinic: his own rows name him, not the patient erased.
    twin = here.create("/api/v1/patients/", {**GENTLE, "identifier": "RG-9", "address": ""})
    twin_rx = here.create(
        "/api/v1/prescriptions/",
        {"patient": twin["id"], "notes": "For Robin Gentle", "items": [item(exercise)]},
    )
    twin_rows = _patient_rows(twin["id"])
    here.client.get("/api/v1/patients/", {"search": "gentle"})
    here.client.get("/api/v1/patients/", {"search": "Robin Gentle"})

    elsewhere = factories.ClinicFactory(name="Hilltop Clinic")
    there = Session(factories.clinician(elsewhere))
    other = there.create(
        "/api/v1/patients/",
        {
            "given_name": "Robin",
            "family_name": "Hartley",
            "date_of_birth": "1971-05-05",
            "identifier": "RG-4471",
            "notes": "Prefers a gentle start.",
        },
    )
    assert (
        there.client.patch(
            f"/api/v1/patients/{other['id']}/", {"notes": "Knows Robin Gentle."}, format="json"
        ).status_code
        == 200
    )
    there.client.get(f"/api/v1/patients/{other['id']}/")
    there.client.get("/api/v1/patients/", {"search": "Robin"})
    there.create(
        "/api/v1/templates/",
        {"name": "Gentle start for Robin Gentle", "notes": "RG-4471", "items": [item(exercise)]},
    )
    other_clinic = _other_clinic_rows(elsewhere)
    namesake_entries = list(
        LogEntry.objects.filter(additional_data__patient_id=namesake["id"])
        .order_by("pk")
        .values_list("object_repr", flat=True)
    )
    assert "Robin Shaw (RS-1)" in namesake_entries
    answers = StoredAnswer.objects.count()

    erase_patient(
        patient=Patient.objects.get(pk=patient["id"]),
        reason="Asked",
        erased_by=factories.superuser(),
    )

    # Another clinic: not one row changed, though its patient shares the name and number.
    assert _other_clinic_rows(elsewhere) == other_clinic
    # The patient's own clinic: everyday words and a namesake's history stay...
    assert ProgrammeTemplate.objects.filter(pk=everyday["id"]).values("name", "notes").get() == (
        EVERYDAY_TEMPLATE
    )
    assert (
        list(
            LogEntry.objects.filter(additional_data__patient_id=namesake["id"])
            .order_by("pk")
            .values_list("object_repr", flat=True)
        )[: len(namesake_entries)]
        == namesake_entries
    )
    assert _patient_rows(twin["id"]) == twin_rows
    assert Prescription.objects.get(pk=twin_rx["id"]).notes == "For Robin Gentle"
    # ...but a whole name or an address line typed into the clinic's other records goes.
    assert ProgrammeTemplate.objects.get(pk=named["id"]).notes == "First made for [erased]."
    assert Patient.objects.get(pk=namesake["id"]).notes == "Neighbour of [erased], [erased]."
    # The patient's own rows lose every word of the name, the number and the address lines.
    assert ProgrammeTemplate.objects.get(pk=derived["id"]).name == "Knee plan for [erased]"
    rx = Prescription.objects.get(pk=prescription["id"])
    assert rx.notes == "[erased]: walk from [erased] to the park at a [erased] pace."
    assert rx.items.get().notes == "[erased]."
    assert ProgrammeTemplate.objects.get(pk=derived["id"]).items.get().notes == "[erased]."
    # Searches that showed the patient keep no digest of what was typed; the other clinic's do.
    searches = LogEntry.objects.filter(additional_data__has_key="search_sha256").order_by("pk")
    assert [e.additional_data["search_sha256"] for e in searches][:3] == ["erased"] * 3
    assert searches.last().additional_data["search_sha256"] != "erased"

    # Every stored answer, replayed, answers as before without a word of the patient's, and
    # creates nothing.
    rows = {model: model.objects.count() for model in (Patient, Prescription, ProgrammeTemplate)}
    replays = {
        session: [
            session.client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
            for path, body, key, _ in session.sent
        ]
        for session in (here, there)
    }
    for session, replayed in replays.items():
        assert [a.status_code for a in replayed] == [sent[3] for sent in session.sent]
    # The patient, their prescription and its template: no word of theirs is left.
    for answer in replays[here][:3]:
        text = answer.content.decode().lower()
        assert [word for word in GENTLE_WORDS if word.lower() in text] == []
    # The clinic's other answers: not their whole name; the other clinic's: unchanged.
    about_twin = [
        body.get("identifier") == "RG-9" or body.get("patient") == twin["id"]
        for _, body, _, _ in here.sent
    ]
    assert not [
        answer
        for answer, twins in zip(replays[here], about_twin, strict=True)
        if "robin gentle" in answer.content.decode().lower() and not twins
    ]
    assert "Gentle start for Robin Gentle" in replays[there][-1].content.decode()
    assert StoredAnswer.objects.count() == answers
    assert {model: model.objects.count() for model in rows} == rows


def test_export_holds_derived_templates_stored_answers_and_the_reads_that_listed_the_patient(
    media, clinic, therapist, client, tmp_path
):
    exercise = factories.ExerciseFactory()
    here = Session(therapist)
    patient = here.create("/api/v1/patients/", GENTLE)
    prescription = here.create(
        "/api/v1/prescriptions/", {"patient": patient["id"], "items": [item(exercise)]}
    )
    here.create(
        f"/api/v1/prescriptions/{prescription['id']}/save-as-template/",
        {"name": "Knee plan for Robin"},
    )
    here.create("/api/v1/templates/", {**EVERYDAY_TEMPLATE, "items": [item(exercise)]})
    here.client.get("/api/v1/patients/", {"search": "gentle"})
    here.client.get("/api/v1/prescriptions/")
    client.force_login(therapist)
    picker = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "prescriptions",
            "model_name": "prescription",
            "field_name": "patient",
            "term": "Robin",
        },
    )
    assert picker.status_code == 200
    factories.PatientFactory(clinic=clinic, identifier="RS-2")
    here.client.get("/api/v1/patients/", {"search": "RS-2"})

    call_command("export_patient", patient["id"], "-o", str(tmp_path / "export.zip"))
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        record = json.loads(archive.read("record.json"))

    [template] = record["derived_templates"]
    assert template["name"] == "Knee plan for Robin"
    assert [item["exercise"] for item in template["items"]] == [exercise.name]
    # The patient, their prescription and the template saved from it; not the clinic's
    # unrelated template.
    assert [answer["body"].get("name") for answer in record["stored_api_answers"]] == [
        None,
        None,
        "Knee plan for Robin",
    ]
    reads = record["reads_that_listed_the_patient"]
    assert [(read["event"], read["searched"]) for read in reads] == [
        ("list", True),
        ("autocomplete", True),
        ("list", False),
    ]


# Run in a separate process against a database file, as the service runs: the test run's own
# SQLite database lives in memory and has no file to read.
SETUP_SCRIPT = """
import datetime
import json
from prescriptions import services
from tests import factories
clinic = factories.ClinicFactory()
patient = services.save_patient(clinic=clinic, data={
    "given_name": "Quillonea", "family_name": "Brackwater", "identifier": "MRN-7731905",
    "date_of_birth": datetime.date(1961, 2, 3), "address": "7 Oxbow Row"})
services.save_patient(clinic=clinic, patient=patient, data={"family_name": "Vexhollow"})
exercise = factories.ExerciseFactory()
factories.PrescriptionFactory(patient=patient, notes="For Quillonea Vexhollow, 7 Oxbow Row",
    items=[exercise])
# A draft deleted before the erasure: no row is left to mask, only its freed bytes.
draft = factories.PrescriptionFactory(
    patient=patient, notes="Draft for Quillonea Brackwater MRN-7731905", items=[exercise])
services.delete_prescription(prescription=draft)
print(json.dumps({"patient": patient.pk, "by": factories.superuser().username}))
"""
FILE_NAMES = [b"quillonea", b"brackwater", b"vexhollow", b"mrn-7731905", b"oxbow row"]


def _manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _names_in(path) -> list[bytes]:
    content = path.read_bytes().lower() if path.exists() else b""
    return [name for name in FILE_NAMES if name in content]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL keeps old row versions until VACUUM; docs/security.md says what it does",
)
def test_erased_names_leave_the_sqlite_file_and_its_write_ahead_log(tmp_path):
    # Freed bytes are zeroed on every connection, whatever the SQLite build's default (Debian's
    # is compiled with SQLITE_SECURE_DELETE; other builds are not).
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    _manage(env, "migrate", "--noinput", "-v", "0")
    made = json.loads(_manage(env, "shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1])
    assert _names_in(database) == FILE_NAMES
    # A server's workers keep their connections open: the last one to close would otherwise
    # fold the log into the file and delete it.
    worker = sqlite3.connect(database)
    try:
        worker.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _manage(env, "erase_patient", str(made["patient"]), "--reason", "Asked", "--by", made["by"])
        wal = database.with_name(database.name + "-wal")
        assert (_names_in(database), _names_in(wal)) == ([], [])
    finally:
        worker.close()


def test_a_whole_name_with_accents_goes_from_the_clinics_other_entries_in_any_case(
    as_therapist, clinic
):
    from auditlog.models import LogEntry

    from prescriptions.data_protection import erase_patient
    from prescriptions.models import Patient

    patient = factories.PatientFactory(
        clinic=clinic, given_name="Zoë", family_name="Łukasiewicz-Núñez", identifier="ZL-1"
    )
    other = factories.PatientFactory(clinic=clinic, given_name="Ann", identifier="AB-2")
    note = {"notes": "Came with ZOË ŁUKASIEWICZ-NÚÑEZ."}
    assert (
        as_therapist.patch(f"/api/v1/patients/{other.pk}/", note, format="json").status_code == 200
    )

    erase_patient(patient=patient, reason="Asked", erased_by=factories.superuser())

    assert Patient.objects.get(pk=other.pk).notes == "Came with [erased]."
    change = LogEntry.objects.filter(additional_data__patient_id=other.pk).latest("pk")
    assert change.changes["notes"][1] == "Came with [erased]."


def test_two_templates_named_after_the_patient_keep_distinct_names(clinic, therapist):
    from prescriptions.data_protection import erase_patient
    from prescriptions.models import ProgrammeTemplate
    from prescriptions.services import save_prescription_as_template

    patient = factories.PatientFactory(clinic=clinic, given_name="Robin", family_name="Gentle")
    prescription = factories.PrescriptionFactory(
        patient=patient, items=[factories.ExerciseFactory()]
    )
    for name in ("Plan for Robin", "Plan for Gentle"):
        save_prescription_as_template(prescription=prescription, name=name, user=therapist)

    erase_patient(patient=patient, reason="Asked", erased_by=factories.superuser())

    names = sorted(ProgrammeTemplate.objects.values_list("name", flat=True))
    assert names[0] == "Plan for [erased]"
    assert re.fullmatch(r"Plan for \[erased\] \(template \d+\)", names[1])
