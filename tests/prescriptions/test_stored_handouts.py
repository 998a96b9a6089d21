"""Issuing is all or nothing with its stored PDF: no file without a row, no row without a file;
on the media folder and on a real S3 bucket alike (the `storage_backend` fixture)."""

import hashlib
import stat
import zipfile
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection

from clinic.management.commands.clean_media import stored_names
from clinic.storage_config import default_storage_from_url
from prescriptions import services
from prescriptions.services import issue_prescription
from tests import factories
from tests.object_storage import free_ports
from tests.prescriptions.support import (
    committed,
    errors,
    issue_and_commit,
    issue_via_api,
    workspace_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(clinic):
    return factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )


def files_under(folder: Path) -> list[str]:
    return sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    )


def refuse_issuing_in_the_database():
    """A real failure of the row's save, after the PDF is rendered and written."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_issue() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'the disk is full'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_issue BEFORE UPDATE ON prescriptions_prescription "
                "FOR EACH ROW WHEN (NEW.status = 'issued') EXECUTE FUNCTION refuse_issue()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_issue BEFORE UPDATE ON prescriptions_prescription "
                "WHEN NEW.status = 'issued' BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
            )


def allow_issuing_again():
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER refuse_issue ON prescriptions_prescription"
            if connection.vendor == "postgresql"
            else "DROP TRIGGER refuse_issue"
        )


def stored_files() -> list[str]:
    try:
        return sorted(stored_names(default_storage))
    except FileNotFoundError:  # the media folder is made by the first file stored
        return []


def test_an_issue_that_fails_after_rendering_leaves_no_file_and_a_retry_stores_one_named_by_its_content(
    storage_backend, draft
):
    refuse_issuing_in_the_database()
    with pytest.raises(DatabaseError), committed():
        issue_prescription(prescription=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert stored_files() == []

    allow_issuing_again()
    issued = issue_and_commit(draft)
    with default_storage.open(issued.handout_pdf.name, "rb") as stored:
        content = stored.read()
    assert stored_files() == [issued.handout_pdf.name]
    assert issued.handout_pdf.name == f"handouts/{hashlib.sha256(content).hexdigest()}.pdf"
    assert issued.handout_sha256 == hashlib.sha256(content).hexdigest()


def test_the_stored_handout_and_its_folders_are_readable_by_the_service_only(media, draft):
    issued = issue_and_commit(draft)
    stored = media / issued.handout_pdf.name
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    folder = stored.parent
    while folder != media.parent:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent


def test_the_file_is_stored_before_the_row_that_names_it_commits(storage_backend, draft):
    with committed():
        issued = issue_prescription(prescription=draft)
        assert stored_files() == [issued.handout_pdf.name]


def test_an_issued_handout_downloads_from_the_storage_in_blocks_with_its_headers_and_audit(
    as_therapist, therapist, storage_backend, draft
):
    issued = issue_and_commit(draft)
    before = LogEntry.objects.count()
    response = as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/handout/")
    assert response.status_code == 200
    assert response.streaming
    content = b"".join(response.streaming_content)
    with default_storage.open(issued.handout_pdf.name, "rb") as stored:
        assert content == stored.read()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"].startswith('attachment; filename="handout-')
    assert "ETag" not in response
    assert LogEntry.objects.count() == before + 1
    assert LogEntry.objects.latest("pk").additional_data["event"] == "download"
    assert LogEntry.objects.latest("pk").actor == therapist


def test_a_stored_handout_missing_from_the_storage_answers_503(
    as_therapist, storage_backend, draft
):
    issued = issue_and_commit(draft)
    default_storage.delete(issued.handout_pdf.name)
    as_therapist.raise_request_exception = False
    response = as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/handout/")
    assert errors(response, 503, "server_error") == [(None, "media_unreadable")]


def test_erasure_removes_the_stored_handout_and_export_includes_it(
    storage_backend, draft, tmp_path
):
    issued = issue_and_commit(draft)
    output = tmp_path / "export.zip"
    call_command("export_patient", draft.patient.pk, "-o", str(output))
    with zipfile.ZipFile(output) as archive, default_storage.open(issued.handout_pdf.name) as pdf:
        exported = [archive.read(name) for name in archive.namelist() if name.endswith(".pdf")]
        assert exported == [pdf.read()]
    get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    call_command("erase_patient", draft.patient.pk, "--reason", "Patient request", "--by", "root")
    assert stored_files() == []


def test_issuing_into_an_unwritable_media_folder_answers_503_and_keeps_the_draft(
    as_therapist, unwritable_media, draft
):
    as_therapist.raise_request_exception = False  # a 5xx is reported as a server's error
    response = issue_via_api(as_therapist, f"/api/v1/prescriptions/{draft.pk}/")
    assert errors(response, 503, "server_error") == [(None, "media_unwritable")]
    assert "file storage is not writable" in response.json()["errors"][0]["detail"]
    assert as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/").json()["status"] == "draft"
    assert files_under(unwritable_media.parent) == ["not-a-folder"]


def test_health_check_reports_an_unwritable_media_folder(client, unwritable_media):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "ok",
        "media": "unwritable",
    }


def test_health_check_writes_and_removes_its_probe(client, storage_backend):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "media": "ok"}
    assert stored_files() == []


def test_issuing_while_the_storage_server_does_not_answer_is_503_and_keeps_the_draft(
    as_therapist, settings, draft
):
    (closed_port,) = free_ports(1)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_from_url(
            f"s3+http://key:secret@127.0.0.1:{closed_port}/clinic", environ={}
        ),
    }
    as_therapist.raise_request_exception = False
    response = issue_via_api(as_therapist, f"/api/v1/prescriptions/{draft.pk}/")
    assert errors(response, 503, "server_error") == [(None, "media_unwritable")]
    assert "file storage is not writable" in response.json()["errors"][0]["detail"]
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert as_therapist.get("/healthz").status_code == 503


def test_the_admin_says_why_an_issue_could_not_be_stored(
    client, therapist, unwritable_media, draft
):
    client.force_login(therapist)
    response = client.post(
        f"/admin/prescriptions/prescription/{draft.pk}/workspace/",
        workspace_form_data(draft, _issue="1"),
        follow=True,
    )
    assert "file storage is not writable" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_clean_media_lists_unreferenced_files_and_removes_them_only_when_asked(
    storage_backend, draft, capsys
):
    issued = issue_and_commit(draft)
    stray = default_storage.save("handouts/left-by-a-crash.pdf", ContentFile(b"%PDF-"))

    call_command("clean_media")
    assert "Would remove (dry run; --delete removes) 0 file(s)" in capsys.readouterr().out

    call_command("clean_media", "--min-age-minutes", "0")
    dry_run = capsys.readouterr().out
    assert stray in dry_run
    assert "Would remove (dry run; --delete removes) 1 file(s)" in dry_run
    assert stored_files() == sorted([issued.handout_pdf.name, stray])

    call_command("clean_media", "--delete", "--min-age-minutes", "0")
    assert "Removed 1 file(s)" in capsys.readouterr().out
    assert stored_files() == [issued.handout_pdf.name]


def test_a_change_between_the_render_and_the_commit_answers_412_and_stores_nothing(
    as_therapist, storage_backend, draft, monkeypatch
):
    """The PDF renders before the write transaction; an edit that lands meanwhile (made here
    by the real service, right after the render) must not be issued under the old PDF."""
    render = services.freeze_handout

    def render_then_edit(prescription):
        pdf = render(prescription)
        services.update_prescription(prescription=draft, data={"notes": "Changed meanwhile."})
        return pdf

    monkeypatch.setattr(services, "freeze_handout", render_then_edit)
    response = issue_via_api(as_therapist, f"/api/v1/prescriptions/{draft.pk}/")
    assert errors(response, 412) == [(None, "precondition_failed")]
    draft.refresh_from_db()
    assert (draft.status, draft.notes) == ("draft", "Changed meanwhile.")
    assert stored_files() == []
