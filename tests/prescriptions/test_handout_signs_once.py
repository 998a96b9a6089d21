"""Each warning sign prints once, in one tier: read back from the ten handouts' PDFs, no sign
stands in two tiers or twice on a sheet, near-duplicates included (the review found "a leg
that is getting weaker" beside "a weak leg", and "pain that will not go away" beside "pain
that is the same or worse after a week")."""

import itertools
import re

import pytest
from rapidfuzz import fuzz

from prescriptions.handouts.pdf import render_handout
from tests import factories
from tests.prescriptions.handout_fixtures import HANDOUT_FIXTURES, handout_fixture
from tests.prescriptions.handout_helpers import flat, pdf_text

# Where each tier's list starts, and what follows it on the sheet.
TIERS = {
    "emergency": ("Emergency: get help at once", "Call us the same day"),
    "same day": ("Call us the same day", "When we are closed"),
    "routine": ("Contact us within a week", "Your exercise log"),
}
# Two signs this alike say the same thing twice (the ratio of their normalised words, or of
# the words they share, out of 100).
NEAR_DUPLICATE = 85


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def signs_by_tier(sheet: str) -> dict[str, list[str]]:
    """Each tier's bulleted signs as printed, one sentence a sign (a page's footer that
    follows the last one is left out)."""
    found = {}
    for tier, (start, end) in TIERS.items():
        begin = sheet.index(start)
        listed = sheet[begin : sheet.index(end, begin)]
        found[tier] = [bullet.split(".")[0].strip() + "." for bullet in listed.split("•")[1:]]
    return found


def near_duplicates(signs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs of (tier, sign) whose words are the same or nearly so, or one inside the other."""
    return [
        (first, second)
        for (first, second) in itertools.combinations(signs, 2)
        if max(
            fuzz.ratio(words(first[1]), words(second[1])),
            fuzz.token_set_ratio(words(first[1]), words(second[1])),
        )
        > NEAR_DUPLICATE
    ]


def test_the_check_finds_a_sign_repeated_with_other_words_around_it():
    signs = [
        ("routine", "Pain that will not go away."),
        ("routine", "Pain that will not go away, or is no better after a week of your exercises."),
        ("same day", "Losing weight without trying."),
        ("emergency", "Losing your weight without trying!"),
        ("emergency", "Losing control of your bowels."),
    ]

    assert near_duplicates(signs) == [(signs[0], signs[1]), (signs[2], signs[3])]


@pytest.mark.django_db
@pytest.mark.parametrize("name", HANDOUT_FIXTURES)
def test_each_sign_prints_once_in_one_tier(name):
    sheet = flat(pdf_text(render_handout(handout_fixture(name, factories.ClinicFactory()))))

    tiers = signs_by_tier(sheet)

    signs = [(tier, sign) for tier, listed in tiers.items() for sign in listed]
    assert all(tiers.values()), tiers
    assert near_duplicates(signs) == []
    assert [sign for _tier, sign in signs if words(sheet).count(words(sign)) != 1] == []
    # The review's two pairs, now one sign each: a weak leg is a same-day sign, and pain
    # that lasts is a routine one.
    weak_leg = [s for _tier, s in signs if re.search(r"\bweak(er)?\b", s) and "leg" in s]
    assert weak_leg == ["A leg getting weaker or too weak to stand or walk on, or a dragging foot."]
    assert weak_leg[0] in tiers["same day"]
    lasting_pain = [sign for sign in tiers["routine"] if sign.startswith("Pain ")]
    assert lasting_pain == [
        "Pain that will not go away, or is no better after a week of your exercises."
    ]
