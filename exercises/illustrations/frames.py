"""The frame schema: one picture of an exercise as data (pose, props, contacts, alt text).

`parse_frames` is the one validator: the loader, the API and the admin all call it, and its
errors name the field that is wrong (`1.pose.near_knee`, `0.contacts.2.surface`).
"""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from exercises.illustrations.body import JOINTS, ORIENTATION_RANGE, PARTS, joint_range

MAX_FRAMES = 4
MAX_PROPS = 8
MAX_CONTACTS = 10
MAX_ALT_TEXT = 300
FRAME_NAME = re.compile(r"^[a-z][a-z0-9-]{0,19}$")

# Where a strap, towel or band goes round the near foot.
STRAP_KINDS = ("strap", "towel", "band")
STRAP_PLACES = ("ball", "mid-foot")

# Props an exercise can use. The floor is always there.
PROP_KINDS = (
    "mat",
    "wall",
    "doorway",
    "step",
    "chair",
    "strap",
    "towel",
    "band",
    "ball",
    "roller",
    # The clinician's hands holding the near leg in a passive test: side "back" holds the
    # heel and the back of the thigh above the knee, "front" the heel and the front of the knee.
    "clinician",
)
# What a body part can rest on, and the prop each surface needs.
SURFACES = {
    "floor": None,
    "mat": "mat",
    "step": "step",
    "chair_seat": "chair",
    "chair_back": "chair",
    "wall": "wall",
    "doorway": "doorway",
    "ball": "ball",
    "roller": "roller",
    # A hand holding the strap or towel: it must lie on the strap's line.
    "strap": "strap",
    "towel": "towel",
    "band": "band",
}
# A hand (or foot) can also rest on a body part, e.g. hands behind the thigh, or the sole
# against the inside of the other thigh; `where` says which side of that part.
BODY_SURFACES = tuple(PARTS)
WHERE = ("any", "front", "back")
# "beside-reversed": a chair beside the body turned the other way, its seat behind the
# backrest (so it stays clear of a step in front).
SIDES_OF_BODY = ("front", "back", "beside", "beside-reversed")
# What the words limit at a frame: how far the chest leans from upright (degrees), a part
# the fingertips must stay short of ("Do not try to touch your toes"), and which knee the
# words keep straight ("Your knee stays straight": near, far or both).
LIMITS = ("max_lean", "hands_short_of", "straight_knee")
STRAIGHT_KNEES = {"near": ("near",), "far": ("far",), "both": ("near", "far")}
# Other views a frame is also drawn from, where the side view hides what matters (a knee out
# to the side, hands behind a thigh): the same pose seen from above or from the front.
EXTRA_VIEWS = ("above", "front", "behind")
# What a frame that is not a step of the movement offers: an easier way, or another way.
OPTIONS = ("easier", "other")


class FrameError(ValueError):
    """A frame that cannot be drawn; `path` names the field, e.g. `pose.near_knee`."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message

    def for_people(self, frames) -> str:
        """The message led by the frame's name ("start: near knee must be ..."), for the
        admin, which shows it beside the frames rather than as a data path."""
        index, _dot, _rest = self.path.partition(".")
        if index.isdigit() and isinstance(frames, list) and int(index) < len(frames):
            entry = frames[int(index)]
            name = entry.get("name") if isinstance(entry, dict) else None
            return f"{name or int(index) + 1}: {self.message}"
        return self.message

    def within(self, prefix) -> "FrameError":
        return FrameError(f"{prefix}.{self.path}" if self.path else str(prefix), self.message)


@dataclass(frozen=True)
class Prop:
    kind: str
    # front/back: a wall or doorway in front of or behind the part that touches it;
    # beside: a chair or step next to the body (held, not in the way of any part).
    side: str = "front"
    # A strap, towel or band: round the ball of the foot (a straight leg, the ankle pulled up
    # too) or the middle of the foot (a bent knee being straightened).
    at: str = "ball"


@dataclass(frozen=True)
class Contact:
    part: str
    surface: str
    where: str = "any"

    @property
    def on_body(self) -> bool:
        return self.surface in BODY_SURFACES


@dataclass(frozen=True)
class Limits:
    max_lean: float | None = None
    hands_short_of: str | None = None
    straight_knee: str | None = None


@dataclass(frozen=True)
class Frame:
    name: str
    alt_text: str
    orientation: float
    pose: tuple[tuple[str, float], ...]  # every joint, in JOINTS order
    props: tuple[Prop, ...]
    contacts: tuple[Contact, ...]
    limits: Limits = Limits()
    views: tuple[str, ...] = ()
    # Another way to do the exercise that the words offer, not a step of its movement, drawn
    # after the others: "easier" ("Too hard? Rest your knees on the mat.") or "other" (a ball
    # instead of a foam roller). Empty: a step of the movement.
    option: str = ""

    @property
    def angles(self) -> dict[str, float]:
        return dict(self.pose)

    def has(self, kind: str) -> bool:
        return any(prop.kind == kind for prop in self.props)

    def to_dict(self) -> dict:
        """The canonical data: what is stored, snapshotted and hashed."""
        return {
            "name": self.name,
            "alt_text": self.alt_text,
            "orientation": self.orientation,
            "pose": {joint: angle for joint, angle in self.pose if angle != 0},
            "props": [
                {
                    "kind": prop.kind,
                    **({"side": prop.side} if prop.side != "front" else {}),
                    **({"at": prop.at} if prop.at != "ball" else {}),
                }
                for prop in self.props
            ],
            "contacts": [
                {
                    "part": contact.part,
                    "surface": contact.surface,
                    **({"where": contact.where} if contact.where != "any" else {}),
                }
                for contact in self.contacts
            ],
            # Only written when set, so frames stored before limits existed hash the same.
            **(
                {
                    "limits": {
                        key: value
                        for key, value in (
                            ("max_lean", self.limits.max_lean),
                            ("hands_short_of", self.limits.hands_short_of),
                            ("straight_knee", self.limits.straight_knee),
                        )
                        if value is not None
                    }
                }
                if self.limits != Limits()
                else {}
            ),
            # Likewise only when set: frames frozen before views existed keep their hash.
            **({"views": list(self.views)} if self.views else {}),
            **({"option": self.option} if self.option else {}),
        }


def _number(value, path: str, minimum: float, maximum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FrameError(path, _("Enter a number of degrees."))
    if not minimum <= value <= maximum:
        raise FrameError(
            path,
            _("%(name)s must be between %(minimum)s and %(maximum)s degrees.")
            % {
                "name": path.rsplit(".", 1)[-1].replace("_", " "),
                "minimum": minimum,
                "maximum": maximum,
            },
        )
    return round(float(value), 2)


def _mapping(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise FrameError(path, _("Expected an object."))
    return value


def _listing(value, path: str, maximum: int) -> list:
    if not isinstance(value, list):
        raise FrameError(path, _("Expected a list."))
    if len(value) > maximum:
        raise FrameError(path, _("At most %(count)d entries.") % {"count": maximum})
    return value


def _choice(value, path: str, choices) -> str:
    if value not in choices:
        raise FrameError(
            path,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices)},
        )
    return value


def _pose(value) -> tuple[tuple[str, float], ...]:
    angles = _mapping(value, "pose")
    for joint in angles:
        _choice(joint, f"pose.{joint}", JOINTS)
    pose = tuple(
        (
            joint,
            _number(
                angles.get(joint, 0),
                f"pose.{joint}",
                joint_range(joint).minimum,
                # A thigh swung out to the side is checked below by its real angle.
                ABDUCTED_HIP_MAXIMUM
                if joint.endswith("_hip") and angles.get(f"{joint}_abduction", 0)
                else joint_range(joint).maximum,
            ),
        )
        for joint in JOINTS
    )
    _check_abducted_hips(dict(pose))
    return pose


# The side-view flexion angle of an abducted thigh overstates how far it is raised: the
# hip's limit (130) applies to the real angle between the thigh and the trunk's axis.
ABDUCTED_HIP_MAXIMUM = 160


def _check_abducted_hips(angles: dict[str, float]):
    maximum = joint_range("hip").maximum
    for side in ("near", "far"):
        abduction = math.radians(angles[f"{side}_hip_abduction"])
        if not abduction:
            continue
        flexion = math.radians(angles[f"{side}_hip"])
        # The thigh's direction from hanging straight down, in the pelvis's frame.
        real = math.degrees(math.acos(math.cos(abduction) * math.cos(flexion)))
        if real > maximum:
            raise FrameError(
                f"pose.{side}_hip",
                _(
                    "With the thigh out to the side, this raises it %(real)d degrees; the hip "
                    "allows at most %(maximum)d."
                )
                % {"real": round(real), "maximum": round(maximum)},
            )


def _prop(value, path: str) -> Prop:
    entry = {"kind": value} if isinstance(value, str) else _mapping(value, path)
    unknown = set(entry) - {"kind", "side", "at"}
    if unknown:
        raise FrameError(f"{path}.{sorted(unknown)[0]}", _("Unknown field."))
    kind = _choice(entry.get("kind"), f"{path}.kind", PROP_KINDS)
    if "at" in entry and kind not in STRAP_KINDS:
        raise FrameError(f"{path}.at", _("Only a strap, towel or band goes round the foot."))
    return Prop(
        kind=kind,
        side=_choice(entry.get("side", "front"), f"{path}.side", SIDES_OF_BODY),
        at=_choice(entry.get("at", "ball"), f"{path}.at", STRAP_PLACES),
    )


def _contact(value, path: str, props: tuple[Prop, ...]) -> Contact:
    entry = _mapping(value, path)
    unknown = set(entry) - {"part", "surface", "where"}
    if unknown:
        raise FrameError(f"{path}.{sorted(unknown)[0]}", _("Unknown field."))
    part = _choice(entry.get("part"), f"{path}.part", PARTS)
    surface = _choice(entry.get("surface"), f"{path}.surface", (*SURFACES, *BODY_SURFACES))
    where = _choice(entry.get("where", "any"), f"{path}.where", WHERE)
    if surface == part:
        raise FrameError(f"{path}.surface", _("A part cannot rest on itself."))
    if surface in BODY_SURFACES:
        return Contact(part=part, surface=surface, where=where)
    needed = SURFACES[surface]
    if needed and not any(prop.kind == needed for prop in props):
        raise FrameError(
            f"{path}.surface",
            _("Add the prop “%(kind)s” to rest a body part on it.") % {"kind": needed},
        )
    return Contact(part=part, surface=surface)


def _limits(value) -> Limits:
    entry = _mapping(value, "limits")
    unknown = set(entry) - set(LIMITS)
    if unknown:
        raise FrameError(f"limits.{sorted(unknown)[0]}", _("Unknown field."))
    lean = entry.get("max_lean")
    short_of = entry.get("hands_short_of")
    return Limits(
        max_lean=None if lean is None else _number(lean, "limits.max_lean", 0, 90),
        hands_short_of=None
        if short_of is None
        else _choice(short_of, "limits.hands_short_of", PARTS),
        straight_knee=None
        if entry.get("straight_knee") is None
        else _choice(entry["straight_knee"], "limits.straight_knee", tuple(STRAIGHT_KNEES)),
    )


def _views(value) -> tuple[str, ...]:
    views = tuple(
        _choice(view, f"views.{index}", EXTRA_VIEWS)
        for index, view in enumerate(_listing(value, "views", len(EXTRA_VIEWS)))
    )
    if len(set(views)) < len(views):
        raise FrameError("views", _("Name each view once."))
    return views


def _unsafe(character: str) -> bool:
    code = ord(character)
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF, 0x2028, 0x2029)
    )


def without_unsafe_characters(text: str) -> str:
    """The text with every character `unsafe_character` names replaced by a space: for data
    stored before the rule (a frozen handout, an old picture), which is shown, not refused."""
    return "".join(" " if _unsafe(character) else character for character in text)


def unsafe_character(text: str) -> str | None:
    """The first character that may not reach a picture: XML 1.0 allows no control
    characters but tab, line feed and carriage return, no lone surrogates and no U+FFFE/FFFF;
    we allow no line breaks either (the alt text is one sentence)."""
    for character in text:
        if _unsafe(character):
            return f"U+{ord(character):04X}"
    return None


def parse_frame(value) -> Frame:
    """Checks one frame's data and returns it as a Frame; raises FrameError naming the field."""
    entry = _mapping(value, "")
    unknown = set(entry) - {
        "name",
        "alt_text",
        "orientation",
        "pose",
        "props",
        "contacts",
        "limits",
        "views",
        "option",
    }
    if unknown:
        raise FrameError(sorted(unknown)[0], _("Unknown field."))
    name = entry.get("name")
    if not isinstance(name, str) or not FRAME_NAME.match(name):
        raise FrameError(
            "name", _("A frame name is a short lower-case word, e.g. “start” or “end”.")
        )
    alt_text = entry.get("alt_text")
    if not isinstance(alt_text, str) or not alt_text.strip():
        raise FrameError("alt_text", _("Describe the position in one plain sentence."))
    if len(alt_text) > MAX_ALT_TEXT or "\n" in alt_text:
        raise FrameError(
            "alt_text", _("One sentence of at most %(count)d characters.") % {"count": MAX_ALT_TEXT}
        )
    bad = unsafe_character(alt_text)
    if bad:
        raise FrameError(
            "alt_text",
            _("Remove the invisible control character %(code)s: plain text only.") % {"code": bad},
        )
    props = tuple(
        _prop(prop, f"props.{index}")
        for index, prop in enumerate(_listing(entry.get("props", []), "props", MAX_PROPS))
    )
    contacts = tuple(
        _contact(contact, f"contacts.{index}", props)
        for index, contact in enumerate(
            _listing(entry.get("contacts", []), "contacts", MAX_CONTACTS)
        )
    )
    return Frame(
        name=name,
        alt_text=alt_text.strip(),
        orientation=_number(
            entry.get("orientation", 0),
            "orientation",
            ORIENTATION_RANGE.minimum,
            ORIENTATION_RANGE.maximum,
        ),
        pose=_pose(entry.get("pose", {})),
        props=props,
        contacts=contacts,
        limits=_limits(entry.get("limits", {})),
        views=_views(entry.get("views", [])),
        # A frame read from the API carries `option: null` when it has none.
        option=_choice(entry["option"], "option", OPTIONS)
        if entry.get("option") is not None
        else "",
    )


def parse_frames(value) -> tuple[Frame, ...]:
    """A list of frames, each valid, names unique; errors start with the frame's index."""
    frames = []
    for index, entry in enumerate(_listing(value, "", MAX_FRAMES)):
        try:
            frames.append(parse_frame(entry))
        except FrameError as error:
            raise error.within(index) from None
    names = [frame.name for frame in frames]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise FrameError(f"{index}.name", _("Each frame needs its own name."))
    return tuple(frames)


def parse_stored_frame(value) -> Frame:
    """A frame stored before today's rules (an old picture, a frozen handout): read as
    `parse_frame` does, but alt-text characters refused since are blanked, not refused, so
    the picture still shows."""
    if isinstance(value, dict) and isinstance(value.get("alt_text"), str):
        value = {**value, "alt_text": without_unsafe_characters(value["alt_text"])}
    return parse_frame(value)
