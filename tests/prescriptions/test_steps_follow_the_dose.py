"""Steps follow the dose: what the dose decides (times, counts, sides) is said by the dose
sentence and the exercise's side sentence for that dose, never by a catalogue step; each
exercise declares the dose fields it needs, and an item without one is refused at issue."""

import itertools
import re

import pytest

from clinics.roles import ensure_roles
from exercises.catalogue.loader import load_catalogue
from exercises.dose import Side
from exercises.models import Condition, Exercise, Position
from exercises.wording import exercise_dose_sentence
from prescriptions.handouts.content import Handout, build_handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.models import Prescription, PrescriptionItem
from prescriptions.rules import check_items, item_drafts
from prescriptions.selectors import prescriptions_with_handout_content
from tests import factories
from tests.prescriptions.handout_helpers import flat, pdf_text, plain_handout
from tests.prescriptions.support import errors, issue_via_api, item, workspace_form_data

PRESCRIPTIONS = "/api/v1/prescriptions/"

# What only the dose may say: a time, a count, a number of sets.
NUMBER = re.compile(
    r"\b(\d+|one|two|three|four|five|ten|twice)\s+"
    r"(seconds?|secs?|minutes?|times|repetitions|reps|sets?|breaths?)\b",
    re.IGNORECASE,
)
# Words that send the patient to the other side: wrong under a one-side dose or no side.
CHANGE_SIDES = re.compile(
    r"\b(change|swap|switch)\w*\s+(to\s+the\s+other\s+)?(sides?|legs?|arms?|buttocks?)\b"
    r"|\beach\s+(side|leg)\b|\bboth\s+sides\b"
    r"|\bthe other (side|leg|buttock|arm and leg)\b.*\b(same|stretch|work)"
    r"|\btak(e|ing) turns\b|\bthen do the other\b",
    re.IGNORECASE,
)
HOLD_WORDS = re.compile(r"\b(pause|hold still|hold it|stay still)\b", re.IGNORECASE)
# An alternating count says what it counts: each side's, or both sides' together.
ALTERNATING_COUNT = re.compile(r"\bwith each (side|leg|arm), taking turns\b|\bin all\b")
ONE_TIME = re.compile(r"\b1 times?\b")
STANDING_LEG = re.compile(r"\bstand on your (left|right) leg\b", re.IGNORECASE)
ONE_SIDE = (Side.LEFT, Side.RIGHT)


def dose_shapes(exercise: Exercise) -> list[dict]:
    """Every dose shape the exercise allows: each side it has wording for (or no side when it
    has none), with and without a hold where the hold is optional, from its default dose, and
    each again with a count of 1 where it has a count."""
    sides = exercise.sides_allowed() or [None]
    used = exercise.dose_fields_used()
    holds = [exercise.default_hold_seconds or 30]
    if "hold_seconds" not in exercise.required_dose_fields:
        holds = [None, *(holds if "hold_seconds" in used else [])]
    shapes = [
        {**exercise.default_dose(), "side": side, "hold_seconds": hold}
        for side, hold in itertools.product(sides, holds)
    ]
    # The smallest count too: an alternating "1 time" read badly.
    return shapes + [{**shape, "reps": 1} for shape in shapes if shape.get("reps")]


def printed_cards(shaped: list[tuple[Exercise, dict]]):
    """The cards of one handout holding every (exercise, dose) given, in that order."""
    prescription = factories.PrescriptionFactory()
    PrescriptionItem.objects.bulk_create(
        PrescriptionItem(prescription=prescription, order=index, exercise=exercise, **dose)
        for index, (exercise, dose) in enumerate(shaped)
    )
    handout = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    return handout.exercises


def contradictions(exercise: Exercise, dose: dict, card) -> list[str]:
    texts = [card.starting_position, *card.steps, *card.feel, *card.tips]
    found = [f"number in “{text}”" for text in texts if NUMBER.search(text)]
    side = dose["side"]
    if side in ONE_SIDE or side is None:
        found += [f"other side in “{text}”" for text in texts if CHANGE_SIDES.search(text)]
    if side in ONE_SIDE:
        if not any(re.search(rf"\b{side}\b", text, re.IGNORECASE) for text in card.steps):
            found.append(f"no {side} leg named")
        if exercise.position == Position.STANDING and not any(
            STANDING_LEG.search(text) for text in card.steps
        ):
            found.append("standing leg not named")
    if dose["hold_seconds"] is None and "hold_seconds" in exercise.dose_fields_used():
        found += [f"a hold without one in “{text}”" for text in texts if HOLD_WORDS.search(text)]
    if ONE_TIME.search(card.dose):
        found.append(f"a count of 1 not said as once in “{card.dose}”")
    if side == Side.ALTERNATE and not ALTERNATING_COUNT.search(card.dose):
        found.append(f"alternating without “each side” or “in all” in “{card.dose}”")
    if side in (Side.BOTH, Side.ALTERNATE) and not card.steps[-1].endswith(
        exercise.side_text(side)
    ):
        found.append(f"no {side} sentence")
    return found


@pytest.mark.django_db
def test_every_catalogue_exercise_under_every_dose_shape_it_allows_prints_steps_that_agree():
    load_catalogue()
    exercises = list(Exercise.objects.select_related("body_region").order_by("slug"))
    shaped = [(exercise, dose) for exercise in exercises for dose in dose_shapes(exercise)]
    # Each shape, side by side: both, left, right (and alternate where offered), with and
    # without a hold where it is optional; no side where the exercise has none.
    assert {dose["side"] for _, dose in shaped} == {None, *Side.values}
    assert {dose["hold_seconds"] is None for _, dose in shaped} == {True, False}

    cards = printed_cards(shaped)

    found = {
        f"{exercise.slug} side={dose['side']} hold={dose['hold_seconds']}": problems
        for (exercise, dose), card in zip(shaped, cards, strict=True)
        if (problems := contradictions(exercise, dose, card))
    }
    assert found == {}
    assert len(cards) > 40


@pytest.mark.django_db
def test_the_checks_catch_the_contradictions_the_catalogue_used_to_print():
    stretch = factories.ExerciseFactory(position="standing", left_side_text="Work your left leg.")
    card = type(
        "Card",
        (),
        {
            "starting_position": "Stand tall.",
            "steps": ("Work your left leg.", "At the top, pause for 1 second.", "Change sides."),
            "feel": (),
            "tips": (),
            "dose": "Do 8 repetitions, switching legs each time.",
        },
    )
    dose = {"side": Side.LEFT, "hold_seconds": 30}
    assert contradictions(stretch, dose, card) == [
        "number in “At the top, pause for 1 second.”",
        "other side in “Change sides.”",
        "standing leg not named",
    ]
    bird_dog = factories.ExerciseFactory(alternate_sides_text="Change sides.")
    alternating = {"side": Side.ALTERNATE, "hold_seconds": None}
    assert (
        "alternating without “each side” or “in all” in “Do 8 repetitions, switching legs each "
        "time.”"
    ) in contradictions(bird_dog, alternating, card)


@pytest.mark.django_db
def test_one_side_names_the_leg_you_stand_on_and_each_side_closes_with_the_change():
    load_catalogue()
    lean = Exercise.objects.get(slug="single-leg-romanian-deadlift")
    step = Exercise.objects.get(slug="standing-hamstring-stretch-step")
    left, both, stretch_left = printed_cards(
        [
            (lean, {**lean.default_dose(), "side": Side.LEFT}),
            (lean, {**lean.default_dose(), "side": Side.BOTH}),
            (step, {**step.default_dose(), "side": Side.LEFT}),
        ]
    )
    assert left.steps[0] == "Stand on your left leg. It does the work."
    assert left.dose.startswith("Do 8 repetitions, left leg only.")
    assert both.steps[-1].endswith(". Then stand on your other leg and do the same.")
    assert stretch_left.steps[0] == "Stretch your left leg. Stand on your right leg."


@pytest.mark.django_db
def test_every_catalogue_default_dose_meets_its_exercises_declaration():
    load_catalogue()
    exercises = list(Exercise.objects.order_by("slug"))
    findings = check_items(
        item_drafts([{"exercise": exercise} for exercise in exercises]), set(), issuing=True
    )
    assert findings.errors == {}
    assert findings.warnings == []
    static_holds = Exercise.objects.filter(tags__slug="static-hold")
    assert all("hold_seconds" in e.required_dose_fields for e in static_holds)


# The declaration at work: draft warns, issue refuses -----------------------------------------


@pytest.fixture
def static_stretch(db):
    return factories.ExerciseFactory(
        name="Lying hamstring stretch",
        required_dose_fields=["hold_seconds", "side"],
        used_dose_fields=["hold_seconds", "reps", "sets", "side"],
        both_sides_text="Then change sides.",
        left_side_text="Stretch your left leg.",
        right_side_text="Stretch your right leg.",
    )


def test_a_static_stretch_without_its_hold_saves_as_a_draft_with_a_warning(
    as_therapist, patient, static_stretch
):
    response = as_therapist.post(
        PRESCRIPTIONS,
        {"patient": patient.pk, "items": [item(static_stretch, hold_seconds=None, reps=3)]},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert [(w["code"], w["item"], w["message"]) for w in response.json()["warnings"]] == [
        (
            "dose_field_required",
            0,
            "“Lying hamstring stretch” needs hold (s): the handout cannot print this exercise "
            "without it. Set it before issuing.",
        )
    ]


def test_issuing_a_static_stretch_without_its_hold_answers_400_on_the_field_and_changes_nothing(
    as_therapist, patient, static_stretch
):
    created = as_therapist.post(
        PRESCRIPTIONS,
        {"patient": patient.pk, "items": [item(static_stretch, hold_seconds=None, reps=3)]},
        format="json",
    ).json()

    response = issue_via_api(as_therapist, f"{PRESCRIPTIONS}{created['id']}/")

    assert errors(response, 400) == [("items.0.hold_seconds", "dose_field_required")]
    prescription = Prescription.objects.get(pk=created["id"])
    assert prescription.status == "draft"
    assert not prescription.handout_pdf


def test_issuing_a_side_the_exercise_has_no_wording_for_answers_400_on_side(as_therapist, patient):
    reach = factories.ExerciseFactory(
        name="Arm and leg reach",
        default_hold_seconds=None,
        default_reps=8,
        required_dose_fields=["reps", "side"],
        used_dose_fields=["reps", "sets", "side"],
        both_sides_text="Then change to the other arm and leg.",
        alternate_sides_text="Now reach with the other arm and leg. Keep taking turns.",
    )
    created = as_therapist.post(
        PRESCRIPTIONS, {"patient": patient.pk, "items": [item(reach, side="left")]}, format="json"
    )
    assert created.status_code == 201
    assert [w["message"] for w in created.json()["warnings"]] == [
        "“Arm and leg reach” is not done “Left only”; choose one of: Each side, Alternating."
    ]

    response = issue_via_api(as_therapist, f"{PRESCRIPTIONS}{created.json()['id']}/")

    assert errors(response, 400) == [("items.0.side", "side_not_offered")]


@pytest.mark.django_db
def test_save_and_issue_in_the_admin_shows_the_missing_hold_at_its_field(
    client, therapist, clinic, static_stretch
):
    client.force_login(therapist)
    draft = factories.PrescriptionFactory(patient__clinic=clinic, items=[static_stretch])
    data = workspace_form_data(draft, **{"items-0-hold_seconds": "", "items-0-side": "both"})

    issued = client.post(
        f"/admin/prescriptions/prescription/{draft.pk}/workspace/", {**data, "_issue": "1"}
    )

    assert issued.status_code == 200
    page = issued.content.decode()
    assert "needs hold (s): the handout cannot print this exercise without it" in page
    assert "Not issued: correct the errors below. Nothing was saved." in page
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.items.get().hold_seconds == 30


def test_the_exercise_api_shows_the_declaration(as_therapist, static_stretch):
    body = as_therapist.get(f"/api/v1/exercises/{static_stretch.pk}/").json()
    assert body["required_dose_fields"] == ["hold_seconds", "side"]
    assert body["used_dose_fields"] == ["hold_seconds", "reps", "sets", "side"]
    assert body["sides"] == ["left", "right", "both"]
    assert body["left_side_text"] == "Stretch your left leg."
    schema = as_therapist.get("/api/schema/?format=json").json()
    detail = schema["components"]["schemas"]["ExerciseDetail"]["properties"]
    assert {"required_dose_fields", "used_dose_fields", "sides", "feel"} <= set(detail)


@pytest.mark.parametrize("value", [["hold"], "hold_seconds"])
def test_an_editor_cannot_declare_a_field_that_is_not_a_dose_field(
    as_editor, static_stretch, value
):
    response = as_editor.patch(
        f"/api/v1/exercises/{static_stretch.pk}/",
        {"required_dose_fields": value},
        format="json",
    )
    assert response.status_code == 400
    assert {attr.split(".")[0] for attr, _ in errors(response, 400)} == {"required_dose_fields"}
    static_stretch.refresh_from_db()
    assert static_stretch.required_dose_fields == ["hold_seconds", "side"]


# One card, one voice: what a card says never contradicts itself --------------------------------


def cards_for(condition_slugs, slugs, **item_fields):
    """The cards of a catalogue programme (default doses) for a patient with these conditions."""
    load_catalogue()
    patient = factories.PatientFactory(
        conditions=list(Condition.objects.filter(slug__in=condition_slugs))
    )
    prescription = factories.PrescriptionFactory(
        patient=patient, items=[Exercise.objects.get(slug=slug) for slug in slugs]
    )
    prescription.items.update(**item_fields)
    handout = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    return {
        card.name: " ".join([*card.steps, *card.feel, *card.tips, *card.avoid, *card.take_care])
        for card in handout.exercises
    } | {"shared": " ".join(text for box in handout.shared_boxes for text in box.texts)}


@pytest.mark.django_db
def test_advice_to_do_a_stretch_instead_prints_on_a_stretch_never_on_a_strengthening_exercise():
    cards = cards_for(
        ["disc-injury"], ["single-leg-romanian-deadlift", "standing-hamstring-stretch-heel"]
    )
    lean = cards["One-leg forward lean (single-leg Romanian deadlift)"]
    stretch = cards["Standing hamstring stretch (heel forward)"]
    # No other stretch on the sheet to send the patient to: stop and tell us.
    advice = "If your back or leg hurts, stop this one and tell us."
    assert advice not in lean
    assert "instead" not in lean and "stop this one" not in lean
    assert advice in stretch
    # The caution itself still prints on both, said once before them.
    assert "Keep your back straight as you lean" in cards["shared"]


@pytest.mark.django_db
def test_an_acknowledged_contraindication_prints_its_acknowledged_text_alone():
    cards = cards_for(
        ["disc-injury", "sciatica"],
        ["seated-two-leg-hamstring-stretch"],
        acknowledge_contraindication=True,
        contraindication_reason="Settled; hip hinge shown in clinic.",
    )
    card = cards["Seated hamstring stretch (both legs)"]
    assert "Your physiotherapist has checked that this exercise is right for you." in card
    assert "instead" not in card
    assert "strain your back" not in card
    assert "Do not do this stretch" not in card
    # Another condition's caution is not the contraindication's to silence.
    assert "Holding a stretch still can upset an irritated nerve." in card


@pytest.mark.django_db
def test_the_buttock_roller_for_a_sore_hamstring_tendon_keeps_off_it():
    cards = cards_for(
        ["high-hamstring-tendinopathy", "sciatica"],
        ["glute-massage-foam-rolling", "self-hamstring-massage", "glute-bridge"],
    )
    roller = cards["Buttock massage (ball or foam roller)"]
    assert "top of your hamstring" not in roller
    assert "chair" not in roller
    assert "Do not roll on the bone you sit on" in roller
    # One word for the pressure on one card: gentle.
    assert "moderate" not in roller and "lightly" not in roller
    assert "gentle" in roller
    assert "sore tendon" in cards["Self hamstring massage"]
    assert "sitting bone" in cards["Bottom lift (glute bridge)"]


@pytest.mark.django_db
def test_the_kneeling_plank_is_offered_once_and_technique_is_a_tip_not_a_feeling():
    cards = cards_for([], ["plank", "downward-dog"])
    plank = cards["Forearm plank"]
    assert plank.count("knees") == 1
    load_catalogue()
    dog = Exercise.objects.get(slug="downward-dog")
    assert "Spread your fingers wide." in dog.cues
    assert "Spread your fingers wide." not in dog.feel


@pytest.mark.django_db
def test_the_workspace_picker_offers_the_declaration(client, therapist, static_stretch):
    client.force_login(therapist)
    response = client.get("/api/v1/exercises/", {"search": "Lying", "status": "published"})
    (entry,) = response.json()["results"]
    assert entry["required_dose_fields"] == ["hold_seconds", "side"]
    # The declaration, and the frequency that every exercise uses.
    frequency = ["days_per_week", "times_per_day"]
    used = sorted([*frequency, "hold_seconds", "reps", "sets", "side"])
    assert entry["dose_fields_in_use"] == used
    assert entry["sides"] == ["left", "right", "both"]


@pytest.mark.django_db
def test_an_editor_ticks_the_dose_fields_an_exercise_needs_in_the_admin(client, clinic):
    ensure_roles()
    client.force_login(factories.editor(clinic))
    load_catalogue()
    stretch = Exercise.objects.get(slug="supine-hamstring-stretch")

    page = client.get(f"/admin/exercises/exercise/{stretch.pk}/change/").content.decode()

    ticked = re.findall(
        r'<input type="checkbox" name="required_dose_fields" value="(\w+)"[^>]*checked', page
    )
    assert ticked == ["hold_seconds", "side"]
    assert 'name="left_side_text" value="Stretch your left leg."' in page


def test_a_handout_issued_before_tips_existed_still_prints():
    """Issued snapshots are never rewritten: one stored before the "Tips" label reads back with
    no tips (its cues stay where they were printed, under "You should feel")."""
    stored = plain_handout().to_dict()
    for section in stored["exercises"]:
        del section["tips"]
    handout = Handout.from_dict(stored)
    assert handout.exercises[0].tips == ()
    assert "You should feel: Your bottom working." in flat(pdf_text(render_handout(handout)))


@pytest.mark.django_db
def test_an_exercise_that_counts_both_sides_together_says_in_all_on_the_sheet():
    marching = factories.ExerciseFactory(
        alternate_sides_text="Keep taking turns.", alternate_count_in_all=True
    )
    alternating = {**marching.default_dose(), "reps": 16, "hold_seconds": None, "side": "alternate"}

    per_side, in_all = printed_cards(
        [
            (factories.ExerciseFactory(alternate_sides_text="Keep taking turns."), alternating),
            (marching, alternating),
        ]
    )

    assert per_side.dose.startswith("Do this 16 times with each ")
    assert in_all.dose.startswith("Do this 16 times in all, changing ")


def test_an_editor_declares_an_alternating_count_in_all_and_the_dose_says_so(as_editor):
    exercise = factories.ExerciseFactory(
        alternate_sides_text="Keep taking turns.", default_side="alternate", default_reps=16
    )
    assert (
        as_editor.get(f"/api/v1/exercises/{exercise.pk}/").json()["alternate_count_in_all"] is False
    )

    response = as_editor.patch(
        f"/api/v1/exercises/{exercise.pk}/", {"alternate_count_in_all": True}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["alternate_count_in_all"] is True
    exercise.refresh_from_db()
    assert "Do this 16 times in all, changing legs each time." in exercise_dose_sentence(
        exercise, exercise.default_dose()
    )
