"""Gives the article sources descriptive keys, and what each article states about itself.

The first default catalogue keyed its five articles by number. This renames those keys (the
exercises' references follow by foreign key; the `references` text of safety notes and
assessments is rewritten line by line) and fills the new author, publisher and date fields.

Renaming changes what the loader hashes, so a record nobody edited would afterwards look like
an editor's and never receive the improved catalogue text. Each record that is untouched
before the rename (its stored hash matches its content, as hashed by this or an earlier
loader) gets its hash recomputed afterwards; records an editor changed stay theirs.
"""

import hashlib
import json
import re

from django.db import migrations

from exercises.catalogue.loader import (
    AssessmentLoader,
    ConditionLoader,
    ExerciseLoader,
    SafetyNoteLoader,
)

RENAMED_SOURCES = {
    "seed-000": {"key": "back-pain-hamstring-problem"},
    "seed-001": {
        "key": "tight-hamstrings-unseen-cause",
        "author": "Monica Pineider",
        "published": "9 June",
    },
    "seed-002": {
        "key": "back-pain-hamstrings-hidden-link",
        "publisher": "Spine, Body & Health",
        "published": "3 October 2025",
    },
    "seed-003": {"key": "sciatica-pain-relief"},
    "seed-004": {"key": "hamstring-stretch-overrated"},
}
RETITLED_SOURCES = {
    "clinical-default": (
        "Clinical default (no seed article gives this value)",
        "Clinical default (none of the cited articles gives this value)",
    ),
    "clinical-practice": (
        "Standard clinical examination practice (no seed article gives this fact)",
        "Standard clinical examination practice (none of the cited articles gives this fact)",
    ),
}
OLD_KEY_AT_LINE_START = re.compile(r"^(seed-00[0-4]):", re.MULTILINE)

# What the loader hashed before this migration: every content field, defaults included.
NOT_CONTENT = {"id", "catalogue_source_hash", "catalogue_content_hash", "created_at", "updated_at"}
# Fields added by 0004; a record loaded before 0004 was hashed without them.
ADDED_BY_0004 = {"condition": ("short_name", "pain_label"), "safetynote": ("applies_to",)}


def _digest(value) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _earlier_hash(record, children, leave_out=()) -> str:
    own = {
        f.attname: getattr(record, f.attname)
        for f in record._meta.concrete_fields
        if f.attname not in NOT_CONTENT and f.attname not in leave_out
    }
    many = {
        f.name: sorted(str(pk) for pk in getattr(record, f.name).values_list("pk", flat=True))
        for f in record._meta.many_to_many
    }
    return _digest([own, many, children])


def _earlier_hashes(record, loader) -> set[str]:
    """The hashes an untouched record may carry, whichever loader version stored them."""
    hashes = {loader.content_hash(record), _earlier_hash(record, loader.children_state(record))}
    model = record._meta.model_name
    if model in ADDED_BY_0004:
        children = loader.children_state(record)
        if model == "condition":
            children = [caution[:4] for caution in children]
        hashes.add(_earlier_hash(record, children, ADDED_BY_0004[model]))
    return hashes


def rename_source_keys(apps, schema_editor):
    loaders = {
        "Exercise": ExerciseLoader(),
        "Condition": ConditionLoader(),
        "Assessment": AssessmentLoader(),
        "SafetyNote": SafetyNoteLoader(),
    }
    untouched = {
        name: [
            record
            for record in apps.get_model("exercises", name).objects.exclude(
                catalogue_content_hash=""
            )
            if record.catalogue_content_hash in _earlier_hashes(record, loader)
        ]
        for name, loader in loaders.items()
    }

    Source = apps.get_model("exercises", "Source")
    for old_key, described in RENAMED_SOURCES.items():
        source = Source.objects.filter(key=old_key).first()
        if source is None or Source.objects.filter(key=described["key"]).exists():
            continue
        for name, value in described.items():
            if name == "key" or not getattr(source, name):  # never over an editor's value
                setattr(source, name, value)
        source.save()
    for key, (old_title, new_title) in RETITLED_SOURCES.items():
        Source.objects.filter(key=key, title=old_title).update(title=new_title)

    for name in ("SafetyNote", "Assessment"):
        for record in apps.get_model("exercises", name).objects.filter(
            references__contains="seed-00"
        ):
            record.references = OLD_KEY_AT_LINE_START.sub(
                lambda match: RENAMED_SOURCES[match[1]]["key"] + ":", record.references
            )
            record.save(update_fields=["references"])

    for name, records in untouched.items():
        for record in records:
            record.refresh_from_db()
            record.catalogue_content_hash = loaders[name].content_hash(record)
            record.save(update_fields=["catalogue_content_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("exercises", "0006_source_author_publisher_date"),
    ]

    operations = [
        migrations.RunPython(rename_source_keys, migrations.RunPython.noop),
    ]
