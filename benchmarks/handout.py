"""Handout render time against its floor.

The floor is reportlab laying out the same content with plain flowables in one pass
(SimpleDocTemplate, default canvas, same page size, margins and line length: the handout's
measure): the text as plain Paragraphs in the same fonts and sizes, each exercise's pictures as
the same cached drawings, the log as plain tables. It is what any PDF of this handout's
content costs. The real render adds the help panel's framed boxes, the cards (text beside the
pictures, kept on one page), the log's styled grids with tick boxes, numbered steps, "Page N
of M" and the status mark.
"""

import io
import time
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from prescriptions.handouts.content import Handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.pictures import exercise_picture_flowables, picture_column_width
from prescriptions.handouts.styles import MARGIN, PAPER_SIZES, handout_styles


def _labelled(label: str, text: str) -> str:
    return f"<b>{escape(label)}</b> {escape(text)}"


def _front_texts(handout: Handout, styles) -> list[tuple[str, object]]:
    """The header, the help panel, the goal and the shared boxes, as paragraph markup."""
    texts = [(escape(handout.clinic_name), styles.body)]
    texts += [
        (escape(line), styles.body) for line in (handout.clinic_address, handout.clinic_contact)
    ]
    texts.append((escape(handout.title), styles.title))
    clinician = f"{handout.clinician_name}, {handout.clinician_profession}"
    texts += [
        (_labelled(_("For:"), handout.patient_name), styles.detail),
        (_labelled(_("Date of birth:"), handout.patient_birth_date), styles.detail),
        (_labelled(_("Given on:"), handout.date), styles.detail),
        (_labelled(_("From:"), clinician), styles.detail),
        (_labelled(_("Your next review:"), handout.review_date), styles.detail),
    ]
    panel = handout.help
    plain = [
        (panel.heading, styles.heading),
        (panel.emergency_heading, styles.box_heading),
        (f"<b>{escape(panel.emergency_action)}</b>", None),
        *((f"• {sign}", styles.bullet) for sign in panel.emergency_signs),
        (panel.same_day_heading, styles.box_heading),
        (panel.same_day_action, styles.body),
        *((f"• {sign}", styles.bullet) for sign in panel.same_day_signs),
        (panel.out_of_hours, styles.body),
    ]
    if handout.notes:
        plain += [(_("Your goal"), styles.heading), (handout.notes, styles.body)]
    plain.append((_("Your exercises"), styles.heading))
    plain += [(" ".join((box.heading, *box.texts)), styles.body) for box in handout.shared_boxes]
    return texts + [
        (text, styles.body) if style is None else (escape(text), style) for text, style in plain
    ]


def _exercise_texts(section, styles) -> list[tuple[str, object]]:
    texts = [(escape(f"{section.number}. {section.name}"), styles.exercise_heading)]
    texts.append((_labelled(_("Starting position:"), section.starting_position), styles.body))
    texts += [
        (escape(f"{number}. {step}"), styles.body) for number, step in enumerate(section.steps, 1)
    ]
    texts.append((_labelled(_("You should feel:"), " ".join(section.feel)), styles.body))
    texts.append((_labelled(_("Avoid:"), " ".join(section.avoid)), styles.body))
    texts.append((_labelled(_("How much:"), section.dose), styles.body))
    if section.note:
        texts.append((_labelled(_("Note from your clinician:"), section.note), styles.body))
    if section.take_care or section.see_also:
        texts.append((escape(_("Take care")), styles.box_heading))
        texts += [(escape(t), styles.body) for t in (*section.take_care, *section.see_also)]
    return texts


def _guidance_texts(handout: Handout, styles) -> list[tuple[str, object]]:
    texts = []
    for guidance in handout.guidance:
        texts.append((guidance.heading, styles.heading))
        if guidance.intro:
            texts.append((guidance.intro, styles.label))
        texts += [(f"• {item}", styles.bullet) for item in guidance.items]
    log = handout.log
    texts += [(log.heading, styles.heading), (log.instructions, styles.body)]
    return [(escape(text), style) for text, style in texts]


def _log_tables(handout: Handout, styles, width: float) -> list:
    """The log's weeks as plain tables: a row of days, a row per exercise, the pain row."""
    log = handout.log
    name_width = width * styles.log_label_share
    widths = [name_width] + [(width - name_width) / 7] * 7
    tables = []
    for week in log.weeks:
        rows = [[week.heading, *week.days]]
        rows += [[f"{row.label} {row.how_often}", *[""] * 7] for row in log.rows]
        rows += [[label, *[""] * 7] for label in log.pain_labels]
        tables.append(Table(rows, colWidths=widths))
    return tables


def floor_flowables(handout: Handout, styles, width: float) -> list:
    """The handout's content as plain flowables: its text as plain Paragraphs (its bold labels
    bold: same words, same fonts), each card's pictures as the same cached drawings, the log as
    plain tables."""
    flowables = [Paragraph(text, style) for text, style in _front_texts(handout, styles)]
    column = picture_column_width(handout.exercises, styles)
    for section in handout.exercises:
        flowables += [Paragraph(text, style) for text, style in _exercise_texts(section, styles)]
        flowables += exercise_picture_flowables(section, column, styles)
    flowables += [Paragraph(text, style) for text, style in _guidance_texts(handout, styles)]
    return flowables + _log_tables(handout, styles, width)


def render_floor(handout: Handout, *, large_print: bool = False) -> bytes:
    with override(handout.language):
        styles = handout_styles(large_print)
        buffer = io.BytesIO()
        page_width, _height = PAPER_SIZES[handout.paper]
        # Lines as long as the handout's: its text never runs wider than the measure.
        text_width = min(page_width - 2 * MARGIN, styles.measure)
        document = SimpleDocTemplate(
            buffer,
            pagesize=PAPER_SIZES[handout.paper],
            leftMargin=MARGIN,
            rightMargin=page_width - MARGIN - text_width,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            invariant=True,
        )
        document.build(floor_flowables(handout, styles, text_width))
        return buffer.getvalue()


def measure(handout: Handout, iterations: int, warmup: int = 2, download=None) -> dict:
    """Alternates the real render and the floor (and, given `download`, a function that
    downloads the same draft's handout through the API), in rotation, so drift on a busy
    machine hits them alike."""
    renders = {"real": lambda: render_handout(handout), "floor": lambda: render_floor(handout)}
    if download is not None:
        renders["download"] = download
    samples = {key: [] for name in renders for key in (name, f"{name}_cpu")}
    names = list(renders)
    sizes = {}
    for index in range(warmup + iterations):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            cpu_started = time.process_time()
            started = time.perf_counter()
            pdf = renders[name]()
            elapsed = time.perf_counter() - started
            cpu_elapsed = time.process_time() - cpu_started
            sizes[f"{name}_bytes"] = len(pdf)
            if index >= warmup:
                samples[name].append(elapsed)
                samples[f"{name}_cpu"].append(cpu_elapsed)
    return {**samples, **sizes}
