"""The default catalogue ships in Spanish and Arabic, every patient-facing text, marked
machine-assisted; the Spanish reads easily (Fernández-Huerta 80 or above, textstat offline)."""

import re

import pytest
import textstat

from exercises.catalogue.exchange import MACHINE_ASSISTED_COMMENT, export_catalog, read_catalog
from exercises.catalogue.loader import DEFAULT_TRANSLATIONS, load_catalogue
from tests.clinic.translations_support import EASY, LONG_ENOUGH, shipped_catalog


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


# "رجل" is the leg with a kasra under its ر (رِجل, الرِّجل, رِجلك) and the man without (رَجُل).
LEG_LETTERS = re.compile(r"ر(?P<marks>[\u064b-\u0652]*)ج[\u064b-\u0652]*ل")
KASRA = "\u0650"


def translated_texts(catalog) -> list[str]:
    """Every translation of a catalogue, each plural form of a plural message."""
    return [
        text
        for message in catalog
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
    ]


def test_every_arabic_leg_word_carries_the_kasra_that_tells_it_from_the_man():
    texts = translated_texts(read_catalog(DEFAULT_TRANSLATIONS / "ar.po", "ar")) + (
        translated_texts(shipped_catalog("ar"))
    )
    leg_words = [word for text in texts for word in text.split() if LEG_LETTERS.search(word)]

    assert len(leg_words) > 100
    assert [word for word in leg_words if KASRA not in LEG_LETTERS.search(word)["marks"]] == []


# Bare, these read as nouns: tension, extension, near, foot.
IMPERATIVES_READ_AS_NOUNS = {"شد", "مد", "قرب", "قدم"}


def test_no_arabic_step_opens_with_a_verb_a_reader_could_take_for_a_noun():
    steps = [
        message.string
        for message in read_catalog(DEFAULT_TRANSLATIONS / "ar.po", "ar")
        if any(place.startswith("exercisestep ") for place in message.auto_comments)
    ]

    assert len(steps) > 50
    assert [step for step in steps if step.split()[0] in IMPERATIVES_READ_AS_NOUNS] == []
