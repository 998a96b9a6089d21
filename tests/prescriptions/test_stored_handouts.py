"""Issuing is all or nothing with its stored PDF: no file without a row, no row without a file."""

import os
import stat
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection

from prescriptions.services import issue_prescription
from tests import factories
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


def test_an_issue_that_fails_after_rendering_leaves_no_file_and_a_retry_keeps_one_name(
    media, draft
):
    refuse_issuing_in_the_database()
    with pytest.raises(DatabaseError), committed():
        issue_prescription(prescription=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert files_under(media) == []

    allow_issuing_again()
    issued = issue_and_commit(draft)
    assert files_under(media) == [issued.handout_pdf.name]
    assert Path(issued.handout_pdf.name).name == f"rx-{draft.pk}-v1.pdf"


def test_the_stored_handout_and_its_folders_are_readable_by_the_service_only(media, draft):
    issued = issue_and_commit(draft)
    stored = media / issued.handout_pdf.name
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    folder = stored.parent
    while folder != media.parent:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent


def test_nothing_is_visible_under_the_final_name_before_the_commit(media, draft):
    with committed():
        issued = issue_prescription(prescription=draft)
        assert not (media / issued.handout_pdf.name).exists()
        assert len(files_under(media)) == 1
    assert files_under(media) == [issued.handout_pdf.name]


def test_issuing_into_an_unwritable_media_folder_answers_503_and_keeps_the_draft(
    as_therapist, unwritable_media, draft
):
    as_therapist.raise_request_exception = False  # a 5xx is reported as a server's error
    response = issue_via_api(as_therapist, f"/api/v1/prescriptions/{draft.pk}/")
    assert errors(response, 503, "server_error") == [(None, "media_unwritable")]
    assert "media folder is not writable" in response.json()["errors"][0]["detail"]
    assert as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/").json()["status"] == "draft"
    assert files_under(unwritable_media.parent) == ["not-a-folder"]


def test_health_check_reports_an_unwritable_media_folder(client, unwritable_media):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "media": "unwritable"}


def test_health_check_writes_and_removes_its_probe(client, media):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "media": "ok"}
    assert files_under(media) == []


def test_the_admin_says_why_an_issue_could_not_be_stored(
    client, therapist, unwritable_media, draft
):
    client.force_login(therapist)
    response = client.post(
        f"/admin/prescriptions/prescription/{draft.pk}/change/",
        workspace_form_data(draft, _issue="1"),
        follow=True,
    )
    assert "media folder is not writable" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_clean_media_lists_unreferenced_files_and_removes_them_only_when_asked(
    media, draft, capsys
):
    issued = issue_and_commit(draft)
    stray = media / "handouts" / "rx-999-v1.pdf"
    leftover = media / "handouts" / ".tmp-0123456789abcdef-rx-998-v1.pdf"
    young = media / "handouts" / "rx-997-v1.pdf"
    for path in (stray, leftover, young):
        path.write_bytes(b"%PDF-")
    an_hour_ago = time.time() - 3700
    for path in (stray, leftover):
        os.utime(path, (an_hour_ago, an_hour_ago))

    call_command("clean_media")
    dry_run = capsys.readouterr().out
    assert "handouts/rx-999-v1.pdf" in dry_run
    assert "handouts/.tmp-0123456789abcdef-rx-998-v1.pdf" in dry_run
    assert "Would remove (dry run; --delete removes) 2 file(s)" in dry_run
    assert len(files_under(media)) == 4

    call_command("clean_media", "--delete")
    assert "Removed 2 file(s)" in capsys.readouterr().out
    assert files_under(media) == sorted([issued.handout_pdf.name, "handouts/rx-997-v1.pdf"])
