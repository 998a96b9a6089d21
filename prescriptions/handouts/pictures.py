"""An exercise's pictures for its handout card: start above end, as vector drawings.

Works from the handout's frozen data (the frames in the snapshot), never the database, so an
issued handout keeps printing the poses it was issued with.
"""

import json
from functools import lru_cache

from reportlab.platypus import Spacer

from exercises.illustrations.frames import Frame, FrameError, parse_frame
from exercises.illustrations.pdf import FrameDrawing
from exercises.illustrations.scene import scene_for
from prescriptions.handouts.content import ExerciseSection
from prescriptions.handouts.styles import HandoutStyles


@lru_cache(maxsize=1024)
def _drawable(canonical: str) -> Frame | None:
    """A frame's data (as canonical JSON) read once per process; None if it cannot be drawn
    (a snapshot outlives changes to the body model)."""
    try:
        frame = parse_frame(json.loads(canonical))
        scene_for(frame)
    except FrameError:
        return None
    return frame


def _frames(exercise: ExerciseSection) -> list[Frame]:
    frames = (_drawable(json.dumps(data, sort_keys=True)) for data in exercise.frames)
    return [frame for frame in frames if frame is not None]


def picture_column_width(exercises, styles: HandoutStyles) -> float:
    """The width that shows every exercise's pictures at full size (0 when there are none)."""
    widths = [
        scene_for(frame).width * styles.picture_body_height
        for exercise in exercises
        for frame in _frames(exercise)
    ]
    return max(widths, default=0.0)


def exercise_picture_flowables(
    exercise: ExerciseSection, column_width: float, styles: HandoutStyles
) -> list:
    """Start above end, drawn so a standing body is `styles.picture_body_height` tall; a
    drawing wider than the column is scaled down to fit it."""
    flowables = []
    for frame in _frames(exercise):
        scene = scene_for(frame)
        scale = min(styles.picture_body_height, column_width / scene.width)
        if flowables:
            flowables.append(Spacer(1, styles.body.fontSize * 0.5))
        flowables.append(FrameDrawing(frame, scale))
    return flowables
