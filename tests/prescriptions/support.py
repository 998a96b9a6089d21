"""What the prescription tests share: reading the one error shape, a handout's text, row counts."""

import io

import pypdf
from django.test import TestCase

from prescriptions.api.etags import prescription_etag
from prescriptions.models import Prescription, PrescriptionItem, ProgrammeTemplate, TemplateItem
from prescriptions.selectors import prescriptions_with_details
from prescriptions.services import issue_prescription


def committed():
    """Runs what waits for the transaction's commit (the stored handout is moved into place
    then) at the end of the block: a test's own transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def issue_and_commit(prescription: Prescription) -> Prescription:
    with committed():
        return issue_prescription(prescription=prescription)


def errors(response, status: int, error_type: str | None = None) -> list[tuple[str | None, str]]:
    """Checks the status and the one error shape; answers the (attr, code) of each error."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"type", "errors"}
    expected_type = error_type or ("validation_error" if status == 400 else "client_error")
    assert body["type"] == expected_type
    assert body["errors"]
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}
        assert error["detail"]
    return [(error["attr"], error["code"]) for error in body["errors"]]


def error_detail(response) -> str:
    return " ".join(error["detail"] for error in response.json()["errors"])


def pdf_text(response) -> str:
    """The words a patient reads on the handout, whitespace made single spaces."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.getvalue()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def saved_rows() -> dict[str, int]:
    return {
        "prescriptions": Prescription.objects.count(),
        "prescription items": PrescriptionItem.objects.count(),
        "templates": ProgrammeTemplate.objects.count(),
        "template items": TemplateItem.objects.count(),
    }


def item(exercise, **fields) -> dict:
    return {"exercise": exercise.pk, **fields}


def opened_version(prescription) -> str:
    """The version the admin's prescribing page opens at: the ETag a read answers."""
    return prescription_etag(prescriptions_with_details().get(pk=prescription.pk))


def workspace_form_data(prescription, **changes):
    """What the prescribing workspace posts for a one-item draft, with `changes` applied."""
    item = prescription.items.get()
    data = {
        "opened_version": opened_version(prescription),
        "notes": prescription.notes,
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": item.pk,
        "items-0-prescription": prescription.pk,
        "items-0-order": "0",
        "items-0-exercise": item.exercise_id,
        "items-0-reps": item.reps,
        "items-0-hold_seconds": item.hold_seconds,
        "items-0-times_per_day": item.times_per_day,
    }
    return {**data, **changes}


def new_workspace_data(row: dict, **fields) -> dict:
    """What the prescribing workspace posts for a new prescription of one row (`row`: the
    row's boxes by field name), with the prescription's own `fields`."""
    return {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-order": "0",
        **{f"items-0-{name}": value for name, value in row.items()},
        **fields,
    }


def issue_via_api(api, url: str, **extra):
    """POST .../issue/ as a client does: with the ETag of the version it read (a read would
    leave an audit entry, so the tag is computed as the read computes it)."""
    pk = int(url.rstrip("/").rsplit("/", 1)[1])
    etag = opened_version(Prescription(pk=pk))
    return api.post(f"{url}issue/", HTTP_IF_MATCH=etag, **extra)
