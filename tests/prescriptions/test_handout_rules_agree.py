"""No card rule contradicts the sheet's own rules (the physiotherapist review of the ten
fixture handouts): every exercise of the default catalogue, for every condition.

A patient with sciatica may always have some tingling: a card that says "stop if you feel
tingling" cannot be followed beside the sheet's "stop if it is new or worse than usual". A
patient with a sore tendon is allowed some tendon pain, up to the score agreed at the visit:
a card that says "stop if you feel pain near your sitting bone" contradicts it.
"""

import dataclasses
import re

import pytest

from exercises.catalogue.loader import load_catalogue
from exercises.dose import Side
from exercises.models import Condition, Exercise, SafetyNote, SafetyNoteVariant, Status
from exercises.wording import dose_sentence
from prescriptions.handouts.content import build_handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.selectors import prescriptions_with_handout_content
from tests import factories
from tests.prescriptions.handout_fixtures import HANDOUT_FIXTURES, handout_fixture
from tests.prescriptions.handout_helpers import flat, pdf_text

pytestmark = pytest.mark.django_db

SCIATICA = "sciatica"
DISC_INJURY = "disc-injury"
TENDINOPATHY = "high-hamstring-tendinopathy"
CONDITION_SETS = [(), (SCIATICA,), (DISC_INJURY,), (TENDINOPATHY,), (SCIATICA, TENDINOPATHY)]

# A sentence about nerve symptoms that tells the patient to stop or back off...
NERVE = re.compile(r"tingl|numb|pins and needles|down (your|the) leg|leg pain", re.I)
STOP = re.compile(r"\bstop\b|move (away|off)|do not|\bnever\b|tell us|switch", re.I)
# ...says it is about a change, as the nerve condition's stop rule does.
CHANGE = re.compile(r"\bnew\b|worse|more than usual|spread|grows", re.I)

TENDON_PAIN = re.compile(r"(pain|ache).*(sitting bone|tendon|buttock)", re.I)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s]


def _programme(condition_slugs, exercises):
    patient = factories.PatientFactory(
        conditions=list(Condition.objects.filter(slug__in=condition_slugs))
    )
    prescription = factories.PrescriptionFactory(patient=patient, items=list(exercises))
    return build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))


def _catalogue():
    load_catalogue()
    return list(Exercise.objects.filter(status=Status.PUBLISHED).order_by("slug"))


def _card_rules(handout) -> dict[str, list[str]]:
    """Card name -> the rules it prints (its "Take care" box, what to avoid, and the shared
    boxes it points to), sentence by sentence."""
    shared = {box.heading: box.texts for box in handout.shared_boxes}
    rules = {}
    for card in handout.exercises:
        pointed = [
            text
            for line in card.see_also
            for heading, texts in shared.items()
            if heading in line
            for text in texts
        ]
        rules[card.name] = [
            sentence
            for text in (*card.take_care, *card.avoid, *pointed)
            for sentence in _sentences(text)
        ]
    return rules


def _card_sentences_where(handout, test) -> list[str]:
    return [
        f"{name}: {sentence}"
        for name, sentences in _card_rules(handout).items()
        for sentence in sentences
        if test(sentence)
    ]


def stricter_than_the_nerve_rule(sentence: str) -> bool:
    return bool(NERVE.search(sentence) and STOP.search(sentence) and not CHANGE.search(sentence))


def test_the_nerve_check_catches_the_rules_the_review_found():
    for found in (
        "Stop if you feel tingling, numbness or pain running down your leg.",
        "Move away from the wall if tingling or numbness starts.",
        "Feel it in the muscle, never as pain running down your leg.",
    ):
        assert stricter_than_the_nerve_rule(found)
    assert not stricter_than_the_nerve_rule(
        "Stop if numbness, tingling or leg pain is new or worse than usual, and tell us."
    )


@pytest.mark.parametrize("conditions", CONDITION_SETS, ids=lambda c: "+".join(c) or "none")
def test_no_card_rule_about_nerve_symptoms_is_stricter_than_new_or_worse(conditions):
    handout = _programme(conditions, _catalogue())

    stricter = _card_sentences_where(handout, stricter_than_the_nerve_rule)
    # With a nerve condition, "How it should feel" too: "never as pain running down your
    # leg" beside "leg pain may be usual for you; stop if it is new or worse".
    if {SCIATICA, DISC_INJURY} & set(conditions):
        stricter += [
            f"{section.heading}: {sentence}"
            for section in handout.guidance
            for item in section.items
            for sentence in _sentences(item)
            if stricter_than_the_nerve_rule(sentence)
        ]

    assert stricter == []
    if SCIATICA in conditions:
        stop_rules = [item for section in handout.guidance for item in section.items]
        assert any("new or worse than usual" in item for item in stop_rules)


SHARP = re.compile(r"sharp|shooting", re.I)


@pytest.mark.parametrize(
    "conditions",
    [(SCIATICA,), (DISC_INJURY,), (SCIATICA, DISC_INJURY), (DISC_INJURY, TENDINOPATHY)],
    ids="+".join,
)
def test_sharp_or_shooting_pain_stops_a_nerve_patient_when_new_or_worse(conditions):
    """Shooting leg pain may be what a sciatica or disc patient always has: no rule on the
    sheet or a card may tell them to stop on any sharp or shooting pain while another says
    "new or worse than usual"."""
    handout = _programme(conditions, _catalogue())
    guidance = [
        sentence
        for section in handout.guidance
        for item in section.items
        for sentence in _sentences(item)
    ]

    absolute = [
        sentence
        for sentence in (*guidance, *_card_sentences_where(handout, SHARP.search))
        # A rule about sharp pain that is not about a change; a sentence that only says what
        # nerve pain feels like (beside the ache score) is no rule.
        if SHARP.search(sentence) and STOP.search(sentence) and not CHANGE.search(sentence)
    ]

    assert absolute == []
    assert any(
        "Stop too if sharp or shooting pain is new or worse than usual." in sentence
        for sentence in guidance
    )


@pytest.mark.parametrize("conditions", [(TENDINOPATHY,), (SCIATICA, TENDINOPATHY)])
def test_tendon_pain_on_a_card_is_measured_against_the_agreed_score(conditions):
    handout = _programme(conditions, _catalogue())

    against_no_score = _card_sentences_where(
        handout, lambda s: TENDON_PAIN.search(s) and "agreed score" not in s
    )

    assert against_no_score == []
    bridge = " ".join(_card_rules(handout)["Bottom lift (glute bridge)"])
    assert "agreed score" in bridge
    guidance = " ".join(item for section in handout.guidance for item in section.items)
    # A number, never a blank to fill in (the review found it left empty on every sheet).
    assert "Your agreed score: 3 out of 10, the usual starting score." in guidance
    assert "Tendon pain next morning 0–10" in handout.log.pain_labels


# Folding forward bends the lower back: the catalogue's tags for it, and the exercises the
# physiotherapist's review named (child's pose had no disc caution).
FLEXION_TAGS = {"two-leg-seated-fold", "standing-forward-bend", "rounded-back-fold"}
FLEXION_EXERCISES = {
    "childs-pose-to-downward-dog",
    "downward-dog",
    "modified-hurdler-stretch",
    "seated-towel-stretch",
}


def test_the_disc_injury_caution_reaches_every_flexion_exercise():
    exercises = _catalogue()
    flexion = {
        exercise.name
        for exercise in exercises
        if exercise.slug in FLEXION_EXERCISES
        or FLEXION_TAGS & {tag.slug for tag in exercise.tags.all()}
    }
    disc = Condition.objects.get(slug=DISC_INJURY)
    cautions = set(disc.cautions.values_list("text", flat=True))
    handout = _programme((DISC_INJURY,), exercises)

    # A caution shared by several cards prints once, in a box each card points to.
    cards = {name: " ".join(rules) for name, rules in _card_rules(handout).items()}
    uncautioned = sorted(
        name for name in flexion if not any(text in cards[name] for text in cautions)
    )

    assert len(flexion) >= 7
    assert uncautioned == []


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("conditions", CONDITION_SETS, ids=lambda c: "+".join(c) or "none")
def test_no_handout_prints_a_blank_to_fill_in(conditions):
    """A patient reads a blank ("___ out of 10") as a value nobody gave them: every number the
    sheet asks them to keep to is printed (the review found the tendon score left empty)."""
    handout = _programme(conditions, _catalogue())

    blanks = [text for text in _strings(dataclasses.asdict(handout)) if "__" in text]

    assert blanks == []


def test_no_general_note_assumes_a_stretch_every_day():
    """The dose says how many days a week; a sign or a rule never assumes every day."""
    load_catalogue()
    texts = [
        *SafetyNote.objects.filter(is_active=True).values_list("text", flat=True),
        *SafetyNoteVariant.objects.values_list("text", flat=True),
    ]
    assert [text for text in texts if "every day" in text] == []
    assert SafetyNote.objects.filter(
        text="Pain that will not go away, or is no better after a week of your exercises.",
        is_active=True,
    ).exists()


# Advice to do another exercise instead ---------------------------------------------------------


@pytest.mark.parametrize("conditions", CONDITION_SETS, ids=lambda c: "+".join(c) or "none")
def test_alone_on_a_sheet_no_exercise_sends_the_patient_to_another(conditions):
    exercises = _catalogue()
    swaps = []
    for exercise in exercises:
        handout = _programme(conditions, [exercise])
        texts = [
            *handout.exercises[0].take_care,
            *(t for b in handout.shared_boxes for t in b.texts),
        ]
        swaps += [f"{exercise.slug}: {text}" for text in texts if "instead" in text]
    assert swaps == []


@pytest.mark.parametrize("conditions", CONDITION_SETS, ids=lambda c: "+".join(c) or "none")
def test_advice_names_a_prescribed_lying_exercise_of_its_kind_that_sends_nowhere_else(
    conditions,
):
    """Every swap is advised for back or leg pain: the exercise it names is done lying down,
    the back supported (a standing lean would load the back the same way)."""
    exercises = _catalogue()
    handout = _programme(conditions, exercises)
    category_of = {e.name: e.category for e in exercises}
    position_of = {e.name: e.position for e in exercises}
    cards = {card.number: card for card in handout.exercises}
    shared = [text for box in handout.shared_boxes for text in box.texts]

    def named_in(texts):
        return [int(n) for text in texts for n in re.findall(r"do exercise (\d+) instead", text)]

    named = [(number, other) for number in cards for other in named_in(cards[number].take_care)]
    # Advice two cards share prints once before them: it names one exercise for both.
    named += [(None, other) for other in named_in(shared)]
    assert named
    for number, other in named:
        assert other != number
        assert "lying" in position_of[cards[other].name], cards[other].name
        if number is not None:
            assert category_of[cards[other].name] == category_of[cards[number].name]
        sends_on = [t for t in cards[other].take_care if "instead" in t or "stop this one" in t]
        assert sends_on == [], cards[other].name


def test_advice_names_the_lying_stretch_on_the_sheet_or_says_stop_and_tell_us():
    load_catalogue()
    heel, lean, lying = (
        Exercise.objects.get(slug=slug)
        for slug in (
            "standing-hamstring-stretch-heel",
            "single-leg-romanian-deadlift",
            "supine-hamstring-stretch",
        )
    )

    without = _programme([DISC_INJURY], [lean, heel])
    with_lying = _programme([DISC_INJURY], [heel, lying])

    assert "If your back or leg hurts, stop this one and tell us." in without.exercises[1].take_care
    assert not [t for t in without.exercises[0].take_care if "stop this one" in t]
    assert "If your back or leg hurts, do exercise 2 instead." in with_lying.exercises[0].take_care


def test_a_standing_stretch_is_no_swap_for_a_stretch_that_hurts_the_back():
    """The review's left-only sheet sent the seated towel stretch to the standing step
    stretch, a straight-leg forward lean that loads the back the same way."""
    load_catalogue()
    step, towel = (
        Exercise.objects.get(slug=slug)
        for slug in ("standing-hamstring-stretch-step", "seated-towel-stretch")
    )

    card = _programme([], [step, towel]).exercises[1]

    assert not [t for t in card.take_care if "do exercise 1 instead" in t]
    assert [t for t in card.take_care if t.endswith("stop this one and tell us.")]


def test_the_in_and_out_stretch_prescribed_today_says_when_to_stop():
    load_catalogue()
    in_and_out = Exercise.objects.get(slug="hamstring-in-and-out-of-tension")

    for conditions in ((), (SCIATICA,)):
        card = _programme(conditions, [in_and_out]).exercises[0]
        assert (
            "If it brings on pain down your leg, or makes it worse, stop and tell us."
            in card.take_care
        )
        assert not [text for text in card.take_care if "calmed" in text]


# Wording by body and by condition ---------------------------------------------------------------


def test_a_buttock_exercise_is_dosed_on_each_side_not_each_leg():
    buttock = [
        e
        for e in _catalogue()
        if any("buttock" in (e.side_text(side) or "") for side in Side.values)
    ]
    assert buttock
    for exercise in buttock:
        both = dose_sentence(
            {**exercise.default_dose(), "side": Side.BOTH}, exercise.body_region.limb
        )
        assert "on each side" in both and "leg" not in both, exercise.slug


def test_the_bird_dog_on_each_side_says_to_finish_one_side_first():
    """The review read "Do 8 repetitions on each side" beside "Then change to the other arm
    and leg" as switching after each repetition: 8 or 16 in all?"""
    bird_dog = next(e for e in _catalogue() if e.slug == "bird-dog")

    card = _programme((), [bird_dog]).exercises[0]

    assert card.dose.startswith("Do 8 repetitions on each side.")
    assert card.steps[-1].endswith(
        "Do all your repetitions with this arm and leg. "
        "Then do the same with the other arm and leg."
    )


def test_the_tendon_pain_has_one_name_on_the_sheet_and_the_cards():
    """The agreed score is for "pain near your sitting bone": a card that measures "the ache
    near your sitting bone" against it reads as the muscle ache the ache score is for."""
    handout = _programme((TENDINOPATHY,), _catalogue())
    texts = [
        *(item for section in handout.guidance for item in section.items),
        *(sentence for rules in _card_rules(handout).values() for sentence in rules),
    ]

    scored = [t for t in texts if "agreed score" in t and re.search(r"\b(pain|ache)\b", t)]
    assert scored
    for text in scored:
        assert "pain near your sitting bone" in text, text


ROUND_THE_BACK = re.compile(r"\bdo not round (your back|it)\b", re.I)


@pytest.mark.parametrize("conditions", CONDITION_SETS, ids=lambda c: "+".join(c) or "none")
def test_a_card_says_do_not_round_your_back_once(conditions):
    """The review found "Do not round your back" under Avoid and "Do not round it" under
    Take care: one caution said twice on a card."""
    for card in _programme(conditions, _catalogue()).exercises:
        said = [text for text in (*card.avoid, *card.take_care) if ROUND_THE_BACK.search(text)]
        assert len(said) <= 1, (card.name, said)


def test_without_a_condition_nothing_assumes_leg_pain():
    handout = _programme((), _catalogue())

    printed = [
        *(item for section in handout.guidance for item in section.items),
        *(text for card in handout.exercises for text in (*card.take_care, *card.avoid)),
        *(text for box in handout.shared_boxes for text in box.texts),
    ]

    assert [text for text in printed if re.search(r"your (usual )?leg pain", text)] == []


def test_the_revision_line_keeps_version_and_its_number_together(clinic):
    handout = handout_fixture("revision", clinic)

    assert "(version\u00a01)" in handout.replaces


def test_each_fixture_has_a_goal_of_its_own(clinic):
    strengthening = handout_fixture("strengthening-twice-a-day", clinic)
    tendon = handout_fixture("hamstring-tendinopathy", clinic)

    assert "strong" in strengthening.notes
    assert "tendon" in tendon.notes
    assert "Ease the pull" not in strengthening.notes + tendon.notes


ACHE_SCALE = "Score the ache from 0 to 10:"
ACHE_SENTENCE = re.compile(r"[^.]*\bache\b[^.]*\.")
SCORES = re.compile(r"\b(\d+) (to|or) (\d+|more)\b")


def ache_scores_with_a_rule(sheet: str) -> set[int]:
    """The scores 0-10 the sheet's ache scale says what to do about ("0 to 3 is fine", "an
    ache of 4 or 5", "6 or more")."""
    covered: set[int] = set()
    # "from 0 to 10" names the scale, not a rule on it.
    for sentence in ACHE_SENTENCE.findall(sheet.replace(ACHE_SCALE, "Score the ache:")):
        for low, joined, high in SCORES.findall(sentence):
            first, last = int(low), 10 if high == "more" else int(high)
            spans = joined == "to" or high == "more"
            covered |= set(range(first, last + 1)) if spans else {first, last}
    return covered


def test_the_ache_score_reader_sees_the_hole_the_review_found():
    left_out_4_or_5 = (
        f"Strengthening exercises can make your muscles ache. {ACHE_SCALE} 0 to 3 is fine, so "
        "carry on. An ache of 6 or more means do less or stop."
    )
    assert ache_scores_with_a_rule(left_out_4_or_5) == {0, 1, 2, 3, 6, 7, 8, 9, 10}


@pytest.mark.parametrize("name", HANDOUT_FIXTURES)
def test_the_ache_scale_has_a_rule_for_every_score_from_0_to_10(name):
    """The second review: left out for tendinopathy, "an ache of 4 or 5" left a patient with
    a muscle ache of 4 with no rule. Beside the tendon's agreed score it says it is for
    muscle ache away from the sitting bone."""
    sheet = flat(pdf_text(render_handout(handout_fixture(name, factories.ClinicFactory()))))

    if ACHE_SCALE in sheet:
        assert ache_scores_with_a_rule(sheet) == set(range(11))
    agreed_score = "Your agreed score: 3 out of 10, the usual starting score." in sheet
    assert agreed_score == (name == "hamstring-tendinopathy")
    if agreed_score:
        assert "A muscle ache of 4 or 5, away from your sitting bone, is OK" in sheet


def test_the_tendinopathy_roller_starts_where_its_take_care_box_allows(clinic):
    """The second review: "Sit on a foam roller or a massage ball" put the ball under the
    sitting bone, where the Take care box forbids any pressure."""
    sheet = flat(pdf_text(render_handout(handout_fixture("hamstring-tendinopathy", clinic))))

    assert (
        "Starting position: Sit on the floor with the ball or roller under the side of your "
        "buttock, above the bone you sit on." in sheet
    )
    assert "Do not roll on the bone you sit on, or just below it" in sheet
    assert "Sit on a foam roller" not in sheet


def test_the_forward_lean_caution_makes_no_claim_its_pictures_do_not_keep(clinic):
    """The second review: "The pictures show the full lean: you may need less" beside
    pictures of a part lean, so "less" meant almost no movement."""
    sheet = flat(pdf_text(render_handout(handout_fixture("hamstring-tendinopathy", clinic))))

    assert "full lean" not in sheet
    assert (
        "Lean only as far as the pain near your sitting bone stays within your agreed score."
        in sheet
    )
