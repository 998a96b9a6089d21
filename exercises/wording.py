"""The catalogue's words as people read them: a dose in plain words (the handout prints it, the
picker shows an exercise's default dose with it) and a caution in clinician words."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from exercises.dose import Side
from exercises.models import Caution, Exercise, Limb, Severity

if TYPE_CHECKING:  # the stubs' helper types are a development dependency
    from django_stubs_ext import StrOrPromise


def time_words(seconds: int) -> str:
    """ "30 seconds" under 2 minutes; "2 minutes", "2 minutes 30 seconds" from there on."""
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes, rest = divmod(seconds, 60)
    minute_words = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if not rest:
        return minute_words
    second_words = ngettext("%(count)d second", "%(count)d seconds", rest) % {"count": rest}
    return _("%(minutes)s %(seconds)s") % {"minutes": minute_words, "seconds": second_words}


# Every sentence a patient reads is one message id, with its plural forms when it has a count,
# so a translator can make the verb, the count and the side agree: never an action glued to a
# side. The tables are keyed by the side the sentence names: none, each side or one side of a
# limb, or taking turns, counted per side or in all (see _side_key).
SideKey = tuple[str | None, str | None, bool]
_NO_SIDE: SideKey = (None, None, False)

# The hold and the duration: the time is a whole noun phrase with its own plural (time_words).
_HOLD_SENTENCES: dict[SideKey, "StrOrPromise"] = {
    _NO_SIDE: gettext_lazy("Hold for %(time)s."),
    (Side.BOTH, Limb.LEG, False): gettext_lazy("Hold for %(time)s on each leg."),
    (Side.BOTH, Limb.ARM, False): gettext_lazy("Hold for %(time)s on each arm."),
    (Side.BOTH, Limb.SIDE, False): gettext_lazy("Hold for %(time)s on each side."),
    (Side.LEFT, Limb.LEG, False): gettext_lazy("Hold for %(time)s, left leg only."),
    (Side.LEFT, Limb.ARM, False): gettext_lazy("Hold for %(time)s, left arm only."),
    (Side.LEFT, Limb.SIDE, False): gettext_lazy("Hold for %(time)s, left side only."),
    (Side.RIGHT, Limb.LEG, False): gettext_lazy("Hold for %(time)s, right leg only."),
    (Side.RIGHT, Limb.ARM, False): gettext_lazy("Hold for %(time)s, right arm only."),
    (Side.RIGHT, Limb.SIDE, False): gettext_lazy("Hold for %(time)s, right side only."),
    (Side.ALTERNATE, Limb.LEG, False): gettext_lazy(
        "Hold for %(time)s with each leg, taking turns."
    ),
    (Side.ALTERNATE, Limb.ARM, False): gettext_lazy(
        "Hold for %(time)s with each arm, taking turns."
    ),
    (Side.ALTERNATE, Limb.SIDE, False): gettext_lazy(
        "Hold for %(time)s with each side, taking turns."
    ),
    (Side.ALTERNATE, Limb.LEG, True): gettext_lazy(
        "Hold for %(time)s in all, changing legs each time."
    ),
    (Side.ALTERNATE, Limb.ARM, True): gettext_lazy(
        "Hold for %(time)s in all, changing arms each time."
    ),
    (Side.ALTERNATE, Limb.SIDE, True): gettext_lazy(
        "Hold for %(time)s in all, changing sides each time."
    ),
}
_DURATION_SENTENCES: dict[SideKey, "StrOrPromise"] = {
    _NO_SIDE: gettext_lazy("Keep going for %(time)s."),
    (Side.BOTH, Limb.LEG, False): gettext_lazy("Keep going for %(time)s on each leg."),
    (Side.BOTH, Limb.ARM, False): gettext_lazy("Keep going for %(time)s on each arm."),
    (Side.BOTH, Limb.SIDE, False): gettext_lazy("Keep going for %(time)s on each side."),
    (Side.LEFT, Limb.LEG, False): gettext_lazy("Keep going for %(time)s, left leg only."),
    (Side.LEFT, Limb.ARM, False): gettext_lazy("Keep going for %(time)s, left arm only."),
    (Side.LEFT, Limb.SIDE, False): gettext_lazy("Keep going for %(time)s, left side only."),
    (Side.RIGHT, Limb.LEG, False): gettext_lazy("Keep going for %(time)s, right leg only."),
    (Side.RIGHT, Limb.ARM, False): gettext_lazy("Keep going for %(time)s, right arm only."),
    (Side.RIGHT, Limb.SIDE, False): gettext_lazy("Keep going for %(time)s, right side only."),
    (Side.ALTERNATE, Limb.LEG, False): gettext_lazy(
        "Keep going for %(time)s with each leg, taking turns."
    ),
    (Side.ALTERNATE, Limb.ARM, False): gettext_lazy(
        "Keep going for %(time)s with each arm, taking turns."
    ),
    (Side.ALTERNATE, Limb.SIDE, False): gettext_lazy(
        "Keep going for %(time)s with each side, taking turns."
    ),
    (Side.ALTERNATE, Limb.LEG, True): gettext_lazy(
        "Keep going for %(time)s in all, changing legs each time."
    ),
    (Side.ALTERNATE, Limb.ARM, True): gettext_lazy(
        "Keep going for %(time)s in all, changing arms each time."
    ),
    (Side.ALTERNATE, Limb.SIDE, True): gettext_lazy(
        "Keep going for %(time)s in all, changing sides each time."
    ),
}

# Alternating sides: the count is per side ("8 times with each leg, taking turns") unless the
# exercise declares it counts both sides together ("8 times in all"); either way the sentence
# says which, so a patient never wonders whether 8 means 8 or 16. A count of 1 is "once", and
# once in all is one side only. With or without a hold, the count is of times.
_ALTERNATE_COUNTS: dict[SideKey, "StrOrPromise"] = {
    (Side.ALTERNATE, Limb.LEG, False): ngettext_lazy(
        "Do this once with each leg, taking turns.",
        "Do this %(count)d times with each leg, taking turns.",
        "count",
    ),
    (Side.ALTERNATE, Limb.ARM, False): ngettext_lazy(
        "Do this once with each arm, taking turns.",
        "Do this %(count)d times with each arm, taking turns.",
        "count",
    ),
    (Side.ALTERNATE, Limb.SIDE, False): ngettext_lazy(
        "Do this once with each side, taking turns.",
        "Do this %(count)d times with each side, taking turns.",
        "count",
    ),
    (Side.ALTERNATE, Limb.LEG, True): ngettext_lazy(
        "Do this once in all, with one leg.",
        "Do this %(count)d times in all, changing legs each time.",
        "count",
    ),
    (Side.ALTERNATE, Limb.ARM, True): ngettext_lazy(
        "Do this once in all, with one arm.",
        "Do this %(count)d times in all, changing arms each time.",
        "count",
    ),
    (Side.ALTERNATE, Limb.SIDE, True): ngettext_lazy(
        "Do this once in all, on one side.",
        "Do this %(count)d times in all, changing sides each time.",
        "count",
    ),
}
# Repetitions after a hold count the times the hold is done ("Do this 3 times").
_TIMES_SENTENCES: dict[SideKey, "StrOrPromise"] = {
    _NO_SIDE: ngettext_lazy("Do this once.", "Do this %(count)d times.", "count"),
    (Side.BOTH, Limb.LEG, False): ngettext_lazy(
        "Do this once on each leg.", "Do this %(count)d times on each leg.", "count"
    ),
    (Side.BOTH, Limb.ARM, False): ngettext_lazy(
        "Do this once on each arm.", "Do this %(count)d times on each arm.", "count"
    ),
    (Side.BOTH, Limb.SIDE, False): ngettext_lazy(
        "Do this once on each side.", "Do this %(count)d times on each side.", "count"
    ),
    (Side.LEFT, Limb.LEG, False): ngettext_lazy(
        "Do this once, left leg only.", "Do this %(count)d times, left leg only.", "count"
    ),
    (Side.LEFT, Limb.ARM, False): ngettext_lazy(
        "Do this once, left arm only.", "Do this %(count)d times, left arm only.", "count"
    ),
    (Side.LEFT, Limb.SIDE, False): ngettext_lazy(
        "Do this once, left side only.", "Do this %(count)d times, left side only.", "count"
    ),
    (Side.RIGHT, Limb.LEG, False): ngettext_lazy(
        "Do this once, right leg only.", "Do this %(count)d times, right leg only.", "count"
    ),
    (Side.RIGHT, Limb.ARM, False): ngettext_lazy(
        "Do this once, right arm only.", "Do this %(count)d times, right arm only.", "count"
    ),
    (Side.RIGHT, Limb.SIDE, False): ngettext_lazy(
        "Do this once, right side only.", "Do this %(count)d times, right side only.", "count"
    ),
    **_ALTERNATE_COUNTS,
}
_REPETITION_SENTENCES: dict[SideKey, "StrOrPromise"] = {
    _NO_SIDE: ngettext_lazy("Do %(count)d repetition.", "Do %(count)d repetitions.", "count"),
    (Side.BOTH, Limb.LEG, False): ngettext_lazy(
        "Do %(count)d repetition on each leg.", "Do %(count)d repetitions on each leg.", "count"
    ),
    (Side.BOTH, Limb.ARM, False): ngettext_lazy(
        "Do %(count)d repetition on each arm.", "Do %(count)d repetitions on each arm.", "count"
    ),
    (Side.BOTH, Limb.SIDE, False): ngettext_lazy(
        "Do %(count)d repetition on each side.",
        "Do %(count)d repetitions on each side.",
        "count",
    ),
    (Side.LEFT, Limb.LEG, False): ngettext_lazy(
        "Do %(count)d repetition, left leg only.",
        "Do %(count)d repetitions, left leg only.",
        "count",
    ),
    (Side.LEFT, Limb.ARM, False): ngettext_lazy(
        "Do %(count)d repetition, left arm only.",
        "Do %(count)d repetitions, left arm only.",
        "count",
    ),
    (Side.LEFT, Limb.SIDE, False): ngettext_lazy(
        "Do %(count)d repetition, left side only.",
        "Do %(count)d repetitions, left side only.",
        "count",
    ),
    (Side.RIGHT, Limb.LEG, False): ngettext_lazy(
        "Do %(count)d repetition, right leg only.",
        "Do %(count)d repetitions, right leg only.",
        "count",
    ),
    (Side.RIGHT, Limb.ARM, False): ngettext_lazy(
        "Do %(count)d repetition, right arm only.",
        "Do %(count)d repetitions, right arm only.",
        "count",
    ),
    (Side.RIGHT, Limb.SIDE, False): ngettext_lazy(
        "Do %(count)d repetition, right side only.",
        "Do %(count)d repetitions, right side only.",
        "count",
    ),
    **_ALTERNATE_COUNTS,
}


def _side_key(side: str | None, limb: str, alternate_count_in_all: bool) -> SideKey:
    if not side:
        return _NO_SIDE
    return (side, limb, side == Side.ALTERNATE and alternate_count_in_all)


# How often, one whole sentence per shape: times a day (once, twice, or a count) by days a
# week (every day, once a week, or a count), either left out. Where both are counts the
# sentence's plural follows the days: a dose has 3 to 6 times a day there (1 and 2 are
# "once" and "twice"), which takes one plural form in every shipped language (Arabic's
# 3-10), while 2 to 6 days do not (Arabic's dual for 2); the times stay a number. A language
# whose 3 to 6 differ (Russian's 3-4 and 5-6) would need this sentence split in two.
_ONCE, _TWICE, _COUNTED = "once", "twice", "counted"
_EVERY_DAY, _ONCE_A_WEEK = "every_day", "once_a_week"
_HOW_OFTEN_SENTENCES: dict[tuple[str | None, str | None], "StrOrPromise"] = {
    (_ONCE, None): gettext_lazy("Once a day."),
    (_TWICE, None): gettext_lazy("Twice a day."),
    (_COUNTED, None): ngettext_lazy("%(count)d time a day.", "%(count)d times a day.", "count"),
    (None, _EVERY_DAY): gettext_lazy("Every day."),
    (None, _ONCE_A_WEEK): gettext_lazy("Once a week."),
    (None, _COUNTED): ngettext_lazy("%(count)d day a week.", "%(count)d days a week.", "count"),
    (_ONCE, _EVERY_DAY): gettext_lazy("Once a day, every day."),
    (_ONCE, _ONCE_A_WEEK): gettext_lazy("Once a day, once a week."),
    (_ONCE, _COUNTED): ngettext_lazy(
        "Once a day, %(count)d day a week.", "Once a day, %(count)d days a week.", "count"
    ),
    (_TWICE, _EVERY_DAY): gettext_lazy("Twice a day, every day."),
    (_TWICE, _ONCE_A_WEEK): gettext_lazy("Twice a day, once a week."),
    (_TWICE, _COUNTED): ngettext_lazy(
        "Twice a day, %(count)d day a week.", "Twice a day, %(count)d days a week.", "count"
    ),
    (_COUNTED, _EVERY_DAY): ngettext_lazy(
        "%(count)d time a day, every day.", "%(count)d times a day, every day.", "count"
    ),
    (_COUNTED, _ONCE_A_WEEK): ngettext_lazy(
        "%(count)d time a day, once a week.", "%(count)d times a day, once a week.", "count"
    ),
    (_COUNTED, _COUNTED): ngettext_lazy(
        "%(times)d times a day, %(count)d day a week.",
        "%(times)d times a day, %(count)d days a week.",
        "count",
    ),
}


def _how_often(times_per_day: int | None, days_per_week: int | None) -> str:
    # A missing count and 0 alike mean "not said".
    times_shape = {None: None, 1: _ONCE, 2: _TWICE}.get(times_per_day or None, _COUNTED)
    days_shape = {None: None, 1: _ONCE_A_WEEK, 7: _EVERY_DAY}.get(days_per_week or None, _COUNTED)
    if times_shape is None and days_shape is None:
        return ""
    # The count a sentence's plural follows: the days whenever they are counted.
    count = days_per_week if days_shape == _COUNTED else times_per_day
    return str(
        _HOW_OFTEN_SENTENCES[(times_shape, days_shape)] % {"count": count, "times": times_per_day}
    )


def exercise_dose_sentence(exercise: Exercise, dose: dict) -> str:
    """The dose of one of this exercise's items in plain words, in the exercise's own terms."""
    return dose_sentence(
        dose, exercise.body_region.limb, alternate_count_in_all=exercise.alternate_count_in_all
    )


def dose_sentence(
    dose: dict, limb: str = Limb.SIDE, *, alternate_count_in_all: bool = False
) -> str:
    """The dose in plain words (its rules are tests/prescriptions/test_dosing.py), e.g.
    "Hold for 30 seconds. Do this 3 times on each leg. Twice a day, every day."
    """
    hold, reps, duration = dose.get("hold_seconds"), dose.get("reps"), dose.get("duration_seconds")
    side_key = _side_key(dose.get("side"), limb, alternate_count_in_all)
    # The side goes with the last of them: the repetitions, or else the duration or the hold.
    sentences = []
    if hold:
        hold_side = _NO_SIDE if reps or duration else side_key
        sentences.append(_HOLD_SENTENCES[hold_side] % {"time": time_words(hold)})
    if duration:
        duration_side = _NO_SIDE if reps else side_key
        sentences.append(_DURATION_SENTENCES[duration_side] % {"time": time_words(duration)})
    if reps:
        counts = _TIMES_SENTENCES if hold else _REPETITION_SENTENCES
        sentences.append(counts[side_key] % {"count": reps})
    sets, rest = dose.get("sets"), dose.get("rest_seconds")
    if sets and sets > 1:
        sentences.append(
            ngettext("Do %(count)d set.", "Do %(count)d sets.", sets) % {"count": sets}
        )
        if rest:
            sentences.append(_("Rest for %(time)s between sets.") % {"time": time_words(rest)})
    how_often = _how_often(dose.get("times_per_day"), dose.get("days_per_week"))
    if how_often:
        sentences.append(how_often)
    return " ".join(sentences)


def caution_for_clinician(caution: Caution, exercise: Exercise) -> str:
    """The caution as the clinician reads it while prescribing: the exercise, the condition and
    the catalogue's clinician text (a plain sentence when the catalogue has none yet)."""
    names = {"name": exercise.name, "condition": caution.condition.name}
    if caution.clinician_text:
        return _("“%(name)s”, %(condition)s: %(text)s") % {**names, "text": caution.clinician_text}
    if caution.severity == Severity.CONTRAINDICATION:
        return _("“%(name)s” is contraindicated for %(condition)s.") % names
    return (
        _(
            "“%(name)s” needs care with %(condition)s; the handout prints the caution for the patient."
        )
        % names
    )
