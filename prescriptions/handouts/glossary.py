"""Words a patient may not know, explained in plain words where they first appear.

The terms are catalogue data (`exercises.GlossaryTerm`, edited in the admin). The handout is
walked in the order it is printed; the first text that uses a term gets the term's
explanation after it, once per sheet. The help panel is left as written: its signs are kept
short so the whole panel fits page 1, and a term first named there is explained where it next
appears. Card names and the clinician's own notes are never changed.
"""

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from exercises.models import Tier

if TYPE_CHECKING:
    from prescriptions.handouts.content import Handout


class FirstUse:
    """Called on each text in reading order: returns it with the explanation of every term
    it is the first to use."""

    def __init__(self, terms: list[tuple[str, str]]):
        # A whole word or phrase, any case, a plural "s" allowed; longer terms first, so
        # "sciatic nerve" is matched before a shorter term inside it.
        self.pending = [
            (re.compile(rf"\b{re.escape(term)}s?\b", re.IGNORECASE), explanation)
            for term, explanation in sorted(terms, key=lambda pair: -len(pair[0]))
        ]

    def __call__(self, text: str) -> str:
        found = [(p, explanation) for p, explanation in self.pending if p.search(text)]
        if not found:
            return text
        self.pending = [entry for entry in self.pending if entry not in found]
        return " ".join([text, *(explanation for _pattern, explanation in found)])

    def each(self, texts) -> tuple[str, ...]:
        return tuple(self(text) for text in texts)


def explain_first_use(handout: "Handout", terms: list[tuple[str, str]]) -> "Handout":
    """The handout with each term explained at its first use, in the layout's order: the
    guidance before the exercises, the shared boxes, each card, then the guidance after."""
    explain = FirstUse(terms)

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
    return replace(
        handout, guidance=tuple(guidance), shared_boxes=shared_boxes, exercises=exercises
    )
