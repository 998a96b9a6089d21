"""Handout -> platypus flowables. Never touches the database.

Every string from a user or the catalogue passes `markup()` exactly once before it becomes
reportlab paragraph markup, so "<b>", "&" or "<img src=...>" in a note prints literally.
"""

import io
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Image,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as PlatypusParagraph

from prescriptions.handouts.content import ExerciseSection, Handout, SafetySection
from prescriptions.handouts.pictures import exercise_picture_flowables, picture_column_width
from prescriptions.handouts.styles import (
    ALERT_FILL,
    BODY_FONT,
    INK,
    HandoutStyles,
)

WEEKDAYS = (
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
)


class Paragraph(PlatypusParagraph):
    """Breaks its lines once per width. KeepTogether and tables measure a paragraph before the
    frame lays it out again at the same width; the lines only depend on that width."""

    def wrap(self, availWidth, availHeight):
        if getattr(self, "_wrapped_width", None) == availWidth:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size

    def split(self, availWidth, availHeight):
        # A split that finds no room drops the broken lines: the next wrap must break again.
        parts = super().split(availWidth, availHeight)
        if not hasattr(self, "blPara"):
            self._wrapped_width = None
        return parts


def markup(text: str) -> str:
    """The one escaping border: user text -> paragraph markup that prints it literally."""
    return "<br/>".join(escape(line) for line in text.splitlines() or [""])


def _bold(label: str) -> str:
    return f"<b>{escape(label)}</b>"


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
    return Image(io.BytesIO(data), width=width * scale, height=height * scale)


def _boxed(flowables, width: float, fill, border=INK) -> Table:
    """A bordered box, one row per flowable, so a long box splits across pages between rows."""
    box = Table([[flowable] for flowable in flowables], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, border),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return box


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
    flowables.append(Spacer(1, 4 * mm))
    flowables.append(Paragraph(markup(handout.title), styles.title))
    rows = [
        (_("For"), handout.patient_name),
        (_("Date of birth"), handout.patient_birth_date),
        (_("Date"), handout.date),
        (
            _("From"),
            ", ".join(
                part for part in (handout.clinician_name, handout.clinician_profession) if part
            ),
        ),
    ]
    flowables += [
        Paragraph(f"{_bold(label)}: {markup(value)}", styles.body) for label, value in rows if value
    ]
    if handout.notes:
        flowables.append(Paragraph(escape(_("Your goal")), styles.heading))
        flowables.append(Paragraph(markup(handout.notes), styles.body))
    return flowables


def _beside_pictures(parts: list, pictures: list, width: float, picture_width: float) -> list:
    """The card's text in one column and the pictures (start above end) in a narrow one."""
    table = Table(
        [[parts, pictures]],
        colWidths=[width - picture_width, picture_width],
        # A card taller than a page (a long note in large print) splits inside its row.
        splitInRow=1,
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 6),
            ("RIGHTPADDING", (1, 0), (1, 0), 0),
        ],
    )
    return [table]


def _exercise(
    section: ExerciseSection, styles: HandoutStyles, width: float, picture_width: float
) -> KeepTogether:
    heading = Paragraph(f"{section.number}. {markup(section.name)}", styles.exercise_heading)
    parts = []
    pictures = (
        exercise_picture_flowables(section, picture_width, styles)
        if picture_width and not section.image
        else []
    )
    if section.image:
        picture = _image(section.image, width * 0.6, 60 * mm)
        if picture:
            parts.append(picture)
            if section.image_alt:
                parts.append(Paragraph(markup(section.image_alt), styles.small))
    parts += [
        Paragraph(markup(step), styles.step, bulletText=str(number))
        for number, step in enumerate(section.steps, start=1)
    ]
    parts.append(Paragraph(f"{_bold(_('How much:'))} {markup(section.dose)}", styles.body))
    if section.note:
        parts.append(
            Paragraph(
                f"{_bold(_('Note from your clinician:'))} {markup(section.note)}", styles.body
            )
        )
    if section.cautions:
        # One bordered paragraph: far cheaper to lay out than a table, and it reads the same.
        texts = [_bold(_("Take care")), *(markup(caution.text) for caution in section.cautions)]
        parts.append(Paragraph("<br/>".join(texts), styles.caution_box))
    if pictures:
        parts = _beside_pictures(parts, pictures, width, picture_width)
    return KeepTogether([heading, *parts, Spacer(1, styles.body.fontSize)])


def _safety(section: SafetySection, styles: HandoutStyles, width: float):
    content = [Paragraph(escape(section.heading), styles.box_heading)]
    if section.intro:
        content.append(Paragraph(_bold(section.intro), styles.body))
    content += [Paragraph(markup(item), styles.bullet, bulletText="•") for item in section.items]
    alarming = section.tier in ("urgent", "emergency")
    return [_boxed(content, width, ALERT_FILL if alarming else colors.white), Spacer(1, 4 * mm)]


def _log_grid(handout: Handout, styles: HandoutStyles, width: float) -> list:
    days = [str(day) for day in WEEKDAYS]
    header = [Paragraph(_bold(_("Exercise")), styles.small)] + [
        Paragraph(_bold(day), styles.small) for day in days
    ]
    rows = [header]
    rows += [
        [Paragraph(f"{section.number}. {markup(section.name)}", styles.small)] + [""] * 7
        for section in handout.exercises
    ]
    rows.append([Paragraph(_bold(_("Pain (0–10)")), styles.small)] + [""] * 7)
    name_width = width * 0.37
    day_width = (width - name_width) / 7
    grid = Table(rows, colWidths=[name_width] + [day_width] * 7, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.8, INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                # Boxes tall enough to tick with a pen, even for a one-line name.
                ("TOPPADDING", (0, 1), (-1, -1), styles.grid_padding),
                ("BOTTOMPADDING", (0, 1), (-1, -1), styles.grid_padding),
            ]
        )
    )
    intro = _(
        "Tick a box each time you do the exercise. Each day, write how much pain you had, from 0 (none) to 10 (the worst)."
    )
    return [
        KeepTogether(
            [
                Paragraph(escape(_("Your weekly log")), styles.heading),
                Paragraph(escape(intro), styles.body),
                grid,
            ]
        )
    ]


def handout_flowables(handout: Handout, styles: HandoutStyles, width: float) -> list:
    flowables = _header(handout, styles, width)
    flowables.append(Paragraph(escape(_("Your exercises")), styles.heading))
    # Wide enough for every picture at full size, but never more than a third of the page.
    picture_width = min(picture_column_width(handout.exercises, styles), width / 3)
    flowables += [_exercise(section, styles, width, picture_width) for section in handout.exercises]
    if handout.safety:
        flowables.append(Paragraph(escape(_("Staying safe")), styles.heading))
        for section in handout.safety:
            flowables += _safety(section, styles, width)
    flowables += _log_grid(handout, styles, width)
    if handout.review_date:
        flowables.append(Spacer(1, 4 * mm))
        flowables.append(
            Paragraph(f"{_bold(_('Your next review:'))} {markup(handout.review_date)}", styles.body)
        )
    return flowables
