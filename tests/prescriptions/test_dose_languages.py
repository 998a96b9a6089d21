"""The dose in the patient's language, with the plural form each count takes there (Arabic
has six: zero, one, two, 3-10, 11-99 and 100 on)."""

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from exercises.models import Limb
from exercises.wording import _sentence, dose_sentence, time_words

COUNTS = (0, 1, 2, 3, 11, 100)

SECONDS = {
    "en": ("0 seconds", "1 second", "2 seconds", "3 seconds", "11 seconds", "100 seconds"),
    "es": ("0 segundos", "1 segundo", "2 segundos", "3 segundos", "11 segundos", "100 segundos"),
    "ar": ("0 ثوانٍ", "ثانية واحدة", "ثانيتين", "3 ثوانٍ", "11 ثانية", "100 ثانية"),
}
REPETITIONS = {
    "en": (
        "Do 0 repetitions.",
        "Do 1 repetition.",
        "Do 2 repetitions.",
        "Do 3 repetitions.",
        "Do 11 repetitions.",
        "Do 100 repetitions.",
    ),
    "es": (
        "Haz 0 repeticiones.",
        "Haz 1 repetición.",
        "Haz 2 repeticiones.",
        "Haz 3 repeticiones.",
        "Haz 11 repeticiones.",
        "Haz 100 repeticiones.",
    ),
    "ar": (
        "كرر 0 مرات.",
        "كرر مرة واحدة.",
        "كرر مرتين.",
        "كرر 3 مرات.",
        "كرر 11 مرة.",
        "كرر 100 مرة.",
    ),
}


@pytest.mark.parametrize("language", ["en", "es", "ar"])
@pytest.mark.parametrize("index", range(len(COUNTS)))
def test_a_time_takes_the_plural_form_of_its_count(language, index):
    with translation.override(language):
        assert time_words(COUNTS[index]) == SECONDS[language][index]


@pytest.mark.parametrize("language", ["en", "es", "ar"])
@pytest.mark.parametrize("index", range(len(COUNTS)))
def test_repetitions_take_the_plural_form_of_their_count(language, index):
    """A dose never has 0 repetitions, so 0 is read from the catalogue as the dose reads it."""
    count = COUNTS[index]
    with translation.override(language):
        if count:
            sentence = dose_sentence({"reps": count})
        else:
            sentence = _sentence(
                ngettext("Do %(count)d repetition", "Do %(count)d repetitions", 0) % {"count": 0}
            )
    assert sentence == REPETITIONS[language][index]


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


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_an_alternating_dose_of_one_says_once(language):
    alternating = {"reps": 1, "side": "alternate"}
    with translation.override(language):
        sentences = (
            dose_sentence(alternating, Limb.LEG),
            dose_sentence(alternating, Limb.LEG, alternate_count_in_all=True),
            dose_sentence({**alternating, "hold_seconds": 5}, Limb.ARM),
        )
    assert sentences == ALTERNATING_ONCE[language]
