"""Frame -> Scene: the body placed on its supports, the props placed against it, and the
picture as plain filled paths. Knows nothing of SVG or PDF; the adapters only translate.

The body's pose is fixed by the frame; the solver only moves it. Resting contacts (floor,
mat) set its height; every other prop is placed by its first contact (a step's top under the
heel, a wall against the calf, a roller under the buttock). Every other contact must then hold
within TOLERANCE, and no body part may go below the floor or into a prop.
"""

import dataclasses
import math
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from exercises.illustrations.body import (
    FAR_PARTS,
    FOREARM,
    HAND,
    HIP_WIDTH,
    NEAR_PARTS,
    PARTS,
    THICKNESS,
    Body,
    Capsule,
    Point,
    part_gap,
    pose_body,
    project,
)
from exercises.illustrations.frames import (
    STRAIGHT_KNEES,
    STRAP_KINDS,
    SURFACES,
    Contact,
    Frame,
    FrameError,
    parse_frame,
    parse_frames,
)

REFERENCE_HEIGHT_CM = 175.0
# A contact holds within 1 mm on a body 1.75 m tall.
TOLERANCE = 0.1 / REFERENCE_HEIGHT_CM
# A hand on a strap, a thigh or another body part: hands wrap and squeeze, so the rule is
# looser, 0.01 of body height (1.75 cm). Props that stand on the floor stay put between
# frames within the same distance.
BODY_TOLERANCE = 0.01
# A knee the words keep straight bends at most this much (a straight knee in a stretch is
# rarely locked; beyond this it reads as bent at print size).
STRAIGHT_KNEE_BEND = 5.0
# Hands kept "short of" a part (the toes) stay at least this far from it: 5 cm.
SHORT_OF = 5 / REFERENCE_HEIGHT_CM

# Prop sizes in units of body height (about 1.75 m).
MAT_THICKNESS = 0.008
STEP_WIDTH = 0.17
CHAIR_SEAT_HEIGHT = 0.22
CHAIR_SEAT_DEPTH = 0.24
CHAIR_SEAT_THICKNESS = 0.022
CHAIR_BACK_HEIGHT = 0.26
CHAIR_LEG = 0.018
WALL_THICKNESS = 0.035
DOORWAY_THICKNESS = 0.07
# An arrow keeps this far above the floor line (4 cm on the body), clear of a mat.
ARROW_ABOVE_FLOOR = 0.025
WALL_HEIGHT = 0.8  # above a raised leg, not a whole wall: the picture stays compact
BALL_RADIUS = 0.044  # a soft massage ball about 15 cm across, readable in print (>= 6 mm)
ROLLER_RADIUS = 0.043  # a 15 cm foam roller
# Wide enough to print at least 0.5 mm on the smallest handout picture (a standing body
# 50 mm tall: 0.5 mm is 0.01 of body height).
STRAP_WIDTH = {"strap": 0.012, "towel": 0.02, "band": 0.01}
MARGIN = 0.04

# Greys that print well in black and white. The limb that moves between start and finish is
# the darkest thing in the picture; props are outlined in a grey of at least 3:1 contrast on
# white with lines at least 0.5 mm wide ("prop" line), so they survive greyscale print.
MOVING_FILL = "#1c1c1c"
NEAR_FILL, NEAR_STROKE = "#4a4a4a", "#000000"
TRUNK_FILL = "#5c5c5c"
FAR_FILL, FAR_STROKE = "#bcbcbc", "#6e6e6e"
PROP_FILL, PROP_STROKE = "#e2e2e2", "#4d4d4d"
ROLLER_FILL = "#9a9a9a"
# The lit band along a roller seen from above, the front or behind: without it the long side
# of a cylinder is a flat grey rectangle and reads as a box or a bench.
ROLLER_HIGHLIGHT = "#d6d6d6"
WALL_FILL = "#c4c4c4"
MAT_FILL = "#cfcfcf"
STRAP_FILL = "#262626"
CLINICIAN_FILL = "#8f8f8f"
ARROW_COLOUR = "#000000"
# Colours printed as outlines of props and straps: tested for 3:1 contrast on white.
PROP_LINE_COLOURS = (PROP_STROKE, STRAP_FILL, NEAR_STROKE, ARROW_COLOUR)


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    def depth_of(self, point: Point, radius: float) -> float:
        """How far a circle reaches into the box (<= 0: it does not)."""
        x, y = point
        inside_x = min(x - self.left, self.right - x)
        inside_y = min(y - self.bottom, self.top - y)
        if inside_x >= 0 and inside_y >= 0:
            return min(inside_x, inside_y) + radius
        dx = max(self.left - x, 0, x - self.right)
        dy = max(self.bottom - y, 0, y - self.top)
        return radius - math.hypot(dx, dy)


@dataclass(frozen=True)
class Disc:
    centre: Point
    radius: float

    def depth_of(self, point: Point, radius: float) -> float:
        distance = math.hypot(point[0] - self.centre[0], point[1] - self.centre[1])
        return self.radius + radius - distance


@dataclass(frozen=True)
class PlacedProp:
    kind: str
    solids: tuple  # Boxes and Discs
    # Which parts may not enter the solids: "all", "near" (a doorway: the far leg passes
    # through it) or "none" (a chair beside the body, only held).
    blocks: str = "all"


@dataclass(frozen=True)
class Path:
    """One outline: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y), ("Z",).

    `line` names a stroke weight ("outline", "thin", "prop": a prop's outline at least
    0.5 mm in print, "arrow", "union": an outline drawn twice as wide under fills that
    cover half of it, or "halo": a white edge under an arrow drawn over a limb) that each adapter draws the same at every
    picture size, so a thumbnail and a printed picture have equally crisp edges.
    """

    commands: tuple[tuple, ...]
    fill: str | None
    stroke: str | None
    line: str = "outline"


@dataclass(frozen=True)
class Scene:
    """The drawn picture in units of body height, y up, the floor at y = 0."""

    paths: tuple[Path, ...]
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


def _cm(distance: float) -> str:
    return f"{abs(distance) * REFERENCE_HEIGHT_CM:.1f}"


def _ground_top(frame: Frame) -> float:
    return MAT_THICKNESS if frame.has("mat") else 0.0


def _settle(frame: Frame, body: Body) -> Body:
    """Lowers or raises the body until its resting parts touch the floor or mat."""
    resting = [contact.part for contact in frame.contacts if contact.surface in ("floor", "mat")]
    parts = resting or PARTS
    lowest = min(body.parts[part].lowest() for part in parts)
    return body.moved(0.0, _ground_top(frame) - lowest)


def _surface_of(placed: dict[str, "PropPlacement"], contact: Contact, frame: Frame) -> float:
    if contact.surface in ("floor", "mat"):
        return _ground_top(frame)
    return placed[SURFACE_PROP[contact.surface]].surface(contact.surface)


@dataclass(frozen=True)
class PropPlacement:
    """Where a prop stands. Chairs, balls and rollers have fixed sizes, so only their x
    follows the body; a step's top and a wall's face are where their first contact put them."""

    kind: str
    x: float  # a wall's face, a chair's backrest, the centre of a step, ball or roller
    side: str
    ground: float
    step_top: float = 0.0

    def surface(self, on: str) -> float:
        """The height (or for a wall, the x) that a part resting on `on` reaches."""
        return {
            "wall": self.x,
            "doorway": self.x,
            "step": self.step_top,
            "chair_seat": CHAIR_SEAT_HEIGHT,
            "chair_back": CHAIR_SEAT_HEIGHT + CHAIR_BACK_HEIGHT,
            "ball": self.ground + 2 * BALL_RADIUS,
            "roller": self.ground + 2 * ROLLER_RADIUS,
        }[on]


PROPS_PLACED_BY_CONTACT = ("step", "chair", "wall", "doorway", "ball", "roller")
# The floor and the mat lie under the body; these props are placed against what touches them.
SURFACE_PROP = {
    surface: prop for surface, prop in SURFACES.items() if prop in PROPS_PLACED_BY_CONTACT
}
# Sitting bones rest this far in front of the backrest.
SEAT_BACK_CLEARANCE = 0.1


def _reach(capsule: Capsule, on: str, side: str) -> float:
    """The coordinate of a part that meets a surface: its lowest y, or its x toward a wall."""
    if on in ("wall", "doorway"):
        return capsule.extreme((1.0, 0.0)) if side == "front" else -capsule.extreme((-1.0, 0.0))
    return capsule.lowest()


ROLLING_PROPS = {"ball": BALL_RADIUS, "roller": ROLLER_RADIUS}


def _disc_gap(capsule: Capsule, centre: Point, radius: float) -> float:
    """How far a ball or roller is from a part's surface (negative: into it)."""
    return min(math.dist(point, centre) - size for point, size in capsule.samples()) - radius


def _rolled_under(capsule: Capsule, radius: float, ground: float) -> float:
    """The x of a ball or roller on the ground that touches a part from below. Under the
    part's lowest point when that rests on its top; when the part dips lower (the hips sunk in
    front of a roller that has rolled up the buttock), further along the part toward its
    higher end, where the part rises clear of it."""
    low_x, low_y = capsule.lowest_point()
    top = ground + 2 * radius
    if low_y >= top - TOLERANCE:
        return low_x
    higher = capsule.end if capsule.start[1] - capsule.start_radius <= low_y else capsule.start
    reach = math.dist(capsule.start, capsule.end) + 2 * radius
    near, far = low_x, low_x + math.copysign(reach, higher[0] - low_x)
    for _step in range(40):
        middle = (near + far) / 2
        if _disc_gap(capsule, (middle, ground + radius), radius) < 0:
            near = middle
        else:
            far = middle
    return far


def _place_props(frame: Frame, body: Body) -> dict[str, PropPlacement]:
    placed = {}
    sides = {prop.kind: prop.side for prop in frame.props}
    ground = _ground_top(frame)
    for index, contact in enumerate(frame.contacts):
        kind = SURFACE_PROP.get(contact.surface)
        if kind is None or kind in placed:
            continue
        capsule = body.parts[contact.part]
        low_x, low_y = capsule.lowest_point()
        if kind in ROLLING_PROPS:
            # A ball or roller lies on the ground whatever part rests on it.
            low_x, low_y = _rolled_under(capsule, ROLLING_PROPS[kind], ground), ground
        x = {
            "wall": _reach(capsule, contact.surface, sides[kind]),
            "doorway": _reach(capsule, contact.surface, sides[kind]),
            "chair_seat": low_x - SEAT_BACK_CLEARANCE,
            "chair_back": low_x - CHAIR_LEG / 2,
        }.get(contact.surface, low_x)
        placed[kind] = PropPlacement(kind, x, sides[kind], ground, step_top=low_y)
        if contact.surface == "step" and low_y < ground + 0.03:
            raise FrameError(
                f"contacts.{index}",
                _("%(part)s is too low to rest on a step.") % {"part": contact.part},
            )
    for kind in PROPS_PLACED_BY_CONTACT:
        if frame.has(kind) and kind not in placed:
            raise FrameError(
                "props",
                _("Say which body part touches the %(prop)s (add a contact).") % {"prop": kind},
            )
    return placed


def _solids(frame: Frame, placement: PropPlacement) -> PlacedProp:
    x, ground = placement.x, placement.ground
    blocks = "none" if placement.side.startswith("beside") else "all"
    if placement.kind == "step":
        top = placement.step_top
        return PlacedProp(
            "step", (Box(x - STEP_WIDTH / 2, ground, x + STEP_WIDTH / 2, top),), blocks
        )
    if placement.kind == "chair":
        seat, back = CHAIR_SEAT_HEIGHT, CHAIR_SEAT_HEIGHT + CHAIR_BACK_HEIGHT
        front = x + CHAIR_SEAT_DEPTH
        if placement.side == "beside-reversed":
            x, front = x - CHAIR_SEAT_DEPTH + CHAIR_LEG, x + CHAIR_LEG
            return PlacedProp(
                "chair",
                (
                    Box(x, seat - CHAIR_SEAT_THICKNESS, front, seat),
                    Box(front - CHAIR_LEG, seat, front, back),
                    Box(x, ground, x + CHAIR_LEG, seat),
                    Box(front - CHAIR_LEG, ground, front, seat),
                ),
                blocks,
            )
        return PlacedProp(
            "chair",
            (
                Box(x, seat - CHAIR_SEAT_THICKNESS, front, seat),
                Box(x, seat, x + CHAIR_LEG, back),
                Box(x, ground, x + CHAIR_LEG, seat),
                Box(front - CHAIR_LEG, ground, front, seat),
            ),
            blocks,
        )
    if placement.kind in ("wall", "doorway"):
        # A doorway is seen edge on: the wall beside the opening, drawn as thick as a real
        # inner wall so it reads as a wall and not a pole.
        thickness = DOORWAY_THICKNESS if placement.kind == "doorway" else WALL_THICKNESS
        left = x if placement.side == "front" else x - thickness
        return PlacedProp(
            placement.kind,
            (Box(left, ground, left + thickness, WALL_HEIGHT),),
            blocks="near" if placement.kind == "doorway" else "all",
        )
    radius = ROLLING_PROPS[placement.kind]
    return PlacedProp(placement.kind, (Disc((x, ground + radius), radius),), blocks)


def _posterior(name: str, capsule: Capsule) -> Point:
    """The unit direction the back of a part faces, in the side view."""
    dx, dy = capsule.end[0] - capsule.start[0], capsule.end[1] - capsule.start[1]
    length = math.hypot(dx, dy) or 1.0
    # Limbs run from the trunk outward, the trunk's parts from the hip upward: their backs
    # lie on opposite sides of their axes.
    sign = -1.0 if name in ("pelvis", "chest", "neck") else 1.0
    return (sign * dy / length, -sign * dx / length)


def _closest(a: Capsule, b: Capsule) -> tuple[float, Point, Point]:
    """The gap between two capsules' surfaces (negative: they overlap) and the centres of
    the two sample circles that come closest."""
    return min((math.dist(p, q) - r - s, p, q) for p, r in a.samples(12) for q, s in b.samples(12))


def _segment_distance(point: Point, start: Point, end: Point) -> float:
    dx, dy = end[0] - start[0], end[1] - start[1]
    length2 = dx * dx + dy * dy or 1e-12
    t = max(0.0, min(1.0, ((point[0] - start[0]) * dx + (point[1] - start[1]) * dy) / length2))
    return math.dist(point, (start[0] + t * dx, start[1] + t * dy))


def strap_line(body: Body, at: str = "ball") -> tuple[Point, Point]:
    """Where a strap, towel or band runs: from the near hand's grip to the sole of the near
    foot, under its ball or (`at` "mid-foot") halfway between heel and toes."""
    hand = body.parts["near_hand"]
    grip = ((hand.start[0] + hand.end[0]) / 2, (hand.start[1] + hand.end[1]) / 2)
    foot = body.parts["near_foot"]
    length = math.hypot(foot.end[0] - foot.start[0], foot.end[1] - foot.start[1])
    along = ((foot.end[0] - foot.start[0]) / length, (foot.end[1] - foot.start[1]) / length)
    if at == "mid-foot":
        middle = ((foot.start[0] + foot.end[0]) / 2, (foot.start[1] + foot.end[1]) / 2)
        radius = (foot.start_radius + foot.end_radius) / 2
        return grip, (middle[0] + radius * along[1], middle[1] - radius * along[0])
    ball = (
        foot.end[0] + foot.end_radius * along[1] - 0.015 * along[0],
        foot.end[1] - foot.end_radius * along[0] - 0.015 * along[1],
    )
    return grip, ball


def _strap_at(frame: Frame, kind: str) -> str:
    return next((prop.at for prop in frame.props if prop.kind == kind), "ball")


def _held_gap(frame: Frame, contact: Contact, body: Body) -> float:
    """How far a hand is from the strap it should hold."""
    grip, ball = strap_line(body, _strap_at(frame, contact.surface))
    half = STRAP_WIDTH[contact.surface] / 2
    return min(
        _segment_distance(point, grip, ball) - radius - half
        for point, radius in body.parts[contact.part].samples(12)
    )


def _body_gap(contact: Contact, body: Body) -> tuple[float, bool]:
    """How far a part is from the body part it rests on, and whether it is on the side the
    contact names (the back of the thigh, not its front)."""
    target = body.parts[contact.surface]
    gap, near, far = _closest(body.parts[contact.part], target)
    if contact.where == "any":
        return gap, True
    back = _posterior(contact.surface, target)
    facing = (near[0] - far[0]) * back[0] + (near[1] - far[1]) * back[1]
    return gap, facing > 0 if contact.where == "back" else facing < 0


def contact_gaps(frame: Frame, body: Body, placed: dict[str, PropPlacement]) -> list[float]:
    """Per contact, how far the part is from its surface (negative: into it). A hand on a
    strap or on a body part only has to be near it: its gap counts from 0 when it overlaps."""
    gaps = []
    for contact in frame.contacts:
        if contact.on_body:
            gaps.append(max(_body_gap(contact, body)[0], 0.0))
            continue
        if contact.surface in STRAP_WIDTH:
            gaps.append(max(_held_gap(frame, contact, body), 0.0))
            continue
        kind = SURFACE_PROP.get(contact.surface)
        if kind in ROLLING_PROPS:
            rolling = placed[kind]
            centre = (rolling.x, rolling.ground + ROLLING_PROPS[kind])
            gaps.append(_disc_gap(body.parts[contact.part], centre, ROLLING_PROPS[kind]))
            continue
        side = placed[kind].side if kind else "front"
        gap = _reach(body.parts[contact.part], contact.surface, side) - _surface_of(
            placed, contact, frame
        )
        gaps.append(-gap if contact.surface in ("wall", "doorway") and side == "front" else gap)
    return gaps


def contact_tolerance(contact: Contact) -> float:
    return BODY_TOLERANCE if contact.on_body or contact.surface in STRAP_WIDTH else TOLERANCE


def lean_degrees(body: Body) -> float:
    """How far the line from hip to shoulder leans forward of upright."""
    hip, shoulder = body.parts["pelvis"].start, body.parts["neck"].start
    return math.degrees(math.atan2(shoulder[0] - hip[0], shoulder[1] - hip[1]))


def _part_label(part: str) -> str:
    return part.replace("_", " ")


def _check_limits(frame: Frame, body: Body):
    limits = frame.limits
    if limits.max_lean is not None and lean_degrees(body) > limits.max_lean + 0.5:
        raise FrameError(
            "limits.max_lean",
            _("The chest leans %(lean)d degrees forward; the words allow at most %(limit)d.")
            % {"lean": round(lean_degrees(body)), "limit": round(limits.max_lean)},
        )
    for side in STRAIGHT_KNEES.get(limits.straight_knee or "", ()):
        bend = frame.angles[f"{side}_knee"]
        if bend > STRAIGHT_KNEE_BEND:
            raise FrameError(
                "limits.straight_knee",
                _("The words keep the %(side)s knee straight; it is bent %(bend)d degrees.")
                % {"side": side, "bend": round(bend)},
            )
    if limits.hands_short_of:
        target = body.parts[limits.hands_short_of]
        gap = min(_closest(body.parts[hand], target)[0] for hand in ("near_hand", "far_hand"))
        if gap < SHORT_OF:
            raise FrameError(
                "limits.hands_short_of",
                _(
                    "The hands come within %(cm)s cm of the %(part)s; the words say to stay "
                    "short of it."
                )
                % {"cm": _cm(max(gap, 0.0)), "part": _part_label(limits.hands_short_of)},
            )


def _solids_overlap(first, second) -> float:
    if isinstance(first, Box) and isinstance(second, Box):
        return min(
            min(first.right, second.right) - max(first.left, second.left),
            min(first.top, second.top) - max(first.bottom, second.bottom),
        )
    if isinstance(first, Disc):
        first, second = second, first
    return first.depth_of(second.centre, second.radius)


def _check_props_apart(props: list[PlacedProp]):
    for index, prop in enumerate(props):
        for other in props[index + 1 :]:
            depth = max(_solids_overlap(a, b) for a in prop.solids for b in other.solids)
            if depth > TOLERANCE:
                raise FrameError(
                    "props",
                    _("The %(prop)s is drawn through the %(other)s: move the body so they part.")
                    % {"prop": prop.kind, "other": other.kind},
                )


def _check_contacts_across(frame: Frame):
    """A part resting on another part must touch it in depth too: seen from the side a far
    hand lies on the near thigh, but with the arms a shoulder width apart it may not reach
    it, which a view from the front or above would show."""
    for index, contact in enumerate(frame.contacts):
        if not contact.on_body:
            continue
        gap = part_gap(frame.orientation, frame.angles, contact.part, contact.surface)
        if gap > BODY_TOLERANCE:
            raise FrameError(
                f"contacts.{index}",
                _(
                    "Seen from the front, %(part)s is %(cm)s cm to the side of the %(surface)s: "
                    "swing the arm across (shoulder adduction) or the leg in."
                )
                % {
                    "part": _part_label(contact.part),
                    "cm": _cm(gap),
                    "surface": _part_label(contact.surface),
                },
            )


def _check(frame: Frame, body: Body, placed: dict[str, PropPlacement], props: list[PlacedProp]):
    for index, (contact, gap) in enumerate(
        zip(frame.contacts, contact_gaps(frame, body, placed), strict=True)
    ):
        if contact.on_body:
            _gap, right_side = _body_gap(contact, body)
            if not right_side:
                raise FrameError(
                    f"contacts.{index}",
                    _("%(part)s is on the wrong side of the %(surface)s: put it at the %(where)s.")
                    % {
                        "part": _part_label(contact.part),
                        "surface": _part_label(contact.surface),
                        "where": contact.where,
                    },
                )
        if abs(gap) > contact_tolerance(contact):
            raise FrameError(
                f"contacts.{index}",
                (
                    _("%(part)s is %(cm)s cm away from the %(surface)s: change the pose.")
                    if gap > 0
                    else _("%(part)s goes %(cm)s cm into the %(surface)s: change the pose.")
                )
                % {
                    "part": _part_label(contact.part),
                    "cm": _cm(gap),
                    "surface": _part_label(contact.surface),
                },
            )
    _check_contacts_across(frame)
    _check_limits(frame, body)
    _check_props_apart(props)
    ground = _ground_top(frame)
    for name, capsule in body.parts.items():
        below = ground - capsule.lowest()
        if below > TOLERANCE:
            raise FrameError(
                "pose",
                _("%(part)s goes %(cm)s cm below the floor: change the pose or add a contact.")
                % {"part": name, "cm": _cm(below)},
            )
        for prop in props:
            if prop.blocks == "none" or (prop.blocks == "near" and name in FAR_PARTS):
                continue
            depth = max(
                solid.depth_of(point, radius)
                for solid in prop.solids
                for point, radius in capsule.samples()
            )
            if depth > TOLERANCE:
                raise FrameError(
                    "pose",
                    _("%(part)s goes %(cm)s cm into the %(prop)s: change the pose.")
                    % {"part": name, "cm": _cm(depth), "prop": prop.kind},
                )


@dataclass(frozen=True)
class Placement:
    """A frame solved: the body where it rests and the props around it."""

    frame: Frame
    body: Body
    props: dict[str, PropPlacement]
    solids: tuple[PlacedProp, ...]


def settle(frame: Frame) -> tuple[Body, dict[str, PropPlacement]]:
    """The body lowered onto its resting surface and the props placed by their contacts."""
    body = _settle(frame, pose_body(frame.orientation, frame.angles))
    return body, _place_props(frame, body)


def place(frame: Frame, *, check: bool = True) -> Placement:
    """Solves where the body and props go; raises FrameError if a contact or a prop fails.

    Drawing a frame that was checked when it was saved skips the checks (`check=False`): they
    cost more than the drawing."""
    body, placed = settle(frame)
    solids = [_solids(frame, placement) for placement in placed.values()]
    if check:
        _check(frame, body, placed, solids)
    return Placement(frame, body, placed, tuple(solids))


def drawable_frame(value) -> Frame:
    """One frame's data checked against the schema and drawn: what an editor's preview shows."""
    frame = parse_frame(value)
    place(frame)
    return frame


def drawable_frames(value) -> tuple[Frame, ...]:
    """The one validator for frame data: the schema, then whether each frame can be drawn,
    then whether the frames agree with each other."""
    frames = parse_frames(value)
    for index, frame in enumerate(frames):
        try:
            place(frame)
        except FrameError as error:
            raise error.within(index) from None
    check_sequence(movement_frames(frames))
    return frames


GROUND_SURFACES = ("floor", "mat")
FEET = ("near_foot", "far_foot")
# Props that stand on the floor: one chair or step does not move between frames. (A wall is
# the thing the body moves against.) A foam roller stays where it lies too: the body rolls
# over it, with the hands and feet where they were, and does not push it along with them.
FIXED_PROPS = ("chair", "step", "roller")


def _grounded(frame: Frame, part: str) -> bool:
    return any(c.part == part and c.surface in GROUND_SURFACES for c in frame.contacts)


def anchor_part(frames: tuple[Frame, ...]) -> str | None:
    """The part that rests on the ground in every frame: the frames are compared (and the
    movement is drawn) with it held still."""
    for part in ("pelvis", *FEET, "near_hand", "far_hand"):
        if frames and all(_grounded(frame, part) for frame in frames):
            return part
    return None


def _anchor_x(placement: "Placement", anchor: str | None) -> float:
    return placement.body.parts[anchor].lowest_point()[0] if anchor else 0.0


def fixed_wall(frames: tuple[Frame, ...]) -> str | None:
    """A wall or doorway the body rests against in every frame: it is drawn in the same place
    in each frame and the body moves, as it does for the patient."""
    for kind in ("wall", "doorway"):
        if len(frames) > 1 and all(
            any(contact.surface == kind for contact in frame.contacts) for frame in frames
        ):
            return kind
    return None


# Props the body rolls over: one stays where it lies, so the part resting on it in every
# frame is the part that moves (the hips rolling over a foam roller).
ROLLED_OVER = ("roller",)


def rolled_part(frames: tuple[Frame, ...]) -> tuple[str, str] | None:
    """The body part that rests on a prop it rolls over in every frame, and that prop: as
    with a wall, the frames are compared prop to prop and the arrow follows that part."""
    if len(frames) < 2:
        return None
    for kind in ROLLED_OVER:
        parts = [{c.part for c in frame.contacts if c.surface == kind} for frame in frames]
        common = set.intersection(*parts)
        if len(common) == 1:
            return common.pop(), kind
    return None


def _standing(frames: tuple[Frame, ...]) -> bool:
    return all(
        all(c.part in FEET for c in frame.contacts if c.surface in GROUND_SURFACES)
        and any(_grounded(frame, foot) for foot in FEET)
        for frame in frames
    )


def check_sequence(frames: tuple[Frame, ...]):
    """Rules between the frames of one exercise: a chair or step stays where it stands, and
    a standing exercise keeps the same standing leg, as bent as it was."""
    if not frames:
        return
    placements = [place(frame, check=False) for frame in frames]
    anchor = anchor_part(frames)
    standing = _standing(frames)
    if standing and len(frames) > 1 and anchor not in FEET:
        raise FrameError(
            f"{len(frames) - 1}.contacts",
            _("Keep the same foot on the floor in every frame: it is the standing leg."),
        )
    if standing:
        for foot in FEET:
            if not all(_grounded(frame, foot) for frame in frames):
                continue
            knee = foot.replace("foot", "knee")
            first = frames[0].angles[knee]
            for index, frame in enumerate(frames[1:], start=1):
                if abs(frame.angles[knee] - first) > 2:
                    raise FrameError(
                        f"{index}.pose.{knee}",
                        _(
                            "The standing leg changes: keep %(joint)s at %(angle)s degrees, as in "
                            "the first frame."
                        )
                        % {"joint": _part_label(knee), "angle": f"{first:g}"},
                    )
    first_seen: dict[str, tuple[float, float]] = {}
    for index, placement in enumerate(placements):
        origin = _anchor_x(placement, anchor)
        for kind in FIXED_PROPS:
            if kind not in placement.props:
                continue
            where = (placement.props[kind].x - origin, placement.props[kind].step_top)
            if kind not in first_seen:
                first_seen[kind] = where
                continue
            moved = math.dist(where, first_seen[kind])
            if moved > BODY_TOLERANCE:
                raise FrameError(
                    f"{index}.props",
                    _("The %(prop)s moves %(cm)s cm between frames: change the pose so it stays.")
                    % {"prop": kind, "cm": _cm(moved)},
                )


# What moves between the first and the last frame: each limb by its hand or foot, the
# trunk by the head. A limb that moves more than this is drawn darkest.
LIMBS = {
    "near_arm": ("near_upper_arm", "near_forearm", "near_hand"),
    "far_arm": ("far_upper_arm", "far_forearm", "far_hand"),
    "near_leg": ("near_thigh", "near_shank", "near_foot"),
    "far_leg": ("far_thigh", "far_shank", "far_foot"),
    "trunk": ("pelvis", "chest", "neck", "head"),
}
MOVING = 0.08
# A part rolling over a roller moves if it travels more than this (1.75 cm).
ROLLED_MOVING = 0.01


def _tip(body: Body, limb: str) -> Point:
    if limb == "hips":
        return body.parts["pelvis"].start
    last = body.parts[LIMBS[limb][-1]]
    return last.end


# An arm whose joints turn less than this in all is carried by the trunk, not moved itself.
ARM_CARRIED = 20.0


def _arm_follows(limb: str, first: Frame, last: Frame) -> bool:
    """Whether an arm only goes where the body takes it: its hand stays on the floor (a
    support, as in downward dog), or its joints hardly turn while the trunk leans (reaching
    along the legs in the sit-and-reach). Drawing such an arm darkest would mark the wrong
    limb as the movement."""
    if not limb.endswith("_arm"):
        return False
    side = limb.removesuffix("_arm")
    hand = f"{side}_hand"
    if _grounded(first, hand) and _grounded(last, hand):
        return True
    turned = sum(
        abs(last.angles[f"{side}_{joint}"] - first.angles[f"{side}_{joint}"])
        for joint in ("shoulder", "elbow", "wrist")
    )
    return turned < ARM_CARRIED


@lru_cache(maxsize=256)
def movement(frames: tuple[Frame, ...]) -> tuple[frozenset, tuple[Point, Point] | None]:
    """The limbs that move between the first and last frame, and the path of the one that
    moves most (in the last frame's coordinates), for the finish frame's arrow."""
    if len(frames) < 2:
        return frozenset(), None
    anchor = anchor_part((frames[0], frames[-1]))
    first, last = place(frames[0], check=False), place(frames[-1], check=False)
    shift = _anchor_x(last, anchor) - _anchor_x(first, anchor)
    paths = {}
    for limb in (*LIMBS, "hips"):
        start, end = _tip(first.body, limb), _tip(last.body, limb)
        paths[limb] = ((start[0] + shift, start[1]), end)
    moving = frozenset(
        limb
        for limb, (start, end) in paths.items()
        if math.dist(start, end) > MOVING and not _arm_follows(limb, frames[0], frames[-1])
    )
    limbs = frozenset(limb for limb in moving if limb in LIMBS and limb != "trunk")
    rolled = rolled_part(frames)
    if rolled:
        # The part on a roller moves over it however short its roll (a few centimetres is
        # the movement the steps ask for): whatever else shifts only follows it.
        part, kind = rolled
        start, end = first.body.parts[part].start, last.body.parts[part].start
        start = (start[0] + last.props[kind].x - first.props[kind].x, start[1])
        if math.dist(start, end) > ROLLED_MOVING:
            return limbs, (start, end)
    if not moving:
        return moving, None
    wall = fixed_wall(frames)
    if wall:
        # The body slides against a wall that stays put: the arrow shows the hips' slide
        # toward it, the frames compared wall to wall.
        start, end = _tip(first.body, "hips"), _tip(last.body, "hips")
        start = (start[0] + last.props[wall].x - first.props[wall].x, start[1])
        if math.dist(start, end) > MOVING:
            return limbs, (start, end)
    # When the body itself moves the arrow shows that, not the hands that follow it: the hips
    # when they rise or sink (bridge, downward dog), else the head for a forward lean;
    # otherwise the limb that moves most.
    candidates = (moving & {"hips"}) or (moving & {"trunk"}) or moving
    biggest = max(candidates, key=lambda limb: math.dist(*paths[limb]))
    return limbs, paths[biggest]


# A limb that ends within this of level (degrees) is a reach: "reach long, not high".
LEVEL_REACH = 15.0


def reach_heading(frames: tuple[Frame, ...]) -> Point | None:
    """Which way the arrow's head points when the limb it follows ends reaching level (the
    bird-dog's arm): along that limb, root to tip. Its tip's own path is an arc that ends
    climbing, and an arrow along it says "lift" where the words say "reach long"."""
    _moving, path = movement(frames)
    if not path:
        return None
    body = place(frames[-1], check=False).body
    for limb in ("near_arm", "far_arm", "near_leg", "far_leg"):
        first, *_rest, last = (body.parts[name] for name in LIMBS[limb])
        if last.end != path[1]:
            continue
        along = _unit((last.end[0] - first.start[0], last.end[1] - first.start[1]))
        if abs(math.degrees(math.asin(along[1]))) <= LEVEL_REACH:
            return along
    return None


def held_at_back(frames: tuple[Frame, ...]) -> str | None:
    """The body part whose back the hands hold from start to finish while only the arms
    move (the self massage working up the thigh): the arrow runs along that part's back."""
    if len(frames) < 2:
        return None
    moving, _path = movement(frames)
    if not moving or not all(limb.endswith("_arm") for limb in moving):
        return None
    held = {
        frozenset(
            c.surface for c in frame.contacts if c.part.endswith("_hand") and c.where == "back"
        )
        for frame in (frames[0], frames[-1])
    }
    parts = held.pop() if len(held) == 1 else frozenset()
    return next(iter(parts)) if len(parts) == 1 else None


# Shapes ------------------------------------------------------------------------------------


def _arc(centre: Point, radius: float, start: float, sweep: float) -> list[tuple]:
    """Cubic Bezier pieces of a circular arc (radians), each at most a quarter turn."""
    pieces = max(1, math.ceil(abs(sweep) / (math.pi / 2) - 1e-9))
    step = sweep / pieces
    handle = 4 / 3 * math.tan(step / 4) * radius
    commands = []
    for index in range(pieces):
        a0 = start + step * index
        a1 = a0 + step
        p0 = (centre[0] + radius * math.cos(a0), centre[1] + radius * math.sin(a0))
        p1 = (centre[0] + radius * math.cos(a1), centre[1] + radius * math.sin(a1))
        commands.append(
            (
                "C",
                p0[0] - handle * math.sin(a0),
                p0[1] + handle * math.cos(a0),
                p1[0] + handle * math.sin(a1),
                p1[1] - handle * math.cos(a1),
                p1[0],
                p1[1],
            )
        )
    return commands


def _circle(centre: Point, radius: float) -> tuple[tuple, ...]:
    start = (centre[0] + radius, centre[1])
    return (("M", *start), *_arc(centre, radius, 0.0, 2 * math.pi), ("Z",))


def capsule_outline(capsule: Capsule) -> tuple[tuple, ...]:
    """The hull of the capsule's two circles: two tangent lines and two arcs."""
    (x1, y1), r1 = capsule.start, capsule.start_radius
    (x2, y2), r2 = capsule.end, capsule.end_radius
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= abs(r1 - r2) + 1e-9:
        return _circle(capsule.start if r1 >= r2 else capsule.end, max(r1, r2))
    axis = math.atan2(y2 - y1, x2 - x1)
    spread = math.acos((r1 - r2) / length)
    upper = axis + spread
    lower = axis - spread
    return (
        ("M", x1 + r1 * math.cos(upper), y1 + r1 * math.sin(upper)),
        ("L", x2 + r2 * math.cos(upper), y2 + r2 * math.sin(upper)),
        *_arc((x2, y2), r2, upper, -2 * spread),
        ("L", x1 + r1 * math.cos(lower), y1 + r1 * math.sin(lower)),
        *_arc((x1, y1), r1, lower, -(2 * math.pi - 2 * spread)),
        ("Z",),
    )


def _rectangle(box: Box) -> tuple[tuple, ...]:
    return (
        ("M", box.left, box.bottom),
        ("L", box.right, box.bottom),
        ("L", box.right, box.top),
        ("L", box.left, box.top),
        ("Z",),
    )


def _body_paths(body: Body, moving: frozenset = frozenset()) -> list[Path]:
    darkest = {part for limb in moving for part in LIMBS[limb]}
    paths = []
    for name in FAR_PARTS:
        if name in darkest:
            paths.append(Path(capsule_outline(body.parts[name]), MOVING_FILL, NEAR_STROKE))
        else:
            paths.append(Path(capsule_outline(body.parts[name]), FAR_FILL, FAR_STROKE))
    # Pelvis, chest and neck read as one trunk: outlines (twice as wide, half of it is
    # covered) first, then the fills over them, so no seam shows at the waist.
    trunk = [capsule_outline(body.parts[name]) for name in ("pelvis", "chest", "neck")]
    paths += [Path(outline, None, NEAR_STROKE, "union") for outline in trunk]
    paths += [Path(outline, TRUNK_FILL, None) for outline in trunk]
    # A nose behind the head's outline shows which way the face looks.
    direction = math.radians(body.face_direction)
    nose = (
        body.face[0] + 0.058 * math.cos(direction - 0.35),
        body.face[1] + 0.058 * math.sin(direction - 0.35),
    )
    paths.append(Path(_circle(nose, 0.016), TRUNK_FILL, NEAR_STROKE))
    paths.append(Path(capsule_outline(body.parts["head"]), TRUNK_FILL, NEAR_STROKE))
    for name in NEAR_PARTS:
        fill = MOVING_FILL if name in darkest else NEAR_FILL
        paths.append(Path(capsule_outline(body.parts[name]), fill, NEAR_STROKE))
    return paths


def _strap_path(kind: str, body: Body, at: str) -> Path:
    """A strap, towel or band from the near hand's grip to the sole of the near foot."""
    grip, ball = strap_line(body, at)
    half = STRAP_WIDTH[kind] / 2
    return Path(capsule_outline(Capsule(grip, half, ball, half)), STRAP_FILL, NEAR_STROKE, "thin")


def _unit(vector: Point) -> Point:
    length = math.hypot(*vector) or 1.0
    return (vector[0] / length, vector[1] / length)


def _clinician_hand(
    part: Capsule, along: float, back: Point, reach_past: bool = False
) -> list[Path]:
    """A clinician's hand laid against one side of a part (`back`: the side's direction),
    `along` of the way down it, with the forearm reaching away from the leg (and, cupping a
    heel, out past the foot, where the clinician stands)."""
    hand_radius = THICKNESS["hand"][0]
    axis = _unit((part.end[0] - part.start[0], part.end[1] - part.start[1]))
    centre = (
        part.start[0] + (part.end[0] - part.start[0]) * along,
        part.start[1] + (part.end[1] - part.start[1]) * along,
    )
    radius = part.start_radius + (part.end_radius - part.start_radius) * along
    palm = (
        centre[0] + back[0] * (radius + hand_radius),
        centre[1] + back[1] * (radius + hand_radius),
    )
    half = HAND / 2
    hand = Capsule(
        (palm[0] - axis[0] * half, palm[1] - axis[1] * half),
        hand_radius,
        (palm[0] + axis[0] * half, palm[1] + axis[1] * half),
        THICKNESS["hand"][1],
    )
    wrist = hand.start
    away = _unit((back[0] + axis[0], back[1] + axis[1])) if reach_past else back
    elbow = (wrist[0] + away[0] * FOREARM, wrist[1] + away[1] * FOREARM)
    forearm = Capsule(elbow, THICKNESS["forearm"][0], wrist, THICKNESS["forearm"][1])
    return [
        Path(capsule_outline(forearm), CLINICIAN_FILL, NEAR_STROKE),
        Path(capsule_outline(hand), CLINICIAN_FILL, NEAR_STROKE),
    ]


def _clinician_paths(side: str, body: Body) -> list[Path]:
    """The clinician's hands on the patient's near leg: one cups the heel from behind, the
    other holds the back of the thigh (side "back") or the front of the knee (side "front"),
    so the leg reads as held, not lifted by the patient. The thigh hand cups the middle of
    the thigh, well apart from the heel hand, so with the knee bent the two forearms do not
    cross under the shin."""
    shank, thigh = body.parts["near_shank"], body.parts["near_thigh"]
    paths = _clinician_hand(shank, 0.95, _posterior("near_shank", shank), reach_past=True)
    thigh_back = _posterior("near_thigh", thigh)
    if side == "front":
        paths += _clinician_hand(thigh, 0.92, (-thigh_back[0], -thigh_back[1]))
    else:
        paths += _clinician_hand(thigh, 0.5, thigh_back)
    return paths


PROP_FILLS = {"roller": ROLLER_FILL, "ball": ROLLER_FILL, "wall": WALL_FILL, "doorway": WALL_FILL}


def _prop_paths(placement: Placement) -> tuple[list[Path], list[Path]]:
    """Props behind the body, and props drawn over it (straps and a clinician's hands)."""
    behind, over = [], []
    for prop in placement.solids:
        fill = PROP_FILLS.get(prop.kind, PROP_FILL)
        for solid in prop.solids:
            commands = (
                _rectangle(solid) if isinstance(solid, Box) else _circle(solid.centre, solid.radius)
            )
            behind.append(Path(commands, fill, PROP_STROKE, "prop"))
    for frame_prop in placement.frame.props:
        if frame_prop.kind in STRAP_WIDTH:
            over.append(_strap_path(frame_prop.kind, placement.body, frame_prop.at))
        if frame_prop.kind == "clinician":
            over += _clinician_paths(frame_prop.side, placement.body)
    return behind, over


def _covered(point: Point, body: Body, clearance: float) -> bool:
    """Whether a point lies on a body part or within `clearance` of one."""
    return any(
        _segment_distance(point, part.start, part.end)
        < max(part.start_radius, part.end_radius) + clearance
        for part in body.parts.values()
    )


def _arrow_shape(
    start: Point, end: Point, normal: Point, lift: float, heading: Point | None = None
):
    """The arrow's curve (start, two controls, end of the line), its head and sample points.
    `heading`: the way the head points (else along a curve bowed to `normal`)."""
    a = (start[0] + normal[0] * lift, start[1] + normal[1] * lift)
    b = (end[0] + normal[0] * lift, end[1] + normal[1] * lift)
    bow = 0.25 * math.dist(a, b)
    control = (
        (a[0] + b[0]) / 2 + normal[0] * bow,
        (a[1] + b[1]) / 2 + normal[1] * bow,
    )
    if heading:
        reach = 0.5 * math.dist(a, b)
        control = (b[0] - heading[0] * reach, b[1] - heading[1] * reach)
    # A quadratic curve written as a cubic; the head points along the curve's last tangent.
    c1 = (a[0] + 2 / 3 * (control[0] - a[0]), a[1] + 2 / 3 * (control[1] - a[1]))
    c2 = (b[0] + 2 / 3 * (control[0] - b[0]), b[1] + 2 / 3 * (control[1] - b[1]))
    tangent = _unit((b[0] - control[0], b[1] - control[1]))
    side = (-tangent[1], tangent[0])
    head, width = 0.045, 0.022
    base = (b[0] - tangent[0] * head, b[1] - tangent[1] * head)
    line_end = (b[0] - tangent[0] * head * 0.6, b[1] - tangent[1] * head * 0.6)
    corners = (
        (base[0] + side[0] * width, base[1] + side[1] * width),
        (base[0] - side[0] * width, base[1] - side[1] * width),
    )
    samples = [
        (
            (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * control[0] + t * t * b[0],
            (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * control[1] + t * t * b[1],
        )
        for t in (index / 16 for index in range(17))
    ]
    return (a, c1, c2, line_end), (b, *corners), [*samples, *corners]


# The shortest arrow drawn (its head is 0.045 long), and the shortest path that has a
# direction to draw at all; units of body height.
SHORTEST_ARROW = 0.08
SHORTEST_PATH = 0.001


def _arrow_paths(
    start: Point,
    end: Point,
    body: Body,
    above: bool = False,
    held: str | None = None,
    heading: Point | None = None,
) -> list[Path]:
    """A curved arrow beside the moving part, from where it started to where it ends, bowed
    away from the body. It is moved out (either side, further each try) until it crosses no
    body part and stays above the floor, so it never hides a limb or dips under the floor
    line. `above`: the hips slide along the floor, so the arrow runs above the lying body,
    stopping short of the raised thigh. `held`: the hands slide along the back of this part,
    so the arrow hugs that surface (under a seated thigh, not out in the air or under the
    seat). `heading`: the way the head points (a level reach)."""
    if math.dist(start, end) < SHORTEST_PATH:
        return []  # no direction to point in
    hip = body.parts["pelvis"].start
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    along = _unit((end[0] - start[0], end[1] - start[1]))
    if math.dist(start, end) < SHORTEST_ARROW:
        # A short move (a few centimetres of roll) is drawn as the shortest arrow that reads,
        # centred where the part moved: its head alone is longer than the move.
        half = SHORTEST_ARROW / 2
        start = (middle[0] - along[0] * half, middle[1] - along[1] * half)
        end = (middle[0] + along[0] * half, middle[1] + along[1] * half)
    normal = (-along[1], along[0])
    if (middle[0] - hip[0]) * normal[0] + (middle[1] - hip[1]) * normal[1] < 0:
        normal = (-normal[0], -normal[1])
    if held:
        return _arrow_along_back(start, end, body.parts[held], _posterior(held, body.parts[held]))
    if above:
        normal = (0.0, 1.0)
        end = (end[0] - along[0] * 0.05, end[1])
    # A path that starts on the floor (a hand leaving the mat) may start a little way along;
    # one that ends inside the body (the hips rising) is moved on past it, or failing that
    # stops short of it.
    late = (start[0] + (end[0] - start[0]) * 0.3, start[1] + (end[1] - start[1]) * 0.3)

    def moved(point: Point, distance: float) -> Point:
        return (point[0] + along[0] * distance, point[1] + along[1] * distance)

    tries = [
        (begin, moved(end, ahead), sign_normal, lift, heading)
        for begin, ahead in [
            (start, 0.0),
            (late, 0.0),
            *((moved(start, shift), shift) for shift in (0.12, 0.16, 0.2, 0.25)),
            *((start, -short) for short in (0.05, 0.08)),
        ]
        if math.dist(begin, moved(end, ahead)) > 0.065
        for lift in (0.06, 0.09, 0.12, 0.15, 0.19, 0.24, 0.0)
        for sign_normal in (normal, (-normal[0], -normal[1]))
    ]
    if above:
        tries = [(start, end, normal, 0.13, None)]
    shapes = [_arrow_shape(*attempt) for attempt in tries]
    line, head, _samples = next(
        (
            shape
            for shape in shapes
            if all(y > ARROW_ABOVE_FLOOR and not _covered((x, y), body, 0.008) for x, y in shape[2])
        ),
        shapes[0],
    )
    return _arrow(line, head)


def _arrow(line, head, colour: str = ARROW_COLOUR, weight: str = "arrow") -> list[Path]:
    a, c1, c2, line_end = line
    return [
        Path((("M", *a), ("C", *c1, *c2, *line_end)), None, colour, weight),
        Path(
            (("M", *head[0]), ("L", *head[1]), ("L", *head[2]), ("Z",)),
            colour,
            colour,
            "thin" if weight == "arrow" else weight,
        ),
    ]


# How far along a held part (from its root) an arrow on its back ends.
ARROW_TOWARD_ROOT = 0.25


def _arrow_along_back(start: Point, end: Point, part: Capsule, back: Point) -> list[Path]:
    """An arrow on the back half of a part, from where the fingertips started, past where
    they are, on toward the part's root (up the thigh toward the buttock, as the words go on):
    there is no room beside a seated thigh's back (the seat, the shin, the hands), so it is
    drawn over the part, edged in white to stand out on the dark limb."""
    axis = (part.end[0] - part.start[0], part.end[1] - part.start[1])
    length2 = axis[0] ** 2 + axis[1] ** 2

    def along(point: Point) -> float:
        return (
            (point[0] - part.start[0]) * axis[0] + (point[1] - part.start[1]) * axis[1]
        ) / length2

    def on_back(t: float) -> Point:
        radius = part.start_radius + (part.end_radius - part.start_radius) * t
        return (
            part.start[0] + axis[0] * t + back[0] * radius * 0.35,
            part.start[1] + axis[1] * t + back[1] * radius * 0.35,
        )

    first, last = min(along(start), 0.9), min(along(end), ARROW_TOWARD_ROOT)
    line, head, _samples = _arrow_shape(on_back(first), on_back(last), back, 0.0)
    return _arrow(line, head, "#ffffff", "halo") + _arrow(line, head)


# How long the arrow over a part rolling on a roller is: from the buttock onto the thigh.
ROLL_ARROW = 0.12


def _arrow_over_rolled(start: Point, end: Point, joint: Point) -> list[Path]:
    """The roll drawn where it happens: an arrow along the floor toward where the part went,
    centred on its joint (the hip, over the buttock and the top of the thigh), edged in white
    to stand out on the limb. The joint's own path is a few centimetres and dips as the
    roller comes up the buttock; what the patient does is move along the floor over it."""
    toward = math.copysign(ROLL_ARROW / 2, end[0] - start[0])
    line, head, _samples = _arrow_shape(
        (joint[0] - toward, joint[1]), (joint[0] + toward, joint[1]), (0.0, 1.0), 0.0
    )
    return _arrow(line, head, "#ffffff", "halo") + _arrow(line, head)


def _bounds(paths: list[Path]) -> tuple[float, float, float, float]:
    xs = [value for path in paths for command in path.commands for value in command[1::2]]
    ys = [value for path in paths for command in path.commands for value in command[2::2]]
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=512)
def _scene(frame: Frame, frames: tuple[Frame, ...]) -> Scene:
    placement = place(frame, check=False)
    ground = _ground_top(frame)
    behind, over = _prop_paths(placement)
    moving, path = movement(frames) if frame in frames else (frozenset(), None)
    body = _body_paths(placement.body, moving)
    if path and len(frames) > 1 and frame == frames[-1]:
        rolled = rolled_part(frames)
        if rolled:
            over += _arrow_over_rolled(*path, placement.body.parts[rolled[0]].start)
        else:
            over += _arrow_paths(
                *path,
                placement.body,
                above=bool(fixed_wall(frames)),
                held=held_at_back(frames),
                heading=reach_heading(frames),
            )
    left, _bottom, right, top = _bounds([*behind, *body, *over])
    wall = fixed_wall(frames) if frame in frames else None
    if wall:
        # Every frame spans the same stretch either side of the wall, so the wall stands at
        # the same place in each frame and the body is seen to move.
        here = placement.props[wall].x
        for other in frames:
            other_placement = place(other, check=False)
            other_left, _b, other_right, _t = _bounds(
                [*_prop_paths(other_placement)[0], *_body_paths(other_placement.body)]
            )
            there = other_placement.props[wall].x
            left = min(left, other_left - there + here)
            right = max(right, other_right - there + here)
    left, right = left - MARGIN, right + MARGIN
    floor = []
    if frame.has("mat"):
        floor.append(
            Path(
                _rectangle(Box(left + MARGIN / 2, 0.0, right - MARGIN / 2, ground)),
                MAT_FILL,
                PROP_STROKE,
                "thin",
            )
        )
    floor.append(Path((("M", left, 0.0), ("L", right, 0.0)), None, "#555555"))
    return Scene(
        paths=tuple(behind + floor + body + over),
        left=left,
        bottom=-MARGIN / 2,
        right=right,
        top=top + MARGIN / 2,
    )


# Other views ------------------------------------------------------------------------------

# How far each prop reaches across the body (z, toward the near side), units of H. The side
# view does not show it; a view from above or the front does. A doorway's wall stands only
# beside the raised near leg, its edge between the legs, so the far leg lies through the
# opening; a ball goes under the near buttock, the one the side view shows on it.
PROP_ACROSS = {
    "mat": (-0.18, 0.18),
    "step": (-0.17, 0.17),
    "chair": (-0.13, 0.13),
    "wall": (-0.4, 0.4),
    "doorway": (0.02, 0.4),
    "roller": (-0.2, 0.2),
    "ball": (HIP_WIDTH / 2, HIP_WIDTH / 2),
}
BESIDE_ACROSS = 0.32  # a chair held beside the body stands this far to the near side


def _across(prop: PlacedProp, side: str) -> tuple[float, float]:
    low, high = PROP_ACROSS[prop.kind]
    if side.startswith("beside"):
        return low + BESIDE_ACROSS, high + BESIDE_ACROSS
    return low, high


def _view_box(view: str, box: Box, across: tuple[float, float]) -> Box:
    """A side-view box as a block `across` the body, seen from `view`."""
    corners = [
        project((x, y, z), view)
        for x in (box.left, box.right)
        for y in (box.bottom, box.top)
        for z in across
    ]
    xs, ys = [x for x, _y in corners], [y for _x, y in corners]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _highlight(box: Box) -> tuple[tuple, ...]:
    """A cylinder's lit band, seen across its length: a third of its height, above the
    middle, as light falling from above picks it out."""
    height = box.top - box.bottom
    return _rectangle(
        Box(box.left, box.bottom + height * 0.5, box.right, box.bottom + height * 0.8)
    )


def _view_prop_paths(placement: Placement, view: str) -> list[Path]:
    """Props seen from above, the front or behind: a block for each box, a roller as the
    cylinder it is (a band across the body with a lit band along it), a ball as a ball."""
    paths = []
    sides = {prop.kind: prop.side for prop in placement.frame.props}
    for prop in placement.solids:
        fill = PROP_FILLS.get(prop.kind, PROP_FILL)
        across = _across(prop, sides.get(prop.kind, "front"))
        for solid in prop.solids:
            if isinstance(solid, Disc) and prop.kind == "ball":
                (x, y), z = solid.centre, across[0]
                centre = project((x, y, z), view)
                commands = _circle(centre, solid.radius)
            else:
                if isinstance(solid, Disc):
                    (x, y), radius = solid.centre, solid.radius
                    solid = Box(x - radius, y - radius, x + radius, y + radius)
                box = _view_box(view, solid, across)
                commands = _rectangle(box)
                if prop.kind == "roller":
                    # Fill, lit band, then the outline over both.
                    paths.append(Path(commands, fill, None))
                    paths.append(Path(_highlight(box), ROLLER_HIGHLIGHT, None))
                    paths.append(Path(commands, None, PROP_STROKE, "prop"))
                    continue
            paths.append(Path(commands, fill, PROP_STROKE, "prop"))
    return paths


def _view_paths(body: Body, moving: frozenset, props: list[Path], view: str) -> list[Path]:
    """The body seen from another view, with its props: parts nearest the viewer drawn last;
    each limb in its side view's shade (near dark, far light, the moving limb darkest), so the
    reader finds the same leg in both pictures; the trunk as a band from the hips to the
    shoulders. Props are drawn under the body, except from behind: there the legs reach
    forward beyond whatever the body sits on, so a roller or chair hides them."""
    darkest = {part for limb in moving for part in LIMBS[limb]}
    # The trunk as the hull of a band across the hips, one across the shoulders and the
    # quadrilateral between them: outlines first (twice as wide, half covered), then fills,
    # so it reads as one shape even when it stands upright under the viewer.
    radius = THICKNESS["chest"][0]
    hips = (body.parts["near_thigh"].start, body.parts["far_thigh"].start)
    shoulders = (body.parts["near_upper_arm"].start, body.parts["far_upper_arm"].start)
    outlines = [
        capsule_outline(Capsule(hips[0], radius, hips[1], radius)),
        capsule_outline(Capsule(shoulders[0], radius, shoulders[1], radius)),
        (("M", *hips[0]), ("L", *hips[1]), ("L", *shoulders[1]), ("L", *shoulders[0]), ("Z",)),
    ]
    torso = [Path(outline, None, NEAR_STROKE, "union") for outline in outlines]
    torso += [Path(outline, TRUNK_FILL, None) for outline in outlines]
    trunk_depth = body.depths["chest"]
    legs = {part for limb in ("near_leg", "far_leg") for part in LIMBS[limb]}
    paths = [] if view == "behind" else list(props)
    props_drawn = view != "behind"
    torso_drawn = False
    # The band from the hips to the shoulders is the pelvis and chest seen from these sides;
    # their side-view capsules on the midline would only add a bump under a pelvis tipped
    # onto one buttock and an outline down the back (read as a backpack). The neck goes
    # under the head, which hides its top from in front and from behind alike.
    depths = {**body.depths, "neck": min(body.depths["neck"], body.depths["head"])}
    for name in sorted(
        (part for part in PARTS if part not in ("pelvis", "chest")), key=lambda part: depths[part]
    ):
        if not props_drawn and name not in legs:
            paths += props
            props_drawn = True
        if not torso_drawn and body.depths[name] >= trunk_depth:
            paths += torso
            torso_drawn = True
        if name in darkest:
            fill, stroke = MOVING_FILL, NEAR_STROKE
        elif name in FAR_PARTS:
            fill, stroke = FAR_FILL, FAR_STROKE
        elif name in NEAR_PARTS:
            fill, stroke = NEAR_FILL, NEAR_STROKE
        else:
            fill, stroke = TRUNK_FILL, NEAR_STROKE
        paths.append(Path(capsule_outline(body.parts[name]), fill, stroke))
    return paths


@lru_cache(maxsize=256)
def _view_scene(frame: Frame, frames: tuple[Frame, ...], view: str) -> Scene:
    placement = place(frame, check=False)
    # The side view's solver placed the body; the other view moves it the same way.
    side_body = pose_body(frame.orientation, frame.angles)
    dx = placement.body.parts["pelvis"].start[0] - side_body.parts["pelvis"].start[0]
    dy = placement.body.parts["pelvis"].start[1] - side_body.parts["pelvis"].start[1]
    body = pose_body(frame.orientation, frame.angles, view)
    offset = project((dx, dy, 0.0), view)
    body = body.moved(*offset)
    moving = movement(frames)[0] if frame in frames else frozenset()
    drawn = _view_paths(body, moving, _view_prop_paths(placement, view), view)
    left, bottom, right, top = _bounds(drawn)
    left, right = left - MARGIN, right + MARGIN
    floor = []
    if view != "above":
        bottom = 0.0
        floor.append(Path((("M", left, 0.0), ("L", right, 0.0)), None, "#555555"))
    return Scene(
        paths=tuple(floor + drawn),
        left=left,
        bottom=bottom - MARGIN / 2,
        right=right,
        top=top + MARGIN / 2,
    )


def movement_frames(frames: tuple[Frame, ...]) -> tuple[Frame, ...]:
    """The frames that show the movement, start to finish: all but the options."""
    return tuple(frame for frame in frames if not frame.option)


def scene_for(
    frame: Frame, frames: tuple[Frame, ...] = (), view: str = "side", mirrored: bool = False
) -> Scene:
    """The frame's picture; computed once per process for each distinct frame. Given the
    exercise's frames, the moving limb is drawn darkest and the last frame carries an arrow
    showing the movement (an option frame shows neither). `view`: "side", or one of the
    frame's other views. `mirrored`: the picture reflected left-right (see `mirror`)."""
    if mirrored:
        return _mirrored_scene(frame, movement_frames(frames), view)
    if view != "side":
        return _view_scene(frame, movement_frames(frames), view)
    return _scene(frame, movement_frames(frames))


@lru_cache(maxsize=256)
def _mirrored_scene(frame: Frame, frames: tuple[Frame, ...], view: str) -> Scene:
    return mirror(scene_for(frame, frames, view))


def mirror(scene: Scene) -> Scene:
    """The picture reflected left-right, in the same bounds. A side view seen in a mirror is
    the same pose seen from the body's other side: the near limbs, drawn dark and over the
    rest, are then its left limbs (the figure faces the other way). A view from above or the
    front reflects the same way, so it still matches its side view."""

    def reflected(command: tuple) -> tuple:
        letter, *values = command
        return (
            letter,
            *(
                scene.left + scene.right - value if index % 2 == 0 else value
                for index, value in enumerate(values)
            ),
        )

    return dataclasses.replace(
        scene,
        paths=tuple(
            dataclasses.replace(path, commands=tuple(reflected(c) for c in path.commands))
            for path in scene.paths
        ),
    )


# Props that act on one side: a strap, towel or band round the near foot, the clinician's
# hands on the near leg, a ball under the near buttock.
ONE_SIDED_PROPS = (*STRAP_KINDS, "clinician", "ball")


def _other_side(name: str) -> str:
    if name.startswith("near_"):
        return "far_" + name.removeprefix("near_")
    if name.startswith("far_"):
        return "near_" + name.removeprefix("far_")
    return name


def shows_one_side(frames: tuple[Frame, ...]) -> bool:
    """Whether the pictures show one side of the body working (the near one, the body's
    right): a frame whose near and far limbs are posed or placed differently, or holds a
    prop that acts on the near side. Pictures of both sides alike (a bridge, a plank) show no
    side."""
    for frame in frames:
        angles = frame.angles
        if any(angle != angles.get(_other_side(joint), angle) for joint, angle in frame.pose):
            return True
        contacts = {(c.part, c.surface, c.where) for c in frame.contacts}
        swapped = {(_other_side(c.part), _other_side(c.surface), c.where) for c in frame.contacts}
        if contacts != swapped or any(prop.kind in ONE_SIDED_PROPS for prop in frame.props):
            return True
    return False


@dataclass(frozen=True)
class View:
    """One extra drawing of an exercise: a frame seen from another side."""

    frame: Frame
    view: str


def exercise_views(frames: tuple[Frame, ...]) -> tuple[View, ...]:
    """The drawings an exercise shows besides its side-view frames, in frame order: each
    frame's declared views (e.g. the hurdler's start seen from above), printed directly
    under that frame."""
    return tuple(View(frame, view) for frame in frames for view in frame.views)


def forget_scenes() -> None:
    """Empties the scenes and movements computed so far, as in a freshly started process."""
    _scene.cache_clear()
    _view_scene.cache_clear()
    _mirrored_scene.cache_clear()
    movement.cache_clear()
