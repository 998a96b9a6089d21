"""A side-view articulated body: segment lengths, joint limits and forward kinematics.

Segment lengths are fractions of the body height H from Drillis and Contini (1966), as
tabulated in D. A. Winter, "Biomechanics and Motor Control of Human Movement", 4th ed.
(Wiley, 2009), figure 4.1. The joint limits follow typical published normal ranges (the
American Academy of Orthopaedic Surgeons' table), widened where the default catalogue's
positions need it; /work/shared/ILLUSTRATIONS.md (the design note) lists them. Hip abduction
and rotation use the AAOS normal ranges as printed in "Joint Motion: Method of Measuring and
Recording" (AAOS, 1965): abduction 45, adduction 30, internal and external rotation 45 each.
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
    "elbow": JointRange(0, 150, "flexion: hand toward shoulder"),
    "wrist": JointRange(-90, 80, "flexion: palm toward forearm"),
    "hip": JointRange(-30, 130, "flexion: thigh forward and up"),
    "hip_abduction": JointRange(-30, 45, "abduction: knee out to the side, away from the other"),
    "hip_rotation": JointRange(-45, 45, "external rotation: knee turned out, sole turned in"),
    "knee": JointRange(-10, 150, "flexion: heel toward buttock"),
    "ankle": JointRange(-50, 30, "dorsiflexion: toes toward shin"),
}
ORIENTATION_RANGE = JointRange(-180, 180, "0 upright, 90 lying face up, -90 lying face down")

SIDES = ("near", "far")
LIMB_JOINTS = (
    "shoulder",
    "elbow",
    "wrist",
    "hip",
    "hip_abduction",
    "hip_rotation",
    "knee",
    "ankle",
)
JOINTS = ("neck", "trunk", *(f"{side}_{joint}" for side in SIDES for joint in LIMB_JOINTS))


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


def _ahead(point: Point, degrees: float, length: float) -> Point:
    dx, dy = _direction(degrees)
    return (point[0] + dx * length, point[1] + dy * length)


@dataclass(frozen=True)
class Body:
    """The posed body: one capsule per part, the hip joint at the origin, and where it faces."""

    parts: dict[str, Capsule]
    face: Point  # the head's centre, and the direction the face looks
    face_direction: float

    def moved(self, dx: float, dy: float) -> "Body":
        return Body(
            {name: capsule.moved(dx, dy) for name, capsule in self.parts.items()},
            (self.face[0] + dx, self.face[1] + dy),
            self.face_direction,
        )


def _capsule(part: str, start: Point, end: Point) -> Capsule:
    start_radius, end_radius = THICKNESS[part]
    return Capsule(start, start_radius, end, end_radius)


Vector = tuple[float, float, float]


def _vector(components) -> Vector:
    x, y, z = components
    return (x, y, z)


def _leg_points(
    side: str, thigh_direction: float, angles: dict[str, float]
) -> tuple[Point, Point, Point, Point]:
    """Knee, ankle, heel-circle and toe-circle centres of one leg, hip at the origin.

    The knee bends in a plane through the thigh; with no abduction or rotation that plane is
    the side view and this is plain 2-D kinematics. Abduction swings the thigh out of the
    plane (toward the viewer for the near leg, away for the far leg); external rotation turns
    the knee's plane about the thigh so the shin swings toward the other leg. Everything is
    then seen from the side (z dropped)."""
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

    def ahead(point: Vector, direction: Vector, length: float) -> Vector:
        return _vector(p + d * length for p, d in zip(point, direction, strict=True))

    knee = ahead((0.0, 0.0, 0.0), thigh, THIGH)
    shank = -angles[f"{side}_knee"]
    ankle = ahead(knee, in_plane(shank), SHANK)
    sole = shank + 90 + angles[f"{side}_ankle"]
    heel_radius, toe_radius = THICKNESS["foot"]
    # Heel and toe circles both touch the sole line, ANKLE below the ankle joint.
    heel = ahead(
        ahead(ankle, in_plane(sole), -HEEL_BEHIND_ANKLE + heel_radius),
        in_plane(sole + 90),
        -(ANKLE - heel_radius),
    )
    toe = ahead(
        ahead(ankle, in_plane(sole), TOE_AHEAD_OF_ANKLE - toe_radius),
        in_plane(sole + 90),
        -(ANKLE - toe_radius),
    )
    return ((knee[0], knee[1]), (ankle[0], ankle[1]), (heel[0], heel[1]), (toe[0], toe[1]))


def pose_body(orientation: float, angles: dict[str, float]) -> Body:
    """Forward kinematics from the pelvis out. `angles` holds every name in JOINTS."""
    hip = (0.0, 0.0)
    pelvis_direction = 90 + orientation
    waist = _ahead(hip, pelvis_direction, PELVIS)
    chest_direction = pelvis_direction - angles["trunk"]
    shoulder = _ahead(waist, chest_direction, CHEST)
    head_direction = chest_direction - angles["neck"]
    # The face sits a little forward of the neck's line, as the skull sits on the spine.
    head = _ahead(_ahead(shoulder, head_direction, NECK), head_direction - 90, 0.012)
    parts = {
        "pelvis": _capsule("pelvis", hip, waist),
        # The chest stops short of the shoulder joint so the shoulders do not hunch.
        "chest": _capsule("chest", waist, _ahead(waist, chest_direction, CHEST - 0.035)),
        "neck": _capsule("neck", shoulder, _ahead(shoulder, head_direction, NECK)),
        "head": Capsule(head, HEAD_RADIUS, head, HEAD_RADIUS),
    }
    for side in SIDES:
        arm_direction = chest_direction + 180 + angles[f"{side}_shoulder"]
        elbow = _ahead(shoulder, arm_direction, UPPER_ARM)
        forearm_direction = arm_direction + angles[f"{side}_elbow"]
        wrist = _ahead(elbow, forearm_direction, FOREARM)
        # Wrist extension (negative) turns the back of the hand toward the forearm: a hand
        # flat on the floor under a vertical forearm is at -90.
        hand_direction = forearm_direction - angles[f"{side}_wrist"]
        fingertip_centre = _ahead(wrist, hand_direction, HAND - THICKNESS["hand"][1])
        knee, ankle, heel, toe = _leg_points(
            side, pelvis_direction + 180 + angles[f"{side}_hip"], angles
        )
        heel_radius, toe_radius = THICKNESS["foot"]
        parts[f"{side}_upper_arm"] = _capsule("upper_arm", shoulder, elbow)
        parts[f"{side}_forearm"] = _capsule("forearm", elbow, wrist)
        parts[f"{side}_hand"] = _capsule("hand", wrist, fingertip_centre)
        parts[f"{side}_thigh"] = _capsule("thigh", hip, knee)
        parts[f"{side}_shank"] = _capsule("shank", knee, ankle)
        parts[f"{side}_foot"] = Capsule(heel, heel_radius, toe, toe_radius)
    return Body(parts, head, head_direction - 90)
