"""Handout render time against its floor.

The floor is reportlab laying out the same text, in the same fonts and sizes, as plain
Paragraphs in one pass (SimpleDocTemplate, default canvas, same page size, margins and line
length: the handout's measure): what any PDF of this handout's words costs. The real render adds the help panel's framed boxes, the
log's grids (tables), numbered lists, KeepTogether, "Page N of M" and the status mark.
"""

import io
import time
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.platypus import Paragraph, SimpleDocTemplate

from prescriptions.handouts.content import Handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.styles import MARGIN, PAPER_SIZES, handout_styles


def floor_texts(handout: Handout, styles) -> list[tuple[str, object]]:
    """Every string the handout prints, in order, with the paragraph style it prints in."""
    texts = [(handout.clinic_name, styles.body)]
    texts += [(line, styles.small) for line in (handout.clinic_address, handout.clinic_contact)]
    texts.append((handout.title, styles.title))
    texts += [
        (f"{_('For:')} {handout.patient_name}", styles.detail),
        (f"{_('Date of birth:')} {handout.patient_birth_date}", styles.detail),
        (f"{_('Date:')} {handout.date}", styles.detail),
        (f"{_('From:')} {handout.clinician_name}, {handout.clinician_profession}", styles.detail),
        (f"{_('Your next review:')} {handout.review_date}", styles.detail),
    ]
    panel = handout.help
    texts.append((panel.heading, styles.heading))
    texts += [(panel.emergency_heading, styles.box_heading), (panel.emergency_action, styles.body)]
    texts += [(f"• {sign}", styles.bullet) for sign in panel.emergency_signs]
    texts += [(panel.same_day_heading, styles.box_heading), (panel.same_day_action, styles.body)]
    texts += [(f"• {sign}", styles.bullet) for sign in panel.same_day_signs]
    texts.append((panel.out_of_hours, styles.body))
    if handout.notes:
        texts += [(_("Your goal"), styles.heading), (handout.notes, styles.body)]
    texts.append((_("Your exercises"), styles.heading))
    for box in handout.shared_boxes:
        texts.append((" ".join((box.heading, *box.texts)), styles.body))
    for section in handout.exercises:
        texts.append((f"{section.number}. {section.name}", styles.exercise_heading))
        texts.append((f"{_('Starting position:')} {section.starting_position}", styles.body))
        texts += [
            (f"{number}. {step}", styles.body) for number, step in enumerate(section.steps, 1)
        ]
        texts.append((" ".join((_("You should feel:"), *section.feel)), styles.body))
        texts.append((" ".join((_("Avoid:"), *section.avoid)), styles.body))
        texts.append((f"{_('How much:')} {section.dose}", styles.body))
        if section.note:
            texts.append((f"{_('Note from your clinician:')} {section.note}", styles.body))
        if section.take_care or section.see_also:
            texts.append((_("Take care"), styles.box_heading))
            texts += [(text, styles.body) for text in (*section.take_care, *section.see_also)]
    for guidance in handout.guidance:
        texts.append((guidance.heading, styles.heading))
        if guidance.intro:
            texts.append((guidance.intro, styles.body))
        texts += [(f"• {item}", styles.bullet) for item in guidance.items]
    log = handout.log
    texts += [(log.heading, styles.heading), (log.instructions, styles.body)]
    for week in log.weeks:
        texts.append((week.heading, styles.box_heading))
        texts.append((" ".join(week.days), styles.small))
        texts += [(f"{row.label} {row.how_often}", styles.small) for row in log.rows]
        texts.append((log.pain_label, styles.small))
    return texts


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
        document.build(
            [Paragraph(escape(text), style) for text, style in floor_texts(handout, styles)]
        )
        return buffer.getvalue()


def measure(handout: Handout, iterations: int, warmup: int = 2) -> dict:
    """Alternates the real render and the floor, so drift on a busy machine hits both alike."""
    samples = {"real": [], "floor": [], "real_cpu": [], "floor_cpu": []}
    renders = {"real": render_handout, "floor": render_floor}
    sizes = {}
    for index in range(warmup + iterations):
        order = ("real", "floor") if index % 2 == 0 else ("floor", "real")
        for name in order:
            cpu_started = time.process_time()
            started = time.perf_counter()
            pdf = renders[name](handout)
            elapsed = time.perf_counter() - started
            cpu_elapsed = time.process_time() - cpu_started
            sizes[f"{name}_bytes"] = len(pdf)
            if index >= warmup:
                samples[name].append(elapsed)
                samples[f"{name}_cpu"].append(cpu_elapsed)
    return {**samples, **sizes}
