"""`Idempotency-Key` on the API's creates: one decorator, for `create` and creating actions."""

import functools
import json

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from clinic.idempotency import (
    MAX_KEY_LENGTH,
    REPLAYED_HEADERS,
    Answer,
    claim_key,
    request_fingerprint,
    store_answer,
)

HEADER = "Idempotency-Key"
KEY_MESSAGE = _("An Idempotency-Key is 1 to %(max)d visible ASCII characters.")


def _valid_key(key: str) -> str:
    if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        raise ValidationError(
            {HEADER: [KEY_MESSAGE % {"max": MAX_KEY_LENGTH}]}, code="invalid_idempotency_key"
        )
    return key


def idempotent_create(handler):
    """A create sent with an `Idempotency-Key` runs once per user and key (for 24 hours): a
    retry with the same body answers the first answer again (status, body, Location, ETag),
    the same key with another body answers 409. Errors are not stored: they roll back with
    the create, so a corrected retry may use the same key.

    The stored answer is linked to the patient the created record shows (its
    `patient_shown_id`: a patient, a prescription's patient, a template's source patient), so
    export includes it and erasure masks it.
    """

    @functools.wraps(handler)
    def create(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        fingerprint = request_fingerprint(request.method, request.get_full_path(), request.data)
        with transaction.atomic():
            claim = claim_key(user=request.user, key=_valid_key(key), fingerprint=fingerprint)
            if isinstance(claim, Answer):
                return Response(
                    json.loads(claim.body), status=claim.status_code, headers=claim.headers
                )
            response = handler(view, request, *args, **kwargs)
            if not status.is_success(response.status_code):
                transaction.set_rollback(True)
                return response
            store_answer(
                claim,
                Answer(
                    status_code=response.status_code,
                    body=JSONRenderer().render(response.data).decode(),
                    headers={
                        name: response[name]
                        for name in REPLAYED_HEADERS
                        if response.has_header(name)
                    },
                ),
                patient_id=_patient_shown(view),
            )
            return response

    create.idempotent = True
    return create


def _patient_shown(view) -> int | None:
    return getattr(getattr(view, "created_record", None), "patient_shown_id", None)
