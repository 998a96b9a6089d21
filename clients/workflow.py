"""One therapist's workflow through the client openapi-python-client generated, unchanged.

Run by clients/run against a live server: API_URL, API_USERNAME, API_PASSWORD.
"""

import datetime
import os
import sys
import uuid

from clinic_api_client import AuthenticatedClient, Client
from clinic_api_client.api.auth import auth_token_create
from clinic_api_client.api.exercises import exercises_list
from clinic_api_client.api.patients import patients_create
from clinic_api_client.api.prescriptions import (
    prescriptions_create,
    prescriptions_handout,
    prescriptions_issue,
    prescriptions_revise,
)
from clinic_api_client.models import (
    ClientErrorResponse,
    CredentialsRequest,
    ExercisesListCategory,
    PatientRequest,
    Prescription,
    PrescriptionItemRequest,
    PrescriptionRequest,
)
from clinic_api_client.types import File


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"python workflow FAILED: {what}")
    print(f"  ok: {what}")


def main() -> None:
    base_url = os.environ["API_URL"]
    signed_in = auth_token_create.sync(
        client=Client(base_url=base_url),
        body=CredentialsRequest(
            username=os.environ["API_USERNAME"], password=os.environ["API_PASSWORD"]
        ),
    )
    check(signed_in is not None and bool(signed_in.token), "signed in for a token")
    api = AuthenticatedClient(base_url=base_url, token=signed_in.token)  # sends Bearer

    stretches = exercises_list.sync(
        client=api,
        category=ExercisesListCategory.STRETCH,
        search="hamstring",
        condition_safe="sciatica",
    )
    check(stretches is not None and len(stretches.results) >= 3, "found 3 hamstring stretches")
    check(all(e.category == "stretch" for e in stretches.results), "the filter held")

    # Read from the list: this client cannot parse an exercise's record yet (its picture
    # frames leave out optional keys the schema marks required in every response).
    spanish = exercises_list.sync_detailed(
        client=api,
        category=ExercisesListCategory.STRETCH,
        search="hamstring",
        condition_safe="sciatica",
        accept_language="es",
    )
    first, first_in_spanish = stretches.results[0], spanish.parsed.results[0]
    check(
        spanish.headers["Content-Language"] == "es"
        and first_in_spanish.id == first.id
        and first_in_spanish.name != first.name
        and first_in_spanish.untranslated_fields == [],
        f"read one exercise in Spanish: {first_in_spanish.name}",
    )

    patient_key = str(uuid.uuid4())
    patient_body = PatientRequest(
        given_name="Zoë",
        family_name="Python-Client",
        date_of_birth=datetime.date(1970, 3, 2),
        identifier=f"PY-{patient_key[:8]}",
        conditions=["sciatica"],
    )
    created = patients_create.sync_detailed(
        client=api, body=patient_body, idempotency_key=patient_key
    )
    check(created.status_code == 201, "created a patient with sciatica")
    patient = created.parsed
    check(list(patient.conditions) == ["sciatica"], "the patient has the condition")

    draft = prescriptions_create.sync_detailed(
        client=api,
        body=PrescriptionRequest(
            patient=patient.id,
            notes="Ease the pull at the back of your thighs.",
            items=[PrescriptionItemRequest(exercise=e.id) for e in stretches.results[:3]],
        ),
        idempotency_key=str(uuid.uuid4()),
    )
    check(draft.status_code == 201 and isinstance(draft.parsed, Prescription), "created a draft")
    prescription, etag = draft.parsed, draft.headers["ETag"]
    check(len(prescription.items) == 3, "the draft has 3 exercises")
    print(f"  warnings: {[w.code for w in prescription.warnings]}")

    # Issuing requires If-Match (the generated function makes it a required argument): one
    # that names no version answers 428, one that is stale 412 (the tag covers the warnings).
    unnamed = prescriptions_issue.sync_detailed(prescription.id, client=api, if_match="*")
    check(
        unnamed.status_code == 428
        and isinstance(unnamed.parsed, ClientErrorResponse)
        and unnamed.parsed.errors[0].code == "precondition_required",
        "issuing without naming the version read is refused (428)",
    )
    stale = prescriptions_issue.sync_detailed(prescription.id, client=api, if_match='"rx0-0"')
    check(
        stale.status_code == 412 and isinstance(stale.parsed, ClientErrorResponse),
        "a stale If-Match is refused",
    )
    issued = prescriptions_issue.sync_detailed(prescription.id, client=api, if_match=etag)
    check(issued.status_code == 200 and issued.parsed.status == "issued", "issued with If-Match")

    handout = prescriptions_handout.sync_detailed(prescription.id, client=api)
    check(
        handout.status_code == 200
        and isinstance(handout.parsed, File)
        and handout.parsed.payload.read(5) == b"%PDF-",
        "downloaded the handout PDF",
    )

    revision = prescriptions_revise.sync_detailed(
        prescription.id,
        client=api,
        if_match=issued.headers["ETag"],
        idempotency_key=str(uuid.uuid4()),
    )
    check(revision.status_code == 201 and revision.parsed.version == 2, "revised: version 2")

    retry = patients_create.sync_detailed(
        client=api, body=patient_body, idempotency_key=patient_key
    )
    check(
        retry.status_code == 201
        and retry.parsed.id == patient.id
        and retry.headers["Location"] == created.headers["Location"],
        "a retried create with the same Idempotency-Key answered the same patient",
    )
    print("python workflow passed")


if __name__ == "__main__":
    main()
