"""Backup and restore, end to end on PostgreSQL: dump, restore into an empty database, and
the restored service answers the same patient and the same handout bytes."""

import hashlib
import subprocess
import uuid

import pytest
from django.conf import settings
from django.db import connection
from knox.models import AuthToken

from prescriptions.services import issue_prescription
from tests import factories
from tests.live import ROOT, call, database_url, gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_backup_then_restore_into_an_empty_database(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL dumps; CI runs this on PostgreSQL")
    clinic = factories.ClinicFactory(name="Backed-up Clinic")
    user = factories.clinician(clinic)
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )
    issued = issue_prescription(prescription=prescription)
    token = AuthToken.objects.create(user)[1]
    source = database_url(connection.settings_dict)

    subprocess.run(
        [ROOT / "scripts" / "backup", tmp_path / "backup"],
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": source,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
    )
    restored_name = f"restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored_name}"')
    restored = database_url({**connection.settings_dict, "NAME": restored_name})
    restored_media = tmp_path / "restored-media"
    try:
        subprocess.run(
            [ROOT / "scripts" / "restore", tmp_path / "backup"],
            check=True,
            env={
                "PATH": "/usr/bin:/bin",
                "DATABASE_URL": restored,
                "MEDIA_ROOT": str(restored_media),
            },
        )
        with gunicorn(restored, workers=1, MEDIA_ROOT=str(restored_media)) as port:
            status, patient = call(port, "GET", f"/api/v1/patients/{issued.patient_id}/", token)
            assert status == 200
            assert patient["given_name"] == "Zoë"
            assert patient["identifier"] == issued.patient.identifier
            status, pdf = call(port, "GET", f"/api/v1/prescriptions/{issued.pk}/handout/", token)
            assert status == 200
            assert hashlib.sha256(pdf).hexdigest() == issued.handout_sha256
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
