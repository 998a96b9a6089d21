"""Right-to-left handouts (Arabic) without reportlab's own bidi support, whose library is not
on PyPI: letters are joined (arabic-reshaper) BEFORE lines are broken, because a joined letter
has another width; each broken line is put in visual order (python-bidi) AFTER, because a
paragraph reordered first would break its lines in the wrong places and read last line first.

The content marks what must stay left to right inside Arabic text (phone numbers) with
`isolate`; its marks are dropped once a line is in visual order (the font has no glyph for
them). Doses and dates need no mark: a number is a left-to-right run of its own. Knows
nothing of the database; the layout calls it.
"""

import copy
import re
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from arabic_reshaper import ArabicReshaper
from bidi import get_base_level
from bidi.algorithm import get_display
from django.utils import translation
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

# python-bidi's Python algorithm mirrors brackets in right-to-left text (rule L4: "(" drawn
# as ")"), which its default (Rust) one leaves to the renderer; it predates the isolating
# marks, so a left-to-right run is kept with an embedding, which holds a phone number alike.
LEFT_TO_RIGHT_EMBEDDING = "\u202a"
POP_DIRECTIONAL_FORMATTING = "\u202c"
_INVISIBLE_MARKS = str.maketrans("", "", f"{LEFT_TO_RIGHT_EMBEDDING}{POP_DIRECTIONAL_FORMATTING}")
_TAGS_AND_ENTITIES = re.compile(r"<[^>]*>|&#?\w+;")

# The short-vowel marks (harakat) are kept: the texts mark only the words a reader could
# otherwise misread ("الرِّجل", the leg, not "الرَّجل", the man). A kept mark stays before its
# letter in visual order, and DejaVu Sans draws its marks with no advance, over the glyph after
# them: over their own letter.
_RESHAPER = ArabicReshaper(configuration={"delete_harakat": False})


def right_to_left() -> bool:
    """Whether the language being printed (the render's active language) reads right to left."""
    return translation.get_language_bidi()


def isolate(text: str) -> str:
    """Text that keeps its own left-to-right order inside right-to-left text ("+44 20 7946
    0000" would otherwise print as "0000 7946 20 44+"). Nothing changes in a left-to-right
    language."""
    if not text or not right_to_left():
        return text
    return f"{LEFT_TO_RIGHT_EMBEDDING}{text}{POP_DIRECTIONAL_FORMATTING}"


NO_BREAK_SPACE = "\u00a0"
# A number written in groups ("0800 611 116", "+44 20 7946 0000") or a range ("0–10"): one
# left-to-right run.
_GROUPED_NUMBER = re.compile(r"\+?\d+(?:[ .\-–]\d+)+")


def unbroken(text: str) -> str:
    """A phone number or a date that never breaks across lines ("020 7946 / 0000" cannot be
    dialled): its spaces are non-breaking."""
    return text.replace(" ", NO_BREAK_SPACE)


def phone_number(number: str) -> str:
    """A phone number as printed: on one line and, in right-to-left text, in its own order."""
    return isolate(unbroken(number))


def isolate_numbers(text: str) -> str:
    """Text with each number written in groups printed as a phone number, so one inside a
    sentence (the clinic's out-of-hours advice, its contact line, the log's pain range) stays
    on one line and keeps its groups in order in right-to-left text: "0–10", not "10–0"."""
    return _GROUPED_NUMBER.sub(lambda number: phone_number(number.group()), text)


def joined(text: str) -> str:
    """Arabic letters in their joined forms, in logical order: before line breaking."""
    return _RESHAPER.reshape(text) if right_to_left() else text


@cache
def right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    """The style mirrored for right-to-left text: aligned right, its indents swapped."""
    mirrored = copy.copy(style)
    mirrored.name = f"{style.name}-right-to-left"
    mirrored.alignment = TA_RIGHT
    mirrored.leftIndent, mirrored.rightIndent = style.rightIndent, style.leftIndent
    return mirrored


def base_direction(markup: str) -> str:
    """ "R" or "L": the direction of a paragraph's first letter, tags and entities aside (an
    English catalogue text in an Arabic handout still reads left to right, its full stop at
    the end); a paragraph with no letter follows the handout ("R")."""
    text = _TAGS_AND_ENTITIES.sub("", markup)
    if not any(unicodedata.bidirectional(char) in ("L", "R", "AL") for char in text):
        return "R"
    return "R" if get_base_level(text) else "L"


_SIDES = {"LEFTPADDING": "RIGHTPADDING", "RIGHTPADDING": "LEFTPADDING"}


def mirrored_columns(rows: list, widths: list, commands: list) -> tuple[list, list, list]:
    """A table's rows, column widths and style commands with its columns in reverse order (and
    left and right padding swapped, text aligned right) in a right-to-left language: the log's
    exercise names stand on the right, the first day beside them; as they are otherwise."""
    if not right_to_left():
        return rows, widths, commands
    count = len(widths)

    def column(index: int) -> int:
        return count - 1 - index % count

    mirrored = [("ALIGN", (0, 0), (-1, -1), "RIGHT")]
    for name, (first, top), (last, bottom), *values in commands:
        start, end = sorted((column(first), column(last)))
        mirrored.append((_SIDES.get(name, name), (start, top), (end, bottom), *values))
    return [row[::-1] for row in rows], widths[::-1], mirrored


def visual(line: str, direction: str = "R") -> str:
    """One line, already broken, in the order it is drawn left to right."""
    return get_display(line, base_dir=direction).translate(_INVISIBLE_MARKS)


def printed_line(text: str) -> str:
    """A string drawn as it is (a table cell's line, the footer): joined, then visual."""
    if not right_to_left():
        return text
    return visual(joined(text), base_direction(escape(text)))


def visual_lines(lines: list, kind: int, direction: str) -> list:
    """Copies of a broken paragraph's lines in visual order, for drawing only (a paragraph
    split across pages is split from its logical lines). Plain lines (kind 0) hold words;
    lines of styled fragments (kind 1) hold fragments (a fragment is one style: a bold label,
    the text after it), whose texts reorder within themselves and, right to left, whose
    order reverses."""
    if kind == 0:
        return [(extra_space, [visual(" ".join(words), direction)]) for extra_space, words in lines]
    drawn = []
    for line in lines:
        line = copy.copy(line)
        fragments = line.words[::-1] if direction == "R" else line.words
        line.words = [
            fragment.clone(text=visual(fragment.text, direction)) for fragment in fragments
        ]
        drawn.append(line)
    return drawn
