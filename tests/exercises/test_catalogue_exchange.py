"""The catalogue's texts go out to translators as a PO file and come back the same way."""

import pytest
from babel.messages.pofile import read_po
from django.core.management import CommandError, call_command

from exercises.models import CatalogueTranslation
from exercises.translations import translate
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


def test_keep_existing_leaves_an_editor_s_translation_alone(tmp_path):
    exercise = factories.ExerciseFactory(name="Knee hug")
    translate(exercise, "name", "es", "Rodilla al pecho", status="reviewed", reviewer="Ana")
    po_file = tmp_path / "es.po"
    po_file.write_text('msgid "Knee hug"\nmsgstr "Abrazo de rodilla"\n', encoding="utf-8")

    call_command("import_catalogue_texts", po_file, language="es", keep_existing=True)

    assert CatalogueTranslation.objects.get().text == "Rodilla al pecho"


def test_a_language_not_offered_is_refused_by_name(tmp_path):
    with pytest.raises(CommandError, match="--language: fr is not in LANGUAGES"):
        call_command("export_catalogue_texts", language="fr", output=tmp_path / "fr.po")
