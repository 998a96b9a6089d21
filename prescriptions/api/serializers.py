from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from clinic.api.fields import IntegerKeyRelatedField, OptionalEmailField, primary_key_of
from clinics.models import PaperSize
from exercises.dose import (
    DAYS_PER_WEEK,
    DOSE_FIELD_MEANING,
    DURATION_SECONDS,
    HOLD_SECONDS,
    REPS,
    REST_SECONDS,
    SETS,
    TIMES_PER_DAY,
    DoseBound,
    Side,
)
from exercises.models import Condition, Exercise
from exercises.selectors import prescribable_exercises
from prescriptions.dosing import dose_entry_error, parse_dose_entry
from prescriptions.models import (
    CONTRAINDICATION_REASON_MAX_LENGTH,
    CONTRAINDICATION_REASON_MIN_LENGTH,
    Patient,
    Prescription,
    ProgrammeTemplate,
)
from prescriptions.rules import MAX_ITEMS, WarningSeverity
from prescriptions.selectors import patients_for
from prescriptions.warnings import prescription_warnings


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=WarningSeverity.choices)
    item = serializers.IntegerField(allow_null=True)
    exercise = serializers.IntegerField(allow_null=True)
    condition = serializers.CharField(allow_null=True)
    message = serializers.CharField(help_text=_("For the clinician: names the exercise."))
    patient_text = serializers.CharField(
        allow_null=True,
        help_text=_("What the handout prints for the patient (cautions only), else null."),
    )


class PatientSerializer(serializers.ModelSerializer):
    conditions = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        queryset=Condition.objects.all(),
        required=False,
        help_text=_("Condition slugs from the catalogue, e.g. sciatica."),
    )
    archived = serializers.BooleanField(source="is_archived", read_only=True)
    email = OptionalEmailField(max_length=254)

    class Meta:
        model = Patient
        fields = [
            "id",
            "given_name",
            "family_name",
            "date_of_birth",
            "identifier",
            "conditions",
            "preferred_language",
            "email",
            "phone",
            "address",
            "notes",
            "archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["archived_at", "created_at", "updated_at"]
        # Uniqueness within the clinic is checked by the service, under the database constraint.
        validators: list = []


class DoseNumberField(serializers.IntegerField):
    """A dose number: a whole number, or the text typed in a dose box, read by the admin's
    rule (`parse_dose_entry`): "" is not used (null), "5e", "8-12", "1,5" are errors. Every
    refusal names the field in the clinician's words."""

    def __init__(self, bound: DoseBound):
        self.dose_field = bound.name
        message = dose_entry_error(bound.name)
        super().__init__(
            required=False,
            allow_null=True,
            min_value=bound.minimum,
            max_value=bound.maximum,
            help_text=f"{bound.help_text} {DOSE_FIELD_MEANING}",
            error_messages={
                code: message for code in ("invalid", "min_value", "max_value", "max_string_length")
            },
        )

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                return parse_dose_entry(self.dose_field, data)
            except DjangoValidationError:
                self.fail("invalid")
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")  # 2.5 is not rounded to 2
        return super().to_internal_value(data)

    def run_validators(self, value):
        if value is not None:  # an emptied box: not used
            super().run_validators(value)


def _exercises_named_by(data) -> dict:
    """The exercises the items name, loaded in one query for the whole list."""
    pks = set()
    for raw in data if isinstance(data, list) else []:
        try:
            pks.add(primary_key_of(Exercise, raw.get("exercise")))
        except (AttributeError, TypeError, ValueError):
            continue  # not an item or not a key: the item's own validation answers
    # A key past the column's range names no exercise (as `get` answers), and the database
    # would refuse it inside IN (...).
    low, high = connection.ops.integer_field_range(Exercise._meta.pk.get_internal_type())
    storable = [pk for pk in pks if pk is not None and low <= pk <= high]
    return prescribable_exercises().in_bulk(storable)


class ItemExerciseField(IntegerKeyRelatedField):
    """An item's exercise, taken from those its list loaded at once (`ItemListSerializer`),
    with PrimaryKeyRelatedField's errors."""

    def to_internal_value(self, data):
        try:
            pk = primary_key_of(Exercise, data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        exercise = self.parent.parent.exercises_by_pk.get(pk)
        if exercise is None:
            self.fail("does_not_exist", pk_value=data)
        return exercise


class ItemListSerializer(serializers.ListSerializer):
    """Errors about the list itself (not a list, too many items) answer on `items`, not on
    `items.non_field_errors`; an item's own errors keep their `items.N.field` path. The items'
    exercises are loaded in one query, so a write costs the same for 3 items as for 30."""

    def to_internal_value(self, data):
        self.exercises_by_pk = _exercises_named_by(data)
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            key = api_settings.NON_FIELD_ERRORS_KEY
            if isinstance(error.detail, dict) and set(error.detail) == {key}:
                raise serializers.ValidationError(error.detail[key]) from None
            raise


class _ItemBase(serializers.Serializer):
    class Meta:
        list_serializer_class = ItemListSerializer

    exercise = ItemExerciseField(queryset=prescribable_exercises())
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class TemplateItemSerializer(_ItemBase):
    hold_seconds = DoseNumberField(HOLD_SECONDS)
    reps = DoseNumberField(REPS)
    sets = DoseNumberField(SETS)
    rest_seconds = DoseNumberField(REST_SECONDS)
    times_per_day = DoseNumberField(TIMES_PER_DAY)
    days_per_week = DoseNumberField(DAYS_PER_WEEK)
    duration_seconds = DoseNumberField(DURATION_SECONDS)
    side = serializers.ChoiceField(
        choices=Side.choices,
        required=False,
        allow_null=True,
        help_text=_("left, right, both or alternate; null when it does not apply."),
    )


class PrescriptionItemSerializer(TemplateItemSerializer):
    acknowledge_contraindication = serializers.BooleanField(
        required=False,
        help_text=_(
            "True to prescribe despite a contraindication of this item's exercise for the "
            "patient's conditions. Only for such an item: true on an exercise nothing "
            "contraindicates for this patient answers 400 on "
            "items.N.acknowledge_contraindication (code nothing_to_acknowledge)."
        ),
    )
    contraindication_reason = serializers.CharField(
        max_length=CONTRAINDICATION_REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=format_lazy(
            _(
                "Required ({minimum} to {maximum} characters) when acknowledge_contraindication "
                "is true and a contraindication applies to this item for this patient. Never "
                "printed."
            ),
            minimum=CONTRAINDICATION_REASON_MIN_LENGTH,
            maximum=CONTRAINDICATION_REASON_MAX_LENGTH,
        ),
    )


class ClinicianSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        profile = getattr(user, "clinician", None)
        return profile.name if profile else user.get_username()


@extend_schema_field(OpenApiTypes.INT)
class ScopedPatientField(IntegerKeyRelatedField):
    """Only the signed-in user's clinic's patients can be chosen."""

    def get_queryset(self):
        return patients_for(self.context["request"].user)


class PrescriptionSerializer(serializers.ModelSerializer):
    patient = ScopedPatientField()
    clinician = ClinicianSummarySerializer(read_only=True)
    items = ItemListSerializer(
        child=PrescriptionItemSerializer(), max_length=MAX_ITEMS, required=False
    )
    warnings = serializers.SerializerMethodField()
    fingerprint = serializers.CharField(read_only=True)
    superseded_by = serializers.IntegerField(
        source="superseded_by_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Prescription
        fields = [
            "id",
            "patient",
            "clinician",
            "notes",
            "start_date",
            "review_date",
            "agreed_pain_score",
            "status",
            "version",
            "supersedes",
            "superseded_by",
            "items",
            "warnings",
            "issued_at",
            "voided_at",
            "void_reason",
            "fingerprint",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "version",
            "supersedes",
            "issued_at",
            "voided_at",
            "void_reason",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, prescription):
        return prescription_warnings(prescription)


class PrescriptionSummarySerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    clinician = ClinicianSummarySerializer(read_only=True)
    item_count = serializers.SerializerMethodField()

    class Meta:
        model = Prescription
        fields = [
            "id",
            "patient",
            "patient_name",
            "clinician",
            "status",
            "version",
            "start_date",
            "review_date",
            "issued_at",
            "item_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_item_count(self, prescription) -> int:
        return len(prescription.items.all())


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000,
        help_text=_(
            "Why the prescription is voided: at least 10 characters (400 too_short), kept on "
            "record."
        ),
    )


class TemplateNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class PrescribeTemplateSerializer(serializers.Serializer):
    patient = ScopedPatientField()


class HandoutQuerySerializer(serializers.Serializer):
    paper = serializers.ChoiceField(choices=PaperSize.choices, required=False)
    large_print = serializers.BooleanField(required=False, default=False)
    lang = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=(
            "The handout's language: a draft's defaults to the patient's preferred language; "
            "an issued one prints only in the language it was issued in (else 400)."
        ),
    )
    also = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=(
            "A second language: each card's texts and the first page's help panel print in "
            "both, one under the other. An issued handout prints only the second language it "
            "was issued with (else 400)."
        ),
    )


class TemplateSerializer(serializers.ModelSerializer):
    items = ItemListSerializer(child=TemplateItemSerializer(), max_length=MAX_ITEMS, required=False)
    created_by = ClinicianSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = ProgrammeTemplate
        fields = ["id", "name", "notes", "items", "created_by", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []


class DraftSerializer(PrescriptionSerializer):
    """A draft to check: the create's body, the patient optional (a template's programme is
    checked against no conditions)."""

    patient = ScopedPatientField(
        required=False,
        allow_null=True,
        help_text=_("Left out or null: checked as a template is, against no conditions."),
    )


class DraftCheckQuerySerializer(serializers.Serializer):
    for_issue = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "True: check as issuing would, adding its rules (every dose field an exercise "
            "needs must be given) as errors."
        ),
    )


class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField(help_text=_("For the clinician: names the field."))
    attr = serializers.CharField(
        help_text=_("The field, as the create's 400 names it, e.g. items.2.reps.")
    )


class DraftCheckSerializer(serializers.Serializer):
    warnings = WarningSerializer(many=True)

    def get_fields(self):
        # `errors` is a Serializer attribute: declared here, the field does not hide it.
        return {
            "errors": FieldErrorSerializer(
                many=True,
                help_text=_(
                    "What creating the draft would refuse, by field; empty: it would save."
                ),
            ),
            **super().get_fields(),
        }
