"""A frame's other views (from above, from the front): drawn from the same pose in 3-D, checked
against the words, served by the API and the admin's preview."""

import json
import math

import pytest
import yaml
from defusedxml import ElementTree

from clinics.roles import ensure_roles
from exercises.catalogue.loader import DEFAULT_ILLUSTRATIONS
from exercises.illustrations.body import HIP_WIDTH, THICKNESS, part_gap, pose_body
from exercises.illustrations.frames import FrameError, parse_frame, parse_frames
from exercises.illustrations.scene import (
    BODY_TOLERANCE,
    ROLLER_FILL,
    ROLLER_HIGHLIGHT,
    ROLLER_RADIUS,
    drawable_frame,
    exercise_views,
    place,
    scene_for,
)
from exercises.illustrations.svg import svg_for_frame
from tests import factories
from tests.factories import standing_frame

CATALOGUE = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))
SVG = "{http://www.w3.org/2000/svg}"


def catalogue_frames(slug: str):
    group = "exercises" if slug in CATALOGUE["exercises"] else "assessments"
    return parse_frames(CATALOGUE[group][slug])


def frame_named(slug: str, name: str):
    return next(frame for frame in catalogue_frames(slug) if frame.name == name)


@pytest.mark.parametrize(
    ("slug", "view"),
    [
        ("wall-hamstring-stretch", "above"),
        ("modified-hurdler-stretch", "above"),
        ("self-hamstring-massage", "front"),
        ("glute-massage-foam-rolling", "behind"),
    ],
)
def test_where_the_side_view_hides_what_matters_a_second_view_is_declared_and_draws(slug, view):
    frames = catalogue_frames(slug)
    views = exercise_views(frames)
    assert [drawing.view for drawing in views] == [view]
    svg = svg_for_frame(views[0].frame, frames, view)
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == views[0].frame.alt_text
    assert svg != svg_for_frame(views[0].frame, frames)


def test_the_hurdler_from_above_has_the_knee_out_to_the_side_and_the_sole_on_the_inner_thigh():
    start = frame_named("modified-hurdler-stretch", "start")
    above = pose_body(start.orientation, start.angles, "above")
    # From above the far side is up the page: the bent knee lies well out beyond the hips.
    straight_thigh = above.parts["near_thigh"]
    bent_knee = above.parts["far_thigh"].end
    assert bent_knee[1] - straight_thigh.start[1] > 0.25  # 44 cm on a 1.75 m body
    # ... and the bent leg's foot touches the straight thigh, in depth too (not only drawn over).
    assert part_gap(start.orientation, start.angles, "far_foot", "near_thigh") <= (BODY_TOLERANCE)
    heel, toe = above.parts["far_foot"].start, above.parts["far_foot"].end
    assert straight_thigh.start[0] < min(heel[0], toe[0]) < straight_thigh.end[0]


@pytest.mark.parametrize("name", ["start", "end"])
def test_the_foam_roller_carries_one_buttock_and_the_other_is_lifted_off_it(name):
    placement = place(frame_named("glute-massage-foam-rolling", name))
    roller = placement.props["roller"]
    centre = (roller.x, roller.ground + ROLLER_RADIUS)
    buttock = THICKNESS["pelvis"][0]

    def gap(side: str) -> float:
        # The roller lies across the body, so a hip's distance in the side view is its 3-D one.
        hip = placement.body.parts[f"{side}_thigh"].start
        return math.dist(hip, centre) - ROLLER_RADIUS - buttock

    assert abs(gap("near")) <= BODY_TOLERANCE
    assert gap("far") > 0.03  # 5 cm on a 1.75 m body


@pytest.mark.parametrize("name", ["start", "end"])
def test_the_foam_roller_lies_behind_the_hip_joint_never_under_the_sitting_bone(name):
    """ "Above the bone you sit on": the fifth review saw the Start's roller straight under the
    hip joint, where a reader sees the sitting bone. In every frame it lies behind the joint by
    at least its own radius, under the back of the buttock."""
    placement = place(frame_named("glute-massage-foam-rolling", name))
    hip_joint = placement.body.parts["near_thigh"].start
    assert hip_joint[0] - placement.props["roller"].x >= ROLLER_RADIUS


def test_from_behind_the_tipped_pelvis_rests_on_the_near_buttock_on_the_reader_s_right():
    start = frame_named("glute-massage-foam-rolling", "start")
    behind = pose_body(start.orientation, start.angles, "behind")
    near_hip, far_hip = behind.parts["near_thigh"].start, behind.parts["far_thigh"].start
    assert near_hip[0] - far_hip[0] == pytest.approx(HIP_WIDTH, abs=0.01)
    # Tipped 16 degrees onto the near buttock: the far hip is a hip width's sine higher.
    assert far_hip[1] - near_hip[1] == pytest.approx(HIP_WIDTH * math.sin(math.radians(16)))
    # The trunk above the waist stays as the side view has it: the spine bends sideways.
    upright = pose_body(start.orientation, {**start.angles, "lean": 0}, "behind")
    for part in ("chest", "head", "near_hand", "far_hand"):
        assert behind.parts[part] == upright.parts[part]


@pytest.mark.parametrize("name", ["start", "end"])
def test_from_behind_no_shin_shows_under_the_lifted_buttock(name):
    """The fourth review: the far shin showed as a pale bar between the lifted buttock and
    the roller, like a prop under it. Knees apart, each shin stands outside its hip joint."""
    frame = frame_named("glute-massage-foam-rolling", name)
    behind = pose_body(frame.orientation, frame.angles, "behind")
    far_hip = behind.parts["far_thigh"].start
    far_shin = behind.parts["far_shank"]
    shin_inner_edge = max(
        far_shin.start[0] + far_shin.start_radius, far_shin.end[0] + far_shin.end_radius
    )
    assert shin_inner_edge < far_hip[0]


@pytest.mark.parametrize("name", ["start", "end"])
def test_the_foam_roller_s_far_foot_is_flat_like_the_near_one(name):
    """ "Knees bent and feet flat": the far foot, hidden behind the near one at print, had its
    heel 8 cm above its toe."""
    body = place(frame_named("glute-massage-foam-rolling", name)).body

    def tilt(side: str) -> float:
        heel, toe = body.parts[f"{side}_foot"].start, body.parts[f"{side}_foot"].end
        return math.degrees(math.atan2(heel[1] - toe[1], abs(toe[0] - heel[0])))

    assert tilt("far") == pytest.approx(tilt("near"), abs=1)


def test_from_behind_the_roller_reads_as_a_cylinder_with_a_lit_band_along_it():
    start = frame_named("glute-massage-foam-rolling", "start")
    frames = catalogue_frames("glute-massage-foam-rolling")
    fills = {path.fill for path in scene_for(start, frames, "behind").paths}
    assert {ROLLER_FILL, ROLLER_HIGHLIGHT} <= fills


def test_the_hurdler_s_hands_rest_on_the_straight_shin_short_of_the_toes():
    """ "Do not try to touch your toes": both hands on the straight leg's shin, in depth too,
    and the declared limit keeps them 5 cm short of the foot (place() checks it)."""
    end = frame_named("modified-hurdler-stretch", "end")
    assert end.limits.hands_short_of == "near_foot"
    place(end)
    for hand in ("near_hand", "far_hand"):
        assert part_gap(end.orientation, end.angles, hand, "near_shank") <= BODY_TOLERANCE


@pytest.mark.parametrize(
    "slug", ["self-hamstring-massage", "hamstring-in-and-out-of-tension", "ninety-ninety-test"]
)
def test_both_hands_behind_one_thigh_reach_it_in_depth_not_only_in_the_side_view(slug):
    for frame in catalogue_frames(slug):
        for hand in ("near_hand", "far_hand"):
            assert part_gap(frame.orientation, frame.angles, hand, "near_thigh") <= (
                BODY_TOLERANCE
            ), (frame.name, hand)


def test_a_far_hand_drawn_on_the_near_thigh_but_a_shoulder_width_away_is_refused():
    """The picture a physiotherapist found: from the side both hands are behind the thigh,
    from the front the far hand is 28 cm beside it."""
    data = CATALOGUE["exercises"]["hamstring-in-and-out-of-tension"][0]
    data = {**data, "pose": {**data["pose"], "far_shoulder_adduction": 0, "far_shoulder": 8}}
    far_hand_contact = next(
        index
        for index, contact in enumerate(data["contacts"])
        if contact == {"part": "far_hand", "surface": "near_thigh", "where": "back"}
    )
    with pytest.raises(FrameError) as refused:
        drawable_frame(data)
    assert refused.value.path == f"contacts.{far_hand_contact}"
    assert refused.value.message.startswith("Seen from the front, far hand is")


@pytest.mark.parametrize(
    ("views", "path"), [(["below"], "views.0"), (["above", "above"], "views"), ("above", "views")]
)
def test_an_unknown_or_repeated_view_is_an_error_at_its_field(views, path):
    with pytest.raises(FrameError) as refused:
        parse_frame({**standing_frame(), "views": views})
    assert refused.value.path == path


def test_a_frame_without_views_keeps_its_stored_form_so_its_url_and_hash_stay():
    assert "views" not in parse_frame(standing_frame()).to_dict()
    assert parse_frame({**standing_frame(), "views": ["front"]}).to_dict()["views"] == ["front"]


def test_the_side_view_of_a_limb_in_the_side_plane_is_unchanged_by_the_3d_model():
    """Hip and shoulder widths only show from above or the front: in the side view both
    hips and both shoulders stay one point, as the frozen pictures were drawn."""
    body = pose_body(0, parse_frame(standing_frame()).angles)
    assert body.parts["near_thigh"].start == body.parts["far_thigh"].start
    assert body.parts["near_upper_arm"].start == body.parts["far_upper_arm"].start
    front = pose_body(0, parse_frame(standing_frame()).angles, "front")
    hip_width = abs(front.parts["near_thigh"].start[0] - front.parts["far_thigh"].start[0])
    assert hip_width == pytest.approx(0.191)


# Through the API and the admin ------------------------------------------------------------


@pytest.fixture
def viewed_exercise(db):
    frames = [{**standing_frame("start"), "views": ["front"]}, standing_frame("end")]
    return factories.IllustrationFactory(frames=frames).exercise


@pytest.mark.django_db
def test_the_api_lists_and_serves_a_frame_s_other_view(as_therapist, viewed_exercise):
    detail = as_therapist.get(f"/api/v1/exercises/{viewed_exercise.pk}/").json()
    start, end = detail["illustrations"]
    assert start["views"] == ["front"]
    # Every frame carries every field (the schema's rule): none unset is missing.
    assert (end["views"], end["view_urls"], end["option"]) == ([], {}, None)
    url = start["view_urls"]["front"]
    assert url.endswith("?view=front") and url.split("?")[0] == start["url"]
    response = as_therapist.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"].endswith("sandbox")
    assert response.content != as_therapist.get(start["url"]).content
    ElementTree.fromstring(response.content)


@pytest.mark.django_db
def test_a_view_the_frame_does_not_declare_answers_404(as_therapist, viewed_exercise):
    detail = as_therapist.get(f"/api/v1/exercises/{viewed_exercise.pk}/").json()
    start, end = detail["illustrations"]
    assert as_therapist.get(start["url"] + "?view=above").status_code == 404
    assert as_therapist.get(end["url"] + "?view=front").status_code == 404


@pytest.mark.django_db
def test_the_admin_preview_draws_a_view_and_refuses_an_unknown_one(client, clinic):
    ensure_roles()
    client.force_login(factories.editor(clinic))
    preview = "/admin/exercises/exercise/illustration-preview.svg"
    frame = json.dumps({**standing_frame(), "views": ["above"]})
    drawn = client.get(preview, {"frame": frame, "view": "above"})
    assert drawn.status_code == 200
    assert drawn.content != client.get(preview, {"frame": frame}).content
    refused = client.get(preview, {"frame": frame, "view": "below"})
    assert refused.status_code == 400
    assert refused.json()["attr"] == "view"


def test_an_option_is_easier_or_other():
    with pytest.raises(FrameError) as refused:
        parse_frame({**standing_frame(), "option": True})
    assert refused.value.path == "option"
    assert parse_frame({**standing_frame(), "option": "other"}).to_dict()["option"] == "other"
    assert "option" not in parse_frame(standing_frame()).to_dict()
