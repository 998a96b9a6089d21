"""Scene -> SVG text, for the API and the admin. A thin adapter: it only translates paths.

The output holds no script, no external reference and no text but the escaped alt text in
<title>; the same frame gives the same bytes every time.
"""

import base64
import hashlib
import json
from functools import lru_cache
from xml.sax.saxutils import escape

from exercises.illustrations.frames import Frame, without_unsafe_characters
from exercises.illustrations.scene import Scene, scene_for

# Raise when the drawing of the same data changes (body model, shapes, colours): the version
# in each picture's URL changes with it, so no browser keeps a stale pose.
DRAWING_VERSION = 10
# What an SVG response may do: nothing but be drawn (no script, no fetch, no form).
SVG_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
UNITS_PER_HEIGHT = 100  # a standing body is 100 user units (and by default 100 px) tall
# px at every size (non-scaling strokes); a prop's line is 0.5 mm at 96 px per inch.
LINE_WIDTHS = {"outline": 1.2, "thin": 0.8, "prop": 1.9, "arrow": 1.9, "union": 2.4, "halo": 4.4}


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text == "-0.0" else text.removesuffix(".0")


def _path_data(scene: Scene, commands) -> str:
    parts = []
    for command in commands:
        letter, *values = command
        points = [
            _number((values[index] - scene.left) * UNITS_PER_HEIGHT)
            + ","
            + _number((scene.top - values[index + 1]) * UNITS_PER_HEIGHT)
            for index in range(0, len(values), 2)
        ]
        parts.append(letter + " ".join(points))
    return "".join(parts)


@lru_cache(maxsize=512)
def svg_for_frame(frame: Frame, frames: tuple[Frame, ...] = (), view: str = "side") -> bytes:
    """The frame as SVG; given its exercise's frames, with the movement shown; `view`: one
    of the frame's other views instead of the side view."""
    scene = scene_for(frame, frames, view)
    width = _number(scene.width * UNITS_PER_HEIGHT)
    height = _number(scene.height * UNITS_PER_HEIGHT)
    elements = []
    for path in scene.paths:
        attributes = [f'd="{_path_data(scene, path.commands)}"', f'fill="{path.fill or "none"}"']
        if path.stroke:
            attributes.append(
                f'stroke="{path.stroke}" stroke-width="{LINE_WIDTHS[path.line]}" '
                'vector-effect="non-scaling-stroke"'
            )
        elements.append(f"<path {' '.join(attributes)}/>")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-labelledby="title">'
        # Frames are checked when saved; this keeps older data from breaking the XML too.
        f'<title id="title">{escape(without_unsafe_characters(frame.alt_text))}</title>'
        '<g stroke-linejoin="round" stroke-linecap="round">' + "".join(elements) + "</g></svg>"
    ).encode()


def svg_data_uri(frame: Frame, view: str = "side") -> str:
    """The picture inline, for admin pages: no request per picture (the CSP allows data:)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg_for_frame(frame, (), view)).decode()


def drawing_version(frames: list[dict], name: str) -> str:
    """A short hash of everything one frame's picture is drawn from: its exercise's frames
    (the finish frame's arrow depends on the start) and the drawing code's version."""
    data = json.dumps(
        {"drawing": DRAWING_VERSION, "frames": frames, "name": name},
        sort_keys=True,
        ensure_ascii=True,
    )
    return hashlib.sha256(data.encode()).hexdigest()[:16]
