"""The body model, the frame schema and the drawing: no database needed."""

import math

import pytest
import yaml
from defusedxml import ElementTree

from exercises.catalogue.loader import DEFAULT_CATALOGUE, DEFAULT_ILLUSTRATIONS
from exercises.illustrations import body, pdf, scene
from exercises.illustrations.frames import FrameError, parse_frame
from exercises.illustrations.scene import contact_gaps, drawable_frames, place
from exercises.illustrations.svg import svg_for_frame
from tests.factories import standing_frame

MM = 0.1 / 175  # one millimetre on a body 1.75 m tall, in units of body height


def catalogue_frames():
    data = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))
    return [
        pytest.param(frame, id=f"{slug}/{frame['name']}")
        for kind in ("exercises", "assessments")
        for slug, frames in data[kind].items()
        for frame in frames
    ]


STANDING = {
    "name": "start",
    "alt_text": "Standing tall.",
    "orientation": 0,
    "contacts": [
        {"part": "near_foot", "surface": "floor"},
        {"part": "far_foot", "surface": "floor"},
    ],
}


def with_pose(frame: dict, **angles) -> dict:
    return {**frame, "pose": {**frame.get("pose", {}), **angles}}


def test_every_exercise_and_self_test_of_the_default_catalogue_has_a_start_and_an_end():
    pictured = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))
    catalogue = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    for kind in ("exercises", "assessments"):
        assert set(pictured[kind]) == {entry["slug"] for entry in catalogue[kind]}
        for frames in pictured[kind].values():
            # An easier option (the kneeling plank) is not a step of the movement.
            names = [frame["name"] for frame in frames if not frame.get("option")]
            assert names[0] == "start" and names[-1] == "end"


def test_segment_lengths_are_winters_fractions_of_height_in_every_frame():
    expected = {
        "upper_arm": 0.186,
        "forearm": 0.146,
        "thigh": 0.245,
        "shank": 0.246,
        "pelvis": body.PELVIS,
    }
    for param in catalogue_frames():
        placed = place(parse_frame(param.values[0]))
        angles = placed.frame.angles
        for side in ("near", "far"):
            # A leg turned out of the side plane is seen foreshortened: its thigh and shank
            # are shorter in the picture by design.
            turned = angles[f"{side}_hip_abduction"] or angles[f"{side}_hip_rotation"]
            # Likewise an arm swung across the body (hands behind the other thigh).
            swung = angles[f"{side}_shoulder_adduction"]
            for segment, length in expected.items():
                if turned and segment in ("thigh", "shank"):
                    continue
                if swung and segment in ("upper_arm", "forearm"):
                    continue
                name = segment if segment == "pelvis" else f"{side}_{segment}"
                capsule = placed.body.parts[name]
                assert math.dist(capsule.start, capsule.end) == pytest.approx(length, abs=1e-9)


@pytest.mark.parametrize("frame_data", catalogue_frames())
def test_every_contact_holds_within_a_millimetre_and_nothing_sinks_below_the_floor(frame_data):
    placed = place(parse_frame(frame_data))
    gaps = contact_gaps(placed.frame, placed.body, placed.props)
    assert gaps and all(abs(gap) <= MM for gap in gaps)
    ground = 0.008 if placed.frame.has("mat") else 0.0
    lowest = min(
        point[1] - radius
        for capsule in placed.body.parts.values()
        for point, radius in capsule.samples()
    )
    assert lowest >= ground - MM
    for prop in placed.solids:
        if prop.blocks != "all":
            continue
        for capsule in placed.body.parts.values():
            for point, radius in capsule.samples():
                assert all(solid.depth_of(point, radius) <= MM for solid in prop.solids)


@pytest.mark.parametrize(
    ("joint", "minimum", "maximum"),
    [
        ("near_hip", -30, 130),
        ("far_knee", -10, 150),
        ("near_ankle", -50, 30),
        ("far_shoulder", -60, 180),
        ("near_elbow", 0, 150),
        ("trunk", -25, 80),
        ("neck", -45, 45),
    ],
)
def test_each_joint_accepts_its_range_and_refuses_beyond_it_naming_joint_and_range(
    joint, minimum, maximum
):
    for inside in (minimum, maximum):
        assert parse_frame(with_pose(STANDING, **{joint: inside})).angles[joint] == inside
    for outside in (minimum - 0.5, maximum + 0.5):
        with pytest.raises(FrameError) as refused:
            parse_frame(with_pose(STANDING, **{joint: outside}))
        assert refused.value.path == f"pose.{joint}"
        assert f"between {minimum} and {maximum} degrees" in refused.value.message


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"props": ["trampoline"]}, "0.props.0.kind", "is not one of"),
        ({"contacts": [{"part": "tail", "surface": "floor"}]}, "0.contacts.0.part", "tail"),
        (
            {"contacts": [{"part": "pelvis", "surface": "chair_seat"}]},
            "0.contacts.0.surface",
            "chair",
        ),
        ({"props": ["step"]}, "0.props", "touches the step"),
        ({"alt_text": ""}, "0.alt_text", "one plain sentence"),
        ({"pose": {"near_knee": "bent"}}, "0.pose.near_knee", "number"),
        ({"pose": {"left_knee": 10}}, "0.pose.left_knee", "is not one of"),
        ({"colour": "red"}, "0.colour", "Unknown field"),
        (
            {"pose": {"near_ankle": -50}, "contacts": [{"part": "far_foot", "surface": "floor"}]},
            "0.pose",
            "near_foot goes",
        ),
    ],
)
def test_a_bad_frame_is_refused_naming_the_field(change, path, words):
    with pytest.raises(FrameError) as refused:
        drawable_frames([{**STANDING, **change}])
    assert refused.value.path == path
    assert words.lower() in refused.value.message.lower()


def test_a_contact_that_does_not_hold_names_the_contact_and_the_distance():
    kneeling_hand = with_pose(STANDING, near_shoulder=90)
    kneeling_hand["contacts"] = [
        *STANDING["contacts"],
        {"part": "near_hand", "surface": "floor"},
    ]
    with pytest.raises(FrameError) as refused:
        drawable_frames([kneeling_hand])
    assert refused.value.path == "0.contacts.2"
    assert (
        "near hand is" in refused.value.message
        and "cm away from the floor" in refused.value.message
    )


def test_no_frames_at_all_is_a_valid_empty_list():
    assert drawable_frames([]) == ()


def test_two_frames_may_not_share_a_name():
    with pytest.raises(FrameError) as refused:
        drawable_frames([STANDING, STANDING])
    assert refused.value.path == "1.name"


@pytest.mark.parametrize("frame_data", catalogue_frames()[:6])
def test_the_svg_is_safe_to_inline_and_carries_the_alt_text(frame_data):
    svg = svg_for_frame(parse_frame(frame_data))
    root = ElementTree.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{namespace}svg"
    assert root.find(f"{namespace}title").text == frame_data["alt_text"]
    tags = {element.tag.removeprefix(namespace) for element in root.iter()}
    assert tags <= {"svg", "title", "g", "path"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on")
            assert "href" not in name.lower()
            assert "url(" not in value and "javascript:" not in value.lower()


def test_markup_in_the_alt_text_stays_text():
    frame = parse_frame({**STANDING, "alt_text": '<script>alert("x")</script> & stand'})
    svg = svg_for_frame(frame)
    root = ElementTree.fromstring(svg)
    assert b"<script" not in svg
    assert root.find("{http://www.w3.org/2000/svg}title").text == (
        '<script>alert("x")</script> & stand'
    )


def test_the_same_frame_gives_byte_identical_svg_every_time():
    frame_data = catalogue_frames()[0].values[0]
    first = svg_for_frame(parse_frame(frame_data))
    svg_for_frame.cache_clear()
    place_again = svg_for_frame(parse_frame(dict(frame_data)))
    assert place_again == first


def test_far_limbs_are_drawn_lighter_and_before_the_near_limbs():
    svg = svg_for_frame(parse_frame(STANDING)).decode()
    far_fill, near_fill = 'fill="#bcbcbc"', 'fill="#4a4a4a"'
    assert svg.count(far_fill) == 6 and svg.count(near_fill) == 6
    assert svg.rindex(far_fill) < svg.index(near_fill)


def catalogue_exercises():
    data = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))
    return [
        pytest.param(frames, id=slug)
        for kind in ("exercises", "assessments")
        for slug, frames in data[kind].items()
    ]


@pytest.mark.parametrize("frames_data", catalogue_exercises())
def test_every_catalogue_exercise_passes_every_rule_and_each_svg_is_valid_xml(frames_data):
    frames = drawable_frames(frames_data)
    for frame in frames:
        root = ElementTree.fromstring(svg_for_frame(frame, frames))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_prop_and_strap_lines_are_at_least_half_a_millimetre_and_3_to_1_on_white():
    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in scene.PROP_LINE_COLOURS:
        assert (1.05) / (luminance(colour) + 0.05) >= 3, colour
    half_mm_in_points = 0.5 / 25.4 * 72
    assert pdf.LINE_WIDTHS_PT["prop"] >= half_mm_in_points
    assert pdf.LINE_WIDTHS_PT["arrow"] >= half_mm_in_points
    # A strap is filled: its width on the smallest printed body (50 mm tall) is >= 0.5 mm.
    assert min(scene.STRAP_WIDTH.values()) * 50 >= 0.5
    frames = drawable_frames(
        yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))["exercises"][
            "standing-hamstring-stretch-step"
        ]
    )
    paths = scene.scene_for(frames[0], frames).paths
    prop_lines = [path for path in paths if path.line == "prop"]
    assert prop_lines and all(path.stroke in scene.PROP_LINE_COLOURS for path in prop_lines)


def test_the_finish_frame_carries_an_arrow_and_the_moving_limb_is_darkest():
    frames = drawable_frames([standing_frame("start"), standing_frame("end", near_shoulder=150)])
    start, end = (scene.scene_for(frame, frames) for frame in frames)
    assert not any(path.line == "arrow" for path in start.paths)
    assert any(path.line == "arrow" for path in end.paths)
    assert sum(path.fill == scene.MOVING_FILL for path in end.paths) == 3  # the near arm


def catalogue(kind: str, slug: str) -> list[dict]:
    return yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))[kind][slug]


@pytest.mark.parametrize(
    ("kind", "slug", "limits", "path", "words"),
    [
        (
            "exercises",
            "seated-two-leg-hamstring-stretch",
            {"max_lean": 10},
            "0.limits.max_lean",
            "at most 10",
        ),
        (
            "assessments",
            "sit-and-reach",
            {"hands_short_of": "near_foot"},
            "0.limits.hands_short_of",
            "near foot",
        ),
    ],
)
def test_a_frame_beyond_the_limits_its_words_set_is_refused(kind, slug, limits, path, words):
    end = catalogue(kind, slug)[1]
    with pytest.raises(FrameError) as refused:
        drawable_frames([{**end, "limits": limits}])
    assert refused.value.path == path
    assert words in refused.value.message


def test_a_hand_declared_behind_the_thigh_must_be_behind_it():
    start = catalogue("exercises", "self-hamstring-massage")[0]
    drawable_frames([start])
    start["contacts"][3]["where"] = "front"
    with pytest.raises(FrameError) as refused:
        drawable_frames([start])
    assert refused.value.path == "0.contacts.3"
    assert "wrong side" in refused.value.message


def test_a_hand_declared_on_the_strap_must_reach_it():
    end = catalogue("exercises", "supine-hamstring-stretch")[1]
    drawable_frames([end])
    end["pose"]["far_shoulder"] = -40
    with pytest.raises(FrameError) as refused:
        drawable_frames([end])
    assert refused.value.path == "0.contacts.3"
    assert "far hand is" in refused.value.message and "strap" in refused.value.message


def test_a_step_that_moves_between_frames_or_a_standing_leg_that_changes_is_refused():
    start = catalogue("exercises", "standing-hamstring-stretch-step")[0]
    moved_step = {**start, "name": "end", "pose": {**start["pose"], "near_hip": 40}}
    with pytest.raises(FrameError) as moved:
        drawable_frames([start, moved_step])
    assert moved.value.path == "1.props"
    assert "step moves" in moved.value.message
    one_leg = {**STANDING, "pose": {"near_hip": 30}, "contacts": STANDING["contacts"][1:]}
    bent = {**with_pose(one_leg, far_hip=10, far_knee=20, far_ankle=10), "name": "end"}
    with pytest.raises(FrameError) as changed:
        drawable_frames([one_leg, bent])
    assert changed.value.path == "1.pose.far_knee"


def test_a_chair_drawn_through_a_step_is_refused():
    start = catalogue("exercises", "standing-hamstring-stretch-step")[0]
    # The far hand on a chair close beside the standing leg, its seat forward under the
    # raised leg.
    start["pose"].update(
        far_shoulder=-20.04, far_elbow=51.42, far_wrist=-43.44, far_knee=0, far_hip=0, far_ankle=0
    )
    start["contacts"] = [
        {**contact, "part": "far_hand"} if contact["part"] == "near_hand" else contact
        for contact in start["contacts"]
    ]
    start["props"][1]["side"] = "beside"
    with pytest.raises(FrameError) as refused:
        drawable_frames([start])
    assert "drawn through the chair" in refused.value.message


def test_hip_abduction_and_rotation_have_the_aaos_ranges():
    for joint, minimum, maximum in (("near_hip_abduction", -30, 45), ("far_hip_rotation", -45, 45)):
        assert parse_frame(with_pose(STANDING, **{joint: maximum})).angles[joint] == maximum
        with pytest.raises(FrameError) as refused:
            parse_frame(with_pose(STANDING, **{joint: maximum + 1}))
        assert f"between {minimum} and {maximum}" in refused.value.message


def test_a_doorway_stands_in_the_same_place_in_every_frame_and_the_arrow_shows_the_hips_sliding():
    frames = drawable_frames(catalogue("exercises", "wall-hamstring-stretch"))
    scenes = [scene.scene_for(frame, frames) for frame in frames]
    walls = [next(path for path in drawn.paths if path.fill == scene.WALL_FILL) for drawn in scenes]
    # The wall's left edge, measured from each frame's left side: the same in every frame.
    offsets = [
        min(command[1] for command in wall.commands if len(command) > 1) - drawn.left
        for wall, drawn in zip(walls, scenes, strict=True)
    ]
    assert offsets[0] == pytest.approx(offsets[1], abs=MM)
    # The arrow runs toward the wall, above the lying body (not over the raised leg's tip).
    arrow = next(path for path in scenes[-1].paths if path.line == "arrow")
    (_m, x0, y0), *_rest, (_c, *_controls, x1, y1) = arrow.commands
    assert x1 > x0
    assert min(y0, y1) > place(frames[-1], check=False).body.parts["pelvis"].start[1]


def _arrow_points(path):
    (_m, x0, y0), (_c, x1, y1, x2, y2, x3, y3) = path.commands
    for step in range(17):
        t = step / 16
        x = (1 - t) ** 3 * x0 + 3 * (1 - t) ** 2 * t * x1 + 3 * (1 - t) * t * t * x2 + t**3 * x3
        y = (1 - t) ** 3 * y0 + 3 * (1 - t) ** 2 * t * y1 + 3 * (1 - t) * t * t * y2 + t**3 * y3
        yield x, y


@pytest.mark.parametrize("frames_data", catalogue_exercises())
def test_the_arrow_stays_above_the_floor_and_off_the_body(frames_data):
    frames = drawable_frames(frames_data)
    if len(frames) < 2 or scene.held_at_back(frames) or scene.rolled_part(frames):
        # Hands sliding along a thigh, hips rolling over a roller: the arrow is drawn on that
        # part (tests of their own).
        return
    drawn = scene.scene_for(frames[-1], frames)
    body = place(frames[-1], check=False).body
    for path in drawn.paths:
        if path.line != "arrow":
            continue
        for x, y in _arrow_points(path):
            assert y > 4 * 10 * MM
            assert not scene._covered((x, y), body, 0.0)


def _fingertip_on_thigh(parts, hand: str) -> tuple[float, float]:
    """Where along the near thigh (0 hip, 1 knee) a hand's fingertip lies, and how far it is
    from the thigh's back surface (side view, in units of body height)."""
    thigh, tip = parts["near_thigh"], parts[hand].end
    (x0, y0), (x1, y1) = thigh.start, thigh.end
    dx, dy = x1 - x0, y1 - y0
    along = ((tip[0] - x0) * dx + (tip[1] - y0) * dy) / (dx * dx + dy * dy)
    radius = thigh.start_radius + (thigh.end_radius - thigh.start_radius) * along
    back = scene._posterior("near_thigh", thigh)
    behind = (tip[0] - x0 - along * dx) * back[0] + (tip[1] - y0 - along * dy) * back[1]
    return along, behind - radius - parts[hand].end_radius


def test_the_self_massage_fingertips_work_on_the_back_of_the_thigh_from_knee_to_seat():
    """ "Both hands behind that thigh just above the knee", then "slid up toward the buttock":
    each fingertip touches the thigh's back surface, between hip and knee, the palm at least
    a hand's width above the knee (not at the knee or on the shin), and the finish is nearer the buttock, at the seat's front edge."""
    frames = drawable_frames(catalogue("exercises", "self-hamstring-massage"))
    placements = [place(frame) for frame in frames]
    start, finish = (placement.body.parts for placement in placements)
    for parts in (start, finish):
        for hand in ("near_hand", "far_hand"):
            along, gap = _fingertip_on_thigh(parts, hand)
            assert 0 < along < 1 and abs(gap) <= 0.01, (hand, along, gap)
            palm = (parts[hand].start[0] + parts[hand].end[0]) / 2
            thigh = parts["near_thigh"]
            assert (palm - thigh.start[0]) / (thigh.end[0] - thigh.start[0]) < 0.85, hand
    start_along, _gap = _fingertip_on_thigh(start, "near_hand")
    finish_along, _gap = _fingertip_on_thigh(finish, "near_hand")
    assert start_along > 0.8  # a hand's width above the knee
    assert (start_along - finish_along) * body.THIGH > 0.08  # moved visibly toward the buttock
    seat_front = placements[-1].props["chair"].x + scene.CHAIR_SEAT_DEPTH
    assert abs(finish["near_hand"].end[0] - seat_front) <= 0.01


def test_the_self_massage_arrow_runs_along_the_back_of_the_thigh_toward_the_buttock():
    frames = drawable_frames(catalogue("exercises", "self-hamstring-massage"))
    assert scene.held_at_back(frames) == "near_thigh"
    parts = place(frames[-1]).body.parts
    arrow = next(p for p in scene.scene_for(frames[-1], frames).paths if p.line == "arrow")
    points = list(_arrow_points(arrow))
    # From near the knee toward the hip, all on the thigh's back half (over the thigh, so
    # above the seat, never under it or out in the air).
    assert points[0][0] > points[-1][0]
    for point in points:
        assert 0 < _centre_behind("near_thigh", parts["near_thigh"], point) < 1
        assert point[1] > scene.CHAIR_SEAT_HEIGHT
    # Edged in white so it reads on the dark thigh.
    assert any(
        p.line == "halo" and p.stroke == "#ffffff"
        for p in scene.scene_for(frames[-1], frames).paths
    )


def test_the_wall_stretch_starts_with_the_bottom_away_from_the_wall_and_the_leg_lower():
    """The steps: rest the leg up the wall, then shuffle the bottom closer until a stretch.
    The start is that resting position, not the held stretch."""
    frames = drawable_frames(catalogue("exercises", "wall-hamstring-stretch"))
    start, finish = (place(frame) for frame in frames)

    def hip_to_wall(placement) -> float:
        return placement.props["doorway"].x - placement.body.parts["pelvis"].start[0]

    assert hip_to_wall(start) - hip_to_wall(finish) > 0.1  # 17.5 cm farther at the start
    assert frames[-1].angles["near_hip"] - frames[0].angles["near_hip"] >= 30
    # The held stretch stays light (the second review: the Finish had the bottom almost at
    # the wall and the leg near upright, the reach the card's Avoid line forbids): the bottom
    # more than a hand's width off the wall (hip 35 cm), the leg at about 60 degrees.
    assert hip_to_wall(finish) > 0.2
    assert 55 <= frames[-1].angles["near_hip"] <= 65


@pytest.mark.parametrize(
    ("frames_data", "dark_limbs"),
    [
        # Hands planted on the mat are supports: the hips' rise is the movement.
        (catalogue("exercises", "downward-dog"), 0),
        # The arm that rises off the mat in the bird-dog is still the movement.
        (catalogue("exercises", "bird-dog"), 2),
        # A raised arm in standing: its joints turn, so it is the movement.
        ([standing_frame("start"), standing_frame("end", near_shoulder=150)], 1),
    ],
)
def test_an_arm_that_only_goes_where_the_body_takes_it_is_not_drawn_darkest(
    frames_data, dark_limbs
):
    frames = drawable_frames(frames_data)
    end = scene.scene_for(frames[-1], frames)
    assert sum(path.fill == scene.MOVING_FILL for path in end.paths) == 3 * dark_limbs


def test_a_strap_round_the_mid_foot_meets_the_sole_halfway_and_only_straps_take_at():
    frames = drawable_frames(catalogue("exercises", "lying-hamstring-stretch-strap"))
    body = place(frames[0], check=False).body
    foot = body.parts["near_foot"]
    _grip, ball = scene.strap_line(body)
    _grip, middle = scene.strap_line(body, "mid-foot")
    halfway = ((foot.start[0] + foot.end[0]) / 2, (foot.start[1] + foot.end[1]) / 2)
    assert math.dist(middle, halfway) < math.dist(ball, halfway)
    assert frames[0].to_dict()["props"][1] == {"kind": "strap", "at": "mid-foot"}
    with pytest.raises(FrameError) as refused:
        parse_frame({**STANDING, "props": [{"kind": "mat", "at": "mid-foot"}]})
    assert refused.value.path == "props.0.at"


def test_a_knee_the_words_keep_straight_is_refused_bent_at_the_limit():
    """The strap stretch's finish frame: "raise that leg, keeping the knee straight"."""
    catalogue = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))["exercises"]
    finish = catalogue["supine-hamstring-stretch"][-1]
    assert finish["limits"] == {"straight_knee": "both"}
    bent = {**finish, "pose": {**finish["pose"], "near_knee": 23}}
    with pytest.raises(FrameError) as refused:
        place(parse_frame(bent))
    assert refused.value.path == "limits.straight_knee"
    assert refused.value.message == "The words keep the near knee straight; it is bent 23 degrees."


def test_the_bird_dogs_reaching_arm_is_drawn_clear_of_the_head():
    """At print size an arm drawn across the head seems to come out of the face."""
    finish = place(parse_frame(catalogue("exercises", "bird-dog")[-1])).body.parts
    for part in ("far_forearm", "far_hand"):
        assert scene._closest(finish[part], finish["head"])[0] > 0, part


def _outline_edges(path):
    """A drawn outline as straight edges between its points (curves by their end points)."""
    points = [command[-2:] for command in path.commands if command[0] != "Z"]
    return list(zip(points, points[1:] + points[:1], strict=True))


def _edges_cross(first, second) -> bool:
    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    (p, q), (r, s) = first, second
    return side(p, q, r) * side(p, q, s) < 0 and side(r, s, p) * side(r, s, q) < 0


@pytest.mark.parametrize("slug", ["passive-straight-leg-raise", "passive-knee-extension-angle"])
def test_the_clinicians_two_forearms_do_not_cross(slug):
    """Crossed under the shin they read as extra limbs: the two hands hold the leg apart."""
    held = [parse_frame(data) for data in catalogue("assessments", slug)]
    held = [frame for frame in held if frame.has("clinician")]
    assert held
    for frame in held:
        (clinician,) = (prop for prop in frame.props if prop.kind == "clinician")
        heel_forearm, _hand, thigh_forearm, _ = scene._clinician_paths(
            clinician.side, place(frame).body
        )
        assert not any(
            _edges_cross(first, second)
            for first in _outline_edges(heel_forearm)
            for second in _outline_edges(thigh_forearm)
        ), frame.name


def _centre_behind(name: str, part: body.Capsule, point) -> float:
    """How far a point lies behind a part's axis, in the part's radii there (side view)."""
    (x0, y0), (x1, y1) = part.start, part.end
    dx, dy = x1 - x0, y1 - y0
    along = max(0.0, min(1.0, ((point[0] - x0) * dx + (point[1] - y0) * dy) / (dx * dx + dy * dy)))
    radius = part.start_radius + (part.end_radius - part.start_radius) * along
    back = scene._posterior(name, part)
    offset = (point[0] - x0 - along * dx, point[1] - y0 - along * dy)
    return (offset[0] * back[0] + offset[1] * back[1]) / radius


@pytest.mark.parametrize("frame_data", catalogue_frames())
def test_a_near_hand_declared_behind_a_body_part_is_drawn_wholly_behind_it(frame_data):
    """At print size a hand drawn over the thigh reads as on its side or on the kneecap: the
    near hand's centre lies past the part's back surface (the far hand may hide behind it)."""
    frame = parse_frame(frame_data)
    parts = place(frame).body.parts
    for contact in frame.contacts:
        if contact.part == "near_hand" and contact.on_body and contact.where == "back":
            hand = parts["near_hand"]
            centre = ((hand.start[0] + hand.end[0]) / 2, (hand.start[1] + hand.end[1]) / 2)
            surface = contact.surface
            assert _centre_behind(surface, parts[surface], centre) > 1, surface


@pytest.mark.parametrize("frame_data", catalogue_frames())
def test_a_chair_held_beside_the_body_is_drawn_clear_of_it(frame_data):
    """A chair beside the body is not a solid the body must keep out of, so the rule is here:
    drawn around the standing leg it reads as the leg standing inside the chair."""
    frame = parse_frame(frame_data)
    placement = place(frame)
    holding = {contact.part for contact in frame.contacts if contact.surface == "chair_back"}
    for prop in placement.solids:
        if prop.kind == "chair" and prop.blocks == "none":
            for name, part in placement.body.parts.items():
                if name not in holding:
                    depth = max(
                        solid.depth_of(point, radius)
                        for solid in prop.solids
                        for point, radius in part.samples(12)
                    )
                    assert depth <= 0, name


def test_the_foam_roller_stays_where_it_lies_while_the_buttock_rolls_over_it():
    """A real roll: from start to finish the roller, the hands and the feet keep their places
    on the floor and the hips travel over the roller toward the feet, far enough to see."""
    frames = drawable_frames(catalogue("exercises", "glute-massage-foam-rolling"))
    start, finish = (place(frame) for frame in scene.movement_frames(frames))

    def from_the_feet(placement, x: float) -> float:
        return x - placement.body.parts["near_foot"].lowest_point()[0]

    def where(placement) -> dict[str, float]:
        parts = placement.body.parts
        return {
            "roller": from_the_feet(placement, placement.props["roller"].x),
            "hands": from_the_feet(placement, parts["near_hand"].lowest_point()[0]),
            "hips": from_the_feet(placement, parts["pelvis"].start[0]),
        }

    before, after = where(start), where(finish)
    assert after["roller"] == pytest.approx(before["roller"], abs=MM)
    assert after["hands"] == pytest.approx(before["hands"], abs=5 * MM)
    # 7 cm toward the feet, over the roller: from above the sitting bone (the roller already
    # behind the hip joint at the start) to the top of the buttock.
    assert after["hips"] - before["hips"] > 0.04


def test_the_foam_roller_s_arrow_follows_the_hips_toward_the_feet_on_the_buttock_and_thigh():
    """The sixth look: the hips roll only 7 cm, so the arrow fell to the head and read as
    "lean forward". The part resting on the roller is the one that moves: the arrow lies on
    the buttock and thigh (within 1 cm of them) and points toward the feet, nowhere near the
    head."""
    frames = drawable_frames(catalogue("exercises", "glute-massage-foam-rolling"))
    assert scene.rolled_part(frames) == ("pelvis", "roller")
    parts = place(frames[-1], check=False).body.parts
    drawn = scene.scene_for(frames[-1], frames)
    (line,) = (path for path in drawn.paths if path.line == "arrow")
    head = drawn.paths[drawn.paths.index(line) + 1]
    points = list(_arrow_points(line))
    feet = parts["near_foot"].lowest_point()[0]
    assert points[0][0] < points[-1][0] < feet  # toward the feet, not past them
    for x, y in [*points, *((command[1], command[2]) for command in head.commands[:3])]:
        assert (
            min(
                scene._segment_distance((x, y), part.start, part.end)
                - max(part.start_radius, part.end_radius)
                for part in (parts["pelvis"], parts["near_thigh"])
            )
            <= 10 * MM
        ), (x, y)
        assert y < parts["chest"].start[1]  # below the waist: not the trunk or the head


def test_a_path_too_short_for_an_arrow_draws_a_short_arrow_and_one_of_no_length_none():
    """A move of a few centimetres is drawn as the shortest arrow, never an error."""
    parts = place(parse_frame(STANDING), check=False).body
    short = scene._arrow_paths((0.3, 0.5), (0.33, 0.5), parts)
    (line,) = (path for path in short if path.line == "arrow")
    (_m, x0, _y0), *_rest, (_c, *_controls, x1, _y1) = line.commands
    assert x1 > x0
    assert scene._arrow_paths((0.3, 0.5), (0.3, 0.5), parts) == []


def test_a_roller_pushed_along_by_the_feet_is_refused():
    """The earlier pictures: the same lean on the roller while the feet walked 28 cm in."""
    sitting = catalogue("exercises", "glute-massage-foam-rolling")[0]
    arms = {"shoulder": -50.11, "elbow": 0, "wrist": -70}
    start_pose = {"hip": 82.02, "knee": 87.66, "ankle": -20, **arms}
    end_pose = {"hip": 90, "knee": 130, "ankle": 17, **arms}
    frames = [
        {
            **sitting,
            "name": name,
            "orientation": 34.13,
            "pose": {
                f"{side}_{joint}": angle
                for side in ("near", "far")
                for joint, angle in pose.items()
            },
        }
        for name, pose in (("start", start_pose), ("end", end_pose))
    ]
    with pytest.raises(FrameError) as refused:
        drawable_frames(frames)
    assert refused.value.path == "1.props"
    assert "roller moves" in refused.value.message


def test_a_roller_under_a_part_that_dips_below_its_top_rolls_along_the_part_to_touch_it():
    """The hips sunk in front of the roller: it lies further back, under the buttock's rising
    curve, touching it, not drawn through the hips."""
    finish = parse_frame(catalogue("exercises", "glute-massage-foam-rolling")[1])
    placement = place(finish)
    pelvis = placement.body.parts["pelvis"]
    roller = placement.props["roller"]
    assert pelvis.lowest() < 2 * scene.ROLLER_RADIUS
    assert roller.x < pelvis.start[0] - 0.05
    gap = scene._disc_gap(pelvis, (roller.x, scene.ROLLER_RADIUS), scene.ROLLER_RADIUS)
    assert abs(gap) <= MM


def test_the_bird_dog_s_arrow_ends_heading_forward_along_the_reaching_arm_not_up():
    """ "Reach long, not high": the hand's own path climbs from the floor, and an arrow along
    it ended pointing up (the fifth look). It now ends level, toward where the arm reaches."""
    frames = drawable_frames(catalogue("exercises", "bird-dog"))
    parts = place(frames[-1], check=False).body.parts
    reach = parts["far_hand"].end[0] - parts["far_upper_arm"].start[0]
    (line,) = (p for p in scene.scene_for(frames[-1], frames).paths if p.line == "arrow")
    *_rest, (_c, _x1, _y1, x2, y2, x3, y3) = line.commands
    assert (x3 - x2) * reach > 0
    assert abs(math.degrees(math.atan2(y3 - y2, abs(x3 - x2)))) <= 15


@pytest.mark.parametrize("slug", ["downward-dog", "childs-pose-to-downward-dog"])
def test_the_downward_dog_s_hands_and_feet_keep_their_spots_on_the_mat(slug):
    """Pushing the hips up and back from the top of a push-up, or from hands and knees, moves
    neither the hands nor the feet: the fifth look saw the feet "walk in" 40 cm between the
    frames and the seventh the child's pose card's hands move 19 cm, which no step says. (Its
    middle frame's arms reach forward, as its words ask.)"""
    frames = drawable_frames(catalogue("exercises", slug))

    def hands_to_feet(frame) -> float:
        parts = place(frame, check=False).body.parts
        return parts["near_foot"].lowest_point()[0] - parts["near_hand"].lowest_point()[0]

    start, finish = hands_to_feet(frames[0]), hands_to_feet(frames[-1])
    assert finish == pytest.approx(start, abs=5 * MM)
    # Still the dog the words ask for: knees bent, heels off the mat, hips the highest point.
    parts = place(frames[-1], check=False).body.parts
    assert frames[-1].angles["near_knee"] >= 30
    assert parts["near_foot"].start[1] > 2 * 10 * MM
    assert parts["pelvis"].start[1] > parts["chest"].end[1]


def test_the_handout_s_two_downward_dogs_are_the_same_dog():
    """The sciatica sheet printed a taller, narrower dog on the child's pose card beside the
    downward-dog card's (seventh look); the two words describe one pose."""
    dog, childs_pose_dog = (
        drawable_frames(catalogue("exercises", slug))[-1]
        for slug in ("downward-dog", "childs-pose-to-downward-dog")
    )
    assert childs_pose_dog.orientation == dog.orientation
    assert childs_pose_dog.angles == dog.angles


def test_the_bird_dog_s_head_holds_still_while_the_arm_and_leg_reach():
    """The head dropped a further 10 degrees as the arm reached, so the finish read "drop your
    head" beside "Keep your back level" (seventh look); it now stays where it started. It does
    not come up in line with the back: with the arm reaching level, the side view would then
    draw the far arm coming out of the face (see the test above about the head)."""
    frames = drawable_frames(catalogue("exercises", "bird-dog"))
    start, finish = (place(frame, check=False).body.parts["head"].start for frame in frames)
    assert finish == pytest.approx(start, abs=MM)
