"""The shipped languages: offered from settings, compiled by Babel, every handout string
translated (machine-assisted, not reviewed), each plural message with all its forms."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from django.conf import settings

from clinic.translations import LOCALE_DIR, compile_translations
from tests.clinic.translations_support import (
    HANDOUT_MODULES,
    MESSAGE_MODULES,
    message_ids,
    shipped_catalog,
)

SHIPPED = ("es", "ar")
PLURAL_FORMS = {"es": 2, "ar": 6}


def test_the_languages_offered_default_to_english_spanish_and_arabic():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es", "ar"]


def test_babel_compiles_each_po_file_into_the_mo_file_django_reads(tmp_path: Path):
    messages = tmp_path / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_bytes(
        (LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po").read_bytes()
    )
    [written] = compile_translations(tmp_path)
    with written.open("rb") as mo_file:
        compiled = read_mo(mo_file)
    assert compiled.get("Your exercises").string == "Tus ejercicios"


@pytest.mark.parametrize("modules", [HANDOUT_MODULES, MESSAGE_MODULES], ids=["handout", "api"])
@pytest.mark.parametrize("language", SHIPPED)
def test_every_handout_and_api_message_is_translated_and_marked_not_reviewed(language, modules):
    catalog = shipped_catalog(language)
    untranslated = []
    for message_id in sorted(message_ids(modules)):
        message = catalog.get(message_id)
        strings = (
            message.string if message and message.pluralizable else [getattr(message, "string", "")]
        )
        if not all(strings) or "machine-assisted, not reviewed" not in message.user_comments:
            untranslated.append(message_id)
    assert untranslated == []


@pytest.mark.parametrize("language", SHIPPED)
def test_each_plural_message_has_every_form_of_the_language(language):
    catalog = shipped_catalog(language)
    assert catalog.num_plurals == PLURAL_FORMS[language]
    for message in catalog:
        if message.pluralizable and any(message.string):
            assert len(message.string) == PLURAL_FORMS[language], message.id
