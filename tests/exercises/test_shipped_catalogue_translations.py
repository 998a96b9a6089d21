"""The default catalogue ships in Spanish and Arabic, every patient-facing text, marked
machine-assisted; the Spanish reads easily (Fernández-Huerta 80 or above, textstat offline)."""

import pytest
import textstat

from exercises.catalogue.exchange import MACHINE_ASSISTED_COMMENT, export_catalog, read_catalog
from exercises.catalogue.loader import DEFAULT_TRANSLATIONS, load_catalogue
from tests.clinic.translations_support import EASY, LONG_ENOUGH


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "ar"])
def test_every_text_of_the_default_catalogue_is_translated_and_marked_unreviewed(language):
    load_catalogue()

    entries = [message for message in export_catalog(language) if message.id]

    assert len(entries) > 250
    assert [message.id for message in entries if not message.string] == []
    assert {tuple(message.user_comments) for message in entries} == {(MACHINE_ASSISTED_COMMENT,)}


def test_the_shipped_spanish_reads_easily(spanish_syllables):
    spanish = read_catalog(DEFAULT_TRANSLATIONS / "es.po", "es")
    lines = [
        line
        for message in spanish
        if message.id
        for line in message.string.splitlines()
        if len(line.split()) >= LONG_ENOUGH
    ]
    scores = {line: textstat.fernandez_huerta(line) for line in lines}

    assert len(lines) > 200
    assert {line: score for line, score in scores.items() if score < EASY} == {}
