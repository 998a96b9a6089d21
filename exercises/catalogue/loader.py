"""Loads the default catalogue (a YAML data file) idempotently.

Each loaded record keeps two hashes: of the data-file entry it came from, and of its own
content right after loading. On the next run a record whose content no longer matches is
an editor's work and is left alone; an untouched record is updated when its entry changed.
"""

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from clinic.languages import is_offered
from exercises.catalogue.exchange import import_catalog, read_catalog
from exercises.models import (
    Assessment,
    BodyRegion,
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
    Tag,
)

DEFAULT_CATALOGUE = Path(__file__).with_name("default_catalogue.yaml")
DEFAULT_ILLUSTRATIONS = Path(__file__).with_name("illustrations.yaml")
# The catalogue's texts in other languages, a PO file each (exchange.py), named by language.
DEFAULT_TRANSLATIONS = Path(__file__).with_name("translations")
SIDE_TEXT_FIELDS = {
    "both": "both_sides_text",
    "alternate": "alternate_sides_text",
    "left": "left_side_text",
    "right": "right_side_text",
}
_NOT_CONTENT = {"id", "catalogue_source_hash", "catalogue_content_hash", "created_at", "updated_at"}


def _digest(value) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lines(items) -> str:
    return "\n".join(items or [])


def _references(entries) -> str:
    return _lines(f"{ref['source']}: {ref.get('note', '')}".strip() for ref in entries or [])


def _replace_children(
    existing, wanted: Iterable, keys: Sequence[Callable[[object], Hashable]]
) -> None:
    """Makes a record's child rows those wanted, matching each wanted row to an existing one
    and updating it in place: the row keeps its id and so its translations (which name it by
    id), and a translation outdates only when its text really changed. Each of `keys` is tried
    in turn on the rows still unmatched. Rows no longer wanted are deleted, their translations
    with them."""
    wanted_rows = list(wanted)
    unmatched_rows = list(wanted_rows)
    remaining = list(existing)
    for key in keys:
        by_key = defaultdict(list)
        for row in remaining:
            by_key[key(row)].append(row)
        still_unmatched = []
        for row in unmatched_rows:
            if by_key[key(row)]:
                row.pk = by_key[key(row)].pop(0).pk
            else:
                still_unmatched.append(row)
        unmatched_rows = still_unmatched
        remaining = [row for rows in by_key.values() for row in rows]
    existing.model.objects.filter(pk__in=[row.pk for row in remaining]).delete()
    for row in wanted_rows:
        row.save()


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def lines(self) -> list[str]:
        kinds = sorted({kind for kind, _ in self.counts})
        return [
            f"{kind}: {self.counts[(kind, 'added')]} added, {self.counts[(kind, 'updated')]} updated, "
            f"{self.counts[(kind, 'unchanged')]} unchanged, "
            f"{self.counts[(kind, 'skipped')]} skipped (changed by an editor)"
            + (
                f", {self.counts[(kind, 'deleted')]} not restored (deleted by an editor)"
                if self.counts[(kind, "deleted")]
                else ""
            )
            for kind in kinds
        ]


class RecordLoader:
    """Loads one kind of record; subclasses say how an entry maps to fields and children."""

    model: type[Exercise | Condition | Assessment | SafetyNote | GlossaryTerm]
    kind: str
    # Many-to-many fields the subclass hashes in its children_state instead (fields added
    # after records were loaded, hashed only when set, so loaded records still match).
    hashed_as_children: frozenset[str] = frozenset()

    def fields(self, entry: dict) -> dict:
        raise NotImplementedError

    def save_children(self, record, entry: dict) -> None:
        """Replaces the record's child rows with those of the entry."""

    def children_state(self, record) -> list:
        return []

    def content_hash(self, record) -> str:
        # A field at its default adds nothing, so a migration that adds a field (at its
        # default) does not make every loaded record look like an editor's.
        own = {
            f.attname: getattr(record, f.attname)
            for f in record._meta.concrete_fields
            if f.attname not in _NOT_CONTENT and getattr(record, f.attname) != f.get_default()
        }
        many = {
            f.name: sorted(str(pk) for pk in getattr(record, f.name).values_list("pk", flat=True))
            for f in record._meta.many_to_many
            if f.name not in self.hashed_as_children
        }
        return _digest([own, many, self.children_state(record)])

    def load(self, entry: dict, report: LoadReport) -> None:
        source_hash = _digest(entry)
        record = self.model.objects.filter(slug=entry["slug"]).first()
        deleted = DeletedCatalogueRecord.objects.filter(
            model=self.model._meta.label_lower, slug=entry["slug"]
        )
        if record is None and deleted.exists():
            report.count(self.kind, "deleted")
            return
        if record is None:
            record = self.model(slug=entry["slug"])
            outcome = "added"
        elif record.catalogue_content_hash != self.content_hash(record):
            report.count(self.kind, "skipped")
            return
        elif record.catalogue_source_hash == source_hash:
            report.count(self.kind, "unchanged")
            return
        else:
            outcome = "updated"
        for name, value in self.fields(entry).items():
            setattr(record, name, value)
        record.catalogue_source_hash = source_hash
        record.full_clean(exclude=["catalogue_content_hash"])
        record.save()
        self.save_children(record, entry)
        record.catalogue_content_hash = self.content_hash(record)
        record.save(update_fields=["catalogue_content_hash"])
        report.count(self.kind, outcome)


class ExerciseLoader(RecordLoader):
    model = Exercise
    kind = "exercises"

    def fields(self, entry):
        values = {
            "name": entry["name"],
            "summary": entry["summary"],
            "category": entry["category"],
            "position": entry["position"],
            "body_region": BodyRegion.objects.get(slug=entry["body_region"]),
            "target_muscles": entry.get("target_muscles", ""),
            "difficulty": entry.get("difficulty", 1),
            "feel": _lines(entry.get("feel")),
            "cues": _lines(entry.get("tips")),
            "common_mistakes": _lines(entry.get("common_mistakes")),
            "safety_notes": _lines(entry.get("safety_notes")),
            "video_url": entry.get("video_url") or "",
            "reviewed_by": entry.get("reviewed_by", ""),
            "reviewed_on": entry.get("reviewed_on"),
            "status": entry.get("status", "published"),
            "alternative_text": entry.get("alternative", {}).get("text", ""),
            "alternative_category": entry.get("alternative", {}).get("category", ""),
            "required_dose_fields": entry.get("required_dose_fields", []),
            "used_dose_fields": entry.get("used_dose_fields", []),
            "alternate_count_in_all": entry.get("alternate_count_in_all", False),
        }
        for side, text in entry.get("side_texts", {}).items():
            values[SIDE_TEXT_FIELDS[side]] = text
        for name, value in entry.get("default_dose", {}).items():
            values[f"default_{name}"] = value
        for name, (minimum, maximum) in entry.get("dose_range", {}).items():
            values[f"advised_min_{name}"] = minimum
            values[f"advised_max_{name}"] = maximum
        return values

    def save_children(self, record, entry):
        record.equipment.set(Equipment.objects.filter(slug__in=entry.get("equipment", [])))
        record.tags.set(Tag.objects.filter(slug__in=entry.get("tags", [])))
        _replace_children(
            record.steps.all(),
            (
                ExerciseStep(exercise=record, order=index, text=text)
                for index, text in enumerate(entry["steps"])
            ),
            # A step whose words stay keeps its translation wherever it moves; a reworded
            # one takes the row (and translation, outdated) of the first step gone.
            keys=(lambda step: step.text, lambda step: "any step left"),
        )
        record.references.all().delete()
        sources = {source.key: source for source in Source.objects.all()}
        ExerciseReference.objects.bulk_create(
            ExerciseReference(
                exercise=record, source=sources[ref["source"]], note=ref.get("note", "")
            )
            for ref in entry.get("references", [])
        )

    def children_state(self, record):
        return [
            list(record.steps.values_list("order", "text")),
            list(record.references.values_list("source__key", "note")),
        ]


class ConditionLoader(RecordLoader):
    model = Condition
    kind = "conditions"

    def fields(self, entry):
        return {
            "name": entry["name"],
            "short_name": entry.get("short_name", ""),
            "pain_label": entry.get("pain_label", ""),
            "second_pain_label": entry.get("second_pain_label", ""),
            "pain_scored_next_morning": entry.get("pain_scored_next_morning", False),
            "description": entry.get("description", ""),
            "priority": entry.get("priority", Condition._meta.get_field("priority").default),
        }

    def save_children(self, record, entry):
        _replace_children(
            record.cautions.order_by("id"),
            (self._caution(record, caution) for caution in entry.get("cautions", [])),
            # A condition cautions an exercise (or a tag) once.
            keys=(lambda caution: (caution.exercise_id, caution.tag_id),),
        )

    def _caution(self, record, caution: dict) -> Caution:
        return Caution(
            condition=record,
            exercise=Exercise.objects.get(slug=caution["exercise"])
            if "exercise" in caution
            else None,
            tag=Tag.objects.get(slug=caution["tag"]) if "tag" in caution else None,
            severity=caution.get("severity", "warning"),
            text=caution["text"],
            acknowledged_text=caution.get("acknowledged_text", ""),
            clinician_text=caution.get("clinician_text", ""),
            alternative_text=caution.get("alternative", {}).get("text", ""),
            alternative_category=caution.get("alternative", {}).get("category", ""),
        )

    def children_state(self, record):
        # The alternative counts only when set, so the cautions loaded before it existed keep
        # their hash (and are not taken for an editor's work).
        rows = record.cautions.order_by("id").values_list(
            "exercise__slug",
            "tag__slug",
            "severity",
            "text",
            "acknowledged_text",
            "clinician_text",
            "alternative_text",
            "alternative_category",
        )
        return [row[:6] if not any(row[6:]) else row for row in rows]


class AssessmentLoader(RecordLoader):
    model = Assessment
    kind = "assessments"

    def fields(self, entry):
        return {
            "name": entry["name"],
            "performed_by": entry["performed_by"],
            "procedure": _lines(entry["procedure"]),
            "measure": entry["measure"],
            "interpretation": entry["interpretation"],
            "caution": entry.get("caution", ""),
            "references": _references(entry.get("references")),
        }


class SafetyNoteLoader(RecordLoader):
    """A note's order is its place within its tier in the data file, counted over every entry
    (loaded or not) and hashed with the entry, so moving a note in the file moves it here."""

    model = SafetyNote
    kind = "safety notes"
    hashed_as_children = frozenset({"only_for_conditions", "excluded_conditions"})

    def __init__(self):
        self.position = Counter()

    def load(self, entry, report):
        self.position[entry["tier"]] += 1
        super().load({**entry, "order": self.position[entry["tier"]] * 10}, report)

    def fields(self, entry):
        return {
            "tier": entry["tier"],
            "order": entry["order"],
            "text": entry["text"],
            "applies_to": entry.get("applies_to", "all"),
            "references": _references(entry.get("references")),
            "is_active": entry.get("is_active", True),
        }

    def save_children(self, record, entry):
        _replace_children(
            record.variants.all(),
            (
                SafetyNoteVariant(
                    note=record,
                    condition=Condition.objects.get(slug=variant["condition"]),
                    combined_with=(
                        Condition.objects.get(slug=variant["combined_with"])
                        if "combined_with" in variant
                        else None
                    ),
                    text=variant["text"],
                )
                for variant in entry.get("condition_variants", [])
            ),
            keys=(lambda variant: (variant.condition_id, variant.combined_with_id),),
        )
        for conditions in self.hashed_as_children:
            slugs = entry.get(conditions, [])
            getattr(record, conditions).set(Condition.objects.filter(slug__in=slugs))

    def children_state(self, record):
        # A combined wording names its second condition; a single one hashes as it always did.
        variants = [
            (condition, text, combined_with) if combined_with else (condition, text)
            for condition, text, combined_with in record.variants.order_by(
                "condition__slug", "combined_with__slug"
            ).values_list("condition__slug", "text", "combined_with__slug")
        ]
        # Each list counts only when set, so notes loaded before it existed keep their hash.
        condition_lists = [
            [label, *sorted(getattr(record, field).values_list("slug", flat=True))]
            for label, field in (
                ("only for", "only_for_conditions"),
                ("not for", "excluded_conditions"),
            )
        ]
        return [*variants, *(listed for listed in condition_lists if len(listed) > 1)]


class GlossaryLoader(RecordLoader):
    model = GlossaryTerm
    kind = "glossary terms"

    def fields(self, entry):
        return {
            "term": entry["term"],
            "explanation": entry["explanation"],
            "references": _references(entry.get("references")),
            "is_active": entry.get("is_active", True),
        }


def _ensure_reference_data(data: dict, report: LoadReport) -> None:
    """Lookup lists are created when missing and never overwritten: editors own them."""
    tables = [
        (
            Source,
            "key",
            data.get("sources", []),
            {name: name for name in ("title", "author", "publisher", "published", "url")},
        ),
        (Equipment, "slug", data.get("equipment", []), {"name": "name"}),
        (BodyRegion, "slug", data.get("body_regions", []), {"name": "name", "limb": "limb"}),
        (Tag, "slug", data.get("tags", []), {"name": "name", "description": "description"}),
    ]
    for model, key, entries, mapping in tables:
        for entry in entries:
            defaults = {field: entry.get(source, "") for field, source in mapping.items()}
            _, created = model._default_manager.get_or_create(
                **{key: entry[key]}, defaults=defaults
            )
            report.count(str(model._meta.verbose_name_plural), "added" if created else "unchanged")


def read_catalogue(path: Path = DEFAULT_CATALOGUE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class IllustrationLoader:
    """The pictures of one exercise or self-test, from their own data file, by the same rules
    as the records: added when missing, updated when untouched and changed in the file, left
    alone once an editor changed them. They are kept apart so that editing an exercise's text
    and editing its pictures are recognised separately."""

    kind = "illustrations"

    def load(self, owner, frames: list, report: LoadReport) -> None:
        source_hash = _digest(frames)
        illustration = getattr(owner, "illustration", None)
        if illustration is None:
            owner_field = "exercise" if isinstance(owner, Exercise) else "assessment"
            illustration = Illustration(**{owner_field: owner})
            outcome = "added"
        elif illustration.catalogue_content_hash != _digest(illustration.frames):
            report.count(self.kind, "skipped")
            return
        elif illustration.catalogue_source_hash == source_hash:
            report.count(self.kind, "unchanged")
            return
        else:
            outcome = "updated"
        illustration.frames = frames
        illustration.catalogue_source_hash = source_hash
        illustration.full_clean(exclude=["catalogue_content_hash", "exercise", "assessment"])
        illustration.catalogue_content_hash = _digest(illustration.frames)
        illustration.save()
        report.count(self.kind, outcome)


def load_illustrations(path: Path, report: LoadReport) -> None:
    """Pictures for the exercises and self-tests that exist; a record an editor deleted has none."""
    data = read_catalogue(path)
    loader = IllustrationLoader()
    for model, key in ((Exercise, "exercises"), (Assessment, "assessments")):
        entries = data.get(key, {})
        owners = model.objects.filter(slug__in=entries).select_related("illustration")
        for owner in owners:
            loader.load(owner, entries[owner.slug], report)


def load_translations(directory: Path, report: LoadReport) -> None:
    """Adds the shipped translations the database lacks, for the languages offered, and
    replaces one that is still an earlier shipped file's words; never one an editor changed
    or reviewed (exchange.import_catalog)."""
    for po_path in sorted(directory.glob("*.po")):
        language = po_path.stem
        if not is_offered(language):
            continue
        counts = import_catalog(
            read_catalog(po_path, language), language, overwrite_edited=False
        ).counts
        kind = f"translations ({language})"
        for outcome, reported in (
            ("added", "added"),
            ("replaced", "updated"),
            ("unchanged", "unchanged"),
            ("kept", "skipped"),
        ):
            if counts[outcome]:  # the report lists outcomes that happened
                report.counts[(kind, reported)] += counts[outcome]


@transaction.atomic
def load_catalogue(
    path: Path = DEFAULT_CATALOGUE,
    illustrations_path: Path = DEFAULT_ILLUSTRATIONS,
    translations_directory: Path = DEFAULT_TRANSLATIONS,
) -> LoadReport:
    data = read_catalogue(path)
    report = LoadReport()
    _ensure_reference_data(data, report)
    for loader, entries in (
        (ExerciseLoader(), data.get("exercises", [])),
        (ConditionLoader(), data.get("conditions", [])),
        (AssessmentLoader(), data.get("assessments", [])),
        (SafetyNoteLoader(), data.get("safety_notes", [])),
        (GlossaryLoader(), data.get("glossary", [])),
    ):
        for entry in entries:
            loader.load(entry, report)
    load_illustrations(illustrations_path, report)
    load_translations(translations_directory, report)
    return report
