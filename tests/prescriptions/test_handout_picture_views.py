"""A card's other views in the handout: drawn under the side views, captioned by the layout;
frames frozen before views and the 3-D checks existed still print."""

import pytest
import yaml

from exercises.catalogue.loader import DEFAULT_ILLUSTRATIONS
from exercises.illustrations.frames import parse_frames
from exercises.illustrations.scene import scene_for
from prescriptions.handouts.content import Handout, build_handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.selectors import prescriptions_with_handout_content
from tests import factories
from tests.factories import standing_frame
from tests.prescriptions.handout_helpers import pdf_text
from tests.prescriptions.test_handout_pictures import drawings_and_images

pytestmark = pytest.mark.django_db


def handout_of_one_exercise(clinic, frames: list) -> tuple[bytes, str]:
    """The handout of a prescription of one exercise pictured by `frames`: its PDF and text."""
    exercise = factories.IllustrationFactory(frames=frames).exercise
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=[exercise])
    snapshot = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    pdf = render_handout(Handout.from_dict(snapshot.to_dict()))
    return pdf, pdf_text(pdf)


def test_a_declared_view_prints_directly_under_its_frame_with_its_caption_outside_the_drawing(
    clinic,
):
    frames = [{**standing_frame("start"), "views": ["above"]}, standing_frame("end")]
    pdf, text = handout_of_one_exercise(clinic, frames)
    assert drawings_and_images(pdf) == (3, 0)
    assert text.index("Start") < text.index("Seen from above") < text.index("Finish")


# Where both frames rest: on the floor, the bent leg's sole against the straight thigh.
SEATED = [
    {"part": "pelvis", "surface": "floor"},
    {"part": "near_foot", "surface": "floor"},
    {"part": "far_foot", "surface": "floor"},
    {"part": "far_foot", "surface": "near_thigh"},
]
# The modified hurdler stretch as an issued handout froze it just before the second views
# (verbatim): no views, no shoulder adduction, and the far hand "on" the near shin only in
# the side view, which the checks now refuse when saved.
FROZEN_BEFORE_VIEWS = [
    {
        "name": "start",
        "alt_text": "Sitting tall on the floor, one leg straight ahead, the other knee bent out "
        "to the side with the sole against the inside of the straight thigh.",
        "orientation": 0,
        "pose": {
            "near_hip": 87.84,
            "near_ankle": 0,
            "far_hip": 126.01,
            "far_hip_abduction": 45,
            "far_hip_rotation": 45,
            "far_knee": 149.95,
            "far_ankle": -18.92,
            "near_shoulder": 5.42,
            "near_elbow": 0,
            "far_shoulder": 5.42,
            "far_elbow": 0,
            "near_wrist": -80,
            "far_wrist": -80,
        },
        "props": [],
        "contacts": [
            *SEATED,
            {"part": "near_hand", "surface": "floor"},
            {"part": "far_hand", "surface": "floor"},
        ],
    },
    {
        "name": "end",
        "alt_text": "Tipped forward from the hips with a flat back, hands resting on the "
        "straight leg, well short of the toes.",
        "orientation": -24,
        "pose": {
            "near_hip": 111.79,
            "near_ankle": 0,
            "far_hip": 144.36,
            "far_hip_abduction": 45,
            "far_hip_rotation": 45,
            "far_knee": 149.99,
            "far_ankle": 14.59,
            "near_shoulder": 62.33,
            "near_elbow": 13.79,
            "far_shoulder": 62.33,
            "far_elbow": 13.79,
        },
        "props": [],
        "contacts": [
            *SEATED,
            {"part": "near_hand", "surface": "near_shank"},
            {"part": "far_hand", "surface": "near_shank"},
        ],
        "limits": {"max_lean": 30, "hands_short_of": "near_foot"},
    },
]


def test_frames_frozen_before_the_views_and_3d_checks_still_print(clinic):
    exercise = factories.IllustrationFactory().exercise
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=[exercise])
    snapshot = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk)).to_dict()
    for section in snapshot["exercises"]:
        section["frames"] = FROZEN_BEFORE_VIEWS
    assert drawings_and_images(render_handout(Handout.from_dict(snapshot))) == (2, 0)


def test_the_kneeling_plank_prints_after_start_and_finish_as_the_easier_option(clinic):
    """ "Too hard? Rest your knees on the mat.": the catalogue's plank offers the kneeling
    plank, drawn after the movement without an arrow, captioned by the layout."""
    plank = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))["exercises"]["plank"]
    pdf, text = handout_of_one_exercise(clinic, plank)
    assert drawings_and_images(pdf) == (3, 0)
    assert text.index("Start") < text.index("Finish") < text.index("Easier option")
    frames = parse_frames(plank)
    kneeling = next(frame for frame in frames if frame.option)
    arrows = [path for path in scene_for(kneeling, frames).paths if path.line == "arrow"]
    assert kneeling.option == "easier"
    assert arrows == []
    assert [p for p in scene_for(frames[1], frames).paths if p.line == "arrow"]


def test_the_foam_roller_start_seen_from_behind_prints_directly_under_the_start(clinic):
    """The fourth review: the back view of the start, printed after the finish and the ball,
    read as a third pose. The ball frame (the start again, a ball for the roller) is gone: the
    card's title and starting position already offer the ball."""
    catalogue = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))["exercises"]
    pdf, text = handout_of_one_exercise(clinic, catalogue["glute-massage-foam-rolling"])
    assert drawings_and_images(pdf) == (3, 0)
    assert text.index("Start") < text.index("Seen from behind") < text.index("Finish")
    assert "Other option" not in text
