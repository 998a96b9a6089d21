"""A one-side dose's card shows the dosed limb working: the pictures show the body's right
side (the near limbs, drawn dark over the trunk), so a left-only dose draws them mirrored,
the same pose seen from the left. Judged on the drawing's geometry: which way the figure
faces and where its head is tell which of its sides the reader sees."""

import io

import pypdf
import pytest
import yaml
from reportlab.lib.units import mm

from exercises.catalogue.loader import DEFAULT_ILLUSTRATIONS
from exercises.dose import Side
from exercises.illustrations.frames import parse_frames
from exercises.illustrations.pdf import FrameDrawing, drawing_operators
from exercises.illustrations.scene import (
    MOVING_FILL,
    NEAR_FILL,
    TRUNK_FILL,
    Scene,
    mirror,
    scene_for,
)
from exercises.illustrations.svg import svg_for_frame
from prescriptions.handouts.content import Handout, build_handout, pictures_mirrored
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.pictures import exercise_picture_flowables
from prescriptions.handouts.styles import handout_styles
from prescriptions.selectors import prescriptions_with_handout_content
from tests import factories
from tests.prescriptions.handout_helpers import exercise_section

CATALOGUE = {
    slug: frames
    for group in yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8")).values()
    for slug, frames in group.items()
}
# Pictures whose two sides are posed alike: no one side works, so no dose mirrors them.
BOTH_SIDES_ALIKE = {
    "seated-two-leg-hamstring-stretch",
    "downward-dog",
    "glute-bridge",
    "sit-and-reach",
}
# Standing: the card draws it with the body at the handout's standing height.
ONE_SIDED = "standing-hamstring-stretch-step"


def _centre(commands) -> tuple[float, float]:
    xs = [value for command in commands for value in command[1::2]]
    ys = [value for command in commands for value in command[2::2]]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def side_shown(scene: Scene) -> str:
    """Which of the body's sides a side view shows, from its drawing alone: the body's right
    (front x up) points toward the reader when the turn from its front (head to nose) to its
    up (pelvis to head) is counter-clockwise in the picture."""
    trunk = [path for path in scene.paths if path.fill == TRUNK_FILL and path.stroke is None]
    heads = [path for path in scene.paths if path.fill == TRUNK_FILL and path.stroke]
    nose, head = heads  # the nose is drawn first, behind the head
    pelvis = _centre(trunk[0].commands)
    head_at, nose_at = _centre(head.commands), _centre(nose.commands)
    up = (head_at[0] - pelvis[0], head_at[1] - pelvis[1])
    front = (nose_at[0] - head_at[0], nose_at[1] - head_at[1])
    return "right" if front[0] * up[1] - front[1] * up[0] > 0 else "left"


def dark_over_the_trunk(scene: Scene) -> bool:
    """The limbs drawn after the head (over the trunk, the side the reader sees) are dark."""
    head = max(i for i, path in enumerate(scene.paths) if path.fill == TRUNK_FILL and path.stroke)
    limbs = scene.paths[head + 1 : head + 7]
    return all(path.fill in (NEAR_FILL, MOVING_FILL) for path in limbs)


def card_drawings(slug: str, side: str) -> list[FrameDrawing]:
    """The drawings a card of this exercise prints for a dose on `side`."""
    frames = tuple(CATALOGUE[slug])
    section = exercise_section(frames=frames, mirrored=pictures_mirrored(side, frames))
    flowables = exercise_picture_flowables(section, 200 * mm, handout_styles(False))
    return [flowable for flowable in flowables if isinstance(flowable, FrameDrawing)]


@pytest.mark.parametrize("side", Side.values)
@pytest.mark.parametrize("slug", sorted(CATALOGUE))
def test_every_picture_of_a_one_side_dose_shows_the_dosed_side_working(slug, side):
    one_side = side in (Side.LEFT, Side.RIGHT) and slug not in BOTH_SIDES_ALIKE
    # Each side, alternating and pictures without a side keep today's drawing: the right.
    expected = side if one_side else Side.RIGHT
    drawings = card_drawings(slug, side)
    assert drawings
    for drawing in drawings:
        scene = scene_for(drawing.frame, drawing.frames, drawing.view, drawing.mirrored)
        if drawing.view == "side":
            assert side_shown(scene) == expected, drawing.frame.name
            assert dark_over_the_trunk(scene)
        else:
            # A view from above or the front turns with its side view.
            unmirrored = scene_for(drawing.frame, drawing.frames, drawing.view)
            assert scene == (mirror(unmirrored) if expected == Side.LEFT else unmirrored)


def test_a_mirrored_picture_keeps_its_size_and_reverses_its_arrow():
    frames = parse_frames(CATALOGUE[ONE_SIDED])
    drawn, mirrored = scene_for(frames[-1], frames), scene_for(frames[-1], frames, mirrored=True)
    assert (mirrored.width, mirrored.height) == (drawn.width, drawn.height)
    # The arrow (the last paths, black, over the body) runs the other way across.
    arrow, mirrored_arrow = drawn.paths[-2].commands, mirrored.paths[-2].commands
    assert arrow[0][1] - arrow[-1][-2] == pytest.approx(
        mirrored_arrow[-1][-2] - mirrored_arrow[0][1]
    )
    assert side_shown(drawn) == "right" and side_shown(mirrored) == "left"


def test_the_api_svg_is_never_mirrored():
    frames = parse_frames(CATALOGUE[ONE_SIDED])
    # Drawn for the API and admin with no dose: the right side, as always.
    svg = svg_for_frame(frames[-1], frames)
    assert svg == svg_for_frame(frames[-1], frames, "side")
    assert side_shown(scene_for(frames[-1], frames)) == "right"


def _page_content(pdf: bytes) -> bytes:
    return b"".join(
        page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.mark.django_db
@pytest.mark.parametrize("side", [Side.LEFT, Side.RIGHT])
def test_the_printed_card_draws_the_dosed_side(clinic, side):
    illustration = factories.IllustrationFactory(
        frames=CATALOGUE[ONE_SIDED], exercise__default_side=side
    )
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[illustration.exercise]
    )
    snapshot = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    content = _page_content(render_handout(Handout.from_dict(snapshot.to_dict())))
    frames = parse_frames(CATALOGUE[ONE_SIDED])
    scale = handout_styles(False).picture_body_height
    left = side == Side.LEFT
    for frame in frames:
        assert drawing_operators(frame, scale, frames, "side", left).encode() in content
        assert drawing_operators(frame, scale, frames, "side", not left).encode() not in content


@pytest.mark.django_db
def test_a_snapshot_frozen_before_mirroring_draws_as_before(clinic):
    illustration = factories.IllustrationFactory(
        frames=CATALOGUE[ONE_SIDED], exercise__default_side=Side.LEFT
    )
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[illustration.exercise]
    )
    snapshot = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    frozen = snapshot.to_dict()
    for section in frozen["exercises"]:
        del section["mirrored"]
    handout = Handout.from_dict(frozen)
    assert not handout.exercises[0].mirrored
    content = _page_content(render_handout(handout))
    frames = parse_frames(CATALOGUE[ONE_SIDED])
    scale = handout_styles(False).picture_body_height
    for frame in frames:
        assert drawing_operators(frame, scale, frames).encode() in content
