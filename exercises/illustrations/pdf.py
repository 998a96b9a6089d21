"""Scene -> a reportlab flowable of vector paths, for the handout. A thin adapter.

Drawing twenty frames of sixteen curved paths costs as much as laying out the whole handout,
so a frame's PDF drawing operators are built once per process (per frame and scale) and then
replayed into each page's content stream.
"""

from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

from exercises.illustrations.frames import Frame
from exercises.illustrations.scene import scene_for

# A prop's and the arrow's line: 0.5 mm (1.42 pt) and a little more, at every picture size.
LINE_WIDTHS_PT = {
    "outline": 0.6,
    "thin": 0.4,
    "prop": 1.45,
    "arrow": 1.45,
    "union": 1.2,
    "halo": 2.6,
}


def _colour(hex_colour: str) -> str:
    return fp_str(*HexColor(hex_colour).rgb())


# Coordinates are written as whole tenths of a point (0.035 mm) under a 0.1 scale: short
# numbers keep the page stream, which reportlab compresses and encodes, small.
TENTHS = 10


def _tenths(values, scale: float, origin: tuple[float, float]) -> str:
    left, bottom = origin
    return " ".join(
        str(round((value - (left if index % 2 == 0 else bottom)) * scale * TENTHS))
        for index, value in enumerate(values)
    )


PATH_OPERATORS = {"M": "m", "L": "l", "C": "c", "Z": "h"}


@lru_cache(maxsize=1024)
def drawing_operators(
    frame: Frame,
    points_per_height: float,
    frames: tuple[Frame, ...] = (),
    view: str = "side",
    mirrored: bool = False,
) -> str:
    """The frame's PDF path operators, from its lower left corner; colours and line widths
    are written only when they change. `frames`, `view` and `mirrored`: see scene_for."""
    scene = scene_for(frame, frames, view, mirrored)
    origin = (scene.left, scene.bottom)
    # Round joins and caps, as in the SVG; then tenths of a point.
    operators = ["1 j 1 J 0.1 0 0 0.1 0 0 cm"]
    state: dict[str, str] = {}
    for path in scene.paths:
        wanted = {}
        if path.fill:
            wanted["rg"] = f"{_colour(path.fill)} rg"
        if path.stroke:
            wanted["RG"] = f"{_colour(path.stroke)} RG"
            wanted["w"] = f"{fp_str(LINE_WIDTHS_PT[path.line] * TENTHS)} w"
        operators += [value for key, value in wanted.items() if state.get(key) != value]
        state.update(wanted)
        operators += [
            f"{_tenths(values, points_per_height, origin)} {PATH_OPERATORS[letter]}".lstrip()
            for letter, *values in path.commands
        ]
        operators.append("B" if path.fill and path.stroke else "f" if path.fill else "S")
    return "\n".join(operators)


class FrameDrawing(Flowable):
    """One frame drawn so that a standing body would be `points_per_height` tall."""

    def __init__(
        self,
        frame: Frame,
        points_per_height: float,
        frames: tuple[Frame, ...] = (),
        view: str = "side",
        mirrored: bool = False,
    ):
        super().__init__()
        scene = scene_for(frame, frames, view, mirrored)
        self.frame = frame
        self.frames = frames
        self.view = view
        self.mirrored = mirrored
        self.scale = points_per_height
        self.width = scene.width * points_per_height
        self.height = scene.height * points_per_height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.saveState()
        self.canv.addLiteral(
            drawing_operators(self.frame, self.scale, self.frames, self.view, self.mirrored)
        )
        self.canv.restoreState()
