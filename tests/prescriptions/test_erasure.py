"""Erasure that erases: after `erase_patient`, no name or record number the patient ever had is
left in any column of any table, nor in any stored file."""

import io
import json
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
        client.get(f"/admin/prescriptions/prescription/{prescription['id']}/change/").status_code
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
