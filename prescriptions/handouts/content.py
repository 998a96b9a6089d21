"""Prescription -> Handout: every word the patient will read, as plain frozen data.

All database work for a handout happens here, in a constant number of queries. The layout
turns a Handout into flowables without touching the database, and an issued prescription
keeps its Handout (as JSON) so it prints the same text forever.

What the patient reads is decided here too: each thing is said once (a caution shared by two
or more exercises moves to a box before them), an acknowledged contraindication prints its
acknowledged wording, and general notes print only where they apply to this programme.
"""

import dataclasses
import datetime
import math
import re
import zoneinfo
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from clinics.out_of_hours import default_out_of_hours
from exercises.cached_lists import read_once_per_version
from exercises.dose import Side
from exercises.illustrations.frames import FrameError, parse_stored_frame
from exercises.illustrations.scene import shows_one_side
from exercises.models import AGREED_SCORE_PLACEHOLDER, Exercise, Position, Severity, Tier
from exercises.selectors import (
    cautions_by_exercise,
    condition_wording,
    glossary_terms,
    safety_notes_for_programme,
    steps_and_frames,
)
from exercises.translations import CATALOGUE_LANGUAGE, CatalogueTexts
from exercises.wording import exercise_dose_sentence
from prescriptions.handouts.direction import isolate, isolate_numbers, phone_number, unbroken
from prescriptions.handouts.glossary import explain_first_use, glossary_in
from prescriptions.models import AGREED_PAIN_SCORE_DEFAULT, Prescription, PrescriptionItem
from prescriptions.rules import ItemDraft, drafts_from_saved

# The log covers the weeks up to the review, within these bounds.
LOG_WEEKS_WITHOUT_REVIEW = 2
LOG_WEEKS_MAX = 6
DAYS_IN_WEEK = 7
# A pain row per distinct pain label of the patient's conditions, by their priority: two at
# most, so the log stays a grid a patient fills in each evening.
PAIN_ROWS_MAX = 2


@dataclass(frozen=True)
class HelpPanel:
    """Page 1: the emergency signs, the same-day signs and how to get help out of hours (the
    clinic's urgent advice, never the emergency number: that door is for the emergency signs).
    The routine tier ("Contact us within a week") follows the exercises, with its time frame."""

    heading: str
    emergency_heading: str
    emergency_action: str
    emergency_signs: tuple[str, ...]
    same_day_heading: str
    same_day_action: str
    same_day_signs: tuple[str, ...]
    out_of_hours: str


@dataclass(frozen=True)
class SharedBox:
    """Text that applies to several exercises, printed once before them."""

    heading: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class ExerciseSection:
    number: int
    name: str
    image: str
    image_alt: str
    # Start and end pictures as pose data (exercises/illustrations/frames.py), frozen with the
    # handout so an issued sheet keeps its poses; empty while the exercise has none.
    frames: tuple[dict, ...]
    starting_position: str
    steps: tuple[str, ...]
    # Sensations only ("You should feel"); technique goes under "Tips".
    feel: tuple[str, ...]
    tips: tuple[str, ...]
    avoid: tuple[str, ...]
    dose: str
    note: str
    take_care: tuple[str, ...]
    # Lines pointing to the shared boxes ("Also read: Because of your sciatica").
    see_also: tuple[str, ...]
    # The pictures drawn mirrored, so a left-only dose shows the left limb working (see
    # pictures_mirrored); snapshots frozen before it draw as they did.
    mirrored: bool = False


@dataclass(frozen=True)
class SafetySection:
    tier: str
    heading: str
    intro: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class LogRow:
    label: str
    boxes_per_day: int
    how_often: str


@dataclass(frozen=True)
class LogWeek:
    heading: str
    days: tuple[str, ...]


@dataclass(frozen=True)
class ExerciseLog:
    heading: str
    instructions: str
    rows: tuple[LogRow, ...]
    pain_labels: tuple[str, ...]
    weeks: tuple[LogWeek, ...]


@dataclass(frozen=True)
class Handout:
    language: str
    title: str
    clinic_name: str
    clinic_logo: str
    clinic_address: str
    clinic_contact: str
    patient_name: str
    patient_birth_date: str
    date: str
    clinician_name: str
    clinician_profession: str
    notes: str
    help: HelpPanel
    shared_boxes: tuple[SharedBox, ...]
    exercises: tuple[ExerciseSection, ...]
    guidance: tuple[SafetySection, ...]
    log: ExerciseLog
    review_date: str
    # Without a review date: how long to keep going, and to contact the clinic then.
    how_long: str
    prescription_id: int
    # The first version's id: one number for the programme on every version's footer.
    programme_number: int
    version: int
    # A revision's first page: "This sheet replaces the one dated ... (version N)", then in
    # brief what changed from that version (exercises added, stopped, dose changed), one line
    # each (CHANGE_LINES_APART).
    replaces: str
    changes: str
    status: str
    paper: str
    # The first day of the programme when it is not the sheet's own date: the log and "How
    # long" count from it, so the patient must be told when to begin.
    starts: str = ""
    # Never frozen: a superseded or voided sheet downloaded again says by what and when it was
    # replaced (`withdrawn_notice`); its snapshot, fingerprint and stored file stay as issued.
    withdrawn: str = ""
    # A bilingual sheet: the same handout in its second language, whose help panel and cards
    # print under this one's (build_handout decides when).
    also: "Handout | None" = None

    def to_dict(self) -> dict:
        frozen = dataclasses.asdict(self)
        del frozen["withdrawn"]
        return frozen

    @classmethod
    def from_dict(cls, data: dict) -> "Handout":
        if "help" not in data:
            data = _from_first_snapshot_format(data)
        # Snapshots issued before programme numbers, revision lines, several pain rows and
        # bilingual sheets.
        data = {
            "also": None,
            "how_long": "",
            "programme_number": data["prescription_id"],
            "replaces": "",
            "changes": "",
            **data,
        }
        log = data["log"]
        if "pain_label" in log:
            log = {
                **{key: value for key, value in log.items() if key != "pain_label"},
                "pain_labels": [log["pain_label"]],
            }
        return cls(
            **{
                **data,
                "also": cls.from_dict(data["also"]) if data["also"] else None,
                "help": _frozen(HelpPanel, data["help"]),
                "shared_boxes": tuple(_frozen(SharedBox, box) for box in data["shared_boxes"]),
                "exercises": tuple(
                    _frozen(ExerciseSection, {"frames": [], "tips": [], **_printed(s)})
                    for s in data["exercises"]
                ),
                "guidance": tuple(_frozen(SafetySection, s) for s in data["guidance"]),
                "log": ExerciseLog(
                    **{
                        **log,
                        "rows": tuple(LogRow(**row) for row in log["rows"]),
                        "pain_labels": tuple(log["pain_labels"]),
                        "weeks": tuple(_frozen(LogWeek, week) for week in log["weeks"]),
                    }
                ),
            }
        )


def _printed(section: dict) -> dict:
    """An exercise card as printed: snapshots issued before the handout held only what it
    prints also kept the acknowledgement's reason, which stays on the prescription's item."""
    return {key: value for key, value in section.items() if key != "contraindication_reason"}


def _frozen(kind, values: dict):
    """A dataclass from its JSON form: JSON lists become the tuples the dataclass holds."""
    return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


def _from_first_snapshot_format(data: dict) -> dict:
    """Snapshots issued before the help panel and the log weeks still print: their cautions
    go in each card's box, their safety tiers in the panel and after the exercises."""
    with translation.override(data["language"]):
        by_tier = {section["tier"]: section for section in data["safety"]}
        empty = {"heading": "", "intro": "", "items": []}
        emergency, urgent = by_tier.get(Tier.EMERGENCY, empty), by_tier.get(Tier.URGENT, empty)
        exercises = [
            {
                **{key: section[key] for key in ("number", "name", "image", "image_alt")},
                **{key: section[key] for key in ("steps", "dose", "note")},
                "frames": section.get("frames", []),
                "starting_position": "",
                "feel": [],
                "tips": [],
                "avoid": [],
                "take_care": list(dict.fromkeys(c["text"] for c in section["cautions"])),
                "see_also": [],
            }
            for section in data["exercises"]
        ]
        rest = {k: v for k, v in data.items() if k not in ("safety", "exercises")}
        return {
            **rest,
            "help": {
                "heading": _("When to get help"),
                "emergency_heading": emergency["heading"],
                "emergency_action": emergency["intro"],
                "emergency_signs": emergency["items"],
                "same_day_heading": urgent["heading"],
                "same_day_action": urgent["intro"],
                "same_day_signs": urgent["items"],
                "out_of_hours": "",
            },
            "shared_boxes": [],
            "exercises": exercises,
            "guidance": [
                by_tier[tier] for tier in (Tier.CONTACT_CLINIC, Tier.PRECAUTION) if tier in by_tier
            ],
            "log": dataclasses.asdict(
                _exercise_log(
                    [(s["number"], s["name"], {}) for s in data["exercises"]],
                    pain_rows=(),
                    first_day=None,
                    weeks=1,
                )
            ),
        }


class CatalogueWording:
    """The catalogue's texts as a sheet in one language prints them: each in its translation,
    or, with none that matches the current original, the original marked as being in the
    catalogue's language (a line at a time, since a text of several lines prints as a list).
    Remembers whether every translation it gave was reviewed (an original printed for want of
    one is marked instead)."""

    def __init__(self, language: str):
        self._texts = CatalogueTexts.for_language(language)
        self.all_reviewed = True

    def __call__(self, original: str) -> str:
        rendering = self._texts.render(original)
        if rendering.translated:
            self.all_reviewed = self.all_reviewed and rendering.reviewed
            return rendering.text
        # The catalogue is written in English (exercises.translations.CATALOGUE_LANGUAGE):
        # a whole sentence names it, so each language words the mark its own way.
        return "\n".join(
            _("%(text)s (in English)") % {"text": line} if line.strip() else line
            for line in original.splitlines()
        )


# Job titles the sheet prints in its own language; any other title prints as the clinician
# typed it, marked as English where the sheet is in another language.
JOB_TITLES = (
    gettext_noop("Physiotherapist"),
    gettext_noop("Physical therapist"),
    gettext_noop("Occupational therapist"),
    gettext_noop("Osteopath"),
    gettext_noop("Chiropractor"),
    gettext_noop("Sports therapist"),
)


def _long_date(value) -> str:
    # A printed date is one thing: it never breaks across lines ("2 de marzo de / 1970").
    # Translators: a date with its year, in Django's date format letters (j day, F month name,
    # Y year; a backslash keeps a letter as itself, e.g. Spanish "j \d\e F \d\e Y").
    return unbroken(formats.date_format(value, _("j F Y"))) if value else ""


def _day_and_month(value) -> str:
    # Translators: a day and month, in Django's date format letters (see "j F Y").
    return unbroken(formats.date_format(value, _("j F")))


def _clinic_wording(text: str, clinic, language: str) -> str:
    """A text the clinic's staff wrote (the goal, a job title, the out-of-hours help) as the
    sheet prints it: written in the clinic's language, it is not translated, so on a sheet in
    another language it is marked as English, as a catalogue text without a translation is.
    The mark can only name English: a clinic writing in another language prints unmarked."""
    if not text.strip() or language == clinic.language or clinic.language != CATALOGUE_LANGUAGE:
        return text
    return _("%(text)s (in English)") % {"text": text}


def _job_title(profession: str, clinic, language: str) -> str:
    if profession in JOB_TITLES:
        return _(profession)
    return _clinic_wording(profession, clinic, language)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _help_panel(clinic, notes_by_tier: dict[str, list[str]], language: str) -> HelpPanel:
    phone = phone_number(clinic.phone) or _("your clinic")
    emergency = _("call %(number)s") % {"number": phone_number(clinic.emergency_number)}
    # Same-day signs out of hours go to the clinic's urgent advice (or its country's default),
    # never to the emergency number: that is the emergency tier's door.
    return HelpPanel(
        heading=_("When to get help"),
        emergency_heading=_("Emergency: get help at once"),
        emergency_action=_(
            "Go to an emergency department now, or %(call)s, if you have any of these. "
            "Do not drive yourself."
        )
        % {"call": emergency},
        emergency_signs=tuple(notes_by_tier[Tier.EMERGENCY]),
        same_day_heading=_("Call us the same day"),
        same_day_action=_("Call us on %(phone)s today if you have any of these:")
        % {"phone": phone},
        same_day_signs=tuple(notes_by_tier[Tier.URGENT]),
        out_of_hours=_("When we are closed: %(help)s.") % {"help": _out_of_hours(clinic, language)},
    )


def _out_of_hours(clinic, language: str) -> str:
    """The clinic's own out-of-hours help (marked where the sheet is in another language) or
    its country's default, translated; its phone numbers keep their digit groups in order in
    right-to-left text ("1800 022 222" would otherwise print "222 022 1800")."""
    advice = _clinic_wording(clinic.own_out_of_hours, clinic, language) or default_out_of_hours(
        clinic.country
    )
    return isolate_numbers(advice)


def _guidance(clinic, notes_by_tier: dict[str, list[str]]) -> tuple[SafetySection, ...]:
    """The non-urgent signs and the general precautions, printed after the exercises."""
    phone = phone_number(clinic.phone) or _("your clinic")
    sections = (
        SafetySection(
            tier=Tier.CONTACT_CLINIC,
            heading=_("Contact us within a week"),
            intro=_(
                "Call us on %(phone)s within a week if you have any of these. Or tell us at "
                "your next visit, if it is sooner."
            )
            % {"phone": phone},
            items=tuple(notes_by_tier[Tier.CONTACT_CLINIC]),
        ),
        SafetySection(
            tier=Tier.PRECAUTION,
            heading=_("How it should feel, and when to stop"),
            intro="",
            items=tuple(notes_by_tier[Tier.PRECAUTION]),
        ),
    )
    return tuple(section for section in sections if section.items)


def _notes_by_tier(condition_ids: set[int], categories: set[str]) -> dict[str, list[str]]:
    """The active safety notes that apply to this programme, in the patient's wording: the
    same for every programme of these categories and conditions until the catalogue changes."""
    return read_once_per_version(
        "handout-notes",
        (sorted(condition_ids), sorted(categories)),
        lambda: _read_notes_by_tier(condition_ids, categories),
    )


def _agreed_score_sentence(score: int | None) -> str:
    """The patient's agreed pain score as a sentence: the therapist's, or else the usual
    starting score, said to be that (a number, never a blank to fill in)."""
    if score is None:
        return _("Your agreed score: %(score)d out of 10, the usual starting score.") % {
            "score": AGREED_PAIN_SCORE_DEFAULT
        }
    return _("Your agreed score: %(score)d out of 10.") % {"score": score}


def _with_agreed_score(notes_by_tier: dict[str, list[str]], score: int | None):
    """The notes with this prescription's agreed score where a note states it (the notes
    themselves are shared by every programme of these conditions, so they are left as read)."""
    sentence = _agreed_score_sentence(score)
    return {
        tier: [note.replace(AGREED_SCORE_PLACEHOLDER, sentence) for note in notes]
        for tier, notes in notes_by_tier.items()
    }


def _read_notes_by_tier(condition_ids: set[int], categories: set[str]) -> dict[str, list[str]]:
    by_tier: dict[str, list[str]] = {tier: [] for tier in Tier.values}
    for note in safety_notes_for_programme(categories, condition_ids):
        by_tier[note.tier].append(condition_wording(note.variants.all(), note.text))
    return by_tier


def _acknowledged(item, cautions) -> bool:
    return item.acknowledge_contraindication and any(
        caution.severity == Severity.CONTRAINDICATION for caution in cautions
    )


def _alternative(
    advice: str, category: str, exercise, acknowledged: bool, swaps: dict[str, int]
) -> tuple[str, ...]:
    """Advice to do another exercise instead. The catalogue writes when (an opening clause, "If
    sitting hurts your back"); the sentence ends by naming an exercise of the kind it names
    that is in this programme ("do exercise 3 instead"), or, with none, "stop this one and
    tell us": a patient is never sent to an exercise nobody prescribed. It prints only on an
    exercise of that kind (a stretch for a stretch), and never once a contraindication is
    acknowledged: the patient was told this exercise is right for them."""
    if not advice or category != exercise.category or acknowledged:
        return ()
    if category in swaps:
        return (
            _("%(when)s, do exercise %(number)d instead.")
            % {"when": advice, "number": swaps[category]},
        )
    return (_("%(when)s, stop this one and tell us.") % {"when": advice},)


def _offers_alternative(item, cautions) -> bool:
    """An exercise that itself advises doing another one instead is no swap for one."""
    return bool(item.exercise.alternative_text) or any(c.alternative_text for c in cautions)


# Every swap the catalogue advises is for an exercise that hurts the back or leg: only one done
# lying down, the back supported, is safe instead (a standing lean loads the back the same way).
SWAP_POSITIONS = {Position.LYING_ON_BACK, Position.LYING_ON_FRONT, Position.SIDE_LYING}


def _swaps_by_card(items, cautions_of) -> list[dict[str, int]]:
    """Per card, kind -> the number of the first other exercise of that kind in the programme
    done lying down that advises no swap of its own (its card would send the patient on
    again)."""
    numbers = [
        (number, item.exercise.category)
        for number, item in enumerate(items, start=1)
        if item.exercise.position in SWAP_POSITIONS
        and not _offers_alternative(item, cautions_of(item))
    ]
    swaps = []
    for own in range(1, len(items) + 1):
        first: dict[str, int] = {}
        for number, category in numbers:
            if number != own:
                first.setdefault(category, number)
        swaps.append(first)
    return swaps


def _printed_cautions(
    item, cautions, swaps: dict[str, int], say: CatalogueWording
) -> list[tuple[str, str]]:
    """(condition's printed name, text) of each caution this item prints. An acknowledged contraindication
    prints its acknowledged wording, never the "do not do this" text beside a dose. A
    caution's advice is a text of its own, so the caution is still said once when shared."""
    acknowledged = _acknowledged(item, cautions)
    printed: list[tuple[str, str]] = []
    for caution in cautions:
        text = caution.text
        if caution.severity == Severity.CONTRAINDICATION and item.acknowledge_contraindication:
            text = caution.acknowledged_text
        text = say(text)
        advice = _alternative(
            say(caution.alternative_text),
            caution.alternative_category,
            item.exercise,
            acknowledged,
            swaps,
        )
        printed += [
            (say(caution.condition.short_name or caution.condition.name), text)
            for text in (text, *advice)
            if text
        ]
    return printed


def _own_notes(item, cautions, swaps: dict[str, int], say: CatalogueWording) -> tuple[str, ...]:
    """The exercise's own safety notes and its advice naming another exercise. A card with an
    acknowledged contraindication prints none of them: its acknowledged text stands alone
    (the catalogue writes into it whatever of the notes still holds)."""
    exercise = item.exercise
    if _acknowledged(item, cautions):
        return ()
    advice = _alternative(
        say(exercise.alternative_text), exercise.alternative_category, exercise, False, swaps
    )
    return (*_lines(say(exercise.safety_notes)), *advice)


def pictures_mirrored(side: str | None, frames: tuple[dict, ...]) -> bool:
    """Whether a card draws its pictures mirrored. They show the body's right limb working
    (the near one, drawn darkest); mirrored, the same pose is seen from the other side, so a
    left-only dose shows the left limb working. Each side, alternating, no side, and pictures
    that show no one side keep the drawing."""
    if side != Side.LEFT:
        return False
    try:
        return shows_one_side(tuple(parse_stored_frame(frame) for frame in frames))
    except FrameError:
        # Not drawn either: the card's pictures log the frame they leave out.
        return False


def card_steps(
    exercise: Exercise, steps: tuple[str, ...], side: str | None, say: "CatalogueWording"
) -> tuple[str, tuple]:
    """(starting position, steps) as the card prints them for the dose's side. The exercise's
    own sentence for that side (data) joins the steps: a one-side dose names the leg in a step
    before the movement; "each side" and "alternating" close the last step (a whole sentence
    of its own, on the step's line); no side adds nothing."""
    # The first step sets the body up (the catalogue writes steps in order).
    starting_position, movement = (steps[0], steps[1:]) if len(steps) > 1 else ("", steps)
    text = say(exercise.side_text(side))
    if not text:
        return starting_position, movement
    if side in (Side.LEFT, Side.RIGHT):
        return starting_position, (text, *movement)
    return starting_position, (*movement[:-1], f"{movement[-1]} {text}" if movement else text)


def _condition_heading(condition: str) -> str:
    return _("Because of your %(condition)s") % {"condition": condition}


def _say_once(own_notes: list[tuple[str, ...]], cautions: list[list[tuple[str, str]]]):
    """Splits each card's cautions and own safety notes into what stays in its "Take care"
    box and what two or more cards share, which prints once in a box before the exercises.

    Returns the shared boxes and, per card, its "Take care" texts and its pointers."""
    cards_with: dict[str, set[int]] = {}
    heading_of: dict[str, str] = {}
    for index, (notes, card_cautions) in enumerate(zip(own_notes, cautions, strict=True)):
        for condition, text in card_cautions:
            heading_of.setdefault(text, _condition_heading(condition))
            cards_with.setdefault(text, set()).add(index)
        for text in notes:
            heading_of.setdefault(text, _("For several of your exercises"))
            cards_with.setdefault(text, set()).add(index)
    shared = {text for text, cards in cards_with.items() if len(cards) > 1}
    boxes: dict[str, list[str]] = {}
    for text in cards_with:
        if text in shared:
            boxes.setdefault(heading_of[text], []).append(text)
    cards = []
    for notes, card_cautions in zip(own_notes, cautions, strict=True):
        texts = dict.fromkeys([*notes, *(text for _condition, text in card_cautions)])
        pointers = dict.fromkeys(heading_of[text] for text in texts if text in shared)
        cards.append(
            (
                tuple(text for text in texts if text not in shared),
                tuple(_("Also read: %(box)s") % {"box": heading} for heading in pointers),
            )
        )
    return tuple(SharedBox(heading=h, texts=tuple(t)) for h, t in boxes.items()), cards


def _log_weeks(first_day: datetime.date | None, review_date: datetime.date | None) -> int:
    if review_date is None or first_day is None:
        return LOG_WEEKS_WITHOUT_REVIEW
    days = (review_date - first_day).days
    return min(max(math.ceil(days / DAYS_IN_WEEK), 1), LOG_WEEKS_MAX)


def _some_days(dose: dict) -> int | None:
    """The days a week of a dose done on some days only; None for every day."""
    days_per_week = dose.get("days_per_week")
    return days_per_week if days_per_week and days_per_week < DAYS_IN_WEEK else None


def _log_row(number: int, name: str, dose: dict, *, days_on_the_row: bool) -> LogRow:
    days_per_week = _some_days(dose) if days_on_the_row else None
    how_often = ""
    if days_per_week:
        how_often = ngettext(
            "Pick %(count)d day a week", "Pick %(count)d days a week", days_per_week
        ) % {"count": days_per_week}
    return LogRow(
        label=f"{number}. {name}",
        boxes_per_day=dose.get("times_per_day") or 1,
        how_often=how_often,
    )


def _log_instructions(days_a_week: set, scored_when: set[bool]) -> str:
    """What to do in the log; when every exercise is done on the same few days a week, the
    log says so once here rather than on every row (the cards already say it each). A pain
    scored the next morning (`scored_when` holds True) goes in the exercise day's box, so each
    day's column shows how that day's exercises settled."""
    if scored_when == {True}:
        tick = _(
            "Tick a box each time you do an exercise. Each morning when you get up, score "
            "your pain from 0 (none) to 10 (the worst) in the box of the day before."
        )
    elif True in scored_when:
        tick = _(
            "Tick a box each time you do an exercise. Each evening, score your pain from "
            "0 (none) to 10 (the worst). Score a row marked next morning when you get up, "
            "in the box of the day before."
        )
    else:
        tick = _(
            "Tick a box each time you do an exercise. Each evening, score your pain from "
            "0 (none) to 10 (the worst)."
        )
    (shared,) = days_a_week if len(days_a_week) == 1 else (None,)
    if not shared:
        return tick
    pick = ngettext(
        "Pick %(count)d day a week for your exercises.",
        "Pick %(count)d days a week for your exercises.",
        shared,
    ) % {"count": shared}
    return f"{pick} {tick}"


def _pain_rows(conditions, say: CatalogueWording) -> tuple[tuple[str, bool], ...]:
    """The distinct pain labels of the patient's conditions, by priority (sciatica's "Leg
    pain" before disc injury's "Back pain"), each condition's own before its second, two at
    most, each with whether it is scored the next morning (tendinopathy)."""
    ordered = sorted(conditions, key=lambda c: (c.priority, c.name, c.pk))
    rows = dict.fromkeys(
        (say(label), condition.pain_scored_next_morning)
        for condition in ordered
        for label in (condition.pain_label, condition.second_pain_label)
        if label
    )
    return tuple(rows)[:PAIN_ROWS_MAX]


def _pain_row(label: str, next_morning: bool) -> str:
    if next_morning:
        return isolate_numbers(_("%(pain)s next morning 0–10") % {"pain": label})
    return isolate_numbers(_("%(pain)s 0–10") % {"pain": label})


def _exercise_log(rows, *, pain_rows, first_day, weeks: int) -> ExerciseLog:
    """The weekly grids. Without a first day (an old snapshot) the days are named, not dated.
    Without a condition's pain rows, one row, "Pain", scored in the evening."""
    pain_rows = pain_rows or ((_("Pain"), False),)
    days_a_week = {_some_days(dose) for _number, _name, dose in rows}
    log_weeks = []
    for week in range(weeks):
        if first_day is None:
            days = tuple(formats.date_format(datetime.date(2024, 1, d), "D") for d in range(1, 8))
            heading = ""
        else:
            start = first_day + datetime.timedelta(days=week * DAYS_IN_WEEK)
            dates = [start + datetime.timedelta(days=d) for d in range(DAYS_IN_WEEK)]
            # The month is in the week's heading: a narrow day box holds "Mon" over "7".
            days = tuple(formats.date_format(day, "D\nj") for day in dates)
            heading = _("Week %(number)d: %(first)s to %(last)s") % {
                "number": week + 1,
                "first": _day_and_month(dates[0]),
                "last": _day_and_month(dates[-1]),
            }
        log_weeks.append(LogWeek(heading=heading, days=days))
    return ExerciseLog(
        heading=_("Your exercise log"),
        instructions=_log_instructions(
            days_a_week, {next_morning for _label, next_morning in pain_rows}
        ),
        rows=tuple(_log_row(*row, days_on_the_row=len(days_a_week) > 1) for row in rows),
        pain_labels=tuple(_pain_row(*row) for row in pain_rows),
        weeks=tuple(log_weeks),
    )


def _how_long(review_date, first_day, weeks: int) -> str:
    """Without a review date, how long the log runs and what to do then; with one, the
    header's review date says it."""
    if review_date is not None:
        return ""
    last_day = first_day + datetime.timedelta(days=weeks * DAYS_IN_WEEK - 1)
    return ngettext(
        "Keep going for %(weeks)d week, until %(date)s. Then call us to say how you are.",
        "Keep going for %(weeks)d weeks, until %(date)s. Then call us to say how you are.",
        weeks,
    ) % {"weeks": weeks, "date": _day_and_month(last_day)}


def _programme_number(previous: Prescription) -> int:
    """The first version's id, from the previous version's snapshot (older snapshots lack it:
    then the chain is followed back, a query per version, for those only)."""
    number = (previous.snapshot or {}).get("programme_number")
    if number:
        return number
    if previous.supersedes is None:
        return previous.pk
    return _programme_number(previous.supersedes)


def _replaces(previous: Prescription | None, clinic_zone: zoneinfo.ZoneInfo) -> str:
    if previous is None:
        return ""
    # The date that version printed (the clinic's day it was issued), said in this sheet's
    # language: its snapshot's own words may be another language's.
    printed = _long_date(timezone.localtime(previous.issued_at, timezone=clinic_zone).date())
    # A no-break space (written as the character: gettext's extractor reads no "\u" escape)
    # keeps "version" and its number on one line.
    return _("This sheet replaces the one dated %(date)s (version %(version)d).") % {
        "date": printed,
        "version": previous.version,
    }


def _changes(
    previous: Prescription | None,
    items: list[PrescriptionItem],
    drafts: list[ItemDraft],
    sections: list[ExerciseSection],
    say: "CatalogueWording",
) -> str:
    """In brief, what a revision changes from the version it replaces: the exercises added,
    those stopped, and those whose dose changed, by name; one whole sentence each, so each
    translates as a whole. Compared as data (which exercise, which dose), never as printed
    text: a revision printed in another language than the version before, or after a dose's
    wording was reworded, would otherwise read as every exercise stopped and started again."""
    if previous is None:
        return ""
    earlier_items = list(previous.items.all())
    before = {
        item.exercise_id: (item.exercise, draft.dose)
        for item, draft in zip(earlier_items, drafts_from_saved(earlier_items), strict=True)
    }
    now = {
        item.exercise_id: (section, draft.dose)
        for item, draft, section in zip(items, drafts, sections, strict=True)
    }
    added = [section.name for key, (section, _dose) in now.items() if key not in before]
    stopped = [say(exercise.name) for key, (exercise, _dose) in before.items() if key not in now]
    sentences = [
        template % {"names": "; ".join(names)}
        for template, names in ((_("New: %(names)s."), added), (_("Stopped: %(names)s."), stopped))
        if names
    ]
    by_exercise = {item.exercise_id: item.exercise for item in items}
    sentences += [
        _dose_change(
            section.name,
            exercise_dose_sentence(by_exercise[key], before[key][1]),
            section.dose,
        )
        for key, (section, dose) in now.items()
        if key in before and before[key][1] != dose
    ]
    if not sentences:
        return _("The exercises and how much to do are the same as before.")
    return CHANGE_LINES_APART.join(sentences)


# What changed prints line by line (each line one translatable whole); a snapshot keeps the
# lines in one string, so sheets issued before they were apart still print as one paragraph.
CHANGE_LINES_APART = "\n"

# A dose is whole sentences ("Hold for 30 seconds. Do this 3 times on each leg. ...").
DOSE_SENTENCE_END = re.compile(r"(?<=[.?!؟])\s+")


def _dose_change(name: str, was: str, now: str) -> str:
    """One exercise's new amount in plain words, on lines of their own: its name, then the
    dose sentences that changed now ("Now: Hold for 20 seconds.") and before ("Before: Hold
    for 30 seconds."), so the two doses are not read as one; the whole doses when a sentence
    was only added or only dropped, which has no "before" or "now" of its own."""
    was_sentences, now_sentences = DOSE_SENTENCE_END.split(was), DOSE_SENTENCE_END.split(now)
    changed_now = [s for s in now_sentences if s not in was_sentences]
    changed_was = [s for s in was_sentences if s not in now_sentences]
    if not (changed_now and changed_was):
        changed_now, changed_was = now_sentences, was_sentences
    return CHANGE_LINES_APART.join(
        [
            _("%(name)s: new amount.") % {"name": name},
            _("Now: %(dose)s") % {"dose": " ".join(changed_now)},
            _("Before: %(dose)s") % {"dose": " ".join(changed_was)},
        ]
    )


def withdrawn_notice(prescription: Prescription) -> str:
    """What a superseded or voided sheet, downloaded again, says on page 1: by what and when it
    was replaced. `replaced_at` is the revision's issue time, read with the row by
    `prescriptions_with_handout_content`."""
    clinic = prescription.clinic
    zone = zoneinfo.ZoneInfo(clinic.timezone)
    with translation.override((prescription.snapshot or {})["language"]):
        if prescription.status == "superseded":
            replaced_at = getattr(prescription, "replaced_at", None)
            values = {
                "version": prescription.version + 1,
                "date": _long_date(replaced_at and timezone.localtime(replaced_at, zone).date()),
            }
            if not values["date"]:
                return _("Do not use this sheet: version %(version)d replaced it.") % values
            return _("Do not use this sheet: version %(version)d replaced it on %(date)s.") % values
        if prescription.status == "voided":
            voided_at = prescription.voided_at
            return _(
                "Do not use this sheet: it was withdrawn on %(date)s. Ask us for your current one."
            ) % {"date": _long_date(voided_at and timezone.localtime(voided_at, zone).date())}
    return ""


def build_handout(
    prescription: Prescription, language: str | None = None, also: str | None = None
) -> Handout:
    """Reads the prescription (with the selectors' prefetches) into a Handout whose words are
    in `language`, by default the patient's preferred one (`issue.draft_language` checks it is
    offered). Bilingual with `also`, or by default with the clinic's language when a catalogue
    translation it prints is not reviewed, unless the clinic allows those alone."""
    clinic = prescription.clinic
    language = language or prescription.patient.preferred_language
    handout, all_reviewed = _handout_in(prescription, language)
    if also is None and not (all_reviewed or clinic.unreviewed_translations_alone):
        also = clinic.language
    if also is None or also == language:
        return handout
    second, _reviewed = _handout_in(prescription, also)
    return dataclasses.replace(handout, also=second)


def _handout_in(prescription: Prescription, language: str) -> tuple[Handout, bool]:
    """The handout in one language, and whether every catalogue translation it prints is
    reviewed."""
    clinic = prescription.clinic
    with translation.override(language):
        patient = prescription.patient
        conditions = list(patient.conditions.all())
        condition_ids = {condition.pk for condition in conditions}
        items = list(prescription.items.all())
        exercise_ids = {item.exercise_id for item in items}
        cautions = cautions_by_exercise(exercise_ids, condition_ids)
        printed_parts = steps_and_frames(exercise_ids)
        drafts = drafts_from_saved(items)
        say = CatalogueWording(language)

        def cautions_of(item):
            return cautions.get(item.exercise_id, ())

        swaps = _swaps_by_card(items, cautions_of)
        shared_boxes, cards = _say_once(
            [
                _own_notes(item, cautions_of(item), swap, say)
                for item, swap in zip(items, swaps, strict=True)
            ],
            [
                _printed_cautions(item, cautions_of(item), swap, say)
                for item, swap in zip(items, swaps, strict=True)
            ],
        )
        sections = []
        for number, (item, draft, (take_care, see_also)) in enumerate(
            zip(items, drafts, cards, strict=True), start=1
        ):
            exercise = item.exercise
            steps, frames = printed_parts[exercise.pk]
            starting_position, steps = card_steps(
                exercise, tuple(say(step) for step in steps), draft.dose.get("side"), say
            )
            sections.append(
                ExerciseSection(
                    number=number,
                    name=say(exercise.name),
                    image=exercise.image.name if exercise.image else "",
                    image_alt=exercise.image_alt_text,
                    frames=frames,
                    starting_position=starting_position,
                    steps=steps,
                    feel=_lines(say(exercise.feel)),
                    tips=_lines(say(exercise.cues)),
                    avoid=_lines(say(exercise.common_mistakes)),
                    dose=exercise_dose_sentence(exercise, draft.dose),
                    note=item.notes,
                    take_care=take_care,
                    see_also=see_also,
                    mirrored=pictures_mirrored(draft.dose.get("side"), frames),
                )
            )
        # Translated first: the score's sentence goes into the note in the sheet's language.
        notes_by_tier = _with_agreed_score(
            {
                tier: [say(note) for note in notes]
                for tier, notes in _notes_by_tier(
                    condition_ids, {item.exercise.category for item in items}
                ).items()
            },
            prescription.agreed_pain_score,
        )
        profile = getattr(prescription.clinician, "clinician", None)
        clinic_zone = zoneinfo.ZoneInfo(clinic.timezone)
        local_today = timezone.localtime(
            prescription.issued_at or timezone.now(), timezone=clinic_zone
        ).date()
        first_day = prescription.start_date or local_today
        log_weeks = _log_weeks(first_day, prescription.review_date)
        previous = prescription.supersedes if prescription.supersedes_id else None
        handout = Handout(
            language=language,
            title=_("Your home exercise programme"),
            clinic_name=clinic.name,
            clinic_logo=clinic.logo.name if clinic.logo else "",
            clinic_address=" ".join(clinic.address.split()),
            clinic_contact=isolate(isolate_numbers(clinic.contact_line)),
            patient_name=patient.full_name,
            patient_birth_date=_long_date(patient.date_of_birth),
            date=_long_date(local_today),
            clinician_name=profile.name if profile else prescription.clinician.get_username(),
            clinician_profession=_job_title(profile.profession, clinic, language)
            if profile
            else "",
            notes=_clinic_wording(prescription.notes, clinic, language),
            help=_help_panel(clinic, notes_by_tier, language),
            shared_boxes=shared_boxes,
            exercises=tuple(sections),
            guidance=_guidance(clinic, notes_by_tier),
            log=_exercise_log(
                [
                    (section.number, section.name, draft.dose)
                    for section, draft in zip(sections, drafts, strict=True)
                ],
                pain_rows=_pain_rows(conditions, say),
                first_day=first_day,
                weeks=log_weeks,
            ),
            review_date=_long_date(prescription.review_date),
            starts=_long_date(first_day) if first_day != local_today else "",
            how_long=_how_long(prescription.review_date, first_day, log_weeks),
            prescription_id=prescription.pk,
            programme_number=_programme_number(previous) if previous else prescription.pk,
            version=prescription.version,
            replaces=_replaces(previous, clinic_zone),
            changes=_changes(previous, items, drafts, sections, say),
            status=prescription.status,
            paper=clinic.paper_size,
        )
        terms = read_once_per_version("handout-glossary", (), glossary_terms)
        explained, glossary_reviewed = explain_first_use(handout, glossary_in(language, terms))
        return explained, say.all_reviewed and glossary_reviewed
