"""Backup and restore, end to end on PostgreSQL and on SQLite: back up, restore into an empty
database, and the restored service answers the same patient and the same handout bytes."""

import hashlib
import stat
import subprocess
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from knox.models import AuthToken

from prescriptions.services import issue_prescription
from tests import factories
from tests.clinic_load import prepare_clinic, serve_environment, sign_in
from tests.live import ROOT, ServeGunicorn, call, database_url, gunicorn


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
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


def test_sqlite_backup_under_write_load_restores_the_same_patient_and_handout(tmp_path):
    """The embedded default: the online backup API copies the live database while therapists
    keep creating patients; the service started on the copy answers the same data."""
    env = serve_environment(f"sqlite:///{tmp_path / 'live' / 'db.sqlite3'}", tmp_path / "live")
    (tmp_path / "live").mkdir()
    [username] = prepare_clinic(env, therapists=1)
    with ServeGunicorn(env, tmp_path / "live.log") as server:
        token = sign_in(server.port, username)
        status, patient = call(
            server.port,
            "POST",
            "/api/v1/patients/",
            token,
            {
                "given_name": "Zoë",
                "family_name": "Backup",
                "date_of_birth": "1980-05-06",
                "identifier": "BK-1",
            },
        )
        assert status == 201
        exercise = call(server.port, "GET", "/api/v1/exercises/?page_size=1", token)[1]
        answered = {}
        status, rx = call(
            server.port,
            "POST",
            "/api/v1/prescriptions/",
            token,
            {"patient": patient["id"], "items": [{"exercise": exercise["results"][0]["id"]}]},
            answer_headers=answered,
        )
        assert status == 201
        issue = f"/api/v1/prescriptions/{rx['id']}/issue/"
        if_match = {"If-Match": answered["ETag"]}
        assert call(server.port, "POST", issue, token, headers=if_match)[0] == 200
        status, handout = call(
            server.port, "GET", f"/api/v1/prescriptions/{rx['id']}/handout/", token
        )
        assert status == 200

        stop, created = threading.Event(), []

        def keep_writing():
            while not stop.is_set():
                status, _ = call(
                    server.port,
                    "POST",
                    "/api/v1/patients/",
                    token,
                    {
                        "given_name": "Load",
                        "family_name": f"W{len(created)}",
                        "date_of_birth": "1990-01-01",
                        "identifier": f"W-{len(created)}",
                    },
                )
                assert status == 201
                created.append(status)

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            while len(created) < 5:
                time.sleep(0.05)
            subprocess.run(
                [ROOT / "scripts" / "backup", tmp_path / "backup"],
                check=True,
                env={
                    "PATH": "/usr/bin:/bin",
                    "DATABASE_URL": env["DATABASE_URL"],
                    "MEDIA_ROOT": env["MEDIA_ROOT"],
                },
            )
            written_during_backup = len(created)
            while len(created) < written_during_backup + 5:
                time.sleep(0.05)
        finally:
            stop.set()
            writer.join()

    restored_env = serve_environment(
        f"sqlite:///{tmp_path / 'restored' / 'db.sqlite3'}", tmp_path / "restored"
    )
    subprocess.run(
        [ROOT / "scripts" / "restore", tmp_path / "backup"],
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": restored_env["DATABASE_URL"],
            "MEDIA_ROOT": restored_env["MEDIA_ROOT"],
        },
    )
    assert stat.S_IMODE((tmp_path / "restored" / "db.sqlite3").stat().st_mode) == 0o600
    with ServeGunicorn(restored_env, tmp_path / "restored.log") as server:
        token = sign_in(server.port, username)
        status, shown = call(server.port, "GET", f"/api/v1/patients/{patient['id']}/", token)
        assert (status, shown["given_name"], shown["identifier"]) == (200, "Zoë", "BK-1")
        status, restored_handout = call(
            server.port, "GET", f"/api/v1/prescriptions/{rx['id']}/handout/", token
        )
        assert status == 200
        assert restored_handout == handout
        listed = call(server.port, "GET", "/api/v1/patients/?page_size=1", token)[1]
        assert 1 + 5 <= listed["count"] <= 1 + len(created)
