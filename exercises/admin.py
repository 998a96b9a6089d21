import json

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clinic.admin_versions import OpenedVersionAdminMixin
from exercises import services
from exercises.forms import ExerciseForm, IllustrationForm
from exercises.illustrations.frames import EXTRA_VIEWS, FrameError
from exercises.illustrations.scene import drawable_frame
from exercises.illustrations.svg import SVG_CONTENT_SECURITY_POLICY, svg_data_uri, svg_for_frame
from exercises.models import (
    CAUTION_FIELDS,
    CAUTION_WORDING_FIELDS,
    EXERCISE_DESCRIPTION_FIELDS,
    Assessment,
    BodyRegion,
    CatalogueTranslation,
    Caution,
    Condition,
    DeletedCatalogueRecord,
    Equipment,
    Exercise,
    ExerciseReference,
    ExerciseStep,
    GlossaryTerm,
    Illustration,
    SafetyNote,
    SafetyNoteVariant,
    Source,
    Status,
    Tag,
)
from exercises.selectors import visible_exercises
from exercises.translations import (
    TRANSLATED_FIELDS,
    check_markers,
    check_original,
    original_text,
    review_label,
    save_translation,
)

# A frame is a few hundred characters; a preview request far beyond that is refused unread.
MAX_PREVIEW_CHARACTERS = 20_000


def refuse_lost_markers(form: forms.ModelForm, original: str) -> None:
    """The translation form's error at its text when it loses or adds a marker."""
    try:
        check_markers(original, form.cleaned_data.get("text", ""))
    except ValidationError as error:
        form.add_error(None, error)


class TranslationFormSet(BaseGenericInlineFormSet):
    """Checks each translation against its original as this save leaves it: the record's own
    form may change the original in the same save."""

    def clean(self):
        super().clean()
        for form in self.forms:
            field = getattr(form, "cleaned_data", {}).get("field")
            if field and not self._should_delete_form(form):
                refuse_lost_markers(form, getattr(self.instance, field))


class TranslationInline(GenericTabularInline):
    """The record's texts in other languages, beside the original, with their review state."""

    model = CatalogueTranslation
    # django-stubs types every inline formset as BaseInlineFormSet, generic ones too.
    formset = TranslationFormSet  # type: ignore[assignment]
    fields = ["field", "language", "text", "status", "review", "reviewer", "reviewed_at"]
    readonly_fields = ["review", "reviewer", "reviewed_at"]
    extra = 0
    verbose_name = _("translation")
    verbose_name_plural = _(
        "Translations (marking one reviewed records you as its reviewer; editing the "
        "original outdates its translations until they are reviewed again)"
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field":
            return forms.ChoiceField(
                label=_("text"),
                choices=[
                    (name, self.parent_model._meta.get_field(name).verbose_name)
                    for name in TRANSLATED_FIELDS[self.parent_model]
                ],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("review"))
    def review(self, translation):
        return review_label(translation) if translation.pk else "—"


class TranslationsSavedAsReviewedMixin:
    """Saves the translation inline through `save_translation`, so a row marked reviewed
    names the editor who marked it and the original it was checked against."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not CatalogueTranslation:
            return super().save_formset(request, form, formset, change)
        for translation in formset.save(commit=False):
            save_translation(translation, reviewer=request.user.get_username())
        for deleted in formset.deleted_objects:
            deleted.delete()


class ExerciseStepInline(admin.TabularInline):
    model = ExerciseStep
    fields = ["order", "text"]
    extra = 1
    verbose_name = _("step")
    verbose_name_plural = _(
        "Steps (start position first, then the movement; no times, counts or sides: "
        "the dose and the side texts say those)"
    )


class ExerciseReferenceInline(admin.TabularInline):
    model = ExerciseReference
    fields = ["source", "note"]
    extra = 0


class ExerciseCautionInline(admin.TabularInline):
    model = Caution
    fk_name = "exercise"
    fields = ["condition", *CAUTION_WORDING_FIELDS]
    extra = 0
    verbose_name_plural = _("Cautions for this exercise (tag cautions are edited on the condition)")


class IllustrationInline(admin.StackedInline):
    """The pictures: each frame's angles, props, contacts and alt text, with a live preview."""

    model = Illustration
    form = IllustrationForm
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("Illustration")
    verbose_name_plural = _("Illustration")


class ExerciseIllustrationInline(IllustrationInline):
    fk_name = "exercise"


class AssessmentIllustrationInline(IllustrationInline):
    fk_name = "assessment"


def _thumbnail(owner):
    """The start picture, inline: a list of twenty exercises costs no twenty image requests."""
    illustration = getattr(owner, "illustration", None)
    start = illustration.first_frame() if illustration else None
    if start is None:
        return "—"
    try:
        source = svg_data_uri(start)
    except FrameError:
        return "—"
    return format_html(
        '<img class="illustration-thumbnail" src="{}" alt="{}">', source, start.alt_text
    )


class ConditionFilter(admin.SimpleListFilter):
    title = _("has a caution for condition")
    parameter_name = "condition"

    def lookups(self, request, model_admin):
        return [(c.slug, c.name) for c in Condition.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        cautions = Caution.objects.filter(condition__slug=self.value())
        return queryset.filter(
            Q(pk__in=cautions.values("exercise")) | Q(tags__in=cautions.values("tag"))
        ).distinct()


@admin.register(Exercise)
class ExerciseAdmin(TranslationsSavedAsReviewedMixin, OpenedVersionAdminMixin, admin.ModelAdmin):
    form = ExerciseForm
    list_display = [
        "thumbnail",
        "name",
        "category",
        "position",
        "body_region",
        "difficulty",
        "status",
        "clinical_review",
        "updated_at",
    ]
    list_filter = [
        "status",
        "category",
        "position",
        "equipment",
        "tags",
        "body_region",
        ConditionFilter,
    ]
    search_fields = ["name", "summary", "target_muscles"]

    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["equipment", "tags"]
    readonly_fields = ["image_preview", "clinical_review", "created_at", "updated_at"]
    list_display_links = ["name"]
    list_select_related = ["body_region", "illustration"]
    inlines = [
        ExerciseStepInline,
        ExerciseCautionInline,
        ExerciseReferenceInline,
        ExerciseIllustrationInline,
        TranslationInline,
    ]
    actions = ["publish", "archive"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "status"]}),
        (
            _("Description"),
            {
                "fields": [
                    *EXERCISE_DESCRIPTION_FIELDS,
                    "feel",
                    "cues",
                    "common_mistakes",
                    "safety_notes",
                    "alternative_text",
                    "alternative_category",
                ]
            },
        ),
        (
            _("The dose it takes, and what its steps say about sides"),
            {
                "fields": [
                    "required_dose_fields",
                    "used_dose_fields",
                    "both_sides_text",
                    "alternate_sides_text",
                    "alternate_count_in_all",
                    "left_side_text",
                    "right_side_text",
                ]
            },
        ),
        (
            _("Default dose"),
            {
                "fields": [
                    "default_hold_seconds",
                    "default_reps",
                    "default_sets",
                    "default_rest_seconds",
                    "default_times_per_day",
                    "default_days_per_week",
                    "default_side",
                    "default_duration_seconds",
                ]
            },
        ),
        (
            _("Advised range (a dose outside it shows a warning)"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("advised_min_hold_seconds", "advised_max_hold_seconds"),
                    ("advised_min_reps", "advised_max_reps"),
                    ("advised_min_sets", "advised_max_sets"),
                    ("advised_min_rest_seconds", "advised_max_rest_seconds"),
                    ("advised_min_times_per_day", "advised_max_times_per_day"),
                    ("advised_min_days_per_week", "advised_max_days_per_week"),
                    ("advised_min_duration_seconds", "advised_max_duration_seconds"),
                ],
            },
        ),
        (_("Media"), {"fields": ["image", "image_preview", "image_alt_text", "video_url"]}),
        (
            _("Review"),
            {
                "fields": [
                    "clinical_review",
                    "reviewed_by",
                    "reviewed_on",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # The list, the change page and every autocomplete onto exercises ask this: a
        # clinician sees what can be prescribed, never a draft (catalogue work in progress).
        return visible_exercises(request.user, super().get_queryset(request), listing=True)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The prescribing autocomplete offers only what can be prescribed.
        if (
            request.GET.get("field_name") == "exercise"
            and request.GET.get("app_label") == "prescriptions"
        ):
            queryset = queryset.filter(status=Status.PUBLISHED)
        return queryset, may_have_duplicates

    class Media:
        css = {"all": ["exercises/illustration_admin.css"]}

    @admin.display(description=_("picture"))
    def thumbnail(self, exercise):
        return _thumbnail(exercise)

    def get_urls(self):
        preview = path(
            "illustration-preview.svg",
            self.admin_site.admin_view(self.illustration_preview),
            name="exercises_illustration_preview",
        )
        return [preview, *super().get_urls()]

    def illustration_preview(self, request):
        """One frame drawn from the admin form's current values, or what is wrong with it."""
        if not (
            request.user.has_perm("exercises.change_exercise")
            or request.user.has_perm("exercises.change_assessment")
        ):
            raise PermissionDenied
        text = request.GET.get("frame", "{}")
        if len(text) > MAX_PREVIEW_CHARACTERS:
            return JsonResponse(
                {"attr": "frame", "detail": _("Too long for one frame.")}, status=400
            )
        view = request.GET.get("view", "side")
        if view not in ("side", *EXTRA_VIEWS):
            return JsonResponse(
                {"attr": "view", "detail": _("Not a view: side, %s.") % ", ".join(EXTRA_VIEWS)},
                status=400,
            )
        try:
            frame = drawable_frame(json.loads(text))
        except (json.JSONDecodeError, RecursionError):
            return JsonResponse({"attr": "frame", "detail": _("Not valid JSON.")}, status=400)
        except FrameError as error:
            return JsonResponse({"attr": error.path, "detail": error.message}, status=400)
        response = HttpResponse(svg_for_frame(frame, (), view), content_type="image/svg+xml")
        response["Content-Security-Policy"] = SVG_CONTENT_SECURITY_POLICY
        return response

    @admin.display(description=_("preview"))
    def image_preview(self, exercise):
        if not exercise.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-height: 160px; max-width: 240px">',
            exercise.image.url,
            exercise.image_alt_text,
        )

    def _apply(self, request, queryset, service, done_message):
        for exercise in queryset:
            try:
                service(exercise=exercise)
            except ValidationError as error:
                self.message_user(
                    request, f"{exercise}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, done_message % {"name": exercise.name}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected exercises"), permissions=["change"])
    def publish(self, request, queryset):
        self._apply(request, queryset, services.publish_exercise, _("Published “%(name)s”."))

    @admin.action(description=_("Archive the selected exercises"), permissions=["change"])
    def archive(self, request, queryset):
        self._apply(request, queryset, services.archive_exercise, _("Archived “%(name)s”."))


class ConditionCautionInline(admin.TabularInline):
    model = Caution
    fk_name = "condition"
    fields = ["exercise", *CAUTION_FIELDS]
    autocomplete_fields = ["exercise"]
    extra = 0

    def get_queryset(self, request):
        # A condition's cautions name exercises: a clinician sees those that are published.
        published = visible_exercises(request.user, Exercise.objects.all(), listing=True)
        return super().get_queryset(request).filter(Q(exercise=None) | Q(exercise__in=published))


@admin.register(Condition)
class ConditionAdmin(TranslationsSavedAsReviewedMixin, OpenedVersionAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "priority"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConditionCautionInline, TranslationInline]


@admin.register(Assessment)
class AssessmentAdmin(OpenedVersionAdminMixin, admin.ModelAdmin):
    list_display = ["thumbnail", "name", "performed_by", "measure"]
    list_display_links = ["name"]
    list_select_related = ["illustration"]
    inlines = [AssessmentIllustrationInline]

    class Media:
        css = {"all": ["exercises/illustration_admin.css"]}

    @admin.display(description=_("picture"))
    def thumbnail(self, assessment):
        return _thumbnail(assessment)

    list_filter = ["performed_by", "measure"]
    search_fields = ["name", "procedure", "interpretation"]
    prepopulated_fields = {"slug": ["name"]}


class SafetyNoteVariantInline(admin.TabularInline):
    model = SafetyNoteVariant
    extra = 0
    verbose_name_plural = _("Wording for a patient with a given condition")


@admin.register(SafetyNote)
class SafetyNoteAdmin(TranslationsSavedAsReviewedMixin, OpenedVersionAdminMixin, admin.ModelAdmin):
    list_display = ["text", "tier", "applies_to", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["tier", "applies_to", "is_active"]
    search_fields = ["text", "slug"]
    ordering = ["tier", "order"]
    filter_horizontal = ["only_for_conditions", "excluded_conditions"]
    inlines = [SafetyNoteVariantInline, TranslationInline]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(
    TranslationsSavedAsReviewedMixin, OpenedVersionAdminMixin, admin.ModelAdmin
):
    list_display = ["term", "explanation", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["term", "explanation", "slug"]
    prepopulated_fields = {"slug": ["term"]}
    inlines = [TranslationInline]


@admin.register(Equipment, BodyRegion, Tag)
class LookupAdmin(OpenedVersionAdminMixin, admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]


@admin.register(DeletedCatalogueRecord)
class DeletedCatalogueRecordAdmin(admin.ModelAdmin):
    """Default-catalogue records an editor deleted; delete a row here to let the loader restore it."""

    list_display = ["model", "slug", "deleted_at"]
    readonly_fields = ["model", "slug", "deleted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Source)
class SourceAdmin(OpenedVersionAdminMixin, admin.ModelAdmin):
    list_display = ["key", "title", "author", "publisher", "published"]
    search_fields = ["key", "title", "author", "publisher"]


class CatalogueTranslationForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        content_type, object_id = cleaned.get("content_type"), cleaned.get("object_id")
        if content_type is not None and object_id is not None:
            try:
                check_original(content_type, object_id, cleaned.get("field", ""))
            except ValidationError as error:
                self.add_error(None, error)
            else:
                original = content_type.get_object_for_this_type(pk=object_id)
                refuse_lost_markers(self, getattr(original, cleaned["field"]))
        return cleaned


@admin.register(CatalogueTranslation)
class CatalogueTranslationAdmin(admin.ModelAdmin):
    """Every translation, also those of texts edited in an inline (steps, cautions, a note's
    wording for a condition), which have no inline of their own."""

    form = CatalogueTranslationForm
    list_display = ["text", "language", "content_type", "field", "review", "reviewer"]
    list_filter = ["language", "status", "content_type"]
    search_fields = ["text"]
    fields = ["content_type", "object_id", "field", "original_text", "language", "text"]
    fields += ["status", "review", "reviewer", "reviewed_at"]
    readonly_fields = ["original_text", "review", "reviewer", "reviewed_at"]

    @admin.display(description=_("original"))
    def original_text(self, translation):
        return original_text(translation) if translation.pk else "—"

    @admin.display(description=_("review"))
    def review(self, translation):
        return review_label(translation)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            kwargs["queryset"] = ContentType.objects.filter(
                app_label="exercises",
                model__in=[model._meta.model_name for model in TRANSLATED_FIELDS],
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        save_translation(obj, reviewer=request.user.get_username())
