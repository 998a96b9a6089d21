"""The prescribing rules, in one place: bounds, published exercises, cautions, contraindications.

Items from a request (`item_drafts`) or from the database (`drafts_from_saved`) become
`ItemDraft`s; `check_items` returns the errors that block saving (keyed by field path, e.g.
"items.2.reps") and the warnings to show beside the prescription.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from exercises.dose import DOSE_FIELD_NAMES, DOSE_LABELS, Side
from exercises.models import Caution, Exercise, Severity
from exercises.selectors import cautions_by_exercise
from exercises.wording import caution_for_clinician
from prescriptions.dosing import dose_bound_errors, outside_advised_range, resolve_dose
from prescriptions.models import (
    CONTRAINDICATION_REASON_MAX_LENGTH,
    CONTRAINDICATION_REASON_MIN_LENGTH,
    Prescription,
    PrescriptionItem,
    TemplateItem,
)

MAX_ITEMS = 100
# Dates feed the handout's arithmetic (the exercise log's weeks): bounded so that no date makes
# it overflow, and so that a typo (20260 for 2026) is caught where it is typed.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
MAX_REVIEW_YEARS = 2


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_errors(
    start_date: datetime.date | None, review_date: datetime.date | None
) -> dict[str, ValidationError]:
    """The errors of a prescription's dates, by field: each within 1900-2100, the review on or
    after the start and at most two years after it. The API's services and the admin's form
    both ask this."""
    errors = {}
    for name, value in (("start_date", start_date), ("review_date", review_date)):
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            errors[name] = ValidationError(
                _("Give a date between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
                code="date_out_of_range",
            )
    if errors or not (start_date and review_date):
        return errors
    if review_date < start_date:
        errors["review_date"] = ValidationError(
            _("The review date is before the start date."), code="invalid"
        )
    elif review_date > _years_after(start_date, MAX_REVIEW_YEARS):
        errors["review_date"] = ValidationError(
            _("The review date is more than %(years)d years after the start date.")
            % {"years": MAX_REVIEW_YEARS},
            code="review_too_far",
        )
    return errors


def date_of_birth_error(date_of_birth: datetime.date | None) -> ValidationError | None:
    """A patient's date of birth is on or after 1900 and not in the future (a typo such as
    2062 for 1962 is caught where it is typed). "Today" is the UTC day plus one: somewhere on
    Earth (UTC+14) it is already tomorrow. The API's services and the admin's form both ask this."""
    latest = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=1)
    if date_of_birth is None or EARLIEST_DATE <= date_of_birth <= latest:
        return None
    if date_of_birth > latest:
        return ValidationError(
            _("The date of birth is in the future."), code="date_of_birth_in_future"
        )
    return ValidationError(
        _("Give a date of birth on or after %(earliest)s.")
        % {"earliest": EARLIEST_DATE.isoformat()},
        code="date_out_of_range",
    )


def check_dates(start_date: datetime.date | None, review_date: datetime.date | None) -> None:
    errors = date_errors(start_date, review_date)
    if errors:
        raise ValidationError(errors)


class WarningSeverity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    CONTRAINDICATION = "contraindication", _("Contraindication")


@dataclass
class ItemDraft:
    """One item as the rules see it: the exercise and its resolved dose."""

    exercise: Exercise
    dose: dict
    notes: str = ""
    acknowledge_contraindication: bool = False
    contraindication_reason: str = ""


class PrescriptionWarning(TypedDict):
    """One warning a prescription answers with (the API's WarningSerializer shows it)."""

    code: str
    severity: str
    item: int | None
    exercise: int | None
    condition: str | None
    message: str
    patient_text: str | None


def prescription_warning(
    code: str,
    severity: str,
    message: str,
    *,
    item: int | None = None,
    exercise: int | None = None,
    condition: str | None = None,
    patient_text: str | None = None,
) -> PrescriptionWarning:
    """`message` is written for the clinician; `patient_text` is what the handout prints."""
    return {
        "code": code,
        "severity": severity,
        "item": item,
        "exercise": exercise,
        "condition": condition,
        "message": message,
        "patient_text": patient_text,
    }


@dataclass
class RuleFindings:
    errors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    warnings: list[PrescriptionWarning] = field(default_factory=list)

    def error(self, path: str, message: str, code: str) -> None:
        self.errors.setdefault(path, []).append((message, code))

    def warn(self, code: str, severity: str, message: str, **where: Any) -> None:
        self.warnings.append(prescription_warning(code, severity, message, **where))


def _check_contraindication_reason(findings: RuleFindings, path: str, item: ItemDraft) -> None:
    """An acknowledged contraindication needs the clinician's reason, kept in the record."""
    length = len(item.contraindication_reason.strip())
    if CONTRAINDICATION_REASON_MIN_LENGTH <= length <= CONTRAINDICATION_REASON_MAX_LENGTH:
        return
    findings.error(
        f"{path}.contraindication_reason",
        _(
            "Give your reason for prescribing “%(name)s” despite the contraindication "
            "(%(minimum)d to %(maximum)d characters)."
        )
        % {
            "name": item.exercise.name,
            "minimum": CONTRAINDICATION_REASON_MIN_LENGTH,
            "maximum": CONTRAINDICATION_REASON_MAX_LENGTH,
        },
        "reason_required",
    )


def _check_acknowledgement_applies(
    findings: RuleFindings, path: str, item: ItemDraft, cautions
) -> None:
    """An acknowledgement belongs to the exercise it was given for: one left ticked on a row
    whose exercise was switched, or on an exercise nothing contraindicates for this patient,
    would put "prescribed despite the contraindication" on the record of the wrong exercise."""
    if not item.acknowledge_contraindication:
        return
    if any(caution.severity == Severity.CONTRAINDICATION for caution in cautions):
        return
    findings.error(
        f"{path}.acknowledge_contraindication",
        _(
            "Nothing to acknowledge: “%(name)s” is not contraindicated for this patient's "
            "conditions. Untick “Prescribe despite the contraindication”."
        )
        % {"name": item.exercise.name},
        "nothing_to_acknowledge",
    )


VOID_REASON_MIN_LENGTH = CONTRAINDICATION_REASON_MIN_LENGTH


def check_void_reason(reason: str) -> None:
    """A voided handout's reason stays on record: like an acknowledgement's, a sentence."""
    if len(reason.strip()) < VOID_REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why it is voided, in at least %(minimum)d characters.")
                    % {"minimum": VOID_REASON_MIN_LENGTH},
                    code="too_short",
                )
            }
        )


def _patient_text(caution: Caution, item: ItemDraft) -> str:
    """What the handout prints: the acknowledged wording once a clinician has acknowledged."""
    acknowledged = (
        caution.severity == Severity.CONTRAINDICATION and item.acknowledge_contraindication
    )
    return caution.acknowledged_text if acknowledged and caution.acknowledged_text else caution.text


# What each exercise takes: its declaration (Exercise.required_dose_fields, used_dose_fields
# and its side texts), read here for the API and the admin alike.


def unused_dose_fields(exercise: Exercise, dose: dict) -> list[tuple[str, str, object]]:
    """(field, label, value) for each field set in `dose` that the exercise does not use.
    Rest between sets is used whenever the dose has more than one set."""
    used = exercise.dose_fields_used()
    unused = []
    for name in DOSE_FIELD_NAMES:
        value = dose.get(name)
        if value is None or name in used:
            continue
        if name == "rest_seconds" and (dose.get("sets") or 0) > 1:
            continue
        unused.append((name, str(DOSE_LABELS[name]), value))
    return unused


def missing_dose_fields(exercise: Exercise, dose: dict) -> list[str]:
    """The fields the exercise needs that the dose leaves empty: a static stretch without its
    hold would print with no time to hold for."""
    return [name for name in exercise.required_dose_fields if dose.get(name) is None]


def side_without_wording(exercise: Exercise, dose: dict) -> bool:
    """A side the exercise has no step wording for (an exercise with side wording at all):
    its steps could not say which leg works, or how to change over."""
    allowed = exercise.sides_allowed()
    return bool(allowed) and dose.get("side") is not None and dose["side"] not in allowed


def _side_names(sides) -> str:
    return ", ".join(str(Side(side).label) for side in sides)


def _check_dose_declaration(
    findings: RuleFindings, index: int, item: ItemDraft, *, issuing: bool
) -> None:
    """A dose the exercise cannot print right: a draft saves with a warning, issuing refuses
    it on the field, so no handout prints a stretch without its hold or a leg it cannot name."""
    exercise, path = item.exercise, f"items.{index}"
    problems = [
        (
            name,
            "dose_field_required",
            _(
                "“%(name)s” needs %(field)s: the handout cannot print this exercise without "
                "it. Set it before issuing."
            )
            % {"name": exercise.name, "field": DOSE_LABELS[name]},
        )
        for name in missing_dose_fields(exercise, item.dose)
    ]
    if side_without_wording(exercise, item.dose):
        problems.append(
            (
                "side",
                "side_not_offered",
                _("“%(name)s” is not done “%(side)s”; choose one of: %(allowed)s.")
                % {
                    "name": exercise.name,
                    "side": Side(item.dose["side"]).label,
                    "allowed": _side_names(exercise.sides_allowed()),
                },
            )
        )
    for name, code, message in problems:
        if issuing:
            findings.error(f"{path}.{name}", message, code)
        else:
            findings.warn(
                code, WarningSeverity.WARNING.value, message, item=index, exercise=exercise.pk
            )


def _warn_unused_dose_fields(findings: RuleFindings, index: int, item: ItemDraft) -> None:
    for _field_name, label, value in unused_dose_fields(item.exercise, item.dose):
        findings.warn(
            "unused_dose_field",
            WarningSeverity.WARNING.value,
            _(
                "“%(name)s” does not use %(field)s, yet %(value)s is set and will print on "
                "the handout."
            )
            % {"name": item.exercise.name, "field": label, "value": value},
            item=index,
            exercise=item.exercise.pk,
        )


def check_items(
    items: list[ItemDraft],
    condition_ids: set[int],
    *,
    require_published: bool = True,
    issuing: bool = False,
) -> RuleFindings:
    """`issuing`: the dose declaration's problems are errors (a draft saves with warnings)."""
    findings = RuleFindings()
    cautions = cautions_by_exercise({item.exercise.pk for item in items}, condition_ids)
    for index, item in enumerate(items):
        exercise = item.exercise
        path = f"items.{index}"
        if require_published and not exercise.is_prescribable:
            findings.error(
                f"{path}.exercise",
                _("“%(name)s” is not published and cannot be prescribed.")
                % {"name": exercise.name},
                "not_published",
            )
        for name, message in dose_bound_errors(item.dose).items():
            findings.error(f"{path}.{name}", message, "out_of_bounds")
        for name, value, minimum, maximum in outside_advised_range(exercise, item.dose):
            findings.warn(
                "outside_advised_range",
                WarningSeverity.INFO.value,
                _(
                    "%(field)s %(value)d is outside the advised range %(minimum)s–%(maximum)s for “%(name)s”."
                )
                % {
                    "field": name.replace("_", " "),
                    "value": value,
                    "minimum": "" if minimum is None else minimum,
                    "maximum": "" if maximum is None else maximum,
                    "name": exercise.name,
                },
                item=index,
                exercise=exercise.pk,
            )
        _warn_unused_dose_fields(findings, index, item)
        _check_dose_declaration(findings, index, item, issuing=issuing)
        _check_acknowledgement_applies(findings, path, item, cautions.get(exercise.pk, ()))
        for caution in cautions.get(exercise.pk, ()):
            blocked = (
                caution.severity == Severity.CONTRAINDICATION
                and not item.acknowledge_contraindication
            )
            if blocked:
                findings.error(
                    f"{path}.exercise",
                    _(
                        "“%(name)s” is contraindicated for %(condition)s. Acknowledge the "
                        "contraindication and give your reason to prescribe it anyway."
                    )
                    % {"name": exercise.name, "condition": caution.condition.name},
                    "contraindicated",
                )
            elif caution.severity == Severity.CONTRAINDICATION:
                _check_contraindication_reason(findings, path, item)
            findings.warn(
                "contraindication" if caution.severity == Severity.CONTRAINDICATION else "caution",
                caution.severity,
                caution_for_clinician(caution, exercise),
                item=index,
                exercise=exercise.pk,
                condition=caution.condition.slug,
                patient_text=_patient_text(caution, item),
            )
    return findings


# Items as the rules see them ----------------------------------------------------------


def item_drafts(raw_items: list[dict]) -> list[ItemDraft]:
    """Raw items ({"exercise", dose fields given, "notes", ...}) with their doses resolved."""
    return [
        ItemDraft(
            exercise=raw["exercise"],
            dose=resolve_dose(raw["exercise"], {k: raw[k] for k in DOSE_FIELD_NAMES if k in raw}),
            notes=raw.get("notes", ""),
            acknowledge_contraindication=raw.get("acknowledge_contraindication", False),
            contraindication_reason=raw.get("contraindication_reason", ""),
        )
        for raw in raw_items
    ]


def check_item_count(items: list) -> None:
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            {
                "items": ValidationError(
                    _("At most %(count)d exercises per prescription.") % {"count": MAX_ITEMS},
                    code="max_length",
                )
            }
        )


def drafts_from_saved(items: Iterable[PrescriptionItem | TemplateItem]) -> list[ItemDraft]:
    return [
        ItemDraft(
            exercise=item.exercise,
            dose={name: getattr(item, name) for name in DOSE_FIELD_NAMES},
            notes=item.notes,
            acknowledge_contraindication=getattr(item, "acknowledge_contraindication", False),
            contraindication_reason=getattr(item, "contraindication_reason", ""),
        )
        for item in items
    ]


def prescription_findings(prescription: Prescription) -> RuleFindings:
    """The rules applied to a saved prescription (warnings for responses, errors at issue)."""
    condition_ids = {condition.pk for condition in prescription.patient.conditions.all()}
    return check_items(
        drafts_from_saved(prescription.items.all()),
        condition_ids,
        require_published=prescription.is_draft,
    )
