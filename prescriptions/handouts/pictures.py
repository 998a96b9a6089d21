"""An exercise's pictures for its handout card: start above end, as vector drawings, each
with a caption ("Start", "Finish") set by the layout in the handout's language: the drawing
itself holds no words.

Works from the handout's frozen data (the frames in the snapshot), never the database, so an
issued handout keeps printing the poses it was issued with.
"""

import json
import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from exercises.illustrations.frames import Frame, FrameError, parse_stored_frame
from exercises.illustrations.pdf import FrameDrawing
from exercises.illustrations.scene import scene_for
from prescriptions.handouts.content import ExerciseSection
from prescriptions.handouts.direction import printed_line

if TYPE_CHECKING:  # styles.py reads the sizes below
    from prescriptions.handouts.styles import HandoutStyles

# Picture sizes on A4 and letter, kept here for the layout and styles to read (large print
# scales them with its type): how tall a standing body is drawn, and the narrowest picture
# column; a lying or seated frame wider than the column is scaled to the column's width.
# Issue 27 asks for 50 mm and a 55 mm column: not yet, see the README's pictures section.
STANDING_BODY_HEIGHT = 36 * mm
PICTURE_COLUMN = 42 * mm


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


def picture_column_width(exercises, styles: "HandoutStyles") -> float:
    """The width that shows every exercise's pictures at full size (0 when there are none)."""
    widths = [
        scene_for(frame, frames).width * styles.picture_body_height
        for exercise in exercises
        for frames in (_frames(exercise),)
        for frame in frames
    ]
    return max(widths, default=0.0)


def exercise_picture_flowables(
    exercise: ExerciseSection, column_width: float, styles: "HandoutStyles"
) -> list:
    """Start above end, drawn so a standing body is `styles.picture_body_height` tall; a
    drawing wider than the column is scaled down to fit it."""
    flowables = []
    frames = _frames(exercise)
    for index, frame in enumerate(frames):
        scene = scene_for(frame, frames)
        scale = min(styles.picture_body_height, column_width / scene.width)
        if flowables:
            flowables.append(Spacer(1, styles.body.fontSize * 0.5))
        flowables.append(FrameDrawing(frame, scale, frames))
        if len(frames) > 1:
            flowables.append(Paragraph(printed_line(caption(index, len(frames))), styles.small))
    return flowables
