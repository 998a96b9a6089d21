"""Handout render time against its floor.

The floor is reportlab laying out the same text, in the same fonts and sizes, as plain
Paragraphs in one pass (SimpleDocTemplate, default canvas, same page size and margins): what
any PDF of this handout's words costs. The real render adds the boxes and the log grid (tables),
numbered lists, KeepTogether, "Page N of M" and the status mark.
"""

import io
import time
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.platypus import Paragraph, SimpleDocTemplate

from prescriptions.handouts.content import Handout
from prescriptions.handouts.layout import WEEKDAYS
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.styles import MARGIN, PAPER_SIZES, handout_styles


def floor_texts(handout: Handout, styles) -> list[tuple[str, object]]:
    """Every string the handout prints, in order, with the paragraph style it prints in."""
    texts = [(handout.clinic_name, styles.body)]
    texts += [(line, styles.small) for line in (handout.clinic_address, handout.clinic_contact)]
    texts.append((handout.title, styles.title))
    texts += [
        (f"{_('For')}: {handout.patient_name}", styles.body),
        (f"{_('Date of birth')}: {handout.patient_birth_date}", styles.body),
        (f"{_('Date')}: {handout.date}", styles.body),
        (f"{_('From')}: {handout.clinician_name}, {handout.clinician_profession}", styles.body),
    ]
    if handout.notes:
        texts += [(_("Your goal"), styles.heading), (handout.notes, styles.body)]
    texts.append((_("Your exercises"), styles.heading))
    for section in handout.exercises:
        texts.append((f"{section.number}. {section.name}", styles.exercise_heading))
        texts += [
            (f"{number}. {step}", styles.body) for number, step in enumerate(section.steps, 1)
        ]
        texts.append((f"{_('How much:')} {section.dose}", styles.body))
        if section.note:
            texts.append((f"{_('Note from your clinician:')} {section.note}", styles.body))
        if section.cautions:
            texts.append((_("Take care"), styles.box_heading))
            texts += [(caution.text, styles.body) for caution in section.cautions]
    if handout.safety:
        texts.append((_("Staying safe"), styles.heading))
        for section in handout.safety:
            texts.append((section.heading, styles.box_heading))
            if section.intro:
                texts.append((section.intro, styles.body))
            texts += [(f"• {item}", styles.bullet) for item in section.items]
    texts.append((_("Your weekly log"), styles.heading))
    texts.append((_("Tick a box each time you do the exercise."), styles.body))
    texts.append((" ".join([_("Exercise"), *(str(day) for day in WEEKDAYS)]), styles.small))
    texts += [(f"{s.number}. {s.name}", styles.small) for s in handout.exercises]
    texts.append((_("Pain (0–10)"), styles.small))
    if handout.review_date:
        texts.append((f"{_('Your next review:')} {handout.review_date}", styles.body))
    return texts


def render_floor(handout: Handout, *, large_print: bool = False) -> bytes:
    with override(handout.language):
        styles = handout_styles(large_print)
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=PAPER_SIZES[handout.paper],
            leftMargin=MARGIN,
            rightMargin=MARGIN,
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
