"""A side-view articulated body: segment lengths, joint limits and forward kinematics.

Segment lengths are fractions of the body height H from Drillis and Contini (1966), as
tabulated in D. A. Winter, "Biomechanics and Motor Control of Human Movement", 4th ed.
(Wiley, 2009), figure 4.1. The joint limits follow typical published normal ranges (the
American Academy of Orthopaedic Surgeons' table), widened where the default catalogue's
positions need it; /work/shared/ILLUSTRATIONS.md (the design note) lists them. Hip abduction
and rotation use the AAOS normal ranges as printed in "Joint Motion: Method of Measuring and
Recording" (AAOS, 1965): abduction 45, adduction 30, internal and external rotation 45 each.
The shoulder's horizontal adduction comes from the same table, which measures it from the arm
held out to the side (135 across the body); from the arm held straight ahead, as here, that is
45 across, and the arm swings out at most 90 (to the side).
A leg moved out of the side plane (abduction, rotation) is posed in three dimensions and then
projected onto the side view, so a knee that points out to the side reads foreshortened.

Coordinates are in units of H, x forward (the figure faces +x when standing), y up.
Angles are degrees. Every segment's direction is an absolute angle counter-clockwise from +x.
"""

import math
from dataclasses import dataclass

# Landmark heights standing (Winter, fig. 4.1).
TOP_OF_HEAD = 1.000
SHOULDER = 0.818
HIP = 0.530
KNEE = 0.285
ANKLE = 0.039

# Segment lengths (Winter, fig. 4.1).
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108
THIGH = HIP - KNEE  # 0.245
SHANK = KNEE - ANKLE  # 0.246
FOOT = 0.152
TRUNK = SHOULDER - HIP  # 0.288

# Our own split of the trunk at the waist, where the lumbar spine bends, and the head.
PELVIS = 0.100
CHEST = TRUNK - PELVIS
HEAD_RADIUS = 0.065  # a head about 0.13 H across
NECK = TOP_OF_HEAD - HEAD_RADIUS - SHOULDER  # shoulder to the centre of the head

# How far the foot reaches behind and ahead of the ankle along the sole (heel to toe = FOOT).
HEEL_BEHIND_ANKLE = 0.045
TOE_AHEAD_OF_ANKLE = FOOT - HEEL_BEHIND_ANKLE


@dataclass(frozen=True)
class JointRange:
    minimum: float
    maximum: float
    meaning: str  # what a positive angle does, for the editor's help text


# The exact limits the model enforces (flexion positive).
JOINT_RANGES = {
    "neck": JointRange(-45, 45, "flexion: chin toward chest"),
    "trunk": JointRange(-25, 80, "lumbar flexion: chest toward thighs"),
    "shoulder": JointRange(-60, 180, "flexion: arm forward and up"),
    "shoulder_adduction": JointRange(
        -90, 45, "horizontal adduction: a forward arm swung across toward the other side"
    ),
    "elbow": JointRange(0, 150, "flexion: hand toward shoulder"),
    "wrist": JointRange(-90, 80, "flexion: palm toward forearm"),
    "hip": JointRange(-30, 130, "flexion: thigh forward and up"),
    "hip_abduction": JointRange(-30, 45, "abduction: knee out to the side, away from the other"),
    "hip_rotation": JointRange(-45, 45, "external rotation: knee turned out, sole turned in"),
    "knee": JointRange(-10, 150, "flexion: heel toward buttock"),
    "ankle": JointRange(-50, 30, "dorsiflexion: toes toward shin"),
}
ORIENTATION_RANGE = JointRange(-180, 180, "0 upright, 90 lying face up, -90 lying face down")
# Not a joint but how the seated body tips toward its near side, weight on that buttock (the
# foam roller's "shift your weight onto the buttock you work on"); like the orientation it is
# the body's placement on its support, limited to what such a sideways lean looks like.
JOINT_RANGES["lean"] = JointRange(
    0, 20, "sideways lean: the body tipped onto its near buttock, the far one lifted"
)

SIDES = ("near", "far")
LIMB_JOINTS = (
    "shoulder",
    "shoulder_adduction",
    "elbow",
    "wrist",
    "hip",
    "hip_abduction",
    "hip_rotation",
    "knee",
    "ankle",
)
# The lean comes last so frames stored before it existed keep their order (and their hash).
JOINTS = (
    "neck",
    "trunk",
    *(f"{side}_{joint}" for side in SIDES for joint in LIMB_JOINTS),
    "lean",
)


def joint_range(joint: str) -> JointRange:
    """`near_knee` -> the knee's range."""
    return JOINT_RANGES[joint.removeprefix("near_").removeprefix("far_")]


Point = tuple[float, float]


@dataclass(frozen=True)
class Capsule:
    """A rounded limb: the hull of two circles, wider at the proximal end."""

    start: Point
    start_radius: float
    end: Point
    end_radius: float

    def moved(self, dx: float, dy: float) -> "Capsule":
        return Capsule(
            (self.start[0] + dx, self.start[1] + dy),
            self.start_radius,
            (self.end[0] + dx, self.end[1] + dy),
            self.end_radius,
        )

    def extreme(self, direction: Point) -> float:
        """How far the capsule reaches along a unit direction (e.g. (0, -1): minus its lowest y)."""
        return max(
            self.start[0] * direction[0] + self.start[1] * direction[1] + self.start_radius,
            self.end[0] * direction[0] + self.end[1] * direction[1] + self.end_radius,
        )

    def lowest(self) -> float:
        return -self.extreme((0.0, -1.0))

    def lowest_point(self) -> Point:
        low = (
            self.start
            if self.start[1] - self.start_radius <= self.end[1] - self.end_radius
            else self.end
        )
        radius = self.start_radius if low is self.start else self.end_radius
        return (low[0], low[1] - radius)

    def samples(self, count: int = 24) -> list[tuple[Point, float]]:
        """Circles along the axis whose union is the capsule (for overlap checks)."""
        return [
            (
                (
                    self.start[0] + (self.end[0] - self.start[0]) * t,
                    self.start[1] + (self.end[1] - self.start[1]) * t,
                ),
                self.start_radius + (self.end_radius - self.start_radius) * t,
            )
            for t in (index / count for index in range(count + 1))
        ]


# Half-thicknesses (side view) at the proximal and distal end of each part, fractions of H.
THICKNESS = {
    # One depth for pelvis and chest, so a body lying flat rests on both at once.
    "pelvis": (0.064, 0.064),
    "chest": (0.064, 0.064),
    "neck": (0.028, 0.028),
    "upper_arm": (0.032, 0.026),
    "forearm": (0.026, 0.020),
    "hand": (0.020, 0.014),
    "thigh": (0.052, 0.036),
    "shank": (0.036, 0.024),
    "foot": (0.025, 0.013),
}

# Where the parts are drawn, back to front: far limbs, trunk and head, near limbs.
FAR_PARTS = tuple(
    f"far_{part}" for part in ("upper_arm", "forearm", "hand", "thigh", "shank", "foot")
)
TRUNK_PARTS = ("pelvis", "chest", "neck", "head")
NEAR_PARTS = tuple(
    f"near_{part}" for part in ("thigh", "shank", "foot", "upper_arm", "forearm", "hand")
)
PARTS = FAR_PARTS + TRUNK_PARTS + NEAR_PARTS


def _direction(degrees: float) -> Point:
    radians = math.radians(degrees)
    return (math.cos(radians), math.sin(radians))


@dataclass(frozen=True)
class Body:
    """The posed body: one capsule per part, the hip joint at the origin, and where it faces."""

    parts: dict[str, Capsule]
    face: Point  # the head's centre, and the direction the face looks
    face_direction: float
    depths: dict[str, float]  # each part's distance toward the viewer

    def moved(self, dx: float, dy: float) -> "Body":
        return Body(
            {name: capsule.moved(dx, dy) for name, capsule in self.parts.items()},
            (self.face[0] + dx, self.face[1] + dy),
            self.face_direction,
            self.depths,
        )


Vector = tuple[float, float, float]

# Widths across the body (Winter, fig. 4.1): the hip and shoulder joints sit half of each to
# either side of the midline. The side view does not see them; the other views do.
SHOULDER_WIDTH = 0.259
HIP_WIDTH = 0.191

# The views a frame can also be drawn from. Each maps a 3-D point (x forward, y up, z toward
# the side view's viewer, the near side) to the picture's (x, y), and gives the depth toward
# the viewer that sets which part is drawn over which.
VIEWS = ("side", "above", "front", "behind")


def project(point: Vector, view: str) -> Point:
    x, y, z = point
    if view == "above":
        # Looking down, the figure still faces right; its near side is nearest the reader.
        return (x, -z)
    if view == "front":
        # Facing the figure: its near side on the reader's left, as with anyone facing you.
        return (-z, y)
    if view == "behind":
        # Looking at its back: its near side on the reader's right, as in the side view.
        return (z, y)
    return (x, y)


def depth(point: Vector, view: str) -> float:
    x, y, z = point
    return {"above": y, "front": x, "behind": -x}.get(view, z)


def _add(point: Vector, direction: Vector, length: float) -> Vector:
    return _vector(p + d * length for p, d in zip(point, direction, strict=True))


def _flat(degrees: float) -> Vector:
    dx, dy = _direction(degrees)
    return (dx, dy, 0.0)


def _vector(components) -> Vector:
    x, y, z = components
    return (x, y, z)


def _leg_points(
    side: str, thigh_direction: float, angles: dict[str, float]
) -> tuple[Vector, Vector, Vector, Vector]:
    """Knee, ankle, heel-circle and toe-circle centres of one leg, its hip at the origin.

    The knee bends in a plane through the thigh; with no abduction or rotation that plane is
    the side view and this is plain 2-D kinematics. Abduction swings the thigh out of the
    plane (toward the viewer for the near leg, away for the far leg); external rotation turns
    the knee's plane about the thigh so the shin swings toward the other leg."""
    out = 1.0 if side == "near" else -1.0
    abduction = math.radians(angles.get(f"{side}_hip_abduction", 0.0))
    rotation = math.radians(angles.get(f"{side}_hip_rotation", 0.0))
    theta = math.radians(thigh_direction)
    thigh: Vector = (
        math.cos(abduction) * math.cos(theta),
        math.cos(abduction) * math.sin(theta),
        out * math.sin(abduction),
    )
    # The direction the heel moves as the knee bends, before rotation: perpendicular to the
    # thigh in the side view, and still perpendicular to it after abduction.
    bend: Vector = (math.cos(theta - math.pi / 2), math.sin(theta - math.pi / 2), 0.0)
    # Turn that direction about the thigh axis; external rotation moves the heel toward the
    # midline (away from the abducted side).
    axis_cross = (
        thigh[1] * bend[2] - thigh[2] * bend[1],
        thigh[2] * bend[0] - thigh[0] * bend[2],
        thigh[0] * bend[1] - thigh[1] * bend[0],
    )
    turn = out * rotation
    bend = _vector(
        b * math.cos(turn) + c * math.sin(turn) for b, c in zip(bend, axis_cross, strict=True)
    )

    def in_plane(plane_degrees: float) -> Vector:
        """A direction in the knee's plane: 0 along the thigh, -90 the way the knee bends."""
        radians = math.radians(plane_degrees)
        return _vector(
            t * math.cos(radians) - b * math.sin(radians) for t, b in zip(thigh, bend, strict=True)
        )

    knee = _add((0.0, 0.0, 0.0), thigh, THIGH)
    shank = -angles[f"{side}_knee"]
    ankle = _add(knee, in_plane(shank), SHANK)
    sole = shank + 90 + angles[f"{side}_ankle"]
    heel_radius, toe_radius = THICKNESS["foot"]
    # Heel and toe circles both touch the sole line, ANKLE below the ankle joint.
    heel = _add(
        _add(ankle, in_plane(sole), -HEEL_BEHIND_ANKLE + heel_radius),
        in_plane(sole + 90),
        -(ANKLE - heel_radius),
    )
    toe = _add(
        _add(ankle, in_plane(sole), TOE_AHEAD_OF_ANKLE - toe_radius),
        in_plane(sole + 90),
        -(ANKLE - toe_radius),
    )
    return knee, ankle, heel, toe


def _swung_across(
    point: Vector, shoulder: Vector, trunk_direction: float, degrees: float
) -> Vector:
    """A point of the arm turned about the trunk's long axis through the shoulder: the part
    of it ahead of the trunk swings toward +z for positive `degrees` (horizontal adduction of
    the far arm, abduction of the near one)."""
    if not degrees:
        return point
    radians = math.radians(degrees)
    along = _flat(trunk_direction)
    ahead = (along[1], -along[0], 0.0)
    offset = _vector(p - s for p, s in zip(point, shoulder, strict=True))
    forward = sum(o * a for o, a in zip(offset, ahead, strict=True))
    turned = _add(offset, ahead, forward * (math.cos(radians) - 1))
    turned = (turned[0], turned[1], turned[2] + forward * math.sin(radians))
    return _add(shoulder, turned, 1.0)


def _skeleton(orientation: float, angles: dict[str, float]) -> dict[str, tuple[Vector, ...]]:
    """Every part as its two circle centres in 3-D (x forward, y up, z toward the near
    side), the pelvis's centre at the origin; the head's two centres are the same point."""
    pelvis_direction = 90 + orientation
    waist = _flat(pelvis_direction)
    waist = _add((0.0, 0.0, 0.0), waist, PELVIS)
    chest_direction = pelvis_direction - angles["trunk"]
    shoulder = _add(waist, _flat(chest_direction), CHEST)
    head_direction = chest_direction - angles["neck"]
    # The face sits a little forward of the neck's line, as the skull sits on the spine.
    head = _add(_add(shoulder, _flat(head_direction), NECK), _flat(head_direction - 90), 0.012)
    points: dict[str, tuple[Vector, ...]] = {
        "pelvis": ((0.0, 0.0, 0.0), waist),
        # The chest stops short of the shoulder joint so the shoulders do not hunch.
        "chest": (waist, _add(waist, _flat(chest_direction), CHEST - 0.035)),
        "neck": (shoulder, _add(shoulder, _flat(head_direction), NECK)),
        "head": (head, head),
    }
    for side in SIDES:
        out = 1.0 if side == "near" else -1.0
        shoulder_joint = (shoulder[0], shoulder[1], out * SHOULDER_WIDTH / 2)
        hip_joint = (0.0, 0.0, out * HIP_WIDTH / 2)
        arm_direction = chest_direction + 180 + angles[f"{side}_shoulder"]
        elbow = _add(shoulder_joint, _flat(arm_direction), UPPER_ARM)
        forearm_direction = arm_direction + angles[f"{side}_elbow"]
        wrist = _add(elbow, _flat(forearm_direction), FOREARM)
        # Wrist extension (negative) turns the back of the hand toward the forearm: a hand
        # flat on the floor under a vertical forearm is at -90.
        hand_direction = forearm_direction - angles[f"{side}_wrist"]
        fingertip_centre = _add(wrist, _flat(hand_direction), HAND - THICKNESS["hand"][1])
        elbow, wrist, fingertip_centre = (
            _swung_across(point, shoulder_joint, chest_direction, -out * across)
            for point in (elbow, wrist, fingertip_centre)
            for across in (angles.get(f"{side}_shoulder_adduction", 0.0),)
        )
        knee, ankle, heel, toe = (
            _add(hip_joint, point, 1.0)
            for point in _leg_points(side, pelvis_direction + 180 + angles[f"{side}_hip"], angles)
        )
        points[f"{side}_upper_arm"] = (shoulder_joint, elbow)
        points[f"{side}_forearm"] = (elbow, wrist)
        points[f"{side}_hand"] = (wrist, fingertip_centre)
        points[f"{side}_thigh"] = (hip_joint, knee)
        points[f"{side}_shank"] = (knee, ankle)
        points[f"{side}_foot"] = (heel, toe)
    return _leaned(points, angles.get("lean", 0.0))


def _leaned(points: dict[str, tuple[Vector, ...]], degrees: float) -> dict[str, tuple[Vector, ...]]:
    """The pelvis tipped sideways onto the near buttock: it turns about the line through the
    near hip joint pointing forward, so the far hip joint rises and each leg hangs from its
    hip joint wherever that went. The spine bends sideways as much as the pelvis tips, so the
    waist, chest, head and arms stay where they were (that side bend, at most 20 degrees, is
    within the 35 of the AAOS's normal lateral flexion), and so does the side view's pelvis
    on the midline, whose lowest point is the near buttock's, the one the weight is on."""
    if not degrees:
        return points
    radians = math.radians(degrees)
    leaned = dict(points)
    for side in SIDES:
        x, y, z = hip = points[f"{side}_thigh"][0]
        across = z - HIP_WIDTH / 2  # from the near hip joint, the pivot
        raised = (
            x,
            y * math.cos(radians) - across * math.sin(radians),
            HIP_WIDTH / 2 + y * math.sin(radians) + across * math.cos(radians),
        )
        shift = _vector(r - h for r, h in zip(raised, hip, strict=True))
        for part in ("thigh", "shank", "foot"):
            leaned[f"{side}_{part}"] = tuple(
                _add(point, shift, 1.0) for point in points[f"{side}_{part}"]
            )
    return leaned


def part_gap(orientation: float, angles: dict[str, float], part: str, other: str) -> float:
    """How far apart two parts' surfaces are in 3-D (negative: they overlap), for contacts
    that the side view alone cannot confirm (a far hand behind the near thigh)."""
    skeleton = _skeleton(orientation, angles)

    def circles(name: str) -> list[tuple[Vector, float]]:
        (start, end), (start_radius, end_radius) = skeleton[name], _radii(name)
        return [
            (_add(start, _vector(e - s for s, e in zip(start, end, strict=True)), t), radius)
            for t, radius in (
                (index / 12, start_radius + (end_radius - start_radius) * index / 12)
                for index in range(13)
            )
        ]

    return min(math.dist(p, q) - r - s for p, r in circles(part) for q, s in circles(other))


def _radii(part: str) -> tuple[float, float]:
    if part == "head":
        return HEAD_RADIUS, HEAD_RADIUS
    return THICKNESS[part.removeprefix("near_").removeprefix("far_")]


def pose_body(orientation: float, angles: dict[str, float], view: str = "side") -> Body:
    """Forward kinematics from the pelvis out, seen from `view`. `angles` holds every name in
    JOINTS. Each part's depth toward the viewer is kept, so other views can draw the nearest
    part last (the side view draws far limbs, trunk, near limbs, as PARTS lists them)."""
    skeleton = _skeleton(orientation, angles)
    parts = {}
    depths = {}
    for name, (start, end) in skeleton.items():
        start_radius, end_radius = _radii(name)
        parts[name] = Capsule(project(start, view), start_radius, project(end, view), end_radius)
        depths[name] = (depth(start, view) + depth(end, view)) / 2
    head_direction = 90 + orientation - angles["trunk"] - angles["neck"]
    return Body(parts, parts["head"].start, head_direction - 90, depths)
