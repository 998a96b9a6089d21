"""The catalogue's texts in other languages: which texts translate, how a translation is matched
to its original, and its review state.

A translation row names its original (record and field) and keeps the checksum of the original
text it translates. The handout looks a text up by that checksum: an original edited since
its translation was written no longer matches, so the sheet prints the current original
(marked as being in the catalogue's language) rather than a translation of words that changed,
and the admin shows the row as outdated until someone translates and reviews it again.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exercises.cached_lists import read_once_per_version
from exercises.models import (
    CatalogueTranslation,
    Caution,
    Condition,
    Exercise,
    ExerciseStep,
    GlossaryTerm,
    ReviewStatus,
    SafetyNote,
    SafetyNoteVariant,
    braced_markers,
)

# The language the catalogue is written in (the default catalogue file's): its texts are the
# originals every translation is made from.
CATALOGUE_LANGUAGE = "en"

# Every patient-facing catalogue text, by the record that holds it.
TRANSLATED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Exercise: (
        "name",
        "feel",
        "cues",
        "common_mistakes",
        "safety_notes",
        "alternative_text",
        "both_sides_text",
        "alternate_sides_text",
        "left_side_text",
        "right_side_text",
    ),
    ExerciseStep: ("text",),
    Caution: ("text", "acknowledged_text", "alternative_text"),
    Condition: ("name", "short_name", "pain_label", "second_pain_label"),
    SafetyNote: ("text",),
    SafetyNoteVariant: ("text",),
    GlossaryTerm: ("term", "explanation"),
}

OUTDATED = "outdated"
REVIEW_STATE_LABELS = {
    ReviewStatus.MACHINE_ASSISTED: ReviewStatus.MACHINE_ASSISTED.label,
    ReviewStatus.REVIEWED: ReviewStatus.REVIEWED.label,
    OUTDATED: _("outdated: the original changed (not reviewed)"),
}


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_original(content_type: ContentType, object_id: int, field: str) -> None:
    """A translation names an existing record of a translated kind, and one of its texts;
    otherwise a ValidationError at the part that is wrong."""
    model = content_type.model_class()
    if model not in TRANSLATED_FIELDS:
        raise ValidationError(
            {"content_type": _("%(kind)s has no translated texts.") % {"kind": content_type.name}}
        )
    if not model._default_manager.filter(pk=object_id).exists():
        raise ValidationError(
            {"object_id": _("No %(kind)s has this id.") % {"kind": content_type.name}}
        )
    if field not in TRANSLATED_FIELDS[model]:
        raise ValidationError(
            {
                "field": _("Choose one of: %(fields)s.")
                % {"fields": ", ".join(TRANSLATED_FIELDS[model])}
            }
        )


def check_markers(original: str, text: str) -> None:
    """A translation keeps its original's markers: one lost drops what it prints (the agreed
    score) from the sheet, one added prints raw braces."""
    if braced_markers(text) != braced_markers(original):
        raise ValidationError(
            {
                "text": _("Keep the original's markers, exactly as written: %(markers)s.")
                % {"markers": ", ".join(braced_markers(original)) or _("none")}
            }
        )


def original_text(translation: CatalogueTranslation) -> str:
    return getattr(translation.original, translation.field)


def review_label(translation: CatalogueTranslation) -> str:
    """The review state in an editor's words."""
    return str(REVIEW_STATE_LABELS[review_state(translation)])


def review_state(translation: CatalogueTranslation) -> str:
    """Reviewed, machine-assisted, or outdated (its original was edited after it was written:
    it counts as not reviewed)."""
    if translation.source_checksum != checksum(original_text(translation)):
        return OUTDATED
    return translation.status


def is_file_wording(translation: CatalogueTranslation) -> bool:
    """Whether a translation is still the words a PO import wrote (a shipped file's, a
    translator's), unreviewed: no person has edited or reviewed it since, so a newer file may
    replace it. Any other is a person's work, kept (exercises.catalogue.exchange)."""
    return translation.status != ReviewStatus.REVIEWED and (
        translation.imported_checksum == checksum(translation.text)
    )


def save_translation(
    translation: CatalogueTranslation, *, reviewer: str = "", now=None
) -> CatalogueTranslation:
    """Saves a translation as made from its original's current text. Marked reviewed (newly,
    or again after the original changed) it records who reviewed it and when; otherwise it
    carries no reviewer."""
    check_original(translation.content_type, translation.object_id, translation.field)
    original = original_text(translation)
    check_markers(original, translation.text)
    current = checksum(original)
    newly_reviewed = translation.status == ReviewStatus.REVIEWED and (
        not translation.reviewed_at or translation.source_checksum != current
    )
    if newly_reviewed:
        translation.reviewer = reviewer or translation.reviewer
        translation.reviewed_at = now or timezone.now()
    elif translation.status != ReviewStatus.REVIEWED:
        translation.reviewer, translation.reviewed_at = "", None
    translation.source_checksum = current
    translation.full_clean()
    translation.save()
    return translation


def translate(original, field: str, language: str, text: str, **review) -> CatalogueTranslation:
    """Creates or replaces the translation of `original.field` in `language`."""
    key = {
        "content_type": ContentType.objects.get_for_model(original),
        "object_id": original.pk,
        "field": field,
        "language": language,
    }
    # Built unsaved when new: a text refused by the checks leaves no row behind.
    translation = CatalogueTranslation.objects.filter(**key).first() or CatalogueTranslation(**key)
    translation.text = text
    for name, value in review.items():
        setattr(translation, name, value)
    return save_translation(translation, reviewer=review.get("reviewer", ""))


@dataclass(frozen=True)
class Rendering:
    """A catalogue text as a sheet in some language prints it."""

    text: str
    # False: no translation matches the current original, so `text` is the original.
    translated: bool
    reviewed: bool


class CatalogueTexts:
    """The catalogue's translations into one language, looked up by their original's text."""

    def __init__(self, language: str, by_checksum: dict[str, tuple[str, str]]):
        self.language = language
        self._by_checksum = by_checksum

    @classmethod
    def for_language(cls, language: str) -> "CatalogueTexts":
        """One query (none for the catalogue's own language), once per catalogue version."""
        if language == CATALOGUE_LANGUAGE:
            return cls(language, {})
        return cls(
            language,
            read_once_per_version(
                "catalogue-translations", (language,), lambda: _read_translations(language)
            ),
        )

    def render(self, original: str) -> Rendering:
        if self.language == CATALOGUE_LANGUAGE or not original:
            return Rendering(original, translated=True, reviewed=True)
        found = self._by_checksum.get(checksum(original))
        if found is None:
            return Rendering(original, translated=False, reviewed=False)
        text, status = found
        return Rendering(text, translated=True, reviewed=status == ReviewStatus.REVIEWED)


def _read_translations(language: str) -> dict[str, tuple[str, str]]:
    rows = CatalogueTranslation.objects.filter(language=language).values_list(
        "source_checksum", "text", "status"
    )
    # A text said the same in two places translates the same: a reviewed row wins.
    by_checksum: dict[str, tuple[str, str]] = {}
    for source_checksum, text, status in rows:
        if by_checksum.get(source_checksum, ("", ""))[1] != ReviewStatus.REVIEWED:
            by_checksum[source_checksum] = (text, status)
    return by_checksum
