"""The pictures show no more than the words printed beside them allow, on any sheet: the words
of the card itself and every condition's caution that can print with it (an acknowledged
contraindication included), since one picture serves every patient."""

import math

import pytest
import yaml

from exercises.catalogue.loader import DEFAULT_CATALOGUE, DEFAULT_ILLUSTRATIONS
from exercises.illustrations.body import SHANK, Body
from exercises.illustrations.scene import drawable_frames, lean_degrees, movement_frames, place

CATALOGUE = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
PICTURES = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))["exercises"]
HANDS = ("near_hand", "far_hand")
SIDES = ("near", "far")
CM = 1 / 175  # one centimetre on a body 1.75 m tall, in units of body height


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def words_on_any_sheet(exercise: dict) -> str:
    """Everything a patient may read beside the pictures, lower-cased (the references are for
    clinicians)."""
    texts = _texts({key: value for key, value in exercise.items() if key != "references"})
    for condition in CATALOGUE["conditions"]:
        for caution in condition.get("cautions", []):
            if caution.get("exercise") == exercise["slug"] or caution.get("tag") in exercise.get(
                "tags", []
            ):
                texts += [caution["text"], caution.get("acknowledged_text", "")]
    return " ".join(texts).lower()


def exercises_saying(*phrases: str) -> list[str]:
    return [
        exercise["slug"]
        for exercise in CATALOGUE["exercises"]
        if exercise["slug"] in PICTURES
        and any(phrase in words_on_any_sheet(exercise) for phrase in phrases)
    ]


def finish(slug: str) -> Body:
    return place(movement_frames(drawable_frames(PICTURES[slug]))[-1]).body


def along_the_leg(body: Body, point, side: str) -> float:
    """Where a point lies along a leg in the side view: 0 at the hip, 1 at the ankle."""
    (hip_x, hip_y), (ankle_x, ankle_y) = (
        body.parts[f"{side}_thigh"].start,
        body.parts[f"{side}_shank"].end,
    )
    dx, dy = ankle_x - hip_x, ankle_y - hip_y
    return ((point[0] - hip_x) * dx + (point[1] - hip_y) * dy) / (dx * dx + dy * dy)


TOES_FORBIDDEN = ("touch your toes", "down to your toes", "toes are not the target")
SMALL_LEAN = ("lean only a little way", "go only part of the way")
KNEES_BENT = ("bend your knees as much as you need", "let your knees stay bent")
REACH_NOT_HIGH = ("reach long, not high",)


def test_the_rules_below_cover_the_cards_whose_words_set_them():
    assert {"modified-hurdler-stretch", "standing-hamstring-stretch-heel"} <= set(
        exercises_saying(*TOES_FORBIDDEN)
    )
    assert exercises_saying(*SMALL_LEAN) == ["seated-two-leg-hamstring-stretch"]
    assert set(exercises_saying(*KNEES_BENT)) == {"childs-pose-to-downward-dog", "downward-dog"}
    assert exercises_saying(*REACH_NOT_HIGH) == ["bird-dog"]


@pytest.mark.parametrize("slug", exercises_saying(*TOES_FORBIDDEN))
def test_where_the_words_say_not_to_reach_the_toes_no_hand_comes_near_the_feet(slug):
    """'Do not try to touch your toes': in every frame each fingertip stays in the knee half of
    a straight leg's shin or above it, at least half a shin length from its ankle (21 cm), not
    at the ankle, as the one-leg seated stretch's finish once showed. (A leg bent up, like the
    hurdler's folded one, has its foot by the hips, where the hands rest at the start.)"""
    for frame in drawable_frames(PICTURES[slug]):
        body = place(frame).body
        straight = [side for side in SIDES if frame.angles[f"{side}_knee"] < 45]
        assert straight
        for hand in HANDS:
            for side in straight:
                ankle = body.parts[f"{side}_shank"].end
                distance = math.dist(body.parts[hand].end, ankle)
                assert distance >= SHANK / 2, (frame.name, hand, side, round(distance / CM))


@pytest.mark.parametrize("slug", exercises_saying(*SMALL_LEAN))
def test_where_the_words_say_lean_only_a_little_the_finish_leans_a_little_with_hands_on_thighs(
    slug,
):
    """'Keep your back long and lean only a little way' (a disc injury's acknowledged text):
    the finish leans at most 20 degrees and the hands rest on the thighs, not past the knees."""
    body = finish(slug)
    assert lean_degrees(body) <= 20
    for hand in HANDS:
        for side in SIDES:
            knee = along_the_leg(body, body.parts[f"{side}_thigh"].end, side)
            assert along_the_leg(body, body.parts[hand].end, side) <= knee, (hand, side)


@pytest.mark.parametrize("slug", exercises_saying(*KNEES_BENT))
def test_where_the_words_bend_the_knees_for_a_flat_back_the_finish_has_them_bent_heels_up(slug):
    """'Bend your knees as much as you need to keep your back flat' and 'Do not force your
    heels to the floor': the downward dog's finish bends both knees at least 30 degrees and
    lifts both heels at least 2 cm off the mat (standing on the balls of the feet)."""
    frame = movement_frames(drawable_frames(PICTURES[slug]))[-1]
    body = place(frame).body
    for side in SIDES:
        assert frame.angles[f"{side}_knee"] >= 30
        foot = body.parts[f"{side}_foot"]
        heel_bottom = foot.start[1] - foot.start_radius
        toe_bottom = foot.end[1] - foot.end_radius
        assert heel_bottom - toe_bottom >= 2 * CM, side


def _rise_degrees(start, end) -> float:
    """How steeply a line rises toward the way the body faces (the side view faces right)."""
    return math.degrees(math.atan2(end[1] - start[1], abs(end[0] - start[0])))


@pytest.mark.parametrize("slug", exercises_saying(*REACH_NOT_HIGH))
def test_where_the_words_say_reach_long_not_high_the_reaching_arm_is_level(
    slug,
):
    """'Reach long, not high': the lifted arm points level, within 5 degrees above and 10
    below, reaching ahead of the head (not 14 degrees up in line with the back, nor higher)."""
    body = finish(slug)
    hand = max(HANDS, key=lambda name: body.parts[name].end[1])
    shoulder = body.parts[hand.replace("hand", "upper_arm")].start
    assert -10 <= _rise_degrees(shoulder, body.parts[hand].end) <= 5
