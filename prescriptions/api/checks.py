"""`POST /prescriptions/check/`: the answer creating a draft would give, without saving it.

A field error does not stop the check: the item or field that has one is set aside, its
errors kept, and the rules check the rest, so that a front end can show every row's errors
and warnings at once. What makes the body itself unusable (not an object, a patient that is
not the clinic's, items that are not a list or too many of them) answers the create's 400."""

from dataclasses import asdict, dataclass

from drf_standardized_errors.formatter import flatten_errors
from rest_framework import serializers
from rest_framework.settings import api_settings

from prescriptions import services
from prescriptions.api.serializers import DraftSerializer
from prescriptions.models import Patient

# Without these the draft cannot be read at all: their errors answer 400.
BODY_FIELDS = ("patient", api_settings.NON_FIELD_ERRORS_KEY)


@dataclass(frozen=True)
class DraftCheck:
    patient: Patient | None
    errors: list[dict]
    warnings: list[dict]


def _items_errors_by_index(errors) -> dict[int, dict] | None:
    """Each item's own errors by its index, or None when the errors are about the list.
    (DRF answers the items' errors as a dict by index, or as a list with an entry per item.)"""
    if errors is None:
        return {}
    if isinstance(errors, dict) and all(isinstance(index, int) for index in errors):
        return dict(errors)
    if isinstance(errors, list) and all(isinstance(error, dict) for error in errors):
        return {index: error for index, error in enumerate(errors) if error}
    return None


def _validated_body(data, context) -> tuple[dict, list[int], dict]:
    """The body as the create validates it, without the fields and items that have errors:
    (validated data, the original index of each kept item, those errors)."""
    body = DraftSerializer(data=data, context=context)
    if body.is_valid():
        return body.validated_data, list(range(len(body.validated_data.get("items", [])))), {}
    errors = dict(body.errors)
    item_errors = _items_errors_by_index(errors.get("items"))
    if item_errors is None or any(name in errors for name in BODY_FIELDS):
        raise serializers.ValidationError(errors)
    kept = [index for index in range(len(data.get("items", []))) if index not in item_errors]
    rest = {name: value for name, value in data.items() if name not in errors}
    if "items" in data:
        rest["items"] = [data["items"][index] for index in kept]
    body = DraftSerializer(data=rest, context=context)
    body.is_valid(raise_exception=True)
    return body.validated_data, kept, errors


def check_draft(data, *, context, issuing: bool) -> DraftCheck:
    validated, kept, field_errors = _validated_body(data, context)
    findings = services.draft_findings(
        patient=validated.get("patient"),
        items=validated.get("items", []),
        start_date=validated.get("start_date"),
        review_date=validated.get("review_date"),
        issuing=issuing,
    )
    errors = [asdict(error) for error in flatten_errors(field_errors)]
    for path, messages in findings.errors.items():
        # The rules number the items they saw; the client numbers the items it sent.
        parts = path.split(".")
        if parts[0] == "items" and len(parts) > 1:
            parts[1] = str(kept[int(parts[1])])
        errors.extend(
            {"code": code, "detail": message, "attr": ".".join(parts)} for message, code in messages
        )
    warnings = [
        {**warning, "item": None if warning["item"] is None else kept[warning["item"]]}
        for warning in findings.warnings
    ]
    return DraftCheck(patient=validated.get("patient"), errors=errors, warnings=warnings)
