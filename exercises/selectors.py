"""Catalogue reads shared by the API, the admin and the prescription rules."""

from collections.abc import Iterable

from django.db.models import (
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.query import ModelIterable

from clinics.roles import is_catalogue_editor
from clinics.selectors import RequestUser
from exercises.cached_lists import read_once_per_version
from exercises.models import (
    AppliesTo,
    Caution,
    Exercise,
    ExerciseStep,
    GlossaryTerm,
    Illustration,
    SafetyNote,
    SafetyNoteVariant,
    Severity,
    Status,
)
from exercises.search import search_exercises


def exercises_for_list() -> QuerySet[Exercise]:
    return Exercise.objects.select_related("body_region", "illustration").prefetch_related(
        "equipment", "tags"
    )


def exercises_for_detail() -> QuerySet[Exercise]:
    return exercises_for_list().prefetch_related(
        "steps",
        "references__source",
        Prefetch("cautions", queryset=Caution.objects.select_related("condition")),
        Prefetch("tags__cautions", queryset=Caution.objects.select_related("condition", "tag")),
    )


def prescribable_exercises() -> QuerySet[Exercise]:
    """What an item may name. A draft or archived exercise answers as an unknown id would,
    so an id reveals nothing about unpublished catalogue work."""
    return Exercise.objects.filter(status=Status.PUBLISHED).select_related("body_region")


def visible_exercises(
    user: RequestUser, queryset: QuerySet[Exercise], *, listing: bool
) -> QuerySet[Exercise]:
    """Editors see every status; others list published exercises and may open archived ones."""
    if is_catalogue_editor(user):
        return queryset
    if listing:
        return queryset.filter(status=Status.PUBLISHED)
    return queryset.exclude(status=Status.DRAFT)


def search_ranked(queryset: QuerySet[Exercise], term: str) -> QuerySet[Exercise]:
    """Exercises the term finds, typos forgiven (`exercises.search`): the best matches first,
    alphabetical within each rank."""
    if not term.strip():
        return queryset.order_by("name", "id")
    return search_exercises(queryset, term).order_by("search_rank", "name", "id")


def contraindicated_for(condition_slugs: Iterable[str]) -> Q:
    """Exercises with a contraindication for any of these conditions, directly or by a tag."""
    cautions = Caution.objects.filter(
        condition__slug__in=condition_slugs, severity=Severity.CONTRAINDICATION
    )
    tagged = Exercise.tags.through.objects.filter(
        tag__in=cautions.filter(tag__isnull=False).values("tag")
    )
    return Q(pk__in=cautions.filter(exercise__isnull=False).values("exercise")) | Q(
        pk__in=tagged.values("exercise")
    )


def cautions_by_exercise(
    exercise_ids: Iterable[int], condition_ids: Iterable[int]
) -> dict[int, list[Caution]]:
    """Each exercise's cautions for these conditions, in one query that reads only the cautions
    that apply (however many the catalogue holds): the exercise's own first, then its tags'
    by tag, each group in the cautions' order, as `cautions_for_exercise` lists them."""
    exercise_ids, condition_ids = set(exercise_ids), set(condition_ids)
    if not exercise_ids or not condition_ids:
        return {}
    # Catalogue rows only: read once while the catalogue is unchanged (every write of a
    # caution, exercise or tag replaces the version, so the next read sees it).
    return read_once_per_version(
        "cautions",
        (sorted(exercise_ids), sorted(condition_ids)),
        lambda: _read_cautions_by_exercise(exercise_ids, condition_ids),
    )


def _read_cautions_by_exercise(exercise_ids: set, condition_ids: set) -> dict[int, list[Caution]]:
    rows = (
        Caution.objects.filter(condition_id__in=condition_ids)
        .filter(Q(exercise_id__in=exercise_ids) | Q(tag__exercises__in=exercise_ids))
        .annotate(tagged_exercise_id=F("tag__exercises"))
        .select_related("condition", "tag")
    )
    by_exercise: dict[int, list[Caution]] = {}
    for caution in sorted(rows, key=_caution_order):
        by_exercise.setdefault(caution.exercise_id or caution.tagged_exercise_id, []).append(
            caution
        )
    return by_exercise


def _caution_order(caution: Caution) -> tuple:
    tag_slug = caution.tag.slug if caution.tag else ""
    return (caution.tag_id is not None, tag_slug, caution.condition.name, caution.pk)


def exercises_with_body_region(exercise_ids: Iterable[int]) -> dict[int, Exercise]:
    """The exercises (archived ones too) with their body region, by id, as their rows are
    now: read once while the catalogue is unchanged."""
    exercise_ids = sorted(set(exercise_ids))
    return read_once_per_version(
        "exercises-with-body-region",
        exercise_ids,
        lambda: Exercise._base_manager.select_related("body_region").in_bulk(exercise_ids),
    )


class WithCatalogueExercises(ModelIterable):
    """Rows of a model with an `exercise` foreign key (prescription and template items), each
    given its exercise and body region from the catalogue's cached read instead of a join:
    a catalogue row is built once per catalogue version, not once per item and request."""

    def __iter__(self):
        rows = list(super().__iter__())
        exercises = exercises_with_body_region(row.exercise_id for row in rows)
        for row in rows:
            row.exercise = exercises[row.exercise_id]
        yield from rows


def with_catalogue_exercises(queryset: QuerySet) -> QuerySet:
    queryset = queryset.all()
    # QuerySet has no public hook for what its rows are built into; values() sets it this way.
    queryset._iterable_class = WithCatalogueExercises
    return queryset


def steps_and_frames(
    exercise_ids: Iterable[int],
) -> dict[int, tuple[tuple[str, ...], tuple[dict, ...]]]:
    """Each exercise's steps (in order) and picture frames, as a handout prints them: catalogue
    rows only, read once while the catalogue is unchanged."""
    exercise_ids = sorted(set(exercise_ids))
    return read_once_per_version(
        "steps-and-frames", exercise_ids, lambda: _read_steps_and_frames(exercise_ids)
    )


def _read_steps_and_frames(exercise_ids: list[int]) -> dict:
    steps: dict[int, list[str]] = {exercise_id: [] for exercise_id in exercise_ids}
    rows = ExerciseStep.objects.filter(exercise_id__in=exercise_ids).values_list(
        "exercise_id", "text"
    )
    for exercise_id, text in rows:
        steps[exercise_id].append(text)
    frames = dict(
        Illustration.objects.filter(exercise_id__in=exercise_ids).values_list(
            "exercise_id", "frames"
        )
    )
    return {
        exercise_id: (tuple(steps[exercise_id]), tuple(frames.get(exercise_id) or ()))
        for exercise_id in exercise_ids
    }


def cautions_for_exercise(exercise: Exercise) -> list[Caution]:
    """The exercise's own cautions and its tags' cautions, from prefetched rows."""
    by_tag = [caution for tag in exercise.tags.all() for caution in tag.cautions.all()]
    return [*exercise.cautions.all(), *by_tag]


def safety_notes_for_programme(
    categories: Iterable[str], condition_ids: Iterable[int] = ()
) -> QuerySet[SafetyNote]:
    """The active notes a programme with exercises of these categories prints: the notes for
    every programme and those for a category it contains, less those kept for conditions the
    patient does not have and those not for a condition the patient has, each with its
    wordings for these conditions only (`variants`, with their condition: see
    `condition_wording`)."""
    condition_ids = list(condition_ids)
    variants = SafetyNoteVariant.objects.filter(
        Q(combined_with__isnull=True) | Q(combined_with_id__in=condition_ids),
        condition_id__in=condition_ids,
    ).select_related("condition")
    for_patient = SafetyNote.only_for_conditions.through.objects.filter(
        condition_id__in=condition_ids
    )
    kept_for_others = SafetyNote.objects.filter(only_for_conditions__isnull=False).exclude(
        pk__in=for_patient.values("safetynote_id")
    )
    return (
        SafetyNote.objects.filter(is_active=True, applies_to__in=[AppliesTo.ALL, *categories])
        .exclude(pk__in=kept_for_others.values("pk"))
        .exclude(excluded_conditions__in=condition_ids)
        .prefetch_related(Prefetch("variants", queryset=variants))
    )


def condition_wording(variants: Iterable[SafetyNoteVariant], text: str) -> str:
    """A note's wording for a patient, from the variants for their conditions: a wording for
    two of their conditions together first (it keeps what both say), else the variant of the
    first of their conditions by declared priority (then name, so the choice never depends on
    the order of rows), or the general text. One of them prints, never two."""
    chosen = min(
        variants,
        key=lambda v: (v.combined_with_id is None, v.condition.priority, v.condition.name, v.pk),
        default=None,
    )
    return chosen.text if chosen else text


def glossary_terms() -> list[tuple[str, str]]:
    """The active glossary as (term, explanation) pairs, for the handout."""
    return list(GlossaryTerm.objects.filter(is_active=True).values_list("term", "explanation"))
