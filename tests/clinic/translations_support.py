"""What the translation tests share: the shipped catalogues and the messages of modules."""

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from clinic.translations import LOCALE_DIR

# What a patient reads on the handout, and what refuses one: every fixed string is translated.
HANDOUT_MODULES = (
    "exercises/wording.py",
    "prescriptions/dosing.py",
    "prescriptions/handouts/content.py",
    "prescriptions/handouts/issue.py",
    "prescriptions/handouts/layout.py",
    "prescriptions/handouts/pdf.py",
    "prescriptions/handouts/pictures.py",
)
# What the API and the admin answer a user: rules, warnings, refusals and errors.
MESSAGE_MODULES = (
    "clinic/api/exceptions.py",
    "clinic/api/filters.py",
    "clinic/api/parsers.py",
    "clinic/idempotency.py",
    "clinic/middleware.py",
    "prescriptions/permissions.py",
    "prescriptions/rules.py",
    "prescriptions/services.py",
    "prescriptions/warnings.py",
)
# Spanish a patient reads: each sentence of eight words or more at Fernández-Huerta 80 or above.
EASY = 80
LONG_ENOUGH = 8
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
}


def shipped_catalog(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def message_ids(modules=HANDOUT_MODULES, *, plurals: bool = False) -> set[str]:
    """The message ids these modules mark for translation: a plural's by its singular, and by
    its plural too when asked."""
    root = LOCALE_DIR.parent
    ids = set()
    for module in modules:
        for _line, message, _comments, _context in extract_from_file(
            "python", root / module, keywords=KEYWORDS
        ):
            if isinstance(message, str):
                ids.add(message)
            else:
                ids.update(message if plurals else message[:1])
    return ids
