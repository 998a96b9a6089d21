"""Idempotent creates: a retry with the same `Idempotency-Key` gets the first answer again.

The key is stored in the same transaction as the record it creates. A concurrent duplicate's
insert of the same key waits on the unique index until the first request commits, then finds
its stored answer: parallel retries create one record.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import StateConflict
from clinic.models import StoredAnswer

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("Location", "ETag")


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    body: str
    headers: dict


def request_fingerprint(method: str, path: str, data) -> str:
    text = json.dumps([method, path, data], sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def claim_key(*, user, key: str, fingerprint: str) -> StoredAnswer | Answer:
    """Inside the create's transaction: a new claim on the key, or the answer stored for it.

    Raises StateConflict when the key was used for a different request.
    """
    now = timezone.now()
    StoredAnswer.objects.filter(user=user, key=key, expires_at__lte=now).delete()
    try:
        with transaction.atomic():
            return StoredAnswer.objects.create(
                user=user, key=key, request_fingerprint=fingerprint, expires_at=now + KEY_LIFETIME
            )
    except IntegrityError:
        stored = StoredAnswer.objects.get(user=user, key=key)
    if stored.request_fingerprint != fingerprint:
        raise StateConflict(
            _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new request."
            ),
            code="idempotency_key_reused",
        )
    return Answer(stored.status_code, stored.body, stored.headers)


def store_answer(claim: StoredAnswer, answer: Answer, *, patient_id: int | None) -> None:
    claim.status_code = answer.status_code
    claim.body = answer.body
    claim.headers = answer.headers
    claim.patient_id = patient_id
    claim.save(update_fields=["status_code", "body", "headers", "patient_id"])


def remove_expired() -> int:
    deleted, _ = StoredAnswer.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


# Data protection: a stored answer can show a patient (their name, their prescription).


def stored_answers_for_patient(patient_id: int) -> list[dict]:
    return [
        {
            "created_at": stored.created_at,
            "expires_at": stored.expires_at,
            "status_code": stored.status_code,
            "body": json.loads(stored.body) if stored.body else None,
            "headers": stored.headers,
        }
        for stored in StoredAnswer.objects.filter(patient_id=patient_id).order_by("created_at")
    ]


def forget_stored_answers_of_user(user_id: int) -> int:
    """A user moved to another clinic: what they created at the old one is not replayed."""
    deleted, _ = StoredAnswer.objects.filter(user_id=user_id).delete()
    return deleted
