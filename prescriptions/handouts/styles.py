"""Fonts, sizes and colours of the handout: readable by someone in pain without their glasses."""

import dataclasses
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from clinics.models import PaperSize
from prescriptions.handouts.pictures import PICTURE_COLUMN, STANDING_BODY_HEIGHT

FONT_DIR = Path(__file__).with_name("fonts")
BODY_FONT = "DejaVuSans"
BOLD_FONT = "DejaVuSans-Bold"
PAPER_SIZES: dict[str, tuple[float, float]] = {PaperSize.A4: A4, PaperSize.LETTER: LETTER}
MARGIN = 15 * mm
INK = colors.HexColor("#111111")
CAUTION_FILL = colors.HexColor("#FFF4D6")
ALERT_FILL = colors.HexColor("#FDE8E8")
SHADE = colors.HexColor("#EEEEEE")
# A bilingual sheet's second language: visibly secondary, still dark enough to read easily
# (about 8:1 on white, 7:1 on the caution box's fill).
SECOND_LANGUAGE_INK = colors.HexColor("#505050")
# The emergency tier stands apart in greyscale too: a heavy frame against a thin one.
HEAVY_FRAME = 3
THIN_FRAME = 0.75
# Lines of 50 to 75 characters: in DejaVu Sans an average character of running English text
# is ~0.5 em wide, so a measure of 35 em holds ~70 characters a line.
MEASURE_EMS = 35


@cache
def register_fonts() -> None:
    """Embeds DejaVu Sans (Latin, Greek, Cyrillic), shipped with the project under its licence."""
    pdfmetrics.registerFont(TTFont(BODY_FONT, FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD_FONT, FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(
        BODY_FONT, normal=BODY_FONT, bold=BOLD_FONT, italic=BODY_FONT, boldItalic=BOLD_FONT
    )


@cache
def _printable_codepoints() -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(BODY_FONT).face.charToGlyph)


def unprintable_characters(text: str) -> str:
    """The characters of `text` the handout cannot print: no glyph in its font (printed as a
    box), or outside the Basic Multilingual Plane, which reportlab cannot map back to text."""
    printable = _printable_codepoints()
    return "".join(
        sorted(
            {
                char
                for char in text
                if not char.isspace() and (ord(char) > 0xFFFF or ord(char) not in printable)
            }
        )
    )


# Clear print (issue 25): body text 12 pt on A4 and
# letter, the log and picture captions 11 pt, the footer 9 pt; in large print 16 pt for every
# word but the footer's.
BODY_SIZE = 12
SMALL_SIZE = 11
FOOTER_SIZE = 9
LARGE_PRINT_SIZE = 16
# The footer's one line holds page, prescription, date and fingerprint: 10 pt still fits.
LARGE_PRINT_FOOTER_SIZE = 10
# The tallest a card's pictures stand on A4 and letter; large print scales every picture (and
# the picture column) with its type, so a picture stays the same size beside its words.
PICTURE_HEIGHT = 90 * mm
# The widest a card's picture column may be, as a share of the text frame: a third keeps the
# text beside it at a readable measure; large print widens it by the same scale as the type.
PICTURE_SHARE = 1 / 3


@dataclass(frozen=True)
class HandoutStyles:
    """`measure` is the widest a line of text may run; `picture_column` the narrowest column
    of a card's pictures (start above end), `picture_share` the widest as a share of the page's
    text frame; `picture_height` the tallest an uploaded picture (or a frame that does not
    stand) may be drawn."""

    body: ParagraphStyle
    detail: ParagraphStyle
    bullet: ParagraphStyle
    panel_bullet: ParagraphStyle
    step: ParagraphStyle
    caution_box: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    exercise_heading: ParagraphStyle
    box_heading: ParagraphStyle
    label: ParagraphStyle
    footer_size: float
    draft_size: float
    grid_padding: float
    measure: float
    # Exercise pictures: how tall a standing body is drawn (A4 sizes from pictures.py).
    picture_body_height: float
    picture_column: float
    picture_share: float
    picture_height: float
    tick_size: float
    log_label_share: float
    # Issue 25 lets a card taller than half a page break after its steps in large print only;
    # on A4 and letter every card stays whole on one page.
    cards_break_after_steps: bool


@cache
def handout_styles(large_print: bool) -> HandoutStyles:
    register_fonts()
    size = LARGE_PRINT_SIZE if large_print else BODY_SIZE
    # The log, captions and the clinic's address lines: a size smaller, never below 16 pt in
    # large print.
    small_size = LARGE_PRINT_SIZE if large_print else SMALL_SIZE
    picture_scale = size / BODY_SIZE
    leading = size * 1.3

    def style(name, font=BODY_FONT, font_size=size, space_before=0, space_after=size * 0.2):
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=font_size,
            leading=font_size * 1.25 if font_size != size else leading,
            textColor=INK,
            alignment=TA_LEFT,
            spaceBefore=space_before,
            spaceAfter=space_after,
            splitLongWords=True,
            # A heading or a label never ends a page: it moves on with what it introduces.
            keepWithNext=font == BOLD_FONT,
            # Read by the layout's Paragraph: no line runs wider, whatever room there is.
            measure=MEASURE_EMS * size,
        )

    bullet = style("bullet", space_after=size * 0.1)
    bullet.leftIndent = size * 1.3
    bullet.bulletIndent = size * 0.2
    bullet.bulletFontName = BOLD_FONT
    step = style("step", space_after=size * 0.1)
    step.leftIndent = size * 1.6
    step.bulletFontName = BOLD_FONT
    step.bulletFontSize = bullet.bulletFontSize = size
    # The help panel's signs: the same type and leading, no gap between them, so the whole
    # panel fits page 1 on A4 and letter.
    panel_bullet = ParagraphStyle("panel_bullet", parent=bullet, spaceAfter=0)
    caution_box = style("caution", space_before=size * 0.5, space_after=size * 0.4)
    caution_box.borderWidth = 1.5
    caution_box.borderColor = INK
    caution_box.backColor = CAUTION_FILL
    caution_box.borderPadding = (size * 0.35, size * 0.5)
    caution_box.leftIndent = caution_box.rightIndent = size * 0.6
    small = style("small", font_size=small_size)
    return HandoutStyles(
        body=style("body"),
        detail=style("detail", space_after=size * 0.05),
        bullet=bullet,
        panel_bullet=panel_bullet,
        step=step,
        caution_box=caution_box,
        small=small,
        title=style("title", BOLD_FONT, size * 1.6, space_after=size * 0.4),
        heading=style("heading", BOLD_FONT, size * 1.4, space_before=size, space_after=size * 0.5),
        exercise_heading=style("exercise", BOLD_FONT, size * 1.3, space_before=size * 0.3),
        box_heading=style("box", BOLD_FONT, size, space_after=size * 0.3),
        label=style("label", BOLD_FONT, size, space_before=size * 0.3, space_after=size * 0.2),
        footer_size=LARGE_PRINT_FOOTER_SIZE if large_print else FOOTER_SIZE,
        draft_size=72,
        grid_padding=size * 0.3,
        measure=MEASURE_EMS * size,
        picture_body_height=STANDING_BODY_HEIGHT * picture_scale,
        picture_column=PICTURE_COLUMN * picture_scale,
        picture_share=PICTURE_SHARE * picture_scale,
        picture_height=PICTURE_HEIGHT * picture_scale,
        tick_size=size * 1.4,
        # The log's exercise names take this share of its width; the days share the rest.
        log_label_share=0.36 if large_print else 0.42,
        cards_break_after_steps=large_print,
    )


@cache
def second_language_styles(styles: HandoutStyles) -> HandoutStyles:
    """The styles of a bilingual sheet's second language: the same type (never below the
    minimum sizes) in a lighter ink, so the first language leads; a card's name drops to the
    size of the box headings."""

    def secondary(style: ParagraphStyle) -> ParagraphStyle:
        return ParagraphStyle(
            f"{style.name}-second-language", parent=style, textColor=SECOND_LANGUAGE_INK
        )

    muted = {
        field.name: secondary(getattr(styles, field.name))
        for field in dataclasses.fields(styles)
        if isinstance(getattr(styles, field.name), ParagraphStyle)
    }
    muted["exercise_heading"] = secondary(styles.box_heading)
    return dataclasses.replace(styles, **muted)
