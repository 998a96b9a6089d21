"""The catalogue's words as people read them: a dose in plain words (the handout prints it, the
picker shows an exercise's default dose with it) and a caution in clinician words."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

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


# Each side's sentence around what to do ("Do 10 repetitions"), marked here and translated
# when picked: a whole sentence a translator may reorder, never a clause glued on.
_WITHOUT_SIDE = gettext_noop("%(action)s.")
_SIDE_SENTENCES: dict[tuple[str, str], str] = {
    (Side.BOTH, Limb.LEG): gettext_noop("%(action)s on each leg."),
    (Side.BOTH, Limb.ARM): gettext_noop("%(action)s on each arm."),
    (Side.BOTH, Limb.SIDE): gettext_noop("%(action)s on each side."),
    (Side.LEFT, Limb.LEG): gettext_noop("%(action)s, left leg only."),
    (Side.LEFT, Limb.ARM): gettext_noop("%(action)s, left arm only."),
    (Side.LEFT, Limb.SIDE): gettext_noop("%(action)s, left side only."),
    (Side.RIGHT, Limb.LEG): gettext_noop("%(action)s, right leg only."),
    (Side.RIGHT, Limb.ARM): gettext_noop("%(action)s, right arm only."),
    (Side.RIGHT, Limb.SIDE): gettext_noop("%(action)s, right side only."),
}


# Alternating sides: the count is per side ("8 times with each leg, taking turns") unless the
# exercise declares it counts both sides together ("8 times in all"); either way the sentence
# says which, so a patient never wonders whether 8 means 8 or 16. A count of 1 is "once", and
# once in all is one side only. Keyed by (limb, in all).
_ALTERNATE_COUNTS: dict[tuple[str, bool], "StrOrPromise"] = {
    (Limb.LEG, False): ngettext_lazy(
        "Do this once with each leg, taking turns.",
        "Do this %(count)d times with each leg, taking turns.",
        "count",
    ),
    (Limb.ARM, False): ngettext_lazy(
        "Do this once with each arm, taking turns.",
        "Do this %(count)d times with each arm, taking turns.",
        "count",
    ),
    (Limb.SIDE, False): ngettext_lazy(
        "Do this once with each side, taking turns.",
        "Do this %(count)d times with each side, taking turns.",
        "count",
    ),
    (Limb.LEG, True): ngettext_lazy(
        "Do this once in all, with one leg.",
        "Do this %(count)d times in all, changing legs each time.",
        "count",
    ),
    (Limb.ARM, True): ngettext_lazy(
        "Do this once in all, with one arm.",
        "Do this %(count)d times in all, changing arms each time.",
        "count",
    ),
    (Limb.SIDE, True): ngettext_lazy(
        "Do this once in all, on one side.",
        "Do this %(count)d times in all, changing sides each time.",
        "count",
    ),
}
# Alternating with a hold or a duration and no count: the time is per side, or in all.
_ALTERNATE_TIMES: dict[tuple[str, bool], str] = {
    (Limb.LEG, False): gettext_noop("%(action)s with each leg, taking turns."),
    (Limb.ARM, False): gettext_noop("%(action)s with each arm, taking turns."),
    (Limb.SIDE, False): gettext_noop("%(action)s with each side, taking turns."),
    (Limb.LEG, True): gettext_noop("%(action)s in all, changing legs each time."),
    (Limb.ARM, True): gettext_noop("%(action)s in all, changing arms each time."),
    (Limb.SIDE, True): gettext_noop("%(action)s in all, changing sides each time."),
}


def _sentence(
    action: str,
    side: str | None = None,
    limb: str = Limb.SIDE,
    alternate_count_in_all: bool = False,
) -> str:
    """The action as a sentence, naming the side when there is one."""
    if side == Side.ALTERNATE:
        template = _ALTERNATE_TIMES[(limb, alternate_count_in_all)]
    elif side:
        template = _SIDE_SENTENCES[(side, limb)]
    else:
        template = _WITHOUT_SIDE
    return _(template) % {"action": action}


def _how_often(times_per_day: int | None, days_per_week: int | None) -> str:
    parts = []
    if times_per_day:
        if times_per_day == 1:
            parts.append(_("Once a day"))
        elif times_per_day == 2:
            parts.append(_("Twice a day"))
        else:
            parts.append(
                ngettext("%(count)d time a day", "%(count)d times a day", times_per_day)
                % {"count": times_per_day}
            )
    if days_per_week:
        if days_per_week == 7:
            parts.append(_("every day"))
        elif days_per_week == 1:
            parts.append(_("once a week"))
        else:
            parts.append(
                ngettext("%(count)d day a week", "%(count)d days a week", days_per_week)
                % {"count": days_per_week}
            )
    if not parts:
        return ""
    sentence = _(", ").join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def _repetitions(reps: int, hold: int | None) -> str:
    if hold:
        if reps == 1:
            return _("Do this once")
        return ngettext("Do this %(count)d time", "Do this %(count)d times", reps) % {"count": reps}
    return ngettext("Do %(count)d repetition", "Do %(count)d repetitions", reps) % {"count": reps}


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
    side = dose.get("side")
    actions = []
    if hold:
        actions.append(_("Hold for %(time)s") % {"time": time_words(hold)})
    if duration:
        actions.append(_("Keep going for %(time)s") % {"time": time_words(duration)})
    if reps and side == Side.ALTERNATE:
        # The count carries the side, in one whole sentence that says what it counts.
        sentences = [_sentence(action) for action in actions]
        sentences.append(_ALTERNATE_COUNTS[(limb, alternate_count_in_all)] % {"count": reps})
    else:
        if reps:
            actions.append(_repetitions(reps, hold))
        # The side goes with the last action: the repetitions, or else the hold or duration.
        sentences = [_sentence(action) for action in actions[:-1]]
        if actions:
            sentences.append(_sentence(actions[-1], side, limb, alternate_count_in_all))
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
