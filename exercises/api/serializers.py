from collections.abc import Mapping
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from clinic.api.fields import (
    LinesField,
    OptionalURLField,
    SlugKeyRelatedField,
    optional_choice_field,
)
from exercises.dose import (
    DAYS_PER_WEEK,
    DOSE_FIELD_NAMES,
    DURATION_SECONDS,
    HOLD_SECONDS,
    REPS,
    REST_SECONDS,
    SETS,
    TIMES_PER_DAY,
    DoseBound,
    Side,
)
from exercises.illustrations.frames import EXTRA_VIEWS, MAX_FRAMES, OPTIONS
from exercises.illustrations.svg import drawing_version
from exercises.models import (
    CAUTION_FIELDS,
    EXERCISE_DESCRIPTION_FIELDS,
    Assessment,
    BodyRegion,
    Category,
    Caution,
    Condition,
    Equipment,
    Exercise,
    SafetyNote,
    SafetyNoteVariant,
    Severity,
    Tag,
    alternative_kind_errors,
)
from exercises.selectors import cautions_by_exercise, cautions_for_exercise
from exercises.translations import (
    CATALOGUE_LANGUAGE,
    TRANSLATED_FIELDS,
    CatalogueTexts,
    Rendering,
)
from exercises.wording import caution_for_clinician, exercise_dose_sentence


def _dose_number(bound, source):
    return serializers.IntegerField(
        source=source,
        required=False,
        allow_null=True,
        min_value=bound.minimum,
        max_value=bound.maximum,
        help_text=str(bound.help_text),
    )


def _side(source):
    return serializers.ChoiceField(
        source=source, choices=Side.choices, required=False, allow_null=True
    )


class DefaultDoseSerializer(serializers.Serializer):
    hold_seconds = _dose_number(HOLD_SECONDS, "default_hold_seconds")
    reps = _dose_number(REPS, "default_reps")
    sets = _dose_number(SETS, "default_sets")
    rest_seconds = _dose_number(REST_SECONDS, "default_rest_seconds")
    times_per_day = _dose_number(TIMES_PER_DAY, "default_times_per_day")
    days_per_week = _dose_number(DAYS_PER_WEEK, "default_days_per_week")
    duration_seconds = _dose_number(DURATION_SECONDS, "default_duration_seconds")
    side = _side("default_side")


class DoseRangeSerializer(serializers.Serializer):
    """An advised range: a dose outside it warns, never blocks. Null: no limit at that end."""

    min = serializers.IntegerField(allow_null=True, required=False)
    max = serializers.IntegerField(allow_null=True, required=False)


@extend_schema_field(DoseRangeSerializer)
class DoseRangeField(serializers.Field):
    """One dose field's advised range, {"min", "max"}, stored as advised_min_/advised_max_."""

    def __init__(self, bound: DoseBound, **kwargs):
        self.bound = bound
        super().__init__(source="*", required=False, **kwargs)

    def _column(self, end: str) -> str:
        return f"advised_{end}_{self.bound.name}"

    def model_paths(self) -> list[tuple[str, str]]:
        """For api_field_paths: a model error on advised_max_reps names `...reps.max`."""
        return [(self._column(end), end) for end in ("min", "max")]

    def to_representation(self, exercise):
        return {end: getattr(exercise, self._column(end)) for end in ("min", "max")}

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                _("Expected an object with min and max."), code="invalid"
            )
        values, errors = {}, {}
        for end in ("min", "max"):
            if end not in data:
                continue
            try:
                values[self._column(end)] = _dose_number(self.bound, None).run_validation(data[end])
            except serializers.ValidationError as error:
                errors[end] = error.detail
        if errors:
            raise serializers.ValidationError(errors)
        return values


class AdvisedRangeSerializer(serializers.Serializer):
    hold_seconds = DoseRangeField(HOLD_SECONDS)
    reps = DoseRangeField(REPS)
    sets = DoseRangeField(SETS)
    rest_seconds = DoseRangeField(REST_SECONDS)
    times_per_day = DoseRangeField(TIMES_PER_DAY)
    days_per_week = DoseRangeField(DAYS_PER_WEEK)
    duration_seconds = DoseRangeField(DURATION_SECONDS)


class ReferenceSerializer(serializers.Serializer):
    """A reference with what its source states about itself; blank where it states nothing."""

    def get_fields(self):
        # `source` is declared here, not as a class attribute, which would hide Field.source.
        return {"source": serializers.CharField(source="source.key"), **super().get_fields()}

    title = serializers.CharField(source="source.title")
    author = serializers.CharField(source="source.author")
    publisher = serializers.CharField(source="source.publisher")
    published = serializers.CharField(
        source="source.published", help_text=_("The date as the source gives it.")
    )
    url = serializers.CharField(source="source.url")
    note = serializers.CharField()


def alternative_category_field():
    """The kind of exercise an alternative names, or empty when there is no alternative."""
    return optional_choice_field(
        Category.choices, help_text=_("The kind of exercise the advice above names.")
    )


class InReadersLanguageSerializer(serializers.Serializer):
    """A catalogue record in the answer's language (`Accept-Language` or `?lang=`): each of its
    `translated_fields` in the translation of its current text, as the handout prints it
    (`exercises.translations`), else in the catalogue's language, named in
    `untranslated_fields`.

    A write of the record's texts is taken in the catalogue's language only: a record read in
    Spanish and sent back would otherwise replace the English originals with their
    translations."""

    translated_fields: tuple[str, ...] = ()
    # What a write names that holds catalogue texts: the translated fields, and lists of them.
    written_texts: tuple[str, ...] = ()
    untranslated_fields = serializers.SerializerMethodField(
        help_text=_(
            "The patient texts of this record shown in the catalogue's language (English) "
            "because no translation of their current wording exists in the answer's language "
            "(`Content-Language`); a step by its place, e.g. `steps.2`. Texts for clinicians "
            "(summary, target muscles, clinician text, references) are always in English."
        )
    )

    def catalogue_texts(self) -> CatalogueTexts:
        """The answer's language's translations, read once per answer (the context is shared
        by every record of a list)."""
        if "catalogue_texts" not in self.context:
            self.context["catalogue_texts"] = CatalogueTexts.for_language(
                get_language() or CATALOGUE_LANGUAGE
            )
        return self.context["catalogue_texts"]

    def renderings(self, record) -> dict[str, Rendering]:
        """Each translated text of `record` in the answer's language, by its field's path."""
        texts = self.catalogue_texts()
        return {name: texts.render(getattr(record, name)) for name in self.translated_fields}

    def get_untranslated_fields(self, record) -> list[str]:
        return [path for path, shown in self.renderings(record).items() if not shown.translated]

    def to_internal_value(self, data):
        language = get_language() or CATALOGUE_LANGUAGE
        texts = (*self.translated_fields, *self.written_texts)
        written = [name for name in texts if isinstance(data, Mapping) and name in data]
        if written and language != CATALOGUE_LANGUAGE:
            message = _(
                "Catalogue texts are written in English, the catalogue's language: send this "
                "change with ?lang=en. Their translations are edited in the admin."
            )
            raise serializers.ValidationError(
                {name: [message] for name in written}, code="catalogue_language"
            )
        return super().to_internal_value(data)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in self.translated_fields:
            shown = self.catalogue_texts().render(getattr(instance, name))
            data[name] = self.fields[name].to_representation(shown.text)
        return data


class AppliedCautionSerializer(InReadersLanguageSerializer, serializers.ModelSerializer):
    condition: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    tag: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    alternative_category = alternative_category_field()
    translated_fields = TRANSLATED_FIELDS[Caution]

    class Meta:
        model = Caution
        fields = ["id", "condition", *CAUTION_FIELDS, "untranslated_fields"]


class ExerciseCautionInputSerializer(serializers.Serializer):
    condition = serializers.SlugRelatedField(slug_field="slug", queryset=Condition.objects.all())
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.WARNING)
    text = serializers.CharField(max_length=1000)
    acknowledged_text = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    clinician_text = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    alternative_text = serializers.CharField(max_length=300, required=False, allow_blank=True)
    alternative_category = alternative_category_field()

    def validate(self, attrs):
        return _with_alternative_kind(attrs)


def _with_alternative_kind(attrs: dict) -> dict:
    """The model's rule for a caution's alternative, checked here: cautions are saved in bulk."""
    errors = alternative_kind_errors(
        attrs.get("alternative_text", ""), attrs.get("alternative_category", "")
    )
    if errors:
        raise serializers.ValidationError(
            {
                name: [ErrorDetail(message, code=error.code) for message in error.messages]
                for name, error in errors.items()
            }
        )
    return attrs


def illustration_url(owner, frame_name: str, request=None, view: str = "side") -> str:
    """Where the picture of one frame of an exercise or self-test is served as SVG: the URL
    carries a hash of what it is drawn from, so an edited pose gets a new URL. `view`: one of
    the frame's other views (`?view=above`) instead of the side view."""
    kind = "exercise" if isinstance(owner, Exercise) else "assessment"
    path = reverse(
        f"{kind}-illustration-version",
        kwargs={
            "pk": owner.pk,
            "frame": frame_name,
            "version": drawing_version(_frames_of(owner), frame_name),
        },
    )
    if view != "side":
        path += "?" + urlencode({"view": view})
    return request.build_absolute_uri(path) if request else path


def _frames_of(owner) -> list[dict]:
    illustration = getattr(owner, "illustration", None)
    return illustration.frames if illustration else []


class IllustrationFrameSerializer(serializers.Serializer):
    """One picture: its pose data, and the URL of the drawing (schema only; data is JSON)."""

    name = serializers.CharField(help_text=_("`start`, `end`, or `hold` for a hold-only exercise."))
    alt_text = serializers.CharField(help_text=_("One plain sentence for screen readers."))
    url = serializers.URLField(read_only=True, help_text=_("The picture as SVG."))
    orientation = serializers.FloatField(
        help_text=_("The trunk's angle from upright: 0 standing or sitting, 90 lying face up.")
    )
    pose = serializers.DictField(
        child=serializers.FloatField(),
        help_text=_("Joint angles in degrees, flexion positive, e.g. near_knee; omitted are 0."),
    )
    props = serializers.ListField(child=serializers.JSONField())
    contacts = serializers.ListField(
        child=serializers.JSONField(),
        help_text=_(
            "`{part, surface, where}`: a part on the floor, a prop, a strap or another body "
            "part (`where`: front or back of it), e.g. near_hand on near_thigh, back."
        ),
    )
    limits = serializers.DictField(
        required=False,
        help_text=_(
            "What the words allow: `max_lean` (degrees the chest leans forward) and "
            "`hands_short_of` (a part the fingertips stay 5 cm from, e.g. near_foot) and "
            "`straight_knee` (`near`, `far` or `both`: bent at most 5 degrees)."
        ),
    )
    views = serializers.ListField(
        child=serializers.ChoiceField(choices=EXTRA_VIEWS),
        required=False,
        help_text=_(
            "Other views this frame is also drawn from, where the side view hides what "
            "matters: `above`, `front`."
        ),
    )
    option = serializers.ChoiceField(
        choices=OPTIONS,
        required=False,
        allow_null=True,
        help_text=_(
            "Not a step of the movement but a way the words offer: `easier` (the kneeling "
            "plank) or `other` (a ball instead of a roller); drawn after the others."
        ),
    )
    view_urls = serializers.DictField(
        child=serializers.URLField(),
        read_only=True,
        help_text=_("Each of `views` as SVG, by view (only when `views` is set)."),
    )


@extend_schema_field(IllustrationFrameSerializer(many=True))
class IllustrationsField(serializers.Field):
    """Reads the frames with their picture URLs; writes the frames' data, which the service
    validates (a bad pose answers 400 naming the field, e.g. `illustrations.1.pose.near_knee`)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, owner):
        request = self.context.get("request")
        # Every field in every frame (the schema's rule for answers): a frame's unset limits,
        # views and option read as empty or null, never missing.
        return [
            {
                "limits": {},
                "views": [],
                "option": None,
                **frame,
                "url": illustration_url(owner, frame["name"], request),
                "view_urls": {
                    view: illustration_url(owner, frame["name"], request, view)
                    for view in frame.get("views", [])
                },
            }
            for frame in _frames_of(owner)
        ]

    def to_internal_value(self, data):
        if not isinstance(data, list) or len(data) > MAX_FRAMES:
            raise serializers.ValidationError(
                _("A list of at most %(count)d frames.") % {"count": MAX_FRAMES}
            )
        return {"illustrations": data}


def _dose_field_list(help_text):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=DOSE_FIELD_NAMES),
        required=False,
        max_length=len(DOSE_FIELD_NAMES),
        help_text=help_text,
    )


class ExerciseListQuerySerializer(serializers.Serializer):
    cautions_for_conditions = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Condition slugs, comma-separated (a patient's conditions, e.g. "
            "`sciatica,disc-injury`): each exercise's `patient_cautions` lists its cautions for "
            "them; empty: none. An unknown slug: 400 naming this parameter."
        ),
    )

    def validate_cautions_for_conditions(self, value: str) -> list[Condition]:
        slugs = {slug.strip() for slug in value.split(",") if slug.strip()}
        conditions = list(Condition.objects.filter(slug__in=slugs))
        if unknown := sorted(slugs - {condition.slug for condition in conditions}):
            raise serializers.ValidationError(
                _("Unknown: %(slugs)s.") % {"slugs": ", ".join(unknown)}, code="invalid_choice"
            )
        return conditions


class PatientCautionSerializer(serializers.Serializer):
    condition = serializers.CharField(help_text=_("The condition's slug."))
    severity = serializers.ChoiceField(choices=Severity.choices)
    text = serializers.CharField(help_text=_("In clinician words, naming the exercise."))


class ExerciseListSerializer(serializers.ListSerializer):
    """Reads the cautions for the patient's conditions (`?cautions_for_conditions=`) of a whole
    page in one query, before its exercises are written out."""

    def to_representation(self, data):
        exercises = list(data.all() if hasattr(data, "all") else data)
        condition_ids = self.context.get("caution_condition_ids")
        if condition_ids is not None:
            self.context["cautions_of"] = cautions_by_exercise(
                [exercise.pk for exercise in exercises], condition_ids
            )
        return super().to_representation(exercises)


class ExerciseSummarySerializer(InReadersLanguageSerializer, serializers.ModelSerializer):
    equipment = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Equipment.objects.all(), required=False
    )
    body_region = serializers.SlugRelatedField(slug_field="slug", queryset=BodyRegion.objects.all())
    tags = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Tag.objects.all(), required=False
    )
    default_dose = DefaultDoseSerializer(source="*", required=False)
    required_dose_fields = _dose_field_list(
        _("Dose fields an item needs before it can be issued (400 on `items.N.<field>`).")
    )
    used_dose_fields = _dose_field_list(
        _(
            "Dose fields the exercise uses as declared; times_per_day and days_per_week are "
            "always used, rest_seconds whenever sets are. Empty: not declared."
        )
    )
    dose_fields_in_use = serializers.SerializerMethodField(
        help_text=_(
            "Every dose field the exercise uses, as a form shows them: its declaration (or, "
            "undeclared, the fields it has a default or advised range for) with "
            "times_per_day and days_per_week."
        )
    )
    sides = serializers.ListField(
        source="sides_allowed",
        child=serializers.ChoiceField(choices=Side.choices),
        read_only=True,
        help_text=_("The sides it can be prescribed with: those it has step wording for."),
    )
    default_dose_text = serializers.SerializerMethodField(
        help_text=_("The default dose in the plain words the handout prints.")
    )
    image = serializers.ImageField(read_only=True, allow_null=True)
    thumbnail_url = serializers.SerializerMethodField(
        help_text=_("The start picture as SVG, or null when the exercise has no pictures.")
    )
    patient_cautions = serializers.SerializerMethodField(
        help_text=_(
            "With `?cautions_for_conditions=` on the list: the exercise's cautions for those "
            "conditions, contraindications included; null otherwise."
        )
    )

    class Meta:
        model = Exercise
        list_serializer_class = ExerciseListSerializer
        fields = [
            "id",
            "name",
            "slug",
            "summary",
            *EXERCISE_DESCRIPTION_FIELDS,
            "status",
            "default_dose",
            "default_dose_text",
            "required_dose_fields",
            "used_dose_fields",
            "dose_fields_in_use",
            "sides",
            "image",
            "image_alt_text",
            "thumbnail_url",
            "patient_cautions",
            "untranslated_fields",
        ]
        read_only_fields = ["status", "image"]

    translated_fields: tuple[str, ...] = ("name",)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(DOSE_FIELD_NAMES)))
    def get_dose_fields_in_use(self, exercise):
        return sorted(exercise.dose_fields_used())

    def get_default_dose_text(self, exercise) -> str:
        return exercise_dose_sentence(exercise, exercise.default_dose())

    @extend_schema_field(PatientCautionSerializer(many=True, allow_null=True))
    def get_patient_cautions(self, exercise):
        cautions_of = self.context.get("cautions_of")
        if cautions_of is None:
            return None
        return [
            {
                "condition": caution.condition.slug,
                "severity": caution.severity,
                "text": caution_for_clinician(caution, exercise),
            }
            for caution in cautions_of.get(exercise.pk, [])
        ]

    def get_thumbnail_url(self, exercise) -> str | None:
        frames = _frames_of(exercise)
        if not frames:
            return None
        return illustration_url(exercise, frames[0]["name"], self.context.get("request"))


class ExerciseDetailSerializer(ExerciseSummarySerializer):
    # The write serializer takes the steps and cautions as lists.
    steps: serializers.Field = serializers.SerializerMethodField()
    feel = LinesField(required=False, help_text=_('Sensations only: "You should feel".'))
    cues = LinesField(required=False, help_text=_('Technique: printed under "Tips".'))
    common_mistakes = LinesField(required=False)
    safety_notes = LinesField(required=False)
    advised_range = AdvisedRangeSerializer(source="*", required=False)
    video_url = OptionalURLField(max_length=200)
    references = ReferenceSerializer(many=True, read_only=True)
    cautions: serializers.Field = serializers.SerializerMethodField()
    clinical_review = serializers.CharField(
        read_only=True,
        help_text=_('"not yet clinically reviewed" until a person has reviewed the exercise.'),
    )
    illustrations = IllustrationsField(read_only=True)
    alternative_category = alternative_category_field()
    translated_fields = TRANSLATED_FIELDS[Exercise]

    class Meta(ExerciseSummarySerializer.Meta):
        # `patient_cautions` is the list's: a record shows every caution (`cautions`).
        fields = [
            *(name for name in ExerciseSummarySerializer.Meta.fields if name != "patient_cautions"),
            "steps",
            "both_sides_text",
            "alternate_sides_text",
            "alternate_count_in_all",
            "left_side_text",
            "right_side_text",
            "illustrations",
            "feel",
            "cues",
            "common_mistakes",
            "safety_notes",
            "alternative_text",
            "alternative_category",
            "advised_range",
            "cautions",
            "video_url",
            "references",
            "reviewed_by",
            "reviewed_on",
            "clinical_review",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "image", "created_at", "updated_at"]

    def renderings(self, record) -> dict[str, Rendering]:
        texts = self.catalogue_texts()
        return {
            **super().renderings(record),
            **{
                f"steps.{index}": texts.render(step.text)
                for index, step in enumerate(record.steps.all())
            },
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, exercise) -> list[str]:
        texts = self.catalogue_texts()
        return [texts.render(step.text).text for step in exercise.steps.all()]

    @extend_schema_field(AppliedCautionSerializer(many=True))
    def get_cautions(self, exercise):
        return AppliedCautionSerializer(
            cautions_for_exercise(exercise), many=True, context=self.context
        ).data


class ExerciseWriteSerializer(ExerciseDetailSerializer):
    """Editors write steps and the exercise's own cautions nested in the body."""

    steps = serializers.ListField(
        child=serializers.CharField(max_length=500), max_length=30, required=False
    )
    cautions = serializers.ListSerializer(
        child=ExerciseCautionInputSerializer(), required=False, max_length=50
    )
    illustrations = IllustrationsField()
    written_texts = ("steps", "cautions")

    def to_representation(self, instance):
        return ExerciseDetailSerializer(instance, context=self.context).data


class ExerciseImageSerializer(serializers.Serializer):
    image = serializers.ImageField(
        help_text=_("PNG, JPEG or WebP, at most 5 MB and 25 megapixels.")
    )
    image_alt_text = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CautionSerializer(InReadersLanguageSerializer, serializers.ModelSerializer):
    exercise = SlugKeyRelatedField(
        slug_field="slug", queryset=Exercise.objects.all(), allow_null=True, required=False
    )
    tag = SlugKeyRelatedField(
        slug_field="slug", queryset=Tag.objects.all(), allow_null=True, required=False
    )
    alternative_category = alternative_category_field()
    translated_fields = TRANSLATED_FIELDS[Caution]

    class Meta:
        model = Caution
        fields = ["id", "exercise", *CAUTION_FIELDS, "untranslated_fields"]
        read_only_fields = ["id"]

    def validate(self, attrs):
        if bool(attrs.get("exercise")) == bool(attrs.get("tag")):
            raise serializers.ValidationError(
                {"exercise": _("A caution targets exactly one exercise or one tag.")},
                code="invalid_target",
            )
        return _with_alternative_kind(attrs)


class ConditionSerializer(InReadersLanguageSerializer, serializers.ModelSerializer):
    cautions: serializers.ListSerializer = serializers.ListSerializer(
        child=CautionSerializer(), required=False, max_length=100
    )
    translated_fields = TRANSLATED_FIELDS[Condition]
    written_texts = ("cautions",)

    class Meta:
        model = Condition
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "pain_label",
            "second_pain_label",
            "pain_scored_next_morning",
            "description",
            "cautions",
            "untranslated_fields",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    procedure = LinesField()
    references = LinesField(required=False)
    illustrations = IllustrationsField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "slug",
            "name",
            "performed_by",
            "procedure",
            "measure",
            "interpretation",
            "caution",
            "references",
            "illustrations",
        ]


class SafetyNoteVariantSerializer(InReadersLanguageSerializer, serializers.ModelSerializer):
    condition = serializers.SlugRelatedField(slug_field="slug", queryset=Condition.objects.all())
    translated_fields = TRANSLATED_FIELDS[SafetyNoteVariant]
    combined_with = SlugKeyRelatedField(
        slug_field="slug",
        queryset=Condition.objects.all(),
        allow_null=True,
        required=False,
        help_text=SafetyNoteVariant._meta.get_field("combined_with").help_text,
    )

    class Meta:
        model = SafetyNoteVariant
        fields = ["condition", "combined_with", "text", "untranslated_fields"]


class SafetyNoteSerializer(InReadersLanguageSerializer, serializers.ModelSerializer):
    variants: serializers.ListSerializer = serializers.ListSerializer(
        child=SafetyNoteVariantSerializer(), required=False, max_length=50
    )
    references = LinesField(required=False)
    translated_fields = TRANSLATED_FIELDS[SafetyNote]
    written_texts = ("variants",)

    class Meta:
        model = SafetyNote
        fields = [
            "id",
            "slug",
            "tier",
            "order",
            "text",
            "applies_to",
            "variants",
            "references",
            "is_active",
            "untranslated_fields",
        ]
