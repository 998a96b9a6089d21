"""The catalogue's texts go out to translators as a PO file and come back the same way."""

import importlib
import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from exercises.catalogue.loader import load_catalogue
from exercises.models import CatalogueTranslation, Condition, ReviewStatus
from exercises.translations import save_translation, translate
from tests import factories

pytestmark = pytest.mark.django_db


def stored() -> set[tuple]:
    return {
        (
            row.object_id,
            row.field,
            row.text,
            row.status,
            row.reviewer,
            row.reviewed_at.date() if row.reviewed_at else None,
        )
        for row in CatalogueTranslation.objects.filter(language="es")
    }


def test_texts_exported_and_imported_again_come_back_as_they_were(tmp_path):
    exercise = factories.ExerciseFactory(name="Knee hug", cues="Breathe out.\nGo slowly.")
    translate(exercise, "name", "es", "Abrazo de rodilla", status="reviewed", reviewer="Dra. Ruiz")
    translate(exercise, "cues", "es", "Suelta el aire.\nVe despacio.")
    before = stored()
    po_file = tmp_path / "es.po"

    call_command("export_catalogue_texts", language="es", output=po_file)
    CatalogueTranslation.objects.all().delete()
    call_command("import_catalogue_texts", po_file, language="es")

    assert stored() == before
    with po_file.open("rb") as handle:
        exported = {message.id: message for message in read_po(handle) if message.id}
    assert exported["Knee hug"].string == "Abrazo de rodilla"
    assert exported["Knee hug"].user_comments[0].startswith("reviewed by Dra. Ruiz on ")
    assert exported["Breathe out.\nGo slowly."].user_comments == ["machine-assisted, not reviewed"]
    # Every step waits for a translator, its msgstr empty.
    assert exported["Lie on your back with both legs straight."].string == ""


def test_a_text_said_twice_is_one_entry_translated_in_both_places(tmp_path):
    first = factories.ExerciseFactory(safety_notes="Stop if it hurts.")
    second = factories.ExerciseFactory(safety_notes="Stop if it hurts.")
    po_file = tmp_path / "es.po"
    po_file.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# machine-assisted, not reviewed\nmsgid "Stop if it hurts."\nmsgstr "Para si duele."\n',
        encoding="utf-8",
    )

    call_command("import_catalogue_texts", po_file, language="es")

    rows = CatalogueTranslation.objects.filter(field="safety_notes")
    assert {row.object_id for row in rows} == {first.pk, second.pk}
    assert {row.text for row in rows} == {"Para si duele."}


def po_file(tmp_path, english: str, spanish: str) -> Path:
    path = tmp_path / "es.po"
    path.write_text(
        f'# machine-assisted, not reviewed\nmsgid "{english}"\nmsgstr "{spanish}"\n',
        encoding="utf-8",
    )
    return path


def imported(path: Path, **options) -> str:
    """What the import command says."""
    output = io.StringIO()
    call_command("import_catalogue_texts", path, language="es", stdout=output, **options)
    return output.getvalue()


def translations_of(original, language: str):
    return CatalogueTranslation.objects.filter(
        content_type=ContentType.objects.get_for_model(original),
        object_id=original.pk,
        language=language,
    )


def spanish_name(exercise) -> CatalogueTranslation:
    return translations_of(exercise, "es").get(field="name")


def test_a_newer_file_replaces_a_translation_nobody_changed_since_the_last_file(tmp_path):
    exercise = factories.ExerciseFactory(name="Knee hug")
    imported(po_file(tmp_path, "Knee hug", "Abrazo rodilla"))

    said = imported(po_file(tmp_path, "Knee hug", "Abrazo de rodilla"))

    assert spanish_name(exercise).text == "Abrazo de rodilla"
    assert said.startswith("0 added, 1 replaced, 0 unchanged, 0 kept")


def test_a_translation_an_editor_changed_is_kept_and_listed(tmp_path):
    exercise = factories.ExerciseFactory(name="Knee hug")
    imported(po_file(tmp_path, "Knee hug", "Abrazo rodilla"))
    translate(exercise, "name", "es", "Rodilla al pecho")  # as the admin saves it

    said = imported(po_file(tmp_path, "Knee hug", "Abrazo de rodilla"))

    assert spanish_name(exercise).text == "Rodilla al pecho"
    assert "0 replaced, 0 unchanged, 1 kept" in said
    assert (
        "kept 1 edited translation (replaced only with --overwrite-edited):\n"
        f"  exercise {exercise.pk} name (edited): Rodilla al pecho\n"
    ) in said


def test_a_reviewed_translation_is_kept_and_listed_with_its_reviewer(tmp_path):
    exercise = factories.ExerciseFactory(name="Knee hug")
    imported(po_file(tmp_path, "Knee hug", "Abrazo rodilla"))
    translation = spanish_name(exercise)
    translation.status = ReviewStatus.REVIEWED  # the words unchanged, as the admin saves it
    save_translation(translation, reviewer="Dra. Ruiz")

    said = imported(po_file(tmp_path, "Knee hug", "Abrazo de rodilla"))

    assert (spanish_name(exercise).text, spanish_name(exercise).status) == (
        "Abrazo rodilla",
        ReviewStatus.REVIEWED,
    )
    assert f"exercise {exercise.pk} name (reviewed by Dra. Ruiz): Abrazo rodilla" in said


def test_overwrite_edited_replaces_edited_and_reviewed_translations(tmp_path):
    edited = factories.ExerciseFactory(name="Knee hug")
    reviewed = factories.ExerciseFactory(name="Knee hug")
    translate(edited, "name", "es", "Rodilla al pecho")
    translate(reviewed, "name", "es", "Abrazo rodilla", status="reviewed", reviewer="Ana")

    said = imported(po_file(tmp_path, "Knee hug", "Abrazo de rodilla"), overwrite_edited=True)

    assert {
        (spanish_name(exercise).text, spanish_name(exercise).status)
        for exercise in (edited, reviewed)
    } == {("Abrazo de rodilla", ReviewStatus.MACHINE_ASSISTED)}
    assert said == "0 added, 2 replaced, 0 unchanged, 0 kept, 0 unmatched\n"


def test_an_install_loaded_before_today_takes_the_new_shipped_wording_and_keeps_its_edits():
    """An install that loaded the first shipped Arabic ("ألم الساق", the shin) and whose
    editor reworded a condition's name: after the migration that records which rows are the
    shipped words, reloading the catalogue brings the reviewed wording to the first only."""
    load_catalogue()
    arabic = translations_of(Condition.objects.get(slug="sciatica"), "ar")
    arabic.filter(field="pain_label").update(text="ألم الساق", imported_checksum="")
    arabic.filter(field="name").update(text="عرق النسا (كتبه المحرر)", imported_checksum="")
    migration = importlib.import_module(
        "exercises.migrations.0020_ar9_translation_imported_checksum"
    )
    migration.mark_shipped_wording(django_apps, None)

    report = load_catalogue()

    assert arabic.get(field="pain_label").text == "ألم الرِّجل"
    assert arabic.get(field="name").text == "عرق النسا (كتبه المحرر)"
    assert report.counts[("translations (ar)", "updated")] == 1
    assert report.counts[("translations (ar)", "skipped")] == 1


def test_a_language_not_offered_is_refused_by_name(tmp_path):
    with pytest.raises(CommandError, match="--language: fr is not in LANGUAGES"):
        call_command("export_catalogue_texts", language="fr", output=tmp_path / "fr.po")
