import copy
import io
from collections import Counter
from importlib import import_module

import pytest
import yaml
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from exercises.catalogue.loader import SafetyNoteLoader, load_catalogue, read_catalogue
from exercises.dose import DOSE_BOUNDS
from exercises.models import (
    Assessment,
    CatalogueTranslation,
    Condition,
    Exercise,
    ReviewStatus,
    SafetyNote,
    Source,
    Tag,
)
from exercises.translations import OUTDATED, review_state, save_translation

pytestmark = pytest.mark.django_db

FIRST_RUN = [
    "assessments: 5 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "body regions: 7 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "conditions: 3 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "equipment: 11 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "exercises: 17 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "glossary terms: 5 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "illustrations: 22 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "safety notes: 43 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "sources: 8 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "tags: 8 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    # One entry per distinct text, stored for each place it is used.
    "translations (ar): 316 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
    "translations (es): 316 added, 0 updated, 0 unchanged, 0 skipped (changed by an editor)",
]


def run_command(*args) -> list[str]:
    out = io.StringIO()
    call_command("load_catalogue", *args, stdout=out)
    return out.getvalue().splitlines()


def catalogue_counts() -> dict:
    return {
        "exercises": Exercise.objects.count(),
        "assessments": Assessment.objects.count(),
        "conditions": Condition.objects.count(),
        "safety notes by tier": Counter(SafetyNote.objects.values_list("tier", flat=True)),
    }


def write_catalogue(tmp_path, data) -> str:
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def entry(data, kind, slug) -> dict:
    return next(item for item in data[kind] if item["slug"] == slug)


def report_line(lines, kind) -> str:
    return next(line for line in lines if line.startswith(f"{kind}:"))


def test_the_default_catalogue_loads_every_kind_of_record():
    assert run_command() == FIRST_RUN
    assert catalogue_counts() == {
        "exercises": 17,
        "assessments": 5,
        "conditions": 3,
        "safety notes by tier": Counter(
            {"precaution": 19, "emergency": 11, "urgent": 9, "contact-clinic": 4}
        ),
    }


def test_a_second_run_adds_nothing():
    run_command()
    before = catalogue_counts()
    lines = run_command()
    assert catalogue_counts() == before
    assert report_line(lines, "exercises") == (
        "exercises: 0 added, 0 updated, 17 unchanged, 0 skipped (changed by an editor)"
    )
    assert report_line(lines, "safety notes") == (
        "safety notes: 0 added, 0 updated, 43 unchanged, 0 skipped (changed by an editor)"
    )
    assert all(": 0 added, 0 updated," in line for line in lines)


def test_every_default_exercise_is_published_with_steps_a_dose_in_bounds_and_references():
    load_catalogue()
    for exercise in Exercise.objects.all():
        assert exercise.is_prescribable, exercise.slug
        assert exercise.steps.count() >= 3, exercise.slug
        assert exercise.references.exists(), exercise.slug
        dose = exercise.default_dose()
        assert any(dose[bound.name] is not None for bound in DOSE_BOUNDS), exercise.slug
        for bound in DOSE_BOUNDS:
            value = dose[bound.name]
            assert value is None or bound.minimum <= value <= bound.maximum, (
                exercise.slug,
                bound.name,
            )
        exercise.full_clean()


def test_steps_load_in_the_data_file_order():
    load_catalogue()
    exercise = Exercise.objects.get(slug="supine-hamstring-stretch")
    steps = list(exercise.steps.values_list("text", flat=True))
    assert steps[0] == "Lie face up on a mat or carpet, both legs long."
    assert steps[-1] == "Stay still and breathe slowly. Then lower the leg."


def test_sciatica_cautions_every_static_hold_exercise(as_therapist):
    load_catalogue()
    sciatica = Condition.objects.get(slug="sciatica")
    tag_caution = sciatica.cautions.get(tag__slug="static-hold")
    static_holds = Tag.objects.get(slug="static-hold").exercises.all()
    assert static_holds.count() == 9
    for exercise in static_holds:
        cautions = as_therapist.get(f"/api/v1/exercises/{exercise.pk}/").json()["cautions"]
        assert {
            "id": tag_caution.pk,
            "condition": "sciatica",
            "tag": "static-hold",
            "severity": "warning",
            "text": tag_caution.text,
            "acknowledged_text": tag_caution.acknowledged_text,
            "clinician_text": tag_caution.clinician_text,
            "alternative_text": "",
            "alternative_category": "",
            "untranslated_fields": [],
        } in cautions, exercise.slug


def test_an_exercise_an_editor_changed_is_never_overwritten(as_editor):
    load_catalogue()
    exercise = Exercise.objects.get(slug="plank")
    response = as_editor.patch(
        f"/api/v1/exercises/{exercise.pk}/", {"summary": "Our own words."}, format="json"
    )
    assert response.status_code == 200

    lines = run_command()

    exercise.refresh_from_db()
    assert exercise.summary == "Our own words."
    assert report_line(lines, "exercises") == (
        "exercises: 0 added, 0 updated, 16 unchanged, 1 skipped (changed by an editor)"
    )


def test_an_exercise_an_editor_archived_stays_archived(as_editor):
    load_catalogue()
    exercise = Exercise.objects.get(slug="plank")
    assert as_editor.post(f"/api/v1/exercises/{exercise.pk}/archive/").status_code == 200

    load_catalogue()

    exercise.refresh_from_db()
    assert exercise.status == "archived"


def test_a_condition_whose_cautions_an_editor_changed_is_never_overwritten(as_editor):
    load_catalogue()
    sciatica = Condition.objects.get(slug="sciatica")
    response = as_editor.patch(
        f"/api/v1/conditions/{sciatica.pk}/",
        {"cautions": [{"tag": "static-hold", "text": "Our own caution."}]},
        format="json",
    )
    assert response.status_code == 200

    lines = run_command()

    assert list(sciatica.cautions.values_list("text", flat=True)) == ["Our own caution."]
    assert report_line(lines, "conditions") == (
        "conditions: 0 added, 0 updated, 2 unchanged, 1 skipped (changed by an editor)"
    )


def test_an_editors_change_wins_even_when_the_data_file_changes_that_record(as_editor, tmp_path):
    load_catalogue()
    note = SafetyNote.objects.get(slug="warm-up")
    response = as_editor.patch(
        f"/api/v1/safety-notes/{note.pk}/", {"text": "Walk for ten minutes first."}, format="json"
    )
    assert response.status_code == 200
    data = read_catalogue()
    entry(data, "safety_notes", "warm-up")["text"] = "Walk gently for 5 minutes first."

    report = load_catalogue(write_catalogue(tmp_path, data))

    note.refresh_from_db()
    assert note.text == "Walk for ten minutes first."
    assert report_line(report.lines(), "safety notes") == (
        "safety notes: 0 added, 0 updated, 42 unchanged, 1 skipped (changed by an editor)"
    )


def test_changed_steps_count_as_an_editors_change(as_editor, tmp_path):
    load_catalogue()
    exercise = Exercise.objects.get(slug="plank")
    as_editor.patch(
        f"/api/v1/exercises/{exercise.pk}/", {"steps": ["Hold a straight line."]}, format="json"
    )
    data = read_catalogue()
    entry(data, "exercises", "plank")["steps"].append("Breathe out.")

    load_catalogue(write_catalogue(tmp_path, data))

    assert list(exercise.steps.values_list("text", flat=True)) == ["Hold a straight line."]


def test_an_untouched_record_is_updated_when_the_data_file_improves(tmp_path):
    load_catalogue()
    data = read_catalogue()
    plank = entry(data, "exercises", "plank")
    plank["summary"] = "A better summary."
    plank["steps"] = ["First step.", "Second step."]
    plank["tags"] = []
    entry(data, "safety_notes", "warm-up")["text"] = "Walk gently for 5 minutes first."
    entry(data, "assessments", "sit-and-reach")["interpretation"] = "Clearer wording."
    sciatica = entry(data, "conditions", "sciatica")
    sciatica["cautions"] = sciatica["cautions"][:1]

    report = load_catalogue(write_catalogue(tmp_path, data))

    exercise = Exercise.objects.get(slug="plank")
    assert exercise.summary == "A better summary."
    assert list(exercise.steps.values_list("text", flat=True)) == ["First step.", "Second step."]
    assert not exercise.tags.exists()
    assert SafetyNote.objects.get(slug="warm-up").text == "Walk gently for 5 minutes first."
    assert Assessment.objects.get(slug="sit-and-reach").interpretation == "Clearer wording."
    assert Condition.objects.get(slug="sciatica").cautions.count() == 1
    assert report.lines() == [
        "assessments: 0 added, 1 updated, 4 unchanged, 0 skipped (changed by an editor)",
        "body regions: 0 added, 0 updated, 7 unchanged, 0 skipped (changed by an editor)",
        "conditions: 0 added, 1 updated, 2 unchanged, 0 skipped (changed by an editor)",
        "equipment: 0 added, 0 updated, 11 unchanged, 0 skipped (changed by an editor)",
        "exercises: 0 added, 1 updated, 16 unchanged, 0 skipped (changed by an editor)",
        "glossary terms: 0 added, 0 updated, 5 unchanged, 0 skipped (changed by an editor)",
        "illustrations: 0 added, 0 updated, 22 unchanged, 0 skipped (changed by an editor)",
        "safety notes: 0 added, 1 updated, 42 unchanged, 0 skipped (changed by an editor)",
        "sources: 0 added, 0 updated, 8 unchanged, 0 skipped (changed by an editor)",
        "tags: 0 added, 0 updated, 8 unchanged, 0 skipped (changed by an editor)",
        # The kept caution kept its translations; the removed ones took theirs with them.
        "translations (ar): 0 added, 0 updated, 307 unchanged, 0 skipped (changed by an editor)",
        "translations (es): 0 added, 0 updated, 307 unchanged, 0 skipped (changed by an editor)",
    ]


def test_an_updated_record_is_still_recognised_as_untouched_afterwards(tmp_path):
    load_catalogue()
    data = read_catalogue()
    entry(data, "exercises", "plank")["summary"] = "A better summary."
    path = write_catalogue(tmp_path, data)
    load_catalogue(path)
    entry(data, "exercises", "plank")["summary"] = "An even better summary."

    report = load_catalogue(write_catalogue(tmp_path, data))

    assert Exercise.objects.get(slug="plank").summary == "An even better summary."
    assert report_line(report.lines(), "exercises").startswith("exercises: 0 added, 1 updated")


def test_a_new_entry_in_the_data_file_is_added_on_reload(tmp_path):
    load_catalogue()
    data = read_catalogue()
    new_exercise = {**entry(data, "exercises", "plank"), "slug": "side-plank"}
    new_exercise["name"] = "Side plank"
    data["exercises"].append(new_exercise)

    lines = run_command("--file", str(write_catalogue(tmp_path, data)))

    assert Exercise.objects.get(slug="side-plank").name == "Side plank"
    assert report_line(lines, "exercises") == (
        "exercises: 1 added, 0 updated, 17 unchanged, 0 skipped (changed by an editor)"
    )


def test_a_safety_note_appended_to_a_tier_is_listed_last_in_that_tier(tmp_path, as_therapist):
    load_catalogue()
    data = read_catalogue()
    last_urgent = max(
        index for index, note in enumerate(data["safety_notes"]) if note["tier"] == "urgent"
    )
    data["safety_notes"].insert(
        last_urgent + 1,
        {"slug": "new-urgent-note", "tier": "urgent", "text": "Call us if you cannot walk."},
    )

    load_catalogue(write_catalogue(tmp_path, data))

    notes = as_therapist.get("/api/v1/safety-notes/?page_size=100").json()["results"]
    urgent = [note["slug"] for note in notes if note["tier"] == "urgent"]
    assert urgent == [
        "weakness-getting-worse",
        "leg-weakness",
        "fever",
        "weight-loss",
        "history-of-cancer",
        "after-a-fall",
        "night-pain",
        "swelling-or-shape-change",
        "severe-or-worrying",
        "new-urgent-note",
    ]


def test_a_safety_note_moved_in_the_data_file_moves_when_nobody_reordered_it(tmp_path):
    load_catalogue()
    data = read_catalogue()
    fever = entry(data, "safety_notes", "fever")
    data["safety_notes"].remove(fever)
    first_urgent = next(
        index for index, note in enumerate(data["safety_notes"]) if note["tier"] == "urgent"
    )
    data["safety_notes"].insert(first_urgent, fever)

    load_catalogue(write_catalogue(tmp_path, data))

    urgent = SafetyNote.objects.filter(tier="urgent").values_list("slug", flat=True)
    assert list(urgent[:2]) == ["fever", "weakness-getting-worse"]


def test_a_record_an_editor_deleted_is_not_brought_back(as_editor):
    load_catalogue()
    exercise = Exercise.objects.get(slug="plank")
    assert as_editor.delete(f"/api/v1/exercises/{exercise.pk}/").status_code == 204
    report = load_catalogue()
    assert not Exercise.objects.filter(slug="plank").exists()
    assert any("1 not restored (deleted by an editor)" in line for line in report.lines())


# ---------------------------------------------------------------- databases loaded earlier

NUMBERED_KEYS = {
    "back-pain-hamstring-problem": "seed-000",
    "tight-hamstrings-unseen-cause": "seed-001",
    "back-pain-hamstrings-hidden-link": "seed-002",
    "sciatica-pain-relief": "seed-003",
    "hamstring-stretch-overrated": "seed-004",
}
rename_migration = import_module("exercises.migrations.0007_descriptive_source_keys")


def with_numbered_source_keys(data) -> dict:
    """The catalogue as the first version keyed its articles: by number."""
    old = copy.deepcopy(data)
    for source in old["sources"]:
        source["key"] = NUMBERED_KEYS.get(source["key"], source["key"])
        for name in ("author", "publisher", "published"):
            source.pop(name, None)
    for kind in ("exercises", "safety_notes", "assessments"):
        for record in old[kind]:
            for reference in record.get("references", []):
                reference["source"] = NUMBERED_KEYS.get(reference["source"], reference["source"])
    return old


def test_a_database_loaded_with_numbered_source_keys_gets_the_new_keys_and_the_new_text(
    tmp_path,
):
    old = with_numbered_source_keys(read_catalogue())
    entry(old, "exercises", "bird-dog")["default_dose"]["side"] = "alternate"
    entry(old, "safety_notes", "fever")["text"] = "Do you have a fever? Call us the same day."
    entry(old, "safety_notes", "weight-loss")["text"] = "Losing weight? Call us the same day."
    load_catalogue(write_catalogue(tmp_path, old))
    Exercise.objects.filter(slug="plank").update(summary="An editor's summary.")
    # One note as the loader hashed it before this migration: every field, defaults included.
    note = SafetyNote.objects.get(slug="weight-loss")
    SafetyNote.objects.filter(pk=note.pk).update(
        catalogue_content_hash=rename_migration._earlier_hash(
            note, SafetyNoteLoader().children_state(note)
        )
    )

    rename_migration.rename_source_keys(django_apps, None)
    report = load_catalogue()

    assert set(Source.objects.values_list("key", flat=True)) == {
        *NUMBERED_KEYS,
        "clinical-default",
        "clinical-convention",
        "clinical-practice",
    }
    assert Source.objects.get(key="tight-hamstrings-unseen-cause").author == "Monica Pineider"
    assert Exercise.objects.get(slug="bird-dog").default_side == "both"
    assert SafetyNote.objects.get(slug="fever").text == (
        "Back pain with a fever, or feeling hot and shivery."
    )
    assert SafetyNote.objects.get(slug="weight-loss").text == "Losing weight without trying."
    assert Exercise.objects.get(slug="plank").summary == "An editor's summary."
    assert not SafetyNote.objects.filter(references__contains="seed-")
    assert not Assessment.objects.filter(references__contains="seed-")
    assert report_line(report.lines(), "exercises") == (
        "exercises: 0 added, 16 updated, 0 unchanged, 1 skipped (changed by an editor)"
    )
    assert report_line(report.lines(), "safety notes").endswith(
        ", 0 skipped (changed by an editor)"
    )


def test_a_source_an_editor_described_keeps_the_editors_words():
    old_source = Source.objects.create(key="seed-001", title="Tight hamstrings", author="M. P.")

    rename_migration.rename_source_keys(django_apps, None)

    old_source.refresh_from_db()
    assert (old_source.key, old_source.author, old_source.published) == (
        "tight-hamstrings-unseen-cause",
        "M. P.",
        "9 June",
    )


def test_a_database_loaded_before_the_dose_declaration_gets_it_and_the_new_texts(tmp_path):
    """Records loaded from the earlier data file (no declaration, no side texts, cues only)
    are untouched records: the next load updates every one of them."""
    data = read_catalogue()
    new_keys = ("feel", "tips", "side_texts", "alternative")
    for exercise in data["exercises"]:
        exercise["cues"] = [*exercise.get("feel", []), *exercise.get("tips", [])]
        for key in (*new_keys, "required_dose_fields", "used_dose_fields"):
            exercise.pop(key, None)
    for condition in data["conditions"]:
        for caution in condition["cautions"]:
            caution.pop("alternative", None)
    load_catalogue(write_catalogue(tmp_path, data))
    assert Exercise.objects.get(slug="downward-dog").required_dose_fields == []

    report = load_catalogue()

    assert report_line(report.lines(), "exercises") == (
        "exercises: 0 added, 17 updated, 0 unchanged, 0 skipped (changed by an editor)"
    )
    # Of the conditions, only the disc injury's cautions name an alternative.
    assert report_line(report.lines(), "conditions").startswith("conditions: 0 added, 1 updated")
    disc = Condition.objects.get(slug="disc-injury")
    assert sorted(filter(None, disc.cautions.values_list("alternative_category", flat=True))) == [
        "stretch",
        "stretch",
        "stretch",
    ]
    stretch = Exercise.objects.get(slug="standing-hamstring-stretch-step")
    assert stretch.required_dose_fields == ["hold_seconds", "side"]
    assert stretch.left_side_text == "Stretch your left leg. Stand on your right leg."
    assert stretch.alternative_text == ""
    assert Exercise.objects.get(slug="downward-dog").cues.startswith("Hips high, back long.")
    assert load_catalogue().counts[("exercises", "unchanged")] == 17


def spanish_translation(original, field="text") -> CatalogueTranslation:
    return CatalogueTranslation.objects.get(
        content_type=ContentType.objects.get_for_model(original),
        object_id=original.pk,
        field=field,
        language="es",
    )


def mark_reviewed(translation: CatalogueTranslation) -> None:
    translation.status = ReviewStatus.REVIEWED
    save_translation(translation, reviewer="Dr Ana Ruiz")


def test_reloading_a_changed_catalogue_keeps_the_reviewed_translations_of_unchanged_texts(
    tmp_path,
):
    load_catalogue()
    exercise = Exercise.objects.get(slug="supine-hamstring-stretch")
    sciatica = Condition.objects.get(slug="sciatica")
    kept_step, reworded_step = exercise.steps.order_by("order")[:2]
    kept_caution, reworded_caution = sciatica.cautions.order_by("id")[:2]
    variant = SafetyNote.objects.get(slug="stop-signs").variants.get(
        condition=sciatica, combined_with=None
    )
    reviewed = [kept_step, reworded_step, kept_caution, reworded_caution, variant]
    for original in reviewed:
        mark_reviewed(spanish_translation(original))
    data = read_catalogue()
    steps = entry(data, "exercises", "supine-hamstring-stretch")["steps"]
    steps[1] = "Bend one knee up towards you slowly."
    steps.insert(0, "Find a quiet place.")
    cautions = entry(data, "conditions", "sciatica")["cautions"]
    cautions[1]["text"] = "This set-up pulls on the sciatic nerve: go gently."
    variants = entry(data, "safety_notes", "stop-signs")["condition_variants"]
    variants.reverse()

    load_catalogue(write_catalogue(tmp_path, data))

    def review_of(original) -> tuple[str, str]:
        translation = spanish_translation(type(original).objects.get(pk=original.pk))
        return review_state(translation), translation.reviewer

    assert [review_of(original) for original in reviewed] == [
        (ReviewStatus.REVIEWED, "Dr Ana Ruiz"),  # moved down one place, same words
        (OUTDATED, "Dr Ana Ruiz"),  # reworded: the reviewer sees what they reviewed
        (ReviewStatus.REVIEWED, "Dr Ana Ruiz"),
        (OUTDATED, "Dr Ana Ruiz"),
        (ReviewStatus.REVIEWED, "Dr Ana Ruiz"),  # listed in another order
    ]
    assert exercise.steps.get(pk=kept_step.pk).order == kept_step.order + 1
    assert list(exercise.steps.values_list("text", flat=True))[:3] == [
        "Find a quiet place.",
        kept_step.text,
        "Bend one knee up towards you slowly.",
    ]


def test_reloading_gives_a_reworded_text_the_shipped_translation_unless_it_was_reviewed(
    tmp_path,
):
    load_catalogue()
    exercise = Exercise.objects.get(slug="supine-hamstring-stretch")
    first_step, second_step = exercise.steps.order_by("order")[:2]
    translation_of_second = spanish_translation(second_step).text
    data = read_catalogue()
    steps = entry(data, "exercises", "supine-hamstring-stretch")["steps"]
    # The first step now says what the second said: the shipped file translates it.
    steps[0] = second_step.text

    load_catalogue(write_catalogue(tmp_path, data))

    translation = spanish_translation(first_step)
    assert (translation.text, review_state(translation)) == (
        translation_of_second,
        ReviewStatus.MACHINE_ASSISTED,
    )
