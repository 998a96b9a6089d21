"""Frame -> Scene: the body placed on its supports, the props placed against it, and the
picture as plain filled paths. Knows nothing of SVG or PDF; the adapters only translate.

The body's pose is fixed by the frame; the solver only moves it. Resting contacts (floor,
mat) set its height; every other prop is placed by its first contact (a step's top under the
heel, a wall against the calf, a roller under the buttock). Every other contact must then hold
within TOLERANCE, and no body part may go below the floor or into a prop.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from exercises.illustrations.body import (
    FAR_PARTS,
    NEAR_PARTS,
    PARTS,
    Body,
    Capsule,
    Point,
    pose_body,
)
from exercises.illustrations.frames import (
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

# Prop sizes in units of body height (about 1.75 m).
MAT_THICKNESS = 0.008
STEP_WIDTH = 0.17
CHAIR_SEAT_HEIGHT = 0.22
CHAIR_SEAT_DEPTH = 0.24
CHAIR_SEAT_THICKNESS = 0.022
CHAIR_BACK_HEIGHT = 0.26
CHAIR_LEG = 0.018
WALL_THICKNESS = 0.035
WALL_HEIGHT = 0.8  # above a raised leg, not a whole wall: the picture stays compact
BALL_RADIUS = 0.019  # a tennis ball
ROLLER_RADIUS = 0.043  # a 15 cm foam roller
STRAP_WIDTH = {"strap": 0.009, "towel": 0.016, "band": 0.006}
MARGIN = 0.04

# Greys that print well in black and white.
NEAR_FILL, NEAR_STROKE = "#3a3a3a", "#000000"
TRUNK_FILL = "#5c5c5c"
FAR_FILL, FAR_STROKE = "#bcbcbc", "#6e6e6e"
PROP_FILL, PROP_STROKE = "#ececec", "#8c8c8c"
MAT_FILL = "#cfcfcf"
STRAP_FILL = "#7a7a7a"


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

    `line` names a stroke weight ("outline", "thin", or "union": an outline drawn twice as
    wide under fills that cover half of it) that each adapter draws the same at every
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
    blocks = "none" if placement.side == "beside" else "all"
    if placement.kind == "step":
        top = placement.step_top
        return PlacedProp(
            "step", (Box(x - STEP_WIDTH / 2, ground, x + STEP_WIDTH / 2, top),), blocks
        )
    if placement.kind == "chair":
        seat, back = CHAIR_SEAT_HEIGHT, CHAIR_SEAT_HEIGHT + CHAIR_BACK_HEIGHT
        front = x + CHAIR_SEAT_DEPTH
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
        left = x if placement.side == "front" else x - WALL_THICKNESS
        return PlacedProp(
            placement.kind,
            (Box(left, ground, left + WALL_THICKNESS, WALL_HEIGHT),),
            blocks="near" if placement.kind == "doorway" else "all",
        )
    radius = BALL_RADIUS if placement.kind == "ball" else ROLLER_RADIUS
    return PlacedProp(placement.kind, (Disc((x, ground + radius), radius),), blocks)


def contact_gaps(frame: Frame, body: Body, placed: dict[str, PropPlacement]) -> list[float]:
    """Per contact, how far the part is from its surface (negative: into it)."""
    gaps = []
    for contact in frame.contacts:
        kind = SURFACE_PROP.get(contact.surface)
        side = placed[kind].side if kind else "front"
        gap = _reach(body.parts[contact.part], contact.surface, side) - _surface_of(
            placed, contact, frame
        )
        gaps.append(-gap if contact.surface in ("wall", "doorway") and side == "front" else gap)
    return gaps


def _check(frame: Frame, body: Body, placed: dict[str, PropPlacement], props: list[PlacedProp]):
    for index, (contact, gap) in enumerate(
        zip(frame.contacts, contact_gaps(frame, body, placed), strict=True)
    ):
        if abs(gap) > TOLERANCE:
            raise FrameError(
                f"contacts.{index}",
                (
                    _("%(part)s is %(cm)s cm away from the %(surface)s: change the pose.")
                    if gap > 0
                    else _("%(part)s goes %(cm)s cm into the %(surface)s: change the pose.")
                )
                % {
                    "part": contact.part,
                    "cm": _cm(gap),
                    "surface": contact.surface.replace("_", " "),
                },
            )
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
    """The one validator for frame data: the schema, then whether each frame can be drawn."""
    frames = parse_frames(value)
    for index, frame in enumerate(frames):
        try:
            place(frame)
        except FrameError as error:
            raise error.within(index) from None
    return frames


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


def _body_paths(body: Body) -> list[Path]:
    paths = []
    for name in FAR_PARTS:
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
        paths.append(Path(capsule_outline(body.parts[name]), NEAR_FILL, NEAR_STROKE))
    return paths


def _strap_path(kind: str, body: Body) -> Path:
    """A strap, towel or band from the near hand's grip to the ball of the near foot."""
    hand = body.parts["near_hand"]
    grip = ((hand.start[0] + hand.end[0]) / 2, (hand.start[1] + hand.end[1]) / 2)
    foot = body.parts["near_foot"]
    length = math.hypot(foot.end[0] - foot.start[0], foot.end[1] - foot.start[1])
    along = ((foot.end[0] - foot.start[0]) / length, (foot.end[1] - foot.start[1]) / length)
    # The sole side of the toe circle, a little behind it: where a strap hooks under the foot.
    ball = (
        foot.end[0] + foot.end_radius * along[1] - 0.015 * along[0],
        foot.end[1] - foot.end_radius * along[0] - 0.015 * along[1],
    )
    half = STRAP_WIDTH[kind] / 2
    return Path(capsule_outline(Capsule(grip, half, ball, half)), STRAP_FILL, NEAR_STROKE, "thin")


def _prop_paths(placement: Placement) -> tuple[list[Path], list[Path]]:
    """Props behind the body, and props drawn over it (straps held in the hands)."""
    behind, over = [], []
    for prop in placement.solids:
        for solid in prop.solids:
            commands = (
                _rectangle(solid) if isinstance(solid, Box) else _circle(solid.centre, solid.radius)
            )
            behind.append(Path(commands, PROP_FILL, PROP_STROKE, "thin"))
    for prop in placement.frame.props:
        if prop.kind in STRAP_WIDTH:
            over.append(_strap_path(prop.kind, placement.body))
    return behind, over


def _bounds(paths: list[Path]) -> tuple[float, float, float, float]:
    xs = [value for path in paths for command in path.commands for value in command[1::2]]
    ys = [value for path in paths for command in path.commands for value in command[2::2]]
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=512)
def _scene(frame: Frame) -> Scene:
    placement = place(frame, check=False)
    ground = _ground_top(frame)
    behind, over = _prop_paths(placement)
    body = _body_paths(placement.body)
    left, _bottom, right, top = _bounds([*behind, *body, *over])
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


def scene_for(frame: Frame) -> Scene:
    """The frame's picture; computed once per process for each distinct frame."""
    return _scene(frame)
