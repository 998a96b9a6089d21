"""The Spanish a patient reads on the handout is easy to read: Fernández-Huerta 80 or above
(textstat, offline) for each sentence of eight words or more, its placeholders filled."""

import re

import textstat

from tests.clinic.translations_support import EASY, LONG_ENOUGH, message_ids, shipped_catalog

# The handout's own sentences (the dose module's validation messages are for clinicians).
PATIENT_MODULES = (
    "prescriptions/handouts/content.py",
    "prescriptions/handouts/layout.py",
    "prescriptions/handouts/pdf.py",
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _patient_sentences() -> list[str]:
    spanish = shipped_catalog("es")
    sentences = []
    for message_id in sorted(message_ids(PATIENT_MODULES)):
        message = spanish.get(message_id)
        for text in message.string if message.pluralizable else [message.string]:
            filled = PLACEHOLDER.sub("3", text)
            if len(filled.split()) >= LONG_ENOUGH:
                sentences.append(filled)
    return sentences


def test_spanish_handout_sentences_read_easily(spanish_syllables):
    sentences = _patient_sentences()
    hard = {text: textstat.fernandez_huerta(text) for text in sentences}

    assert len(sentences) >= 5
    assert {text: score for text, score in hard.items() if score < EASY} == {}
