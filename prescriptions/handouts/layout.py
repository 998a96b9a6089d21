"""Handout -> platypus flowables. Never touches the database.

Every string from a user or the catalogue passes `markup()` exactly once before it becomes
reportlab paragraph markup, so "<b>", "&" or "<img src=...>" in a note prints literally.

Page rules: headings and labels keep with what follows (their style's keepWithNext); every
section (a heading with its list, scale or box), the help panel, each exercise card, each box
and each week of the log is kept together, so none splits unless it is longer than a page. A
page is therefore left more than a third empty only before a block that cannot split and is
taller than the gap. A card that fits on a page is whole on one page; in large print a card
taller than a page breaks after its steps (its dose and "Take care" box never split), the first
part ending "Continued on the next page" and the rest starting "N. Name (continued)".
"Your exercises" and its shared boxes stay with the first card (on the page before when
that card fits on a page but not under them). "How it should feel" comes
before the exercises it governs; the routine "Contact us" signs follow them.
"""

import copy
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Image,
    KeepInFrame,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from clinic.file_storage import STORAGE_ERRORS
from exercises.models import Tier
from prescriptions.handouts.content import (
    CHANGE_LINES_APART,
    ExerciseLog,
    ExerciseSection,
    Handout,
    HelpPanel,
    LogWeek,
    SafetySection,
    SharedBox,
)
from prescriptions.handouts.direction import (
    base_direction,
    joined,
    mirrored_columns,
    printed_line,
    right_aligned,
    right_to_left,
    visual_lines,
)
from prescriptions.handouts.paragraphs import MeasuredParagraph
from prescriptions.handouts.pictures import exercise_picture_flowables, picture_column_width
from prescriptions.handouts.pointers import (
    SAME_DAY,
    SECOND_EMERGENCY,
    WHAT_CHANGED,
    LandedPages,
    PageMark,
)
from prescriptions.handouts.styles import (
    ALERT_FILL,
    BODY_FONT,
    BOLD_FONT,
    HEAVY_FRAME,
    INK,
    SHADE,
    THIN_FRAME,
    HandoutStyles,
    second_language_styles,
)

TICK_BOX = "☐"
GUTTER = 5 * mm


class Paragraph(MeasuredParagraph):
    """A paragraph of the handout's text (see `MeasuredParagraph`).

    In a right-to-left language (direction.py) the letters are joined before the lines are
    broken, the lines align right and are drawn in visual order; a bullet or step number
    leads the text, so it stands on the right. The direction is the language active when the
    paragraph is made: a bilingual sheet makes its second language's in that language."""

    def __init__(self, text, style, bulletText=None, **kwargs):
        self.direction = "L"
        self.aligns_right = False
        self.right_to_left = right_to_left()
        if self.right_to_left and text is not None:
            if bulletText:
                text, bulletText = f"{escape(bulletText)} {text}", None
            text, self.direction = joined(text), base_direction(text)
            # An English text in an Arabic sheet (a clinician's note, a text not yet
            # translated) reads left to right from the left margin; Arabic aligns right and
            # within the frame's width its measure hangs from the right margin.
            if self.direction == "R":
                style, self.hAlign, self.aligns_right = right_aligned(style), "RIGHT", True
        super().__init__(text, style, bulletText=bulletText, **kwargs)

    def split(self, availWidth, availHeight):
        # reportlab makes the parts anew, in the language active at the page break: on a
        # bilingual sheet that is the first language's, so a second-language Arabic part drew
        # in logical order (its letters reversed). The parts keep the paragraph's direction.
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.right_to_left, part.direction = self.right_to_left, self.direction
            part.aligns_right = self.aligns_right
            if self.aligns_right:
                part.hAlign = self.hAlign
        return parts

    def drawPara(self, debug=0):
        if not self.right_to_left:
            return super().drawPara(debug)
        logical = self.blPara
        self.blPara = copy.copy(logical)
        self.blPara.lines = visual_lines(logical.lines, logical.kind, self.direction)
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = logical


class SideBySide(Table):
    """A card's text column beside its picture column: one row, so its height depends on its
    width alone, and it is measured once per width (the card's fit check, KeepTogether and the
    frame each measure it again at the same width; reportlab's Table recomputes every cell)."""

    def __init__(self, text: list, pictures: list, widths: list[float]):
        rows, widths, style = mirrored_columns(
            [[text, pictures]],
            widths,
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), GUTTER),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
            ],
        )
        super().__init__(rows, colWidths=widths, style=style)

    def wrap(self, availWidth, availHeight):
        if getattr(self, "_measured_at", None) != availWidth:
            super().wrap(availWidth, availHeight)
            self._measured_at = availWidth
        return self._width, self._height


class Stacked(Flowable):
    """Paragraphs one under the other as one block that keeps with what follows (a card's
    name in both languages): each aligned in its own direction."""

    def __init__(self, paragraphs: list[Paragraph]):
        super().__init__()
        self.paragraphs = paragraphs

    def wrap(self, availWidth, availHeight):
        self.availWidth = availWidth
        self.sizes = [paragraph.wrap(availWidth, availHeight) for paragraph in self.paragraphs]
        gaps = sum(paragraph.getSpaceAfter() for paragraph in self.paragraphs[:-1])
        self.width = availWidth
        self.height = sum(height for _width, height in self.sizes) + gaps
        return self.width, self.height

    def getSpaceBefore(self):
        return self.paragraphs[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self.paragraphs[-1].getSpaceAfter()

    def getKeepWithNext(self):
        return True

    def draw(self):
        top = self.height
        for paragraph, (width, height) in zip(self.paragraphs, self.sizes, strict=True):
            top -= height
            left = self.availWidth - width if paragraph.aligns_right else 0
            paragraph.drawOn(self.canv, left, top)
            top -= paragraph.getSpaceAfter()


class ContinuationHeading(Flowable):
    """The head of a card's rest (large print breaks a card taller than a page after its
    steps): "N. Name (continued)" when the rest starts a page, so no dose or "Take care" stands
    without its exercise's name; nothing when the rest follows its steps on the same page."""

    def __init__(self, heading: Flowable):
        super().__init__()
        self.heading = heading
        self.shown = False

    def wrap(self, availWidth, availHeight):
        if not self.shown:
            return availWidth, 0
        return self.heading.wrap(availWidth, availHeight)

    def getSpaceBefore(self):
        return self.heading.getSpaceBefore() if self.shown else 0

    def getSpaceAfter(self):
        return self.heading.getSpaceAfter() if self.shown else 0

    def getKeepWithNext(self):
        return True

    def draw(self):
        if self.shown:
            self.heading.drawOn(self.canv, 0, 0)


class ContinuedOverleaf(Flowable):
    """The foot of a card's first part: "Continued on the next page" when the `rest` (the dose
    and "Take care", kept together) will not fit under it, so a patient knows they follow, and
    then the rest's `heading` shows; blank when the rest follows on this page. Its room is kept
    either way, so the first part measures the same wherever it lands."""

    def __init__(self, line: Stacked, rest: KeepTogether, heading: ContinuationHeading):
        super().__init__()
        self.line, self.rest, self.heading = line, rest, heading
        self.rest_breaks = False

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.line.wrap(availWidth, availHeight)
        # The frame's own test: the rest goes over when taller than the room left under this
        # line (measured, without its heading, with the canvas the frame lends while it lays
        # this line out).
        canvas = getattr(self, "canv", None)
        if canvas is not None:
            room = availHeight - self.height - self.rest.getSpaceBefore()
            self.heading.shown = False
            self.rest.wrapOn(canvas, availWidth, room)
            self.rest_breaks = room < self.rest._H
            self.heading.shown = self.rest_breaks
        return self.width, self.height

    def draw(self):
        if self.rest_breaks:
            self.line.drawOn(self.canv, 0, 0)


Part = TypeVar("Part", ExerciseSection, HelpPanel, SharedBox, SafetySection, ExerciseLog, Handout)


@dataclass(frozen=True)
class SecondLanguage(Generic[Part]):
    """A bilingual sheet's part (a card, the help panel, a shared box, a guidance section, the
    whole sheet for its fixed lines) in its second language."""

    language: str
    part: Part


def _paired(
    parts: tuple[Part, ...], also: Handout | None, parts_of: Callable[[Handout], tuple[Part, ...]]
) -> list[tuple[Part, "SecondLanguage[Part] | None"]]:
    """Each of a sheet's parts with the same part in its second language (both are made from
    the same records, so they pair one to one); None beside each on a sheet of one language."""
    if also is None:
        return [(part, None) for part in parts]
    return [
        (part, SecondLanguage(also.language, second))
        for part, second in zip(parts, parts_of(also), strict=True)
    ]


def _in_second_language(
    second: "SecondLanguage[Part] | None",
    build: Callable[[Part, HandoutStyles], list],
    styles: HandoutStyles,
) -> list:
    """On a bilingual sheet, blocks said again under the first language's in the second: made
    while it is active (so in its words, labels and direction), in the lighter styles."""
    if second is None:
        return []
    with translation.override(second.language):
        return build(second.part, second_language_styles(styles))


def _language_label(styles: HandoutStyles) -> str:
    """The active language's own name, small, leading the first of a bilingual sheet's
    second-language texts on a card or in a panel box, so a carer knows which lines to read:
    "English:", "Español:", "العربية:"."""
    name = translation.get_language_info(translation.get_language())["name_local"]
    name = name[:1].upper() + name[1:]
    return f'<font name="{BODY_FONT}" size="{styles.small.fontSize}">{escape(name)}:</font> '


def _with_second_language(
    first: Flowable,
    second: "SecondLanguage[Part] | None",
    say: Callable[[Part], str],
    styles: HandoutStyles,
    style: str,
) -> Flowable:
    """A heading and, on a bilingual sheet, what `say` says of the `second` language's part
    under it, labelled with the language's name: one block that keeps with what follows."""
    if second is None:
        return first
    return Stacked(
        [
            first,
            *_in_second_language(
                second,
                lambda part, muted: [
                    Paragraph(_language_label(muted) + say(part), getattr(muted, style))
                ],
                styles,
            ),
        ]
    )


def _second_sheet(handout: Handout) -> "SecondLanguage[Handout] | None":
    """A bilingual sheet's fixed lines (headings, pointers) said in its second language."""
    return SecondLanguage(handout.also.language, handout.also) if handout.also else None


def _paragraph(text: str, style) -> list:
    return [Paragraph(text, style)] if text else []


class TickBoxes(Flowable):
    """A log row's tick boxes for all 7 days, drawn as one text object from the first day's
    cell across the others (a string in each cell costs a text object each)."""

    def __init__(self, lines: list[str], day_width: float, size: float):
        super().__init__()
        self.lines, self.day_width, self.size = lines, day_width, size

    def wrap(self, availWidth, availHeight):
        self.width, self.height = availWidth, len(self.lines) * self.size * 1.1
        return self.width, self.height

    def draw(self):
        text = self.canv.beginText()
        text.setFont(BODY_FONT, self.size)
        # Right to left the days run leftwards from this (the first) day's cell.
        step = -self.day_width if right_to_left() else self.day_width
        for number, line in enumerate(self.lines, start=1):
            offset = (self.width - stringWidth(line, BODY_FONT, self.size)) / 2
            baseline = self.height - number * self.size * 1.1 + self.size * 0.25
            for day in range(7):
                text.setTextOrigin(day * step + offset, baseline)
                text.textOut(line)
        self.canv.drawText(text)


# A log cell's line: as drawn, its font, its ink, and whether it aligns right.
CellLine = tuple[str, str, colors.Color, bool]


class CellLines(Flowable):
    """A log cell's lines as plain strings (a paragraph per row and week would cost several
    times more), each in its own font and ink (a bilingual sheet's second language lighter)
    and aligned in the direction of the language it was made in."""

    def __init__(self, lines: list[CellLine], size: float, leading: float):
        super().__init__()
        self.lines, self.size, self.leading = lines, size, leading

    def wrap(self, availWidth, availHeight):
        self.width, self.height = availWidth, len(self.lines) * self.leading
        return self.width, self.height

    def draw(self):
        for number, (line, font, ink, right) in enumerate(self.lines, start=1):
            self.canv.setFont(font, self.size)
            self.canv.setFillColor(ink)
            left = self.width - stringWidth(line, font, self.size) if right else 0
            # The baseline a fifth of the type above the line's foot, as reportlab sets it.
            baseline = self.height - number * self.leading + (self.leading - self.size) * 0.5
            self.canv.drawString(left, baseline + self.size * 0.2, line)


class Box(Paragraph):
    """A bordered paragraph (far cheaper to lay out than a table) that moves to the next page
    whole rather than split, unless it is taller than a page."""

    def __init__(self, text, style, page_height: float):
        super().__init__(text, style)
        self.page_height = page_height

    def split(self, availWidth, availHeight):
        if self.wrap(availWidth, availHeight)[1] <= self.page_height:
            return []
        return super().split(availWidth, availHeight)


def markup(text: str) -> str:
    """The one escaping border: user text -> paragraph markup that prints it literally."""
    return "<br/>".join(escape(line) for line in text.splitlines() or [""])


def _bold(label: str) -> str:
    return f"<b>{escape(label)}</b>"


def _labelled(label: str, text: str) -> str:
    return f"{_bold(label)} {markup(text)}"


def _image(name: str, max_width: float, max_height: float):
    """A picture from the media store, scaled to fit; a missing file is left out, not fatal."""
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
    except (*STORAGE_ERRORS, ValueError):
        return None
    reader = ImageReader(io.BytesIO(data))
    width, height = reader.getSize()
    scale = min(max_width / width, max_height / height, 1.0)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale, hAlign="LEFT")


def picture_flowables(
    section: ExerciseSection, styles: HandoutStyles, column_width: float
) -> list[Flowable]:
    """What stands in the card's picture column, start above end; [] leaves no column. An
    uploaded image takes precedence over the drawings from pose data."""
    if not section.image:
        return exercise_picture_flowables(section, column_width, styles)
    picture = _image(section.image, column_width, styles.picture_height)
    if picture is None:
        return []
    if not section.image_alt:
        return [picture]
    return [picture, Paragraph(markup(section.image_alt), styles.small)]


def _drawings_with_captions(pictures: list[Flowable]) -> list[Flowable]:
    """The picture column run into the page: each drawing kept with the caption under it, so
    a page never ends between them."""
    groups: list[list[Flowable]] = []
    for flowable in pictures:
        if isinstance(flowable, MeasuredParagraph) and groups:
            groups[-1].append(flowable)
        else:
            groups.append([flowable])
    return [KeepTogether(group) if len(group) > 1 else group[0] for group in groups]


def _box(flowables, width: float, frame: float, fill, padding: float = 8) -> Table:
    """A framed box holding flowables; a single cell, so it splits only inside a too-long box."""
    # A box narrower than the frame stands at the margin a reader starts from.
    box = Table(
        [[flowables]],
        colWidths=[width],
        splitInRow=1,
        hAlign="RIGHT" if right_to_left() else "LEFT",
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), frame, INK),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.75),
            ]
        )
    )
    return box


def _bullets(items, styles: HandoutStyles, style=None) -> list:
    return [Paragraph(markup(item), style or styles.bullet, bulletText="•") for item in items]


def _pairs(rows, styles: HandoutStyles, width: float) -> list:
    """Label-and-value rows two to a line (a line saved on page 1 is room for the help panel);
    a long value wraps inside its own half."""
    rows = [_labelled(label, value) for label, value in rows if value]
    if not rows:
        return []
    lines = [rows[start : start + 2] for start in range(0, len(rows), 2)]
    cells: list[list[Paragraph | str]] = [
        [Paragraph(text, styles.detail) for text in line] for line in lines
    ]
    for line in cells:
        line += [""] * (2 - len(line))
    cells, widths, style = mirrored_columns(
        cells,
        [width / 2] * 2,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    return [Table(cells, colWidths=widths, hAlign="LEFT", style=style)]


def _start_and_how_long(sheet: Handout, muted: HandoutStyles) -> list:
    """When to start and how long to keep going, in a bilingual sheet's second language: one
    labelled, lighter paragraph, so page 1 has the room for it."""
    said = [
        _labelled(label, text)
        for label, text in ((_("Start on:"), sheet.starts), (_("How long:"), sheet.how_long))
        if text
    ]
    if not said:
        return []
    return [Paragraph(_language_label(muted) + " · ".join(said), muted.detail)]


def _header(
    handout: Handout, styles: HandoutStyles, width: float, in_second_language: bool = True
) -> list:
    """The clinic (name and contact on one line), the title and who the sheet is for. On a
    bilingual sheet when to start and how long to keep going are said in both languages (a
    carer who reads only the second must know them too), unless `in_second_language` is false."""
    flowables = []
    logo = _image(handout.clinic_logo, 45 * mm, 20 * mm) if handout.clinic_logo else None
    name_and_contact = _bold(handout.clinic_name)
    if handout.clinic_contact:
        name_and_contact += f" · {markup(handout.clinic_contact)}"
    clinic_lines = [Paragraph(name_and_contact, styles.body)]
    if handout.clinic_address:
        clinic_lines.append(Paragraph(markup(handout.clinic_address), styles.body))
    if logo:
        flowables.append(
            Table(
                [[logo, clinic_lines]],
                colWidths=[50 * mm, width - 50 * mm],
                style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
            )
        )
    else:
        flowables += clinic_lines
    flowables.append(Spacer(1, 2 * mm))
    if handout.withdrawn:
        notice = [Paragraph(_bold(handout.withdrawn), styles.body)]
        flowables += [_box(notice, width, HEAVY_FRAME, ALERT_FILL), Spacer(1, 2 * mm)]
    flowables.append(Paragraph(markup(handout.title), styles.title))
    clinician = handout.clinician_name or handout.clinician_profession
    if handout.clinician_name and handout.clinician_profession:
        # The comma is the language's own: Arabic writes "،".
        clinician = _("%(name)s, %(profession)s") % {
            "name": handout.clinician_name,
            "profession": handout.clinician_profession,
        }
    flowables += _pairs(
        [
            (_("For:"), handout.patient_name),
            (_("Date of birth:"), handout.patient_birth_date),
            # The day the sheet was given, not the day to start ("Start on:").
            (_("Given on:"), handout.date),
            (_("From:"), clinician),
        ],
        styles,
        width,
    )
    if handout.starts:
        flowables.append(Paragraph(_labelled(_("Start on:"), handout.starts), styles.detail))
    if handout.review_date:
        flowables.append(
            Paragraph(_labelled(_("Your next review:"), handout.review_date), styles.detail)
        )
    # How long stands with when to start: the log's weeks count from that day.
    if handout.how_long:
        flowables.append(Paragraph(_labelled(_("How long:"), handout.how_long), styles.detail))
    if in_second_language:
        flowables += _in_second_language(_second_sheet(handout), _start_and_how_long, styles)
    return flowables


def _what_changed(handout: Handout, styles: HandoutStyles, printed_page: int | None = None) -> list:
    """What a revision changed, kept whole: a page ending "Before: Hold" would give the patient
    half of an old dose. One change reads on after its label; several start under it, a line
    each (an exercise's name, its dose now, its dose before). `printed_page`: the page page 1
    says it is on, if it says."""
    if not handout.changes:
        return []

    def said(sheet: Handout, styles: HandoutStyles, label: str = "") -> list:
        apart = "<br/>" if CHANGE_LINES_APART in sheet.changes else " "
        text = label + _bold(_("What changed:")) + apart + markup(sheet.changes)
        return [Paragraph(text, styles.body)]

    # On a bilingual sheet said again in the second language: the carer checks what stopped.
    again = _in_second_language(
        _second_sheet(handout),
        lambda sheet, muted: said(sheet, muted, _language_label(muted)),
        styles,
    )
    return [KeepTogether([*_page_mark(WHAT_CHANGED, printed_page), *said(handout, styles), *again])]


def _sheet_notes(handout: Handout, styles: HandoutStyles, *, with_changes: bool = True) -> list:
    """What the sheet replaces (and what changed): page 1, but not help, so they follow the
    panel rather than push its same-day tier off the page."""
    notes = []
    if handout.replaces:
        notes.append(Paragraph(_bold(handout.replaces), styles.body))
    if with_changes:
        notes += _what_changed(handout, styles)
    if notes:
        notes.insert(0, Spacer(1, 2 * mm))
    return notes


def _emergency_signs(panel: HelpPanel, styles: HandoutStyles, label: str = "") -> list:
    return [
        Paragraph(label + escape(panel.emergency_heading), styles.box_heading),
        Paragraph(_bold(panel.emergency_action), styles.body),
        *_bullets(panel.emergency_signs, styles, styles.panel_bullet),
    ]


def _same_day_signs(panel: HelpPanel, styles: HandoutStyles, label: str = "") -> list:
    return [
        Paragraph(label + escape(panel.same_day_heading), styles.box_heading),
        Paragraph(markup(panel.same_day_action), styles.body),
        *_bullets(panel.same_day_signs, styles, styles.panel_bullet),
        Paragraph(markup(panel.out_of_hours), styles.body),
    ]


def _help_panel(
    panel: HelpPanel,
    styles: HandoutStyles,
    width: float,
    second: SecondLanguage[HelpPanel] | None,
) -> tuple[list, list]:
    """The panel's heading with the emergency tier in a heavy frame; the same-day tier in a
    thin one with how to get help out of hours. Inside the boxes the signs keep their type and
    leading but lose the gaps between them (the bullets mark each sign), so the whole panel
    fits page 1 on A4 and letter. A bilingual sheet says the heading and each tier in its
    `second` language under the first, in the same box, labelled with the language's name."""
    same_day = [
        *_same_day_signs(panel, styles),
        *_in_second_language(
            second, lambda part, muted: _same_day_signs(part, muted, _language_label(muted)), styles
        ),
    ]
    return _emergency_tier(panel, styles, width, second), [
        _box(
            same_day, _panel_width(styles, width), THIN_FRAME, colors.white, _panel_padding(styles)
        )
    ]


def _panel_width(styles: HandoutStyles, width: float) -> float:
    return min(width, styles.measure + 16)


def _panel_padding(styles: HandoutStyles) -> float:
    return styles.body.fontSize * 0.5


def _emergency_tier(
    panel: HelpPanel,
    styles: HandoutStyles,
    width: float,
    second: SecondLanguage[HelpPanel] | None,
    first_language: bool = True,
) -> list:
    """The panel's heading and the emergency signs' heavy box: in the sheet's language (unless
    `first_language` is false) and, on a bilingual sheet, in the `second` under it."""
    heading = [Paragraph(escape(panel.heading), styles.heading)] if first_language else []
    heading += _in_second_language(
        second,
        lambda part, muted: [
            Paragraph(_language_label(muted) + escape(part.heading), muted.heading)
        ],
        styles,
    )
    if not panel.emergency_signs:
        return heading
    signs = [
        *(_emergency_signs(panel, styles) if first_language else []),
        *_in_second_language(
            second,
            lambda part, muted: _emergency_signs(part, muted, _language_label(muted)),
            styles,
        ),
    ]
    box = _box(signs, _panel_width(styles, width), HEAVY_FRAME, ALERT_FILL, _panel_padding(styles))
    return [*heading, box, Spacer(1, 2 * mm)]


def _page_mark(block: str, printed_page: int | None) -> list:
    """The mark of the page page 1 printed for `block`, to lead it inside its KeepTogether
    (before one, a page break would part them); none when no pointer names the block."""
    return [] if printed_page is None else [PageMark(block, printed_page)]


def _first_page(
    handout: Handout, styles: HandoutStyles, width: float, height: float, landed: LandedPages
) -> list:
    """Page 1 holds the header (when to start and how long to keep going among its details)
    and the whole help panel at full size, then what the sheet replaces; what a revision
    changed moves after the panel when page 1 cannot hold both. When the panel cannot fit
    (many signs, large print), the emergency tier fills page 1 (what the sheet replaces
    stays above it, on page 1) and the
    same-day tier follows as a panel of its own, unsplit, on page 2; print never shrinks below
    its minimum to keep them together. Page 1 then ends by pointing there: a patient who keeps
    only page 1 on the fridge must not read 999 as the only help for same-day signs. On a
    bilingual sheet whose two emergency tiers do not fit page 1, the second language's comes
    next, before the same-day tier. Only a header and emergency tier taller than a page shrink
    to fit it, as a last resort. The pages page 1 points to are estimated from heights unless
    an earlier layout of this sheet `landed` them elsewhere."""
    notes = _sheet_notes(handout, styles)
    second = SecondLanguage(handout.also.language, handout.also.help) if handout.also else None
    # A bilingual header says when to start and how long in both languages when page 1 has
    # the room; each help line below outranks that second saying of them.
    headers = [_header(handout, styles, width)]
    if second:
        headers.append(_header(handout, styles, width, in_second_language=False))

    def under_header(*flowables) -> list:
        for header in headers:
            first = [*header, *flowables]
            if _height(first, width, height) <= height:
                break
        return first

    emergency, same_day = _help_panel(handout.help, styles, width, second)
    whole = under_header(*emergency, *same_day, *notes)
    if _height(whole, width, height) <= height:
        return [KeepTogether(whole)]
    what_changed = _what_changed(handout, styles)
    if handout.changes:
        # The whole panel on page 1 comes before what changed, which may follow it (whole, on
        # page 2 if page 1 cannot hold it, with page 1 pointing there).
        panel = [*emergency, *same_day, *_sheet_notes(handout, styles, with_changes=False)]
        panel_first = under_header(*panel)
        if _height([*panel_first, *what_changed], width, height) <= height:
            return [KeepTogether(panel_first), Spacer(1, 2 * mm), *what_changed]
        next_page = landed.get(WHAT_CHANGED, 2)
        pointed = under_header(
            *panel, *_pointers(handout, styles, same_day_page=None, changes_page=next_page)
        )
        if _height(pointed, width, height) <= height:
            return [KeepTogether(pointed), *_what_changed(handout, styles, next_page)]
    first = under_header(*notes, *emergency, *_pointers(handout, styles))
    changes_later = bool(handout.changes) and _height(first, width, height) > height
    if changes_later:
        # What changed, said dose by dose, may follow the same-day panel rather than shrink
        # page 1's print: the line saying which sheet this replaces stays on page 1.
        notes = _sheet_notes(handout, styles, with_changes=False)
    second_emergency, second_emergency_page = [], None
    same_day_page, same_day_page_holds = 2, [KeepTogether(same_day)]
    first = under_header(*notes, *emergency, *_pointers(handout, styles))
    if _height(first, width, height) > height and second:
        # Two languages' emergency signs are taller than page 1 at full size (large print):
        # the sheet's language keeps page 1 and the second's follows as its own unsplit box,
        # before the same-day panel (so its reader meets them first), rather than shrink the
        # signs a patient must act on below the large print. Page 1 points past it.
        second_tier = _emergency_tier(handout.help, styles, width, second, first_language=False)
        second_emergency_page = landed.get(SECOND_EMERGENCY, 2)
        second_emergency = [
            KeepTogether([*_page_mark(SECOND_EMERGENCY, second_emergency_page), *second_tier])
        ]
        emergency = _emergency_tier(handout.help, styles, width, None)
        if _height([*second_emergency, *same_day_page_holds], width, height) <= height:
            same_day_page_holds = [*second_emergency, *same_day_page_holds]
        else:
            same_day_page = 3
    after_same_day, changes_page = [], None
    if changes_later:
        after_same_day = [Spacer(1, 2 * mm), *what_changed]
        fits = _height([*same_day_page_holds, *after_same_day], width, height) <= height
        changes_page = same_day_page if fits else same_day_page + 1
    same_day_page = landed.get(SAME_DAY, same_day_page)
    if changes_later:
        changes_page = landed.get(WHAT_CHANGED, changes_page)
        after_same_day = [Spacer(1, 2 * mm), *_what_changed(handout, styles, changes_page)]
    pointer = _pointers(handout, styles, same_day_page, changes_page, second_emergency_page)
    first = under_header(*notes, *emergency, *pointer)
    if _height(first, width, height) > height:
        first = [KeepInFrame(width, height, first, mode="shrink")]
    same_day_marked = KeepTogether([*_page_mark(SAME_DAY, same_day_page), *same_day])
    return [*first, *second_emergency, same_day_marked, *after_same_day]


def _pointers(
    handout: Handout,
    styles: HandoutStyles,
    same_day_page: int | None = 2,
    changes_page: int | None = None,
    second_emergency_page: int | None = None,
) -> list:
    """Page 1's last lines, pointing to what it could not hold: the same-day tier on a page of
    its own, what a revision changed; on a bilingual sheet said again in the second language
    on the line under it, naming that language's emergency signs too when they follow on
    `second_emergency_page`: its reader finds none on page 1. The second language's lines are
    never dropped for room."""

    def lines(second_language: bool) -> str:
        said = []
        if second_language and second_emergency_page is not None:
            # One line in large print, under page 1's own pointer (which names the phone).
            text = _("Emergency signs: page %(emergency)d; same-day help: page %(same_day)d")
            said.append(text % {"emergency": second_emergency_page, "same_day": same_day_page})
        elif same_day_page:
            text = _("Same-day help and our phone number: page %(page)d")
            said.append(text % {"page": same_day_page})
        if changes_page:
            said.append(_("What changed: page %(page)d") % {"page": changes_page})
        return "<br/>".join(_bold(line) for line in said)

    def second_pointer(_sheet: Handout, muted: HandoutStyles) -> list:
        return [Paragraph(_language_label(muted) + lines(second_language=True), muted.body)]

    second = _in_second_language(_second_sheet(handout), second_pointer, styles)
    # The two languages' lines are one pointer: no gap between them.
    style = ParagraphStyle("pointer", parent=styles.body, spaceAfter=0) if second else styles.body
    return [Paragraph(lines(second_language=False), style), *second]


def _shared_box_text(box: SharedBox) -> str:
    return "<br/>".join([_bold(box.heading), *(f"• {markup(text)}" for text in box.texts)])


def _shared_boxes(handout: Handout, styles: HandoutStyles, height: float) -> list[Box]:
    """The cautions shared by several cards; on a bilingual sheet each box again in the second
    language under it, labelled with the language's name."""
    boxes = []
    for box, second in _paired(handout.shared_boxes, handout.also, lambda also: also.shared_boxes):
        boxes.append(Box(_shared_box_text(box), styles.caution_box, height))
        boxes += _in_second_language(
            second,
            lambda part, muted: [
                Box(_language_label(muted) + _shared_box_text(part), muted.caution_box, height)
            ],
            styles,
        )
    return boxes


def _card_steps(
    section: ExerciseSection, styles: HandoutStyles, second: SecondLanguage[ExerciseSection] | None
) -> list:
    """Starting position and numbered steps: the part of a card that stays beside its
    pictures. On a bilingual sheet each says itself again in the `second` language under it."""
    parts = []
    if section.starting_position:
        parts += _paragraph(_starting_position(section), styles.body)
        parts += _in_second_language(second, _said(_starting_position, "body"), styles)
    for index, step in enumerate(section.steps):
        parts.append(Paragraph(markup(step), styles.step, bulletText=f"{index + 1}."))
        parts += _in_second_language(second, _said(partial(_step, index), "step"), styles)
    return parts


def _said(
    say: Callable[[ExerciseSection], str], style: str
) -> Callable[[ExerciseSection, HandoutStyles], list]:
    """What `say` says of a card, as one paragraph in the styles' `style` (for
    _in_second_language)."""
    return lambda part, styles: _paragraph(say(part), getattr(styles, style))


def _step(index: int, section: ExerciseSection) -> str:
    return markup(section.steps[index]) if index < len(section.steps) else ""


def _starting_position(section: ExerciseSection) -> str:
    if not section.starting_position:
        return ""
    return _labelled(_("Starting position:"), section.starting_position)


def _feel_and_tips(section: ExerciseSection) -> str:
    """What to feel and the tips share a paragraph: two labels, one run of lines."""
    return " ".join(
        _labelled(label, " ".join(texts))
        for label, texts in ((_("You should feel:"), section.feel), (_("Tips:"), section.tips))
        if texts
    )


def _avoid(section: ExerciseSection) -> str:
    return _labelled(_("Avoid:"), " ".join(section.avoid)) if section.avoid else ""


def _how_much(section: ExerciseSection) -> str:
    return _labelled(_("How much:"), section.dose)


def _card_text(
    section: ExerciseSection, styles: HandoutStyles, second: SecondLanguage[ExerciseSection] | None
) -> list:
    """What to feel, tips, what to avoid, the dose and the note, after the steps. Short cue
    lists run on as sentences: a bullet each would waste lines. On a bilingual sheet each
    catalogue text and the dose say themselves again in the `second` language under it, with
    their labels in that language."""
    parts = []
    for say in (_feel_and_tips, _avoid, _how_much):
        if not say(section):
            continue
        parts += _paragraph(say(section), styles.body)
        parts += _in_second_language(second, _said(say, "body"), styles)
    if section.note:
        parts.append(
            Paragraph(_labelled(_("Note from your clinician:"), section.note), styles.body)
        )
    return parts


def _take_care_text(section: ExerciseSection, *, with_pointers: bool = True) -> str:
    texts = [
        _bold(_("Take care")),
        *(markup(text) for text in section.take_care),
        *(markup(line) for line in section.see_also if with_pointers),
    ]
    return "<br/>".join(texts)


def _take_care(
    section: ExerciseSection,
    styles: HandoutStyles,
    height: float,
    second: SecondLanguage[ExerciseSection] | None,
) -> list:
    """At most one box: the exercise's own notes, this patient's cautions, the pointers; on a
    bilingual sheet a box of the notes and cautions in the `second` language under it,
    labelled with the language's name."""
    if not (section.take_care or section.see_also):
        return []

    def notes_and_cautions(part: ExerciseSection, muted: HandoutStyles) -> list:
        if not part.take_care:
            return []
        text = _language_label(muted) + _take_care_text(part, with_pointers=False)
        return [Box(text, muted.caution_box, height)]

    return [
        Box(_take_care_text(section), styles.caution_box, height),
        *_in_second_language(second, notes_and_cautions, styles),
    ]


def _height(flowables, width: float, height: float) -> float:
    """How tall these flowables stand with their spacing, as on a fresh page (paragraphs
    remember the lines this breaks)."""
    return sum(
        # A group kept together measures as its parts: its own wrap needs the page's canvas.
        _height(part._content, width, height)
        if isinstance(part, KeepTogether)
        else part.wrap(width, height)[1] + part.getSpaceBefore() + part.getSpaceAfter()
        for part in flowables
    )


def _beside_pictures(parts: list, pictures: list, columns: list[float], height: float):
    """The card's first parts beside its pictures, as many as reach closest to their foot; the
    rest run below at the full measure, in fewer lines than the narrow column would take."""
    foot = _height(pictures, columns[1], height)
    text_width = columns[0] - GUTTER
    taken, reached = 0, 0.0
    while taken < len(parts) and reached < foot:
        with_next = reached + _height([parts[taken]], text_width, height)
        if taken and with_next - foot > foot - reached:
            break
        taken, reached = taken + 1, with_next
    return parts[:taken], parts[taken:]


def _exercise(
    section: ExerciseSection,
    styles: HandoutStyles,
    width: float,
    height: float,
    picture_width: float,
    lead=(),
    second: SecondLanguage[ExerciseSection] | None = None,
) -> list:
    """One card, kept on one page: its first lines beside the picture column (start above
    end), the rest below them. Without a picture the text runs alone, within the measure. A
    card whose steps with its pictures beside them are taller than a page (large print, many
    drawings) prints its steps, then its pictures, each kept with its caption, then the rest.
    `lead` (the section's heading, when nothing else follows it) moves on with the card.

    A card that fits on a page moves to the next page whole. In large print a card taller
    than a page is two blocks: its heading and steps (with the pictures), then the rest with
    its "Take care" box, on the next page under "N. Name (continued)". A card whose whole text
    beside its pictures is taller than a page keeps just its steps beside them, so the steps
    never split across pages."""
    heading = _card_heading(section, styles, second, _name)
    rest = [*_card_text(section, styles, second), *_take_care(section, styles, height, second)]
    steps = _card_steps(section, styles, second)
    parts = [*steps, *rest]
    end = Spacer(1, styles.body.fontSize * 0.6)
    pictures = picture_flowables(section, styles, picture_width)
    card = [heading, *steps, *_drawings_with_captions(pictures), *rest]
    if pictures:
        columns = [width - picture_width, picture_width]
        beside, below = _beside_pictures(parts, pictures, columns, height)
        wrapped = [heading, SideBySide(beside, pictures, columns), *below]
        steps_beside = [heading, SideBySide(steps, pictures, columns), *rest]
        if _height([*lead, *wrapped, end], width, height) < height:
            card = wrapped
        elif _height([*lead, *steps_beside[:2]], width, height) < height:
            card = steps_beside
    # After the steps (with the pictures), when the dose and "Take care" all run below them:
    # a dose beside the pictures stays with its box, so such a card does not break.
    cut = len(card) - len(rest)
    whole = _height([*card, end], width, height)
    if styles.cards_break_after_steps and cut >= 2 and whole > height:
        continuation = ContinuationHeading(_card_heading(section, styles, second, _continued_name))
        rest = KeepTogether([continuation, *card[cut:], end])
        overleaf = _continued(rest, continuation, styles, second)
        return [KeepTogether([*lead, *card[:cut], overleaf]), rest]
    if lead and whole + _height(lead, width, height) > height:
        # A card that fits on a page but not under the section's heading and shared boxes
        # leaves them behind rather than split.
        return [KeepTogether(list(lead)), KeepTogether([*card, end])]
    return [KeepTogether([*lead, *card, end])]


def _name(section: ExerciseSection) -> str:
    return markup(section.name)


def _continued_name(section: ExerciseSection) -> str:
    return escape(_("%(exercise)s (continued)")) % {"exercise": markup(section.name)}


def _card_heading(
    section: ExerciseSection,
    styles: HandoutStyles,
    second: SecondLanguage[ExerciseSection] | None,
    say: Callable[[ExerciseSection], str],
) -> Flowable:
    """The card's number and what `say` says of its name, in both languages on a bilingual
    sheet (the number once, on the first language's line)."""
    return _with_second_language(
        Paragraph(f"{section.number}. {say(section)}", styles.exercise_heading),
        second,
        say,
        styles,
        "exercise_heading",
    )


def _continued(
    rest: KeepTogether,
    heading: ContinuationHeading,
    styles: HandoutStyles,
    second: SecondLanguage[ExerciseSection] | None,
) -> ContinuedOverleaf:
    def line(muted: HandoutStyles, label: str = "") -> list:
        return [Paragraph(label + _bold(_("Continued on the next page")), muted.body)]

    said = [
        *line(styles),
        *_in_second_language(
            second, lambda _part, muted: line(muted, _language_label(muted)), styles
        ),
    ]
    return ContinuedOverleaf(Stacked(said), rest, heading)


def _guidance_parts(section: SafetySection, styles: HandoutStyles, label: str = "") -> list:
    parts = [Paragraph(label + escape(section.heading), styles.heading)]
    if section.intro:
        parts.append(Paragraph(_bold(section.intro), styles.label))
    return parts + _bullets(section.items, styles)


def _guidance(
    section: SafetySection, styles: HandoutStyles, second: SecondLanguage[SafetySection] | None
) -> list:
    """A heading and its list (a pain scale with its explanation, the signs to call about),
    kept on one page unless longer than a page; on a bilingual sheet the same section in the
    `second` language under it, labelled with the language's name."""
    return [
        KeepTogether(
            [
                *_guidance_parts(section, styles),
                *_in_second_language(
                    second,
                    lambda part, muted: _guidance_parts(part, muted, _language_label(muted)),
                    styles,
                ),
            ]
        )
    ]


def _fitting_size(labels, font: str, largest: float, room: float) -> float:
    """The largest font size, up to `largest`, at which every line of every label fits."""
    widest = max(stringWidth(line, font, 1) for label in labels for line in label.split("\n"))
    return min(largest, room / widest)


def _label_lines(log: ExerciseLog, styles: HandoutStyles, room: float) -> list[list[CellLine]]:
    """The lines of each exercise row's label (its name, how often), then of each pain row's,
    broken within `room`, in the active language's direction and the styles' ink."""
    ink, size, right = styles.small.textColor, styles.small.fontSize, right_to_left()
    cells = [[(row.label, BODY_FONT), (row.how_often, BODY_FONT)] for row in log.rows]
    cells += [[(label, BOLD_FONT)] for label in log.pain_labels]
    return [
        [
            (printed_line(line), font, ink, right)
            for text, font in texts
            if text
            for line in simpleSplit(text, font, size, room)
        ]
        for texts in cells
    ]


def _log_labels(
    log: ExerciseLog,
    styles: HandoutStyles,
    room: float,
    second: SecondLanguage[ExerciseLog] | None,
) -> list[CellLines]:
    """Each row's label cell; on a bilingual sheet its lines in the `second` language under
    the first's, lighter."""
    firsts = _label_lines(log, styles, room)
    seconds = _in_second_language(
        second, lambda part, muted: _label_lines(part, muted, room), styles
    ) or [[] for _cell in firsts]
    return [
        CellLines(first + also, styles.small.fontSize, styles.small.leading)
        for first, also in zip(firsts, seconds, strict=True)
    ]


def _log_week(
    week: LogWeek,
    log: ExerciseLog,
    styles: HandoutStyles,
    width: float,
    second: SecondLanguage[ExerciseLog] | None,
) -> list:
    padding = 3
    tick, gap = (stringWidth(char, BODY_FONT, styles.tick_size) for char in (TICK_BOX, " "))
    # The days take no more room than their headings and a day's tick boxes in one line need;
    # the rest goes to the names, so fewer wrap and a week is short enough to share a page.
    widest_day = max(
        stringWidth(line, BOLD_FONT, styles.small.fontSize)
        for day in week.days
        for line in day.split("\n")
    )
    most_boxes = max((row.boxes_per_day for row in log.rows), default=1)
    day_room = max(widest_day, most_boxes * (tick + gap) - gap) + 2 * padding
    name_width = max(width * styles.log_label_share, width - 7 * day_room)
    day_width = (width - name_width) / 7
    # As many tick boxes side by side as the day's box holds; more go on a second line.
    per_line = max(1, int((day_width - 2 * padding + gap) / (tick + gap)))
    header_size = _fitting_size(
        week.days, BOLD_FONT, styles.small.fontSize, day_width - 2 * padding
    )
    rows = [["", *("\n".join(map(printed_line, day.split("\n"))) for day in week.days)]]
    labels = _log_labels(log, styles, name_width - 2 * padding, second)
    for row, label in zip(log.rows, labels[: len(log.rows)], strict=True):
        lines = [
            " ".join([TICK_BOX] * min(per_line, row.boxes_per_day - start))
            for start in range(0, row.boxes_per_day, per_line)
        ]
        boxes = TickBoxes(lines, day_width, styles.tick_size)
        rows.append([label, boxes, *([""] * 6)])
    rows += [[label, *([""] * 7)] for label in labels[len(log.rows) :]]
    rows, widths, style = mirrored_columns(
        rows,
        [name_width] + [day_width] * 7,
        [
            ("GRID", (0, 0), (-1, -1), 0.8, INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (-1, 0), "CENTER"),
            ("FONT", (1, 0), (-1, 0), BOLD_FONT, header_size, header_size * 1.2),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            # Tick boxes (the glyph is the box) with room around them, so two weeks of a
            # long programme share a page; a pain row tall enough to write a number in.
            ("TOPPADDING", (0, 1), (-1, -2), styles.grid_padding / 2),
            ("BOTTOMPADDING", (0, 1), (-1, -2), styles.grid_padding / 2),
            ("TOPPADDING", (0, -1), (-1, -1), styles.grid_padding),
            ("BOTTOMPADDING", (0, -1), (-1, -1), styles.grid_padding),
        ],
    )
    # The gap after a week is the grid's own space after, which a page's foot absorbs: a
    # spacer after a week that fills its page would print a page of its own.
    grid = Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style), spaceAfter=4 * mm)
    heading = [Paragraph(escape(week.heading), styles.box_heading)] if week.heading else []
    return [*heading, grid]


def _log_introduction(log: ExerciseLog, styles: HandoutStyles, label: str = "") -> list:
    return [
        Paragraph(label + escape(log.heading), styles.heading),
        Paragraph(escape(log.instructions), styles.body),
    ]


def _log(
    log: ExerciseLog,
    styles: HandoutStyles,
    width: float,
    second: SecondLanguage[ExerciseLog] | None,
) -> list:
    """The log's introduction stays with its first week; each week is kept together. On a
    bilingual sheet the introduction and the rows' labels say themselves again in the `second`
    language."""
    introduction = [
        *_log_introduction(log, styles),
        *_in_second_language(
            second,
            lambda part, muted: _log_introduction(part, muted, _language_label(muted)),
            styles,
        ),
    ]
    weeks = [_log_week(week, log, styles, width, second) for week in log.weeks]
    weeks[0] = introduction + weeks[0]
    return [KeepTogether(week) for week in weeks]


def _goal_heading(_sheet: Handout) -> str:
    return escape(_("Your goal"))


def handout_flowables(
    handout: Handout,
    styles: HandoutStyles,
    width: float,
    height: float,
    landed: LandedPages | None = None,
) -> list[Flowable]:
    """`width` and `height` are the page's text frame. Page 1 holds the header and the help
    panel (or, when it cannot fit, its emergency tier); then the goal, how the exercises should
    feel and when to stop, the exercises, the routine signs and the log. `landed`: the pages
    an earlier layout of this sheet put the blocks page 1 points to on (pointers.py)."""
    flowables = _first_page(handout, styles, width, height, landed or {})
    if handout.notes:
        # The clinician's goal is one text; its heading says itself in both languages.
        goal = [
            _with_second_language(
                Paragraph(_goal_heading(handout), styles.heading),
                _second_sheet(handout),
                _goal_heading,
                styles,
                "heading",
            ),
            Paragraph(markup(handout.notes), styles.body),
        ]
        flowables.append(KeepTogether(goal))
    guidance = _paired(handout.guidance, handout.also, lambda also: also.guidance)
    for section, section_in_second in guidance:
        if section.tier == Tier.PRECAUTION:
            flowables += _guidance(section, styles, section_in_second)
    # The section's heading and its shared boxes move with the first card (kept with a
    # KeepTogether by keepWithNext alone, reportlab would leave them behind at a page's foot).
    lead = [
        Paragraph(escape(_("Your exercises")), styles.heading),
        *_shared_boxes(handout, styles, height),
    ]
    # One column width for every card: wide enough for the widest picture at full size, within
    # bounds that keep the text column at a readable measure.
    picture_width = max(
        styles.picture_column,
        min(picture_column_width(handout.exercises, styles), width * styles.picture_share),
    )
    cards = _paired(handout.exercises, handout.also, lambda also: also.exercises)
    for exercise, card_in_second in cards:
        flowables += _exercise(exercise, styles, width, height, picture_width, lead, card_in_second)
        lead = []
    for section, section_in_second in guidance:
        if section.tier != Tier.PRECAUTION:
            flowables += _guidance(section, styles, section_in_second)
    second_log = SecondLanguage(handout.also.language, handout.also.log) if handout.also else None
    flowables += _log(handout.log, styles, width, second_log)
    return flowables
