"""Every word of the default catalogue that a patient reads scores grade 6 or below.

Patient-facing: an exercise's summary, steps, side sentences, what to feel, tips, common
mistakes, safety notes, advice naming another exercise and default dose in words; cautions'
patient wording (plain, acknowledged and their advice naming another exercise); safety notes and their
condition wording; the self-tests a patient does alone.

Flesch-Kincaid grade with textstat 0.7.4 (pinned: later versions download a word list at first
use and score differently). A text of 10 words or more is graded on its own; the shorter texts
of one record are joined first, because a 3-word bullet scores erratically. The safety notes
of one tier print as one list, so that list is the record for its short bullets.
"""

import re
from collections import defaultdict

import pytest
import textstat

from exercises.catalogue.loader import load_catalogue
from exercises.dose import Side
from exercises.models import (
    Assessment,
    Caution,
    Exercise,
    GlossaryTerm,
    PerformedBy,
    SafetyNote,
    SafetyNoteVariant,
)
from exercises.wording import dose_sentence

pytestmark = pytest.mark.django_db

HIGHEST_GRADE = 6
WORDS_TO_GRADE_ALONE = 10


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _as_sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "?", "!")) else f"{text}."


def patient_texts() -> dict[str, list[str]]:
    """Record label -> the patient-facing texts of that record, as loaded."""
    records = defaultdict(list)
    for exercise in Exercise.objects.select_related("body_region").prefetch_related("steps"):
        records[f"exercise {exercise.slug}"] = [
            exercise.summary,
            *(step.text for step in exercise.steps.all()),
            *filter(None, map(exercise.side_text, Side.values)),
            *_lines(exercise.feel),
            *_lines(exercise.cues),
            *_lines(exercise.common_mistakes),
            *_lines(exercise.safety_notes),
            *filter(None, [exercise.alternative_text]),
            dose_sentence(exercise.default_dose(), exercise.body_region.limb),
        ]
    for caution in Caution.objects.select_related("condition", "exercise", "tag"):
        target = caution.exercise.slug if caution.exercise else f"#{caution.tag.slug}"
        label = f"caution {caution.condition.slug} -> {target}"
        records[label] = [
            text
            for text in (caution.text, caution.acknowledged_text, caution.alternative_text)
            if text
        ]
    for assessment in Assessment.objects.filter(performed_by=PerformedBy.SELF):
        records[f"self-test {assessment.slug}"] = [
            *_lines(assessment.procedure),
            assessment.interpretation,
            assessment.caution,
        ]
    for note in SafetyNote.objects.all():
        records[f"safety notes, tier {note.tier}"].append(note.text)
    for variant in SafetyNoteVariant.objects.select_related("note"):
        records[f"safety notes, tier {variant.note.tier}"].append(variant.text)
    records["glossary"] = list(GlossaryTerm.objects.values_list("explanation", flat=True))
    return records


def graded(records: dict[str, list[str]]) -> list[tuple[float, str, str]]:
    """(grade, record, text) for each text graded alone and each record's joined short texts."""
    grades = []
    for label, texts in records.items():
        short = [text for text in texts if len(text.split()) < WORDS_TO_GRADE_ALONE]
        for text in texts:
            if text not in short:
                grades.append((textstat.flesch_kincaid_grade(text), label, text))
        if short:
            joined = " ".join(_as_sentence(text) for text in short)
            grades.append((textstat.flesch_kincaid_grade(joined), label, joined))
    return grades


def test_textstat_is_the_pinned_version_with_its_known_scores():
    assert textstat.flesch_kincaid_grade(
        "Call emergency services now if you suddenly have trouble speaking."
    ) == pytest.approx(8.4)


def test_every_patient_facing_text_of_the_default_catalogue_reads_at_grade_6_or_below():
    load_catalogue()
    records = patient_texts()
    assert len(records["exercise bird-dog"]) > 10
    assert any("tier emergency" in label for label in records)

    too_hard = [
        f"{grade:.1f} {label}: {text}"
        for grade, label, text in graded(records)
        if grade > HIGHEST_GRADE
    ]

    assert too_hard == []


def test_a_long_text_is_graded_alone_and_the_short_ones_of_a_record_together():
    hard = (
        "Persistent paraesthesia necessitates immediate physiotherapeutic consultation, "
        "irrespective of concurrent symptomatology and circumstances."
    )
    grades = graded({"note": [hard, "Rest", "Walk a bit.", "Sit down."]})
    assert [(text, grade > HIGHEST_GRADE) for grade, _, text in grades] == [
        (hard, True),
        ("Rest. Walk a bit. Sit down.", False),
    ]


def test_no_sentence_of_8_words_or_more_is_written_twice_where_a_handout_could_print_both():
    load_catalogue()
    texts = [
        (f"exercise {exercise.slug}", text)
        for exercise in Exercise.objects.prefetch_related("steps")
        for text in [
            *(step.text for step in exercise.steps.all()),
            *filter(None, map(exercise.side_text, Side.values)),
            *_lines(exercise.feel),
            *_lines(exercise.cues),
            *_lines(exercise.common_mistakes),
            *_lines(exercise.safety_notes),
            exercise.alternative_text,
        ]
    ]
    # Acknowledged wording and a note's condition wording replace the text, never stand beside it.
    texts += [(f"caution {caution.pk}", caution.text) for caution in Caution.objects.all()]
    texts += [
        (f"note {note.slug}", note.text) for note in SafetyNote.objects.filter(is_active=True)
    ]
    written = defaultdict(set)
    for where, text in texts:
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            if len(sentence.split()) >= 8:
                written[sentence.lower()].add(where)

    assert {sentence: places for sentence, places in written.items() if len(places) > 1} == {}
