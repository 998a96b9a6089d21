"""The catalogue's texts as PO files, the exchange format translators' tools read (Poedit,
Weblate, Lokalize): one file per language, one entry per distinct original text.

An entry's msgid is the original (English) text and its msgstr the translation; its extracted
comments say where the text is used; its translator comment says the review: "machine-assisted,
not reviewed" or "reviewed by <name> on <YYYY-MM-DD>". A text said the same in several places
is one entry, translated once (as the handout looks translations up by the original's text).
The default catalogue ships its languages as such files beside it (catalogue/translations/),
which the loader imports.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from exercises.cached_lists import replace_catalogue_version
from exercises.models import CatalogueTranslation, ReviewStatus
from exercises.translations import TRANSLATED_FIELDS, checksum, is_file_wording

MACHINE_ASSISTED_COMMENT = "machine-assisted, not reviewed"
REVIEWED_COMMENT = re.compile(r"reviewed by (?P<reviewer>.+) on (?P<date>\d{4}-\d{2}-\d{2})$")

# Where a text is used: (content type id, record id, field).
Place = tuple[int, int, str]
# What an entry sets on each of its rows.
ENTRY_FIELDS = ["text", "status", "reviewer", "reviewed_at", "source_checksum"]


def _originals() -> dict[str, list[Place]]:
    """Every non-empty translatable text of the catalogue, with the places it is used."""
    places: dict[str, list[Place]] = {}
    for model, fields in TRANSLATED_FIELDS.items():
        content_type = ContentType.objects.get_for_model(model)
        for pk, *texts in model._default_manager.values_list("pk", *fields).order_by("pk"):
            for field, text in zip(fields, texts, strict=True):
                if text:
                    places.setdefault(text, []).append((content_type.pk, pk, field))
    return places


def place_label(content_type_id: int, object_id: int, field: str) -> str:
    """Where a text is used, as a translator or an editor reads it: "exercise 12 name"."""
    return f"{ContentType.objects.get_for_id(content_type_id).model} {object_id} {field}"


def _review_comment(translation: CatalogueTranslation) -> str:
    if translation.status == ReviewStatus.REVIEWED and translation.reviewed_at:
        day = translation.reviewed_at.date().isoformat()
        return f"reviewed by {translation.reviewer} on {day}"
    return MACHINE_ASSISTED_COMMENT


def export_catalog(language: str) -> Catalog:
    """The catalogue's texts with their translations into `language` (empty where none)."""
    translations: dict[str, CatalogueTranslation] = {}
    for row in CatalogueTranslation.objects.filter(language=language).order_by("status"):
        # A reviewed row wins over a machine-assisted one of the same original ("machine-"
        # sorts first, so "reviewed" is written over it).
        translations[row.source_checksum] = row
    catalog = Catalog(locale=language, project="Exercise catalogue", fuzzy=False)
    for text, places in sorted(_originals().items()):
        found = translations.get(checksum(text))
        catalog.add(
            text,
            string=found.text if found else "",
            auto_comments=[place_label(*place) for place in places],
            user_comments=[_review_comment(found)] if found else [],
        )
    return catalog


def write_catalog(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as po_file:
        write_po(po_file, catalog, width=0, sort_output=False, omit_header=False)


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language)


def _review(comments: list[str]) -> tuple[str, str, datetime.datetime | None]:
    """(status, reviewer, reviewed at) from an entry's translator comments."""
    for comment in comments:
        reviewed = REVIEWED_COMMENT.match(comment.strip())
        if reviewed:
            day = datetime.date.fromisoformat(reviewed["date"])
            at = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
            return ReviewStatus.REVIEWED, reviewed["reviewer"], at
    return ReviewStatus.MACHINE_ASSISTED, "", None


@dataclass(frozen=True)
class ImportResult:
    # added, replaced, unchanged, kept (a person's translation the file would have changed),
    # unmatched (no such original now: the text changed since the file was written).
    counts: Counter
    kept: list[CatalogueTranslation]


@transaction.atomic
def import_catalog(catalog: Catalog, language: str, *, overwrite_edited: bool) -> ImportResult:
    """Stores each translated entry for every place its original is used. A translation the
    database already holds is replaced only while it is still the words an earlier file wrote
    and not reviewed (`is_file_wording`): one an editor changed or a reviewer marked reviewed
    is kept, outdated or not, unless `overwrite_edited`."""
    places = _originals()
    existing = {
        (row.content_type_id, row.object_id, row.field): row
        for row in CatalogueTranslation.objects.filter(language=language)
    }
    counts: Counter = Counter()
    added, replaced, kept = [], [], []
    for message in catalog:
        original, translated = message.id, message.string
        # Plural entries have no place in the catalogue's texts.
        if not (isinstance(original, str) and isinstance(translated, str)):
            continue
        if not (original and translated):
            continue
        status, reviewer, reviewed_at = _review(message.user_comments)
        wanted = dict(
            zip(
                ENTRY_FIELDS,
                (translated, status, reviewer, reviewed_at, checksum(original)),
                strict=True,
            )
        )
        if original not in places:
            counts["unmatched"] += 1
        for content_type_id, object_id, field in places.get(original, ()):
            row = existing.get((content_type_id, object_id, field))
            if row is None:
                row = CatalogueTranslation(
                    content_type_id=content_type_id,
                    object_id=object_id,
                    field=field,
                    language=language,
                )
                added.append(row)
            elif all(getattr(row, name) == value for name, value in wanted.items()):
                counts["unchanged"] += 1
                continue
            elif overwrite_edited or is_file_wording(row):
                replaced.append(row)
            else:
                kept.append(row)
                continue
            for name, value in wanted.items():
                setattr(row, name, value)
            row.imported_checksum = checksum(translated)
    CatalogueTranslation.objects.bulk_create(added)
    CatalogueTranslation.objects.bulk_update(replaced, [*ENTRY_FIELDS, "imported_checksum"])
    # Bulk writes send no save signal: the cached catalogue reads must not outlive them.
    replace_catalogue_version()
    counts["added"], counts["replaced"], counts["kept"] = len(added), len(replaced), len(kept)
    return ImportResult(counts, kept)
