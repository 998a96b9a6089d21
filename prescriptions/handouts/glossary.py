"""Words a patient may not know, explained in plain words where they first appear.

The terms are catalogue data (`exercises.GlossaryTerm`, edited in the admin). The handout is
walked in the order it is printed; the first text that uses a term gets the term's
explanation after it, once per sheet. The help panel is left as written: its signs are kept
short so the whole panel fits page 1, and a term first named there is explained where it next
appears. Card names and the clinician's own notes are never changed.

A sheet in another language looks for the term's translation, as its cards print it, and
explains it in that language; a term not translated into it is not explained there (an
English explanation of a word the sheet does not print would only confuse).
"""

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from exercises.models import Tier
from exercises.translations import CatalogueTexts

if TYPE_CHECKING:
    from prescriptions.handouts.content import Handout


# Arabic vowel and other marks (harakat, shadda, sukun, superscript alef): a card may print
# them over a term's letters ("الرِّجل") or not, so a term is found either way.
ARABIC_MARKS = "[\u064b-\u065f\u0670]*"


def spelling_pattern(spelling: str) -> str:
    """A whole word or phrase, with or without marks over its letters, a plural "s" allowed."""
    letters = re.sub(ARABIC_MARKS, "", spelling)
    return rf"\b{ARABIC_MARKS.join(re.escape(letter) for letter in letters)}s?\b"


@dataclass(frozen=True)
class GlossaryText:
    """A term as one language prints it, and its explanation in that language."""

    term: str
    explanation: str
    # Both texts are the catalogue's own, or reviewed translations.
    reviewed: bool = True


def glossary_in(language: str, terms: list[tuple[str, str]]) -> list[GlossaryText]:
    """The glossary a sheet in `language` explains, from its (term, explanation) originals:
    translated where both texts have a translation, left out where either has none."""
    texts = CatalogueTexts.for_language(language)
    translated = []
    for term, explanation in terms:
        renderings = texts.render(term), texts.render(explanation)
        if all(rendering.translated for rendering in renderings):
            translated.append(
                GlossaryText(
                    renderings[0].text,
                    renderings[1].text,
                    reviewed=all(rendering.reviewed for rendering in renderings),
                )
            )
    return translated


class FirstUse:
    """Called on each text in reading order: returns it with the explanation of every term
    it is the first to use. Remembers the terms it explained."""

    def __init__(self, glossary: list[GlossaryText]):
        # Any case; longer terms first, so "sciatic nerve" is matched before a shorter term
        # inside it. A translated term may list several spellings, one a line.
        self.pending = [
            (
                re.compile("|".join(map(spelling_pattern, entry.term.splitlines())), re.I),
                entry,
            )
            for entry in sorted(glossary, key=lambda entry: -len(entry.term))
        ]
        self.explained: list[GlossaryText] = []

    def __call__(self, text: str) -> str:
        found = [(p, entry) for p, entry in self.pending if p.search(text)]
        if not found:
            return text
        self.pending = [pending for pending in self.pending if pending not in found]
        self.explained += [entry for _pattern, entry in found]
        return " ".join([text, *(entry.explanation for _pattern, entry in found)])

    def each(self, texts) -> tuple[str, ...]:
        return tuple(self(text) for text in texts)


def explain_first_use(handout: "Handout", glossary: list[GlossaryText]) -> tuple["Handout", bool]:
    """The handout with each term explained at its first use, in the layout's order: the
    guidance before the exercises, the shared boxes, each card, then the guidance after; and
    whether every explanation it printed is reviewed (an unreviewed one, like any unreviewed
    text, keeps the clinic's language beside the sheet's by default)."""
    explain = FirstUse(glossary)

    def section(guidance):
        return replace(guidance, items=explain.each(guidance.items))

    before = {index for index, s in enumerate(handout.guidance) if s.tier == Tier.PRECAUTION}
    guidance = list(handout.guidance)
    for index in sorted(before):
        guidance[index] = section(guidance[index])
    shared_boxes = tuple(
        replace(box, texts=explain.each(box.texts)) for box in handout.shared_boxes
    )
    exercises = tuple(
        replace(
            card,
            starting_position=explain(card.starting_position),
            steps=explain.each(card.steps),
            feel=explain.each(card.feel),
            tips=explain.each(card.tips),
            avoid=explain.each(card.avoid),
            take_care=explain.each(card.take_care),
        )
        for card in handout.exercises
    )
    for index, guidance_section in enumerate(guidance):
        if index not in before:
            guidance[index] = section(guidance_section)
    explained = replace(
        handout, guidance=tuple(guidance), shared_boxes=shared_boxes, exercises=exercises
    )
    return explained, all(entry.reviewed for entry in explain.explained)
