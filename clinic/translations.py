"""Compiles the committed .po files under locale/ into the .mo files Django reads.

Babel does it in Python, so neither the set-up nor CI needs GNU gettext's msgfmt. Run by
scripts/_env.sh and before the tests: `python -m clinic.translations`.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_translations(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Writes each .po's .mo beside it (fuzzy entries left out, as msgfmt does); returns them."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_translations():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
