"""The catalogue's words as people read them: a dose in plain words (the handout prints it, the
picker shows an exercise's default dose with it) and a caution in clinician words."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from exercises.dose import Side
from exercises.models import Caution, Exercise, Limb, Severity


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
    (Side.ALTERNATE, Limb.LEG): gettext_noop("%(action)s, switching legs each time."),
    (Side.ALTERNATE, Limb.ARM): gettext_noop("%(action)s, switching arms each time."),
    (Side.ALTERNATE, Limb.SIDE): gettext_noop("%(action)s, switching sides each time."),
}


def _sentence(action: str, side: str | None = None, limb: str = Limb.SIDE) -> str:
    """The action as a sentence, naming the side when there is one."""
    template = _SIDE_SENTENCES[(side, limb)] if side else _WITHOUT_SIDE
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


def dose_sentence(dose: dict, limb: str = Limb.SIDE) -> str:
    """The dose in plain words (its rules are tests/prescriptions/test_dosing.py), e.g.
    "Hold for 30 seconds. Do this 3 times on each leg. Twice a day, every day."
    """
    hold, reps, duration = dose.get("hold_seconds"), dose.get("reps"), dose.get("duration_seconds")
    actions = []
    if hold:
        actions.append(_("Hold for %(time)s") % {"time": time_words(hold)})
    if duration:
        actions.append(_("Keep going for %(time)s") % {"time": time_words(duration)})
    if reps:
        if hold:
            actions.append(
                _("Do this once")
                if reps == 1
                else ngettext("Do this %(count)d time", "Do this %(count)d times", reps)
                % {"count": reps}
            )
        else:
            actions.append(
                ngettext("Do %(count)d repetition", "Do %(count)d repetitions", reps)
                % {"count": reps}
            )
    # The side goes with the last action: the repetitions, or else the hold or duration.
    sentences = [_sentence(action) for action in actions[:-1]]
    if actions:
        sentences.append(_sentence(actions[-1], dose.get("side"), limb))
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
