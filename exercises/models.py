import re

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinic.languages import language_choices
from clinics.images import SanitizedImageField
from exercises.dose import (
    DOSE_BOUNDS,
    DOSE_FIELD_NAMES,
    FREQUENCY_FIELD_NAMES,
    AdvisedRange,
    DefaultDose,
    Side,
)
from exercises.illustrations.frames import Frame, FrameError, parse_stored_frame
from exercises.illustrations.scene import drawable_frames

LINES_HELP = _("One per line.")


class CatalogueRecord(models.Model):
    """A record the default catalogue can load; the hashes tell loaded text from an editor's."""

    catalogue_source_hash = models.CharField(max_length=64, blank=True, editable=False)
    catalogue_content_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class Translatable(models.Model):
    """A record with patient-facing texts translated as data (exercises/translations.py):
    deleting it deletes its translations."""

    translations = GenericRelation("CatalogueTranslation")

    class Meta:
        abstract = True


class Limb(models.TextChoices):
    LEG = "leg", _("leg")
    ARM = "arm", _("arm")
    SIDE = "side", _("side")


class Source(models.Model):
    """What a reference cites, described only by what the source itself states."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    author = models.CharField(
        max_length=200, blank=True, help_text=_("As the source names them; blank when it does not.")
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text=_("As the source names it; blank when it does not.")
    )
    published = models.CharField(
        max_length=60,
        blank=True,
        help_text=_(
            "The date as the source gives it (it may lack the year); blank when it has none."
        ),
    )
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.title


class Equipment(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("equipment")

    def __str__(self):
        return self.name


class BodyRegion(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    limb = models.CharField(
        max_length=10,
        choices=Limb.choices,
        default=Limb.SIDE,
        help_text=_(
            'What a handout calls one side of this region: "on each leg", "left arm only".'
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.slug


class Category(models.TextChoices):
    STRETCH = "stretch", _("Stretch")
    STRENGTHENING = "strengthening", _("Strengthening")
    MOBILITY = "mobility", _("Mobility")
    SOFT_TISSUE = "soft-tissue", _("Soft tissue")


class Position(models.TextChoices):
    LYING_ON_BACK = "lying-on-back", _("Lying on your back")
    LYING_ON_FRONT = "lying-on-front", _("Lying on your front")
    SIDE_LYING = "side-lying", _("Lying on your side")
    SEATED = "seated", _("Seated")
    STANDING = "standing", _("Standing")
    HANDS_AND_KNEES = "hands-and-knees", _("On hands and knees")
    KNEELING = "kneeling", _("Kneeling")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# The handout finishes the sentence, so it never names an exercise nobody prescribed.
ALTERNATIVE_HELP = _(
    'When to do another exercise instead, as the start of a sentence ("If sitting hurts your '
    'back"). The handout ends it with "do exercise N instead", naming an exercise of the kind '
    'chosen below from the same programme, or with "stop this one and tell us" when there is '
    "none. Printed only on an exercise of that kind, and never once a contraindication is "
    "acknowledged."
)


def alternative_kind_errors(text: str, category: str) -> dict:
    """Advice naming another exercise must say its kind: the handout prints it only beside an
    exercise of that kind (a stretch suggested for a stretch, never for a strengthening one).
    It says only when, as an opening clause: a whole sentence ("use a lying stretch instead.")
    would name an exercise the programme may not hold, and the handout ends it."""
    errors = {}
    if text.rstrip().endswith((".", "!", "?")):
        errors["alternative_text"] = ValidationError(
            _(
                'Write only when, as the start of a sentence ("If sitting hurts your back"). '
                'The handout ends it with "do exercise N instead" or "stop this one and tell us".'
            ),
            code="not_a_clause",
        )
    if text and not category:
        errors["alternative_category"] = ValidationError(
            _("Say what kind of exercise the advice names."), code="required"
        )
    return errors


# What describes an exercise, as its admin page groups it and its API shows it.
EXERCISE_DESCRIPTION_FIELDS = [
    "category",
    "position",
    "equipment",
    "body_region",
    "target_muscles",
    "difficulty",
    "tags",
]


class Exercise(CatalogueRecord, DefaultDose, AdvisedRange, Translatable):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One line."))
    category = models.CharField(max_length=20, choices=Category.choices)
    position = models.CharField(max_length=20, choices=Position.choices)
    equipment = models.ManyToManyField(Equipment, blank=True, related_name="exercises")
    body_region = models.ForeignKey(BodyRegion, on_delete=models.PROTECT, related_name="exercises")
    target_muscles = models.CharField(max_length=300, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 easy, 2 moderate, 3 hard."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="exercises")
    feel = models.TextField(
        blank=True,
        max_length=2000,
        help_text=_(
            'What the patient should feel, sensations only ("a mild stretch mid-thigh"); '
            'printed under "You should feel". One per line.'
        ),
    )
    cues = models.TextField(
        blank=True,
        max_length=4000,
        help_text=_('Technique tips; printed under "Tips". One per line.'),
    )
    common_mistakes = models.TextField(blank=True, max_length=4000, help_text=LINES_HELP)
    safety_notes = models.TextField(blank=True, max_length=4000, help_text=LINES_HELP)
    alternative_text = models.CharField(
        blank=True,
        max_length=300,
        help_text=ALTERNATIVE_HELP,
    )
    alternative_category = models.CharField(
        max_length=20,
        choices=Category.choices,
        blank=True,
        help_text=_("The kind of exercise the advice above names."),
    )
    # The dose this exercise takes: the rules, the API and the workspace read it from here.
    required_dose_fields = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "Dose fields an item must have before it is issued, e.g. "
            '["hold_seconds", "side"] for a static stretch of one leg at a time.'
        ),
    )
    used_dose_fields = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "Dose fields this exercise uses; any other set on an item warns. Times a day and "
            "days a week are always used, rest whenever sets are. Empty: the fields with a "
            "default or an advised range."
        ),
    )
    # What the steps say about sides, one whole sentence per case (translated whole). A blank
    # text means the exercise cannot be done that way; the dose chooses among them.
    both_sides_text = models.CharField(
        blank=True,
        max_length=300,
        help_text=_('Last step when the dose is "each side", e.g. "Then change sides."'),
    )
    alternate_sides_text = models.CharField(
        blank=True,
        max_length=300,
        help_text=_('Last step when the dose is "alternating", e.g. "Keep taking turns."'),
    )
    alternate_count_in_all = models.BooleanField(
        default=False,
        help_text=_(
            'Alternating dose: the repetitions count both sides together ("8 times in all"). '
            'Unticked, the count is per side ("8 times with each side, taking turns").'
        ),
    )
    left_side_text = models.CharField(
        blank=True,
        max_length=300,
        help_text=_(
            'First step when the dose is "left only": which leg works and, standing, which '
            'leg you stand on, e.g. "Stand on your left leg."'
        ),
    )
    right_side_text = models.CharField(
        blank=True,
        max_length=300,
        help_text=_('First step when the dose is "right only", e.g. "Work your right leg."'),
    )
    image = SanitizedImageField(upload_to="exercises/", blank=True)
    image_alt_text = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(blank=True)
    reviewed_by = models.CharField(max_length=150, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=3), name="exercise_difficulty_1_to_3"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def clinical_review(self) -> str:
        """What editors see about the exercise's review: nobody is named until a person reviews."""
        if not self.reviewed_by:
            return str(_("not yet clinically reviewed"))
        if self.reviewed_on:
            return _("reviewed by %(name)s on %(date)s") % {
                "name": self.reviewed_by,
                "date": self.reviewed_on.isoformat(),
            }
        return _("reviewed by %(name)s") % {"name": self.reviewed_by}

    @property
    def is_prescribable(self) -> bool:
        return self.status == Status.PUBLISHED

    def default_dose(self) -> dict:
        return {name: getattr(self, f"default_{name}") for name in DOSE_FIELD_NAMES}

    def advised_range(self) -> dict[str, tuple[int | None, int | None]]:
        return {
            bound.name: (
                getattr(self, f"advised_min_{bound.name}"),
                getattr(self, f"advised_max_{bound.name}"),
            )
            for bound in DOSE_BOUNDS
        }

    def dose_fields_used(self) -> set[str]:
        """The dose fields this exercise uses: its declaration, or for an exercise without
        one, the fields it has a default or an advised bound for. Frequency always counts."""
        declared = set(self.used_dose_fields) | set(self.required_dose_fields)
        if not declared:
            default, advised = self.default_dose(), self.advised_range()
            declared = {
                name
                for name in DOSE_FIELD_NAMES
                if default[name] is not None or advised.get(name, (None, None)) != (None, None)
            }
        return declared | set(FREQUENCY_FIELD_NAMES)

    def side_text(self, side: str | None) -> str:
        """The exercise's own sentence for this side of the dose; blank when it has none."""
        texts: dict[str, str] = {
            Side.BOTH: self.both_sides_text,
            Side.ALTERNATE: self.alternate_sides_text,
            Side.LEFT: self.left_side_text,
            Side.RIGHT: self.right_side_text,
        }
        return texts.get(side or "", "")

    def sides_allowed(self) -> list[str]:
        """The sides this exercise can be prescribed with: those it has wording for."""
        return [side for side in Side.values if self.side_text(side)]

    def clean(self):
        errors = {}
        for name in ("required_dose_fields", "used_dose_fields"):
            value = getattr(self, name)
            if not isinstance(value, list) or not set(value) <= set(DOSE_FIELD_NAMES):
                errors[name] = ValidationError(
                    _("A list of dose fields from: %(names)s.")
                    % {"names": ", ".join(DOSE_FIELD_NAMES)},
                    code="invalid_choice",
                )
        errors.update(alternative_kind_errors(self.alternative_text, self.alternative_category))
        for name, (minimum, maximum) in self.advised_range().items():
            if minimum is not None and maximum is not None and minimum > maximum:
                errors[f"advised_max_{name}"] = ValidationError(
                    _("The advised maximum is below the advised minimum."), code="invalid_range"
                )
        if errors:
            raise ValidationError(errors)


class ExerciseStep(Translatable):
    """One action of the exercise; start position first, then the movement, then the feel."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["exercise", "order", "id"]

    def __str__(self):
        return self.text


class ExerciseReference(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="references")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["exercise", "id"]

    def __str__(self):
        return f"{self.source.key}: {self.note}"


class Condition(CatalogueRecord, Translatable):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=60,
        blank=True,
        help_text=_('What a patient calls it, in "Because of your …": e.g. "sciatica".'),
    )
    pain_label = models.CharField(
        max_length=60,
        blank=True,
        help_text=_('The pain row of the handout\'s log, e.g. "Leg pain" (scored 0–10).'),
    )
    second_pain_label = models.CharField(
        max_length=60,
        blank=True,
        help_text=_(
            "A second pain row, when the handout's rules for this condition speak of another "
            'pain too, e.g. "Leg pain" for a disc injury.'
        ),
    )
    pain_scored_next_morning = models.BooleanField(
        default=False,
        help_text=_(
            "The log scores this condition's pain the morning after the exercises, when its "
            "rule reads the pain then (tendinopathy: it should settle by the next morning); "
            "otherwise each evening."
        ),
    )
    description = models.TextField(
        blank=True, max_length=2000, help_text=_("For clinicians; cite sources by title.")
    )
    priority = models.PositiveSmallIntegerField(
        default=100,
        help_text=_(
            "Lower comes first. When a patient has several conditions with their own wording "
            "of one safety note, the first condition's wording prints (e.g. sciatica before "
            "disc injury: its nerve rule); the log's pain rows follow the same order."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Severity(models.TextChoices):
    WARNING = "warning", _("Warning: printed beside the exercise")
    CONTRAINDICATION = (
        "contraindication",
        _("Contraindication: blocks prescribing unless acknowledged"),
    )


# A caution's wording, and with it what it applies to, as the admin's inlines and the API edit them.
CAUTION_WORDING_FIELDS = [
    "severity",
    "text",
    "acknowledged_text",
    "clinician_text",
    "alternative_text",
    "alternative_category",
]
CAUTION_FIELDS = ["tag", *CAUTION_WORDING_FIELDS]


class Caution(Translatable):
    """A condition's caution for one exercise, or for every exercise with a tag."""

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="cautions")
    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, null=True, blank=True, related_name="cautions"
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="cautions"
    )
    severity = models.CharField(max_length=20, choices=Severity.choices, default=Severity.WARNING)
    text = models.TextField(max_length=1000, help_text=_("Patient-facing; printed on the handout."))
    acknowledged_text = models.TextField(
        blank=True,
        max_length=1000,
        help_text=_(
            "Patient-facing, for a contraindication a clinician has acknowledged: printed "
            "instead of the text above (which says not to do the exercise)."
        ),
    )
    clinician_text = models.TextField(
        blank=True,
        max_length=1000,
        help_text=_("For the clinician: shown while prescribing, never printed."),
    )
    alternative_text = models.CharField(
        blank=True,
        max_length=300,
        help_text=ALTERNATIVE_HELP,
    )
    alternative_category = models.CharField(
        max_length=20,
        choices=Category.choices,
        blank=True,
        help_text=_("The kind of exercise the advice above names."),
    )

    class Meta:
        ordering = ["condition", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(exercise__isnull=False, tag__isnull=True)
                    | Q(exercise__isnull=True, tag__isnull=False)
                ),
                name="caution_targets_exercise_or_tag",
            )
        ]

    def __str__(self):
        target = self.exercise or f"#{self.tag}"
        return f"{self.condition} → {target}"

    def clean(self):
        if errors := alternative_kind_errors(self.alternative_text, self.alternative_category):
            raise ValidationError(errors)


class PerformedBy(models.TextChoices):
    SELF = "self", _("The patient")
    CLINICIAN = "clinician", _("A clinician")


class Measure(models.TextChoices):
    DEGREES = "degrees", _("Degrees")
    CM = "cm", _("Centimetres")
    YES_NO = "yes-no", _("Yes or no")


class Assessment(CatalogueRecord):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    performed_by = models.CharField(max_length=10, choices=PerformedBy.choices)
    procedure = models.TextField(max_length=4000, help_text=LINES_HELP)
    measure = models.CharField(max_length=10, choices=Measure.choices)
    interpretation = models.TextField(max_length=2000)
    caution = models.TextField(blank=True, max_length=2000)
    references = models.TextField(blank=True, max_length=2000, help_text=LINES_HELP)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tier(models.TextChoices):
    PRECAUTION = "precaution", _("Precaution: how it should feel, when to stop")
    CONTACT_CLINIC = "contact-clinic", _("Contact the clinic")
    URGENT = "urgent", _("Urgent: same day")
    EMERGENCY = "emergency", _("Emergency")


class AppliesTo(models.TextChoices):
    """Which programmes print a general safety note: all, or those with a given category."""

    ALL = "all", _("Every programme")
    STRETCH = Category.STRETCH.value, _("Programmes with a stretch")
    STRENGTHENING = Category.STRENGTHENING.value, _("Programmes with a strengthening exercise")
    MOBILITY = Category.MOBILITY.value, _("Programmes with a mobility exercise")
    SOFT_TISSUE = Category.SOFT_TISSUE.value, _("Programmes with a soft-tissue exercise")


# Where a note states the patient's agreed pain score (tendinopathy): the handout puts the
# prescription's score there, as a whole sentence (prescriptions.handouts.content).
AGREED_SCORE_PLACEHOLDER = "{agreed score}"
_BRACED = re.compile(r"\{[^{}]*\}|[{}]")


def braced_markers(text: str) -> list[str]:
    """The braced markers in a text ("{agreed score}") and any stray brace, sorted."""
    return sorted(_BRACED.findall(text))


def validate_note_markers(text: str) -> None:
    """A note holds the agreed-score marker at most once and exactly as written: anything
    else in braces ("{agreed scor}") would print raw on a patient's sheet, without the score."""
    markers = braced_markers(text)
    if len(markers) > 1 or any(marker != AGREED_SCORE_PLACEHOLDER for marker in markers):
        raise ValidationError(
            _("Write the marker exactly as %(marker)s, at most once, and no other braces.")
            % {"marker": AGREED_SCORE_PLACEHOLDER},
            code="marker",
        )


class SafetyNote(CatalogueRecord, Translatable):
    slug = models.SlugField(max_length=60, unique=True)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(
        max_length=1000,
        validators=[validate_note_markers],
        help_text=_(
            "Patient-facing; printed on every handout it applies to. {agreed score} prints the "
            'prescription\'s agreed pain score as a sentence ("Your agreed score: 3 out of 10.").'
        ),
    )
    applies_to = models.CharField(
        max_length=20,
        choices=AppliesTo.choices,
        default=AppliesTo.ALL,
        help_text=_("Print on every handout, or only where the programme has this kind."),
    )
    only_for_conditions = models.ManyToManyField(
        Condition,
        blank=True,
        related_name="+",
        help_text=_(
            "Print only for a patient with one of these conditions (e.g. keep active: back "
            "pain and sciatica). None: every patient."
        ),
    )
    excluded_conditions = models.ManyToManyField(
        Condition,
        blank=True,
        related_name="+",
        help_text=_(
            "Never print for a patient with one of these conditions, whose own rule would "
            "contradict it (e.g. the muscle-ache score beside a tendon's agreed score)."
        ),
    )
    references = models.TextField(blank=True, max_length=2000, help_text=LINES_HELP)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["tier", "order", "id"]

    def __str__(self):
        return f"{self.get_tier_display()}: {self.text[:60]}"


class GlossaryTerm(CatalogueRecord, Translatable):
    """A word a patient may not know ("hamstring", "sciatic nerve"): the handout explains it
    in plain words where it first appears. Its term and explanation are translated like the
    other catalogue texts; a translated term may list, one a line, each form the sheet prints
    (an Arabic singular and plural)."""

    slug = models.SlugField(max_length=60, unique=True)
    term = models.CharField(
        _("term"),
        max_length=60,
        unique=True,
        help_text=_(
            "As printed, e.g. 'sciatic nerve'; found as a whole word in any case, plural too."
        ),
    )
    explanation = models.CharField(
        _("explanation"),
        max_length=300,
        help_text=_(
            "One whole sentence in plain words, printed after the first text that uses the term."
        ),
    )
    references = models.TextField(blank=True, max_length=2000, help_text=LINES_HELP)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term


class SafetyNoteVariant(Translatable):
    """Other wording of a safety note for a patient with a given condition, or with two
    conditions together (`combined_with`): a patient with both reads the combined wording,
    which keeps what each condition's own wording says (third review, R1: sciatica's stop rule
    won over the disc's and dropped its back pain)."""

    note = models.ForeignKey(SafetyNote, on_delete=models.CASCADE, related_name="variants")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="+")
    combined_with = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "Only for a patient who has this condition too. This wording then prints instead of "
            "either condition's own: say everything both of them say."
        ),
    )
    text = models.TextField(max_length=1000, validators=[validate_note_markers])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["note", "condition"],
                condition=models.Q(combined_with__isnull=True),
                name="one_variant_per_condition",
            ),
            models.UniqueConstraint(
                fields=["note", "condition", "combined_with"],
                condition=models.Q(combined_with__isnull=False),
                name="one_variant_per_pair_of_conditions",
            ),
            models.CheckConstraint(
                condition=~models.Q(combined_with=models.F("condition")),
                name="variant_combines_two_conditions",
            ),
        ]

    def __str__(self):
        combined = f" + {self.combined_with.slug}" if self.combined_with else ""
        return f"{self.note.slug} / {self.condition.slug}{combined}"


class DeletedCatalogueRecord(models.Model):
    """A default-catalogue record an editor deleted: the loader must not bring it back."""

    model = models.CharField(max_length=50)
    slug = models.SlugField(max_length=200)
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "slug"], name="one_tombstone_per_record")
        ]

    def __str__(self):
        return f"{self.model} {self.slug}"


class Illustration(CatalogueRecord):
    """The pictures of one exercise or self-test: frames of pose data (exercises/illustrations/).

    Kept apart from the exercise so the default catalogue's pictures load, and an editor's
    change to them is recognised, independently of the exercise's text.
    """

    exercise = models.OneToOneField(
        Exercise, on_delete=models.CASCADE, null=True, blank=True, related_name="illustration"
    )
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="illustration"
    )
    frames = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Each frame: a pose, the props, the contact points and the alt text."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(exercise__isnull=False, assessment__isnull=True)
                    | Q(exercise__isnull=True, assessment__isnull=False)
                ),
                name="illustration_of_exercise_or_assessment",
            )
        ]

    def __str__(self):
        return str(self.exercise or self.assessment)

    def clean(self):
        try:
            frames = drawable_frames(self.frames)
        except FrameError as error:
            raise ValidationError(
                {"frames": ValidationError(error.for_people(self.frames), code="invalid_pose")}
            ) from None
        self.frames = [frame.to_dict() for frame in frames]

    def first_frame(self) -> Frame | None:
        """The start picture: what a list or a picker shows of the exercise."""
        return self.frame_named(self.frames[0]["name"]) if self.frames else None

    def drawable_frames(self) -> tuple[Frame, ...]:
        """Every frame that can still be read, in order (for the movement they show)."""
        frames = (self.frame_named(frame.get("name")) for frame in self.frames)
        return tuple(frame for frame in frames if frame is not None)

    def frame_named(self, name: str) -> Frame | None:
        """The frame called `name`, if it exists and can still be read (frames were checked
        when saved; a later, stricter body model must not turn a picture into an error)."""
        data = next((frame for frame in self.frames if frame.get("name") == name), None)
        try:
            return parse_stored_frame(data) if data else None
        except FrameError:
            return None


class ReviewStatus(models.TextChoices):
    MACHINE_ASSISTED = "machine-assisted", _("machine-assisted, not reviewed")
    REVIEWED = "reviewed", _("reviewed")


class CatalogueTranslation(models.Model):
    """One catalogue text in one language, with its review: a row per text (not per record),
    so each text carries the checksum of the original it translates, and editing one sentence
    of an exercise outdates only that sentence's translations (exercises/translations.py)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    original = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=40)
    language = models.CharField(max_length=10, choices=language_choices)
    text = models.TextField(max_length=4000)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.MACHINE_ASSISTED
    )
    reviewer = models.CharField(max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    source_checksum = models.CharField(max_length=64, editable=False)
    # The checksum of the text as a PO import (a shipped file, a translator's) last wrote it;
    # empty for a row an editor wrote. A row whose text still matches it, and is not reviewed,
    # is still the file's: a newer file may replace it (exercises.translations.is_file_wording).
    imported_checksum = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["content_type", "object_id", "field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_translation_per_text_and_language",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.language}: {self.text[:60]}"
