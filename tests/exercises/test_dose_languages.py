"""The dose in the patient's language, with the plural form each count takes there (Arabic
has six: zero, one, two, 3-10, 11-99 and 100 on)."""

import re
from gettext import c2py

import pytest
from django.utils import translation

from exercises.dose import (
    DURATION_SECONDS,
    HOLD_SECONDS,
    REPS,
    SETS,
    DoseBound,
    Side,
)
from exercises.models import Limb
from exercises.wording import SideKey, dose_sentence, time_words
from tests.clinic.translations_support import message_ids, shipped_catalog

LANGUAGES = ("en", "es", "ar")

COUNTS = (0, 1, 2, 3, 11, 100)

SECONDS = {
    "en": ("0 seconds", "1 second", "2 seconds", "3 seconds", "11 seconds", "100 seconds"),
    "es": ("0 segundos", "1 segundo", "2 segundos", "3 segundos", "11 segundos", "100 segundos"),
    "ar": ("0 ثوانٍ", "ثانية واحدة", "ثانيتين", "3 ثوانٍ", "11 ثانية", "100 ثانية"),
}
# A dose never has 0 repetitions: 0 means it counts none, and no sentence says so.
REPETITION_COUNTS = COUNTS[1:]
REPETITIONS = {
    "en": (
        "Do 1 repetition.",
        "Do 2 repetitions.",
        "Do 3 repetitions.",
        "Do 11 repetitions.",
        "Do 100 repetitions.",
    ),
    "es": (
        "Haz 1 repetición.",
        "Haz 2 repeticiones.",
        "Haz 3 repeticiones.",
        "Haz 11 repeticiones.",
        "Haz 100 repeticiones.",
    ),
    "ar": (
        "كرر مرة واحدة.",
        "كرر مرتين.",
        "كرر 3 مرات.",
        "كرر 11 مرة.",
        "كرر 100 مرة.",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("index", range(len(COUNTS)))
def test_a_time_takes_the_plural_form_of_its_count(language, index):
    with translation.override(language):
        assert time_words(COUNTS[index]) == SECONDS[language][index]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("index", range(len(REPETITION_COUNTS)))
def test_repetitions_take_the_plural_form_of_their_count(language, index):
    with translation.override(language):
        assert dose_sentence({"reps": REPETITION_COUNTS[index]}) == REPETITIONS[language][index]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "es",
            "Mantén la posición durante 30 segundos. Hazlo 3 veces con cada pierna. "
            "Dos veces al día, 5 días a la semana.",
        ),
        (
            "ar",
            "اثبت لمدة 30 ثانية. افعل هذا 3 مرات لكل رِجل. مرتين في اليوم، 5 أيام في الأسبوع.",
        ),
    ],
)
def test_a_whole_dose_reads_as_sentences_in_the_language(language, expected):
    dose = {"hold_seconds": 30, "reps": 3, "side": "both", "times_per_day": 2, "days_per_week": 5}
    with translation.override(language):
        assert dose_sentence(dose, Limb.LEG) == expected


# A count of 1 reads as a word, in a whole sentence per case: never "1 time".
ALTERNATING_ONCE = {
    "en": (
        "Do this once with each leg, taking turns.",
        "Do this once in all, with one leg.",
        "Hold for 5 seconds. Do this once with each arm, taking turns.",
    ),
    "es": (
        "Hazlo una vez con cada pierna, por turnos.",
        "Hazlo una vez en total, con una sola pierna.",
        "Mantén la posición durante 5 segundos. Hazlo una vez con cada brazo, por turnos.",
    ),
    "ar": (
        "افعل هذا مرة واحدة لكل رِجل، بالتناوب.",
        "افعل هذا مرة واحدة في المجموع، برِجل واحدة.",
        "اثبت لمدة 5 ثوانٍ. افعل هذا مرة واحدة لكل ذراع، بالتناوب.",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_alternating_dose_of_one_says_once(language):
    alternating = {"reps": 1, "side": "alternate"}
    with translation.override(language):
        sentences = (
            dose_sentence(alternating, Limb.LEG),
            dose_sentence(alternating, Limb.LEG, alternate_count_in_all=True),
            dose_sentence({**alternating, "hold_seconds": 5}, Limb.ARM),
        )
    assert sentences == ALTERNATING_ONCE[language]


# Every dose sentence is the shipped catalogue's whole sentence, in the plural form its count
# takes by the catalogue's own rule, at each count a dose can have.
CATALOGS = {language: shipped_catalog(language) for language in ("es", "ar")}
NUMERALS = re.compile(r"\d+")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def po_sentence(language: str, singular: str, plural: str | None = None, count: int = 1) -> str:
    """The .po's sentence for a message: the form its plural rule picks for the count."""
    if language == "en":
        return plural if plural and count != 1 else singular
    catalog = CATALOGS[language]
    message = catalog.get(singular)
    if plural is None:
        return message.string
    assert message.id == (singular, plural)
    return message.string[c2py(catalog.plural_expr)(count)]


def seconds_in(language: str, seconds: int) -> str:
    return po_sentence(language, "%(count)d second", "%(count)d seconds", seconds) % {
        "count": seconds
    }


def skip_outside(bound: DoseBound, count: int) -> None:
    if not bound.minimum <= count <= bound.maximum:
        pytest.skip(f"a dose's {bound.name} is {bound.minimum} to {bound.maximum}")


def assert_reads_as(
    sentence: str, language: str, expected: str, english: str, count: int | None
) -> None:
    """The sentence is the expected one, with its count (if it has one) written out and no
    English word left in another language."""
    assert sentence == expected
    if count and count >= 3:  # every shipped language writes these counts as numerals
        assert str(count) in NUMERALS.findall(sentence)
    if language == "ar":
        assert not re.search("[A-Za-z]", sentence)
    elif language == "es":
        english_words = set(re.findall(r"[a-z]{3,}", PLACEHOLDER.sub("", english).lower()))
        assert english_words.isdisjoint(re.findall(r"[a-záéíóúñ]{3,}", sentence.lower()))


def test_the_arabic_catalogue_gives_each_count_its_own_form():
    rule = c2py(CATALOGS["ar"].plural_expr)
    assert [rule(count) for count in COUNTS] == [0, 1, 2, 3, 4, 5]


# The side a sentence names, by (side, limb, counted in all), with its English words.
SIDE_WORDS: dict[SideKey, str] = {
    (None, Limb.LEG, False): ".",
    **{(Side.BOTH, limb, False): f" on each {limb}." for limb in Limb.values},
    **{(Side.LEFT, limb, False): f", left {limb} only." for limb in Limb.values},
    **{(Side.RIGHT, limb, False): f", right {limb} only." for limb in Limb.values},
    **{(Side.ALTERNATE, limb, False): f" with each {limb}, taking turns." for limb in Limb.values},
    **{
        (Side.ALTERNATE, limb, True): f" in all, changing {limb}s each time."
        for limb in Limb.values
    },
}
ONCE_IN_ALL: dict[str | None, str] = {
    Limb.LEG: "with one leg",
    Limb.ARM: "with one arm",
    Limb.SIDE: "on one side",
}


def counted_sentence(
    side_key: SideKey, singular_action: str, plural_action: str
) -> tuple[str, str]:
    """The English singular and plural of a counted sentence naming this side."""
    side, limb, in_all = side_key
    if side == Side.ALTERNATE:  # the count says what it counts, with or without a hold
        words = SIDE_WORDS[side_key]
        singular = (
            f"Do this once in all, {ONCE_IN_ALL[limb]}." if in_all else f"Do this once{words}"
        )
        return singular, f"Do this %(count)d times{words}"
    return singular_action + SIDE_WORDS[side_key], plural_action + SIDE_WORDS[side_key]


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("side_key", SIDE_WORDS, ids=lambda key: "-".join(map(str, key)))
@pytest.mark.parametrize("language", LANGUAGES)
class TestEachDoseShapeAtEachCount:
    def dose_sentence(self, language, side_key, **dose):
        side, limb, in_all = side_key
        with translation.override(language):
            return dose_sentence({**dose, "side": side}, limb, alternate_count_in_all=in_all)

    @pytest.mark.parametrize(
        ("bound", "action"),
        [(HOLD_SECONDS, "Hold for"), (DURATION_SECONDS, "Keep going for")],
        ids=["hold", "duration"],
    )
    def test_a_hold_or_a_duration_names_its_side(self, language, side_key, count, bound, action):
        skip_outside(bound, count)
        english = f"{action} %(time)s{SIDE_WORDS[side_key]}"
        expected = po_sentence(language, english) % {"time": seconds_in(language, count)}
        sentence = self.dose_sentence(language, side_key, **{bound.name: count})
        assert_reads_as(sentence, language, expected, english, count)

    def test_repetitions_name_their_side(self, language, side_key, count):
        skip_outside(REPS, count)
        english = counted_sentence(side_key, "Do %(count)d repetition", "Do %(count)d repetitions")
        expected = po_sentence(language, *english, count) % {"count": count}
        sentence = self.dose_sentence(language, side_key, reps=count)
        assert_reads_as(sentence, language, expected, english[1], count)

    def test_a_hold_done_a_number_of_times_names_its_side_with_the_count(
        self, language, side_key, count
    ):
        skip_outside(REPS, count)
        hold = po_sentence(language, "Hold for %(time)s.") % {"time": seconds_in(language, 30)}
        english = counted_sentence(side_key, "Do this once", "Do this %(count)d times")
        times = po_sentence(language, *english, count) % {"count": count}
        sentence = self.dose_sentence(language, side_key, hold_seconds=30, reps=count)
        assert_reads_as(sentence, language, f"{hold} {times}", english[1], count)


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_sets_and_the_rest_between_them_take_their_counts_form(language, count):
    if count == 1:
        pytest.skip("one set is the dose itself: no sentence says it")
    skip_outside(SETS, count)
    expected = " ".join(
        (
            po_sentence(language, "Do %(count)d repetition.", "Do %(count)d repetitions.", 10)
            % {"count": 10},
            po_sentence(language, "Do %(count)d set.", "Do %(count)d sets.", count)
            % {"count": count},
            po_sentence(language, "Rest for %(time)s between sets.")
            % {"time": seconds_in(language, count)},
        )
    )
    with translation.override(language):
        sentence = dose_sentence({"reps": 10, "sets": count, "rest_seconds": count})
    assert_reads_as(sentence, language, expected, "Do sets. Rest for between sets.", count)


# How often, one sentence per shape; where both are counts the days decide the plural. The
# counts stay inside a dose's bounds (1 to 6 a day, 1 to 7 a week); None: no count to agree with.
HOW_OFTEN = [
    (1, None, ("Once a day.", None), None),
    (2, None, ("Twice a day.", None), None),
    (3, None, ("%(count)d time a day.", "%(count)d times a day."), 3),
    (None, 7, ("Every day.", None), None),
    (None, 1, ("Once a week.", None), None),
    (None, 2, ("%(count)d day a week.", "%(count)d days a week."), 2),
    (None, 3, ("%(count)d day a week.", "%(count)d days a week."), 3),
    (1, 7, ("Once a day, every day.", None), None),
    (1, 1, ("Once a day, once a week.", None), None),
    (1, 2, ("Once a day, %(count)d day a week.", "Once a day, %(count)d days a week."), 2),
    (1, 3, ("Once a day, %(count)d day a week.", "Once a day, %(count)d days a week."), 3),
    (2, 7, ("Twice a day, every day.", None), None),
    (2, 1, ("Twice a day, once a week.", None), None),
    (2, 2, ("Twice a day, %(count)d day a week.", "Twice a day, %(count)d days a week."), 2),
    (2, 3, ("Twice a day, %(count)d day a week.", "Twice a day, %(count)d days a week."), 3),
    (3, 7, ("%(count)d time a day, every day.", "%(count)d times a day, every day."), 3),
    (3, 1, ("%(count)d time a day, once a week.", "%(count)d times a day, once a week."), 3),
    (
        3,
        2,
        (
            "%(times)d times a day, %(count)d day a week.",
            "%(times)d times a day, %(count)d days a week.",
        ),
        2,
    ),
    (
        6,
        3,
        (
            "%(times)d times a day, %(count)d day a week.",
            "%(times)d times a day, %(count)d days a week.",
        ),
        3,
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("times_per_day", "days_per_week", "english", "count"), HOW_OFTEN)
def test_how_often_is_one_whole_sentence_per_shape(
    language, times_per_day, days_per_week, english, count
):
    repetitions = po_sentence(language, "Do %(count)d repetition.", "Do %(count)d repetitions.", 5)
    how_often = po_sentence(language, *english, count) % {"count": count, "times": times_per_day}
    with translation.override(language):
        sentence = dose_sentence(
            {"reps": 5, "times_per_day": times_per_day, "days_per_week": days_per_week}
        )
    assert_reads_as(
        sentence,
        language,
        f"{repetitions % {'count': 5}} {how_often}",
        english[1] or english[0],
        count,
    )


def test_no_dose_message_glues_words_to_a_placeholder_at_either_end():
    """A message that starts or ends with a text placeholder ("%(action)s on each leg.") is a
    fragment: a translator cannot make its words agree with what fills it."""
    glued = []
    for message in message_ids(["exercises/wording.py"], plurals=True):
        words_outside = PLACEHOLDER.sub("", message)
        starts_or_ends = re.match(r"%\(\w+\)s", message) or re.search(r"%\(\w+\)s$", message)
        if starts_or_ends and re.search(r"[A-Za-z]", words_outside):
            glued.append(message)
    assert glued == []
