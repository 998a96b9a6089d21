"""An exercise's pictures for its handout card: start above end, as vector drawings, each
with a caption ("Start", "Finish") set by the layout in the handout's language: the drawing
itself holds no words. A frame declared with another view (the hurdler from above) is drawn
again directly under it, captioned "Seen from above". A left-only dose draws them all mirrored, so
the dosed leg is the one working (`ExerciseSection.mirrored`).

Works from the handout's frozen data (the frames in the snapshot), never the database, so an
issued handout keeps printing the poses it was issued with.
"""

import json
import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from exercises.illustrations.frames import Frame, FrameError, parse_stored_frame
from exercises.illustrations.pdf import FrameDrawing, drawing_operators
from exercises.illustrations.scene import (
    FEET,
    GROUND_SURFACES,
    exercise_views,
    forget_scenes,
    movement_frames,
    scene_for,
)
from prescriptions.handouts.content import ExerciseSection
from prescriptions.handouts.direction import printed_line
from prescriptions.handouts.paragraphs import MeasuredParagraph

if TYPE_CHECKING:  # styles.py reads the sizes below
    from prescriptions.handouts.styles import HandoutStyles

# Picture sizes on A4 and letter (issue 27), kept here for the layout and styles to read;
# large print scales them with its type (to 66.7 mm and 73.3 mm): how tall a standing body is
# drawn, and the narrowest picture column. A frame that does not stand (lying, seated,
# kneeling) is fitted by its own bounding box to the column's width.
STANDING_BODY_HEIGHT = 50 * mm
PICTURE_COLUMN = 55 * mm


logger = logging.getLogger(__name__)


@lru_cache(maxsize=1024)
def _drawable(canonical: str) -> Frame | None:
    """A frame's data (as canonical JSON) read once per process; None if it cannot be drawn
    (a snapshot outlives changes to the body model), and then logged, never dropped
    silently."""
    try:
        frame = parse_stored_frame(json.loads(canonical))
        scene_for(frame)
    except FrameError as error:
        logger.warning("A frozen picture frame cannot be drawn: %s: %s", error.path, error.message)
        return None
    return frame


def _frames(exercise: ExerciseSection) -> tuple[Frame, ...]:
    frames = (_drawable(json.dumps(data, sort_keys=True)) for data in exercise.frames)
    return tuple(frame for frame in frames if frame is not None)


def caption(index: int, count: int) -> str:
    """What the layout prints under a frame: the first is the start, the last the finish."""
    if index == 0:
        return _("Start")
    if index == count - 1:
        return _("Finish")
    return _("Then")


def standing(frame: Frame) -> bool:
    """Whether the body stands: only feet on the floor. Such a frame is sized by the body's
    height; any other (lying, seated, kneeling, on hands and knees) by its width."""
    on_the_ground = [c.part for c in frame.contacts if c.surface in GROUND_SURFACES]
    return bool(on_the_ground) and all(part in FEET for part in on_the_ground)


def option_caption(option: str) -> str:
    """What the layout prints under a frame that is not a step of the movement."""
    return {"easier": _("Easier option"), "other": _("Other option")}[option]


def view_caption(view: str) -> str:
    """What the layout prints under a frame drawn from another side."""
    return {
        "above": _("Seen from above"),
        "front": _("Seen from the front"),
        "behind": _("Seen from behind"),
    }[view]


def picture_column_width(exercises: Iterable[ExerciseSection], styles: "HandoutStyles") -> float:
    """The width that shows every standing frame with its body at full height (0 when no
    frame stands): the others take whatever width the column has."""
    widths = [
        scene_for(frame, frames, view).width * styles.picture_body_height
        for exercise in exercises
        for frames in (_frames(exercise),)
        for frame, view in _drawings(frames)
        if standing(frame)
    ]
    return max(widths, default=0.0)


def frame_scale(
    frame: Frame,
    frames: tuple[Frame, ...],
    column_width: float,
    styles: "HandoutStyles",
    view: str = "side",
) -> float:
    """Points per body height for one frame, from its own bounding box: a standing body
    `styles.picture_body_height` tall (narrower if the column cannot hold it); any other frame
    as wide as the column, unless that would make it taller than `styles.picture_height`.
    `view`: the side view, or another the frame declares (sized by its own drawing)."""
    scene = scene_for(frame, frames, view)
    if standing(frame):
        return min(styles.picture_body_height, column_width / scene.width)
    return min(column_width / scene.width, styles.picture_height / scene.height)


def exercise_scale(
    frames: tuple[Frame, ...], column_width: float, styles: "HandoutStyles"
) -> float:
    """Points per body height for every drawing of one exercise: the smallest of their
    `frame_scale`s, so the body keeps its size from start to finish and the movement can be
    compared (a per-frame fit drew the bird-dog's finish at 63 % of its start)."""
    return min(
        (
            frame_scale(frame, frames, column_width, styles, view)
            for frame, view in _drawings(frames)
        ),
        default=styles.picture_body_height,
    )


def exercise_picture_flowables(
    exercise: ExerciseSection, column_width: float, styles: "HandoutStyles"
) -> list:
    """Start above end, all at the exercise's one scale (`exercise_scale`)."""
    flowables: list[Flowable] = []
    frames = _frames(exercise)
    steps = movement_frames(frames)
    scale = exercise_scale(frames, column_width, styles)
    for frame, view in _drawings(frames):
        if flowables:
            flowables.append(Spacer(1, styles.body.fontSize * 0.5))
        flowables.append(FrameDrawing(frame, scale, frames, view, exercise.mirrored))
        if view != "side":
            flowables.append(MeasuredParagraph(printed_line(view_caption(view)), styles.small))
        elif frame.option:
            flowables.append(
                MeasuredParagraph(printed_line(option_caption(frame.option)), styles.small)
            )
        elif len(steps) > 1:
            flowables.append(
                MeasuredParagraph(
                    printed_line(caption(steps.index(frame), len(steps))), styles.small
                )
            )
    return flowables


def forget_drawn_pictures() -> None:
    """Empties every cache a picture passes through (frames read, scenes, drawing operators),
    as in a freshly started process: the pictures benchmark's cold render."""
    _drawable.cache_clear()
    forget_scenes()
    drawing_operators.cache_clear()


def _drawings(frames: tuple[Frame, ...]) -> list[tuple[Frame, str]]:
    """The movement's side views in order, then the options; each frame's other views
    directly under it, so "Seen from behind" under "Start" reads as the start seen from
    behind (after the finish it read as a third pose)."""
    options = tuple(frame for frame in frames if frame.option)
    views = exercise_views(frames)
    return [
        drawing
        for frame in (*movement_frames(frames), *options)
        for drawing in [
            (frame, "side"),
            *((other.frame, other.view) for other in views if other.frame is frame),
        ]
    ]
