"""Handout -> platypus flowables. Never touches the database.

Every string from a user or the catalogue passes `markup()` exactly once before it becomes
reportlab paragraph markup, so "<b>", "&" or "<img src=...>" in a note prints literally.

Page rules: headings and labels keep with what follows (their style's keepWithNext); the
help panel, each exercise card, each box and each week of the log is kept together, so none
splits unless it is longer than a page.
"""

import io
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from reportlab.lib import colors
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
from reportlab.platypus import Paragraph as PlatypusParagraph

from prescriptions.handouts.content import (
    ExerciseLog,
    ExerciseSection,
    Handout,
    HelpPanel,
    LogWeek,
    SafetySection,
    SharedBox,
)
from prescriptions.handouts.pictures import exercise_picture_flowables, picture_column_width
from prescriptions.handouts.styles import (
    ALERT_FILL,
    BODY_FONT,
    BOLD_FONT,
    HEAVY_FRAME,
    INK,
    SHADE,
    THIN_FRAME,
    HandoutStyles,
)

TICK_BOX = "☐"
GUTTER = 5 * mm


class Paragraph(PlatypusParagraph):
    """Lines no wider than the style's measure, broken once per width: KeepTogether and
    tables measure a paragraph before the frame lays it out again at the same width."""

    def wrap(self, availWidth, availHeight):
        width = min(availWidth, self.style.measure)
        if getattr(self, "_wrapped_width", None) == width and hasattr(self, "blPara"):
            return self.width, self.height
        size = super().wrap(width, availHeight)
        self._wrapped_width = width
        return size

    def split(self, availWidth, availHeight):
        return super().split(min(availWidth, self.style.measure), availHeight)


class SideBySide(Table):
    """A card's text column beside its picture column: one row, so its height depends on its
    width alone, and it is measured once per width (the card's fit check, KeepTogether and the
    frame each measure it again at the same width; reportlab's Table recomputes every cell)."""

    def __init__(self, text: list, pictures: list, widths: list[float]):
        super().__init__(
            [[text, pictures]],
            colWidths=widths,
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), GUTTER),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
            ],
        )

    def wrap(self, availWidth, availHeight):
        if getattr(self, "_measured_at", None) != availWidth:
            super().wrap(availWidth, availHeight)
            self._measured_at = availWidth
        return self._width, self._height


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
        for number, line in enumerate(self.lines, start=1):
            offset = (self.width - stringWidth(line, BODY_FONT, self.size)) / 2
            baseline = self.height - number * self.size * 1.1 + self.size * 0.25
            for day in range(7):
                text.setTextOrigin(day * self.day_width + offset, baseline)
                text.textOut(line)
        self.canv.drawText(text)


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
    except (OSError, ValueError):
        return None
    reader = ImageReader(io.BytesIO(data))
    width, height = reader.getSize()
    scale = min(max_width / width, max_height / height, 1.0)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale, hAlign="LEFT")


def picture_flowables(section: ExerciseSection, styles: HandoutStyles, column_width: float):
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


def _box(flowables, width: float, frame: float, fill) -> Table:
    """A framed box holding flowables; a single cell, so it splits only inside a too-long box."""
    box = Table([[flowables]], colWidths=[width], splitInRow=1)
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), frame, INK),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def _bullets(items, styles: HandoutStyles) -> list:
    return [Paragraph(markup(item), styles.bullet, bulletText="•") for item in items]


def _header(handout: Handout, styles: HandoutStyles, width: float) -> list:
    flowables = []
    logo = _image(handout.clinic_logo, 45 * mm, 20 * mm) if handout.clinic_logo else None
    clinic_lines = [Paragraph(_bold(handout.clinic_name), styles.body)]
    clinic_lines += [
        Paragraph(markup(line), styles.small)
        for line in (handout.clinic_address, handout.clinic_contact)
        if line
    ]
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
    if handout.replaces:
        flowables.append(Paragraph(_bold(handout.replaces), styles.body))
    clinician = ", ".join(
        part for part in (handout.clinician_name, handout.clinician_profession) if part
    )
    rows = [
        (_("For:"), handout.patient_name),
        (_("Date of birth:"), handout.patient_birth_date),
        (_("Date:"), handout.date),
        (_("From:"), clinician),
        (_("Your next review:"), handout.review_date),
        (_("How long:"), handout.how_long),
    ]
    flowables += [
        Paragraph(_labelled(label, value), styles.detail) for label, value in rows if value
    ]
    return flowables


def _help_panel(panel: HelpPanel, styles: HandoutStyles, width: float) -> list:
    """The emergency tier in a heavy frame, the same-day tier in a thin one, then how to get
    help out of hours."""
    box_width = min(width, styles.measure + 16)
    parts = [Paragraph(escape(panel.heading), styles.heading)]
    if panel.emergency_signs:
        emergency = [
            Paragraph(escape(panel.emergency_heading), styles.box_heading),
            Paragraph(_bold(panel.emergency_action), styles.body),
            *_bullets(panel.emergency_signs, styles),
        ]
        parts += [_box(emergency, box_width, HEAVY_FRAME, ALERT_FILL), Spacer(1, 3 * mm)]
    same_day = [
        Paragraph(escape(panel.same_day_heading), styles.box_heading),
        Paragraph(markup(panel.same_day_action), styles.body),
        *_bullets(panel.same_day_signs, styles),
        Paragraph(markup(panel.out_of_hours), styles.body),
    ]
    parts.append(_box(same_day, box_width, THIN_FRAME, colors.white))
    return parts


def _shared_box(box: SharedBox, styles: HandoutStyles, height: float) -> Box:
    texts = [_bold(box.heading), *(f"• {markup(text)}" for text in box.texts)]
    return Box("<br/>".join(texts), styles.caution_box, height)


def _card_text(section: ExerciseSection, styles: HandoutStyles) -> list:
    """Starting position, numbered steps, what to feel, what to avoid, the dose and the note.
    Short cue lists run on as sentences: a bullet each would waste lines."""
    parts = []
    if section.starting_position:
        parts.append(
            Paragraph(_labelled(_("Starting position:"), section.starting_position), styles.body)
        )
    parts += [
        Paragraph(markup(step), styles.step, bulletText=f"{number}.")
        for number, step in enumerate(section.steps, start=1)
    ]
    for label, texts in ((_("You should feel:"), section.feel), (_("Avoid:"), section.avoid)):
        if texts:
            parts.append(Paragraph(_labelled(label, " ".join(texts)), styles.body))
    parts.append(Paragraph(_labelled(_("How much:"), section.dose), styles.body))
    if section.note:
        parts.append(
            Paragraph(_labelled(_("Note from your clinician:"), section.note), styles.body)
        )
    return parts


def _take_care(section: ExerciseSection, styles: HandoutStyles, height: float) -> list:
    """At most one box: the exercise's own notes, this patient's cautions, the pointers."""
    if not (section.take_care or section.see_also):
        return []
    texts = [
        _bold(_("Take care")),
        *(markup(text) for text in section.take_care),
        *(markup(line) for line in section.see_also),
    ]
    return [Box("<br/>".join(texts), styles.caution_box, height)]


def _height(flowables, width: float, height: float) -> float:
    """How tall these flowables stand (paragraphs remember the lines this breaks)."""
    return sum(part.wrap(width, height)[1] + part.getSpaceBefore() for part in flowables)


def _exercise(
    section: ExerciseSection,
    styles: HandoutStyles,
    width: float,
    height: float,
    picture_width: float,
    lead=(),
) -> list:
    """One card, kept on one page: the text column beside the picture column (start above
    end). Without a picture the text runs alone, within the measure. A card too tall for a
    page with its pictures beside it puts them first and lets its text run on. `lead` (the
    section's heading, when nothing else follows it) moves on with the card."""
    heading = Paragraph(f"{section.number}. {markup(section.name)}", styles.exercise_heading)
    text = _card_text(section, styles)
    box = _take_care(section, styles, height)
    end = Spacer(1, styles.body.fontSize * 0.6)
    card = [heading, *text, *box, end]
    pictures = picture_flowables(section, styles, picture_width)
    if pictures:
        beside = SideBySide(text + box, pictures, [width - picture_width, picture_width])
        fits = _height([heading, beside, end], width, height) < height
        card = [heading, beside, end] if fits else [heading, *pictures, *text, *box, end]
    return [KeepTogether([*lead, *card])]


def _guidance(section: SafetySection, styles: HandoutStyles) -> list:
    """A heading and its list; the list may run on to the next page, the heading may not."""
    parts = [Paragraph(escape(section.heading), styles.heading)]
    if section.intro:
        parts.append(Paragraph(_bold(section.intro), styles.label))
    return parts + _bullets(section.items, styles)


def _fitting_size(labels, font: str, largest: float, room: float) -> float:
    """The largest font size, up to `largest`, at which every line of every label fits."""
    widest = max(stringWidth(line, font, 1) for label in labels for line in label.split("\n"))
    return min(largest, room / widest)


def _log_week(week: LogWeek, log: ExerciseLog, styles: HandoutStyles, width: float) -> list:
    name_width = width * styles.log_label_share
    day_width = (width - name_width) / 7
    padding = 3
    # As many tick boxes side by side as the day's box holds; more go on a second line.
    tick, gap = (stringWidth(char, BODY_FONT, styles.tick_size) for char in (TICK_BOX, " "))
    per_line = max(1, int((day_width - 2 * padding + gap) / (tick + gap)))
    header_size = _fitting_size(
        week.days, BOLD_FONT, styles.small.fontSize, day_width - 2 * padding
    )
    rows = [["", *week.days]]
    label_room = name_width - 2 * padding
    for row in log.rows:
        # Plain strings broken here: a paragraph per row and week would cost several times more.
        label = "\n".join(
            line
            for text in (row.label, row.how_often)
            if text
            for line in simpleSplit(text, BODY_FONT, styles.small.fontSize, label_room)
        )
        lines = [
            " ".join([TICK_BOX] * min(per_line, row.boxes_per_day - start))
            for start in range(0, row.boxes_per_day, per_line)
        ]
        boxes = TickBoxes(lines, day_width, styles.tick_size)
        rows.append([label, boxes, *([""] * 6)])
    rows += [[label, *([""] * 7)] for label in log.pain_labels]
    grid = Table(rows, colWidths=[name_width] + [day_width] * 7, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.8, INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (-1, 0), "CENTER"),
                ("FONT", (0, 1), (0, -1), BODY_FONT, styles.small.fontSize),
                ("LEADING", (0, 1), (0, -1), styles.small.leading),
                ("FONT", (0, -len(log.pain_labels)), (0, -1), BOLD_FONT, styles.small.fontSize),
                ("FONT", (1, 0), (-1, 0), BOLD_FONT, header_size, header_size * 1.2),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                # Boxes tall enough to tick with a pen, and a pain row to write a number in.
                ("TOPPADDING", (0, 1), (-1, -1), styles.grid_padding),
                ("BOTTOMPADDING", (0, 1), (-1, -1), styles.grid_padding),
            ]
        )
    )
    heading = [Paragraph(escape(week.heading), styles.box_heading)] if week.heading else []
    return [*heading, grid, Spacer(1, 4 * mm)]


def _log(log: ExerciseLog, styles: HandoutStyles, width: float) -> list:
    """The log's introduction stays with its first week; each week is kept together."""
    introduction = [
        Paragraph(escape(log.heading), styles.heading),
        Paragraph(escape(log.instructions), styles.body),
    ]
    weeks = [_log_week(week, log, styles, width) for week in log.weeks]
    weeks[0] = introduction + weeks[0]
    return [KeepTogether(week) for week in weeks]


def handout_flowables(handout: Handout, styles: HandoutStyles, width: float, height: float):
    """`width` and `height` are the page's text frame. Page 1 always holds the header and the
    help panel: should so many signs not fit, they shrink rather than move to page 2."""
    first_page = _header(handout, styles, width) + _help_panel(handout.help, styles, width)
    flowables = [KeepInFrame(width, height, first_page, mode="shrink")]
    if handout.notes:
        flowables.append(Paragraph(escape(_("Your goal")), styles.heading))
        flowables.append(Paragraph(markup(handout.notes), styles.body))
    # The section's heading stays with its shared boxes, or else with the first card (kept
    # with a KeepTogether by keepWithNext alone, reportlab would leave it behind).
    lead = [Paragraph(escape(_("Your exercises")), styles.heading)]
    if handout.shared_boxes:
        boxes = [_shared_box(box, styles, height) for box in handout.shared_boxes]
        flowables.append(KeepTogether(lead + boxes))
        lead = []
    # One column width for every card: wide enough for the widest picture at full size, within
    # bounds that keep the text column at a readable measure.
    picture_width = max(
        styles.picture_column, min(picture_column_width(handout.exercises, styles), width / 3)
    )
    for section in handout.exercises:
        flowables += _exercise(section, styles, width, height, picture_width, lead)
        lead = []
    for section in handout.guidance:
        flowables += _guidance(section, styles)
    flowables += _log(handout.log, styles, width)
    return flowables
