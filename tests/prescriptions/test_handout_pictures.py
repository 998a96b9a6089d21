"""Exercise pictures on the handout: vector drawings from the frozen frames, start above end."""

import io

import pypdf
import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from exercises import services as catalogue_services
from exercises.catalogue.loader import DEFAULT_ILLUSTRATIONS
from exercises.illustrations.frames import parse_frame
from exercises.illustrations.pdf import FrameDrawing, drawing_operators
from exercises.illustrations.scene import BALL_RADIUS, ROLLER_RADIUS, drawable_frames
from prescriptions.handouts.content import Handout, build_handout
from prescriptions.handouts.layout import _drawings_with_captions
from prescriptions.handouts.paragraphs import MeasuredParagraph
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.pictures import exercise_picture_flowables, exercise_scale
from prescriptions.handouts.styles import handout_styles
from prescriptions.selectors import prescriptions_with_handout_content
from prescriptions.services import issue_prescription
from tests import factories
from tests.factories import standing_frame

pytestmark = pytest.mark.django_db

# Every drawing starts by setting round joins and caps: one per picture on the page.
DRAWING_START = b"1 j 1 J"


def drawings_and_images(pdf: bytes) -> tuple[int, int]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    drawings = sum(page.get_contents().get_data().count(DRAWING_START) for page in reader.pages)
    images = sum(len(page.images) for page in reader.pages)
    return drawings, images


@pytest.fixture
def pictured_prescription(clinic):
    exercises = [factories.IllustrationFactory().exercise for _ in range(3)]
    return factories.PrescriptionFactory(patient__clinic=clinic, items=exercises)


def download(api, prescription, **params) -> bytes:
    response = api.get(f"/api/v1/prescriptions/{prescription.pk}/handout/", params)
    assert response.status_code == 200
    return response.content


def test_each_card_prints_start_and_end_as_vector_drawings_not_images(
    as_therapist, pictured_prescription
):
    assert drawings_and_images(download(as_therapist, pictured_prescription)) == (6, 0)


def test_an_uploaded_picture_takes_precedence_over_the_drawings(
    as_therapist, pictured_prescription
):
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "grey").save(photo, format="PNG")
    exercise = pictured_prescription.items.first().exercise
    exercise.image = default_storage.save("exercises/photo.png", ContentFile(photo.getvalue()))
    exercise.save()
    assert drawings_and_images(download(as_therapist, pictured_prescription)) == (4, 1)


def test_an_issued_handout_keeps_printing_its_poses_after_an_editor_changes_them(
    as_therapist, pictured_prescription
):
    exercise = pictured_prescription.items.first().exercise
    issued = tuple(parse_frame(frame) for frame in exercise.illustration.frames)
    issued_prescription = issue_prescription(prescription=pictured_prescription)
    catalogue_services.save_illustration(
        owner=exercise, frames=[standing_frame("start"), standing_frame("end", near_shoulder=170)]
    )
    changed = (
        parse_frame(standing_frame("start")),
        parse_frame(standing_frame("end", near_shoulder=170)),
    )
    # Large print is rendered afresh, from the snapshot.
    pdf = download(as_therapist, issued_prescription, large_print="true")
    content = b"".join(
        page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )
    scale = handout_styles(True).picture_body_height
    assert drawing_operators(issued[1], scale, issued).encode() in content
    assert drawing_operators(changed[1], scale, changed).encode() not in content


def test_content_carries_the_frames_in_a_constant_number_of_queries(
    clinic, django_assert_num_queries
):
    tag = factories.TagFactory()
    exercises = [factories.IllustrationFactory(exercise__tags=[tag]).exercise for _ in range(5)]
    factories.SafetyNoteFactory()
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=exercises)
    # The exercises, the steps and the pictures are read once per catalogue version (one
    # query each), and so is the glossary; a patient without conditions reads no caution and
    # no condition's wording.
    with django_assert_num_queries(8):
        handout = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    assert [len(section.frames) for section in handout.exercises] == [2] * 5


@pytest.mark.parametrize(("large_print", "at_least"), [(False, 35 * mm), (True, 45 * mm)])
def test_a_standing_body_is_drawn_at_least_3_5_cm_tall_and_larger_in_large_print(
    pictured_prescription, large_print, at_least
):
    section = build_handout(prescriptions_with_handout_content().get(pk=pictured_prescription.pk))
    start, _start_caption, _gap, end, _end_caption = exercise_picture_flowables(
        section.exercises[0], 200 * mm, handout_styles(large_print)
    )
    # The scene adds a small margin above the head and below the floor.
    assert start.height >= at_least
    assert start.scale == end.scale == handout_styles(large_print).picture_body_height


def test_a_picture_column_run_into_the_page_keeps_each_drawing_with_its_caption(
    pictured_prescription,
):
    """A card too tall for its pictures beside the steps prints them below, one by one: a page
    may end between two drawings, never between a drawing and the caption that names it."""
    section = build_handout(prescriptions_with_handout_content().get(pk=pictured_prescription.pk))
    column = exercise_picture_flowables(section.exercises[0], 200 * mm, handout_styles(True))
    run = _drawings_with_captions(column)
    kept = [flowable for flowable in run if isinstance(flowable, KeepTogether)]
    assert [[type(part) for part in group._content] for group in kept] == [
        [FrameDrawing, MeasuredParagraph]
    ] * 2
    assert not any(isinstance(flowable, MeasuredParagraph) for flowable in run)


def test_drawing_the_pictures_never_touches_the_database(
    pictured_prescription, django_assert_num_queries
):
    snapshot = build_handout(
        prescriptions_with_handout_content().get(pk=pictured_prescription.pk)
    ).to_dict()
    handout = Handout.from_dict(snapshot)
    with django_assert_num_queries(0):
        pdf = render_handout(handout)
    assert drawings_and_images(pdf) == (6, 0)


def test_a_snapshot_from_before_pictures_existed_still_prints(pictured_prescription):
    snapshot = build_handout(
        prescriptions_with_handout_content().get(pk=pictured_prescription.pk)
    ).to_dict()
    for section in snapshot["exercises"]:
        del section["frames"]
    assert drawings_and_images(render_handout(Handout.from_dict(snapshot))) == (0, 0)


def test_a_card_taller_than_a_page_still_prints_with_its_pictures(as_therapist, clinic):
    exercises = [factories.IllustrationFactory().exercise for _ in range(2)]
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=exercises)
    item = prescription.items.first()
    item.notes = "Keep going slowly and breathe. " * 120
    item.save()
    pdf = download(as_therapist, prescription, large_print="true")
    assert drawings_and_images(pdf) == (4, 0)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) > 2


def test_each_picture_is_captioned_start_and_finish_in_text_outside_the_drawing(
    as_therapist, pictured_prescription
):
    pdf = download(as_therapist, pictured_prescription)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert text.count("Start") >= 3 and text.count("Finish") >= 3


# Two frames as an issued handout froze them before the body model gained hip abduction and
# rotation, contact sides and text limits (the old modified hurdler stretch, verbatim).
FROZEN_BEFORE_HIP_ROTATION = [
    {
        "name": "start",
        "alt_text": "Sitting tall on the floor, one leg straight ahead, the other knee bent.",
        "orientation": 0,
        "pose": {
            "near_hip": 87.84,
            "far_hip": 128,
            "far_knee": 80.62,
            "far_ankle": -10,
            "near_shoulder": 40,
            "near_elbow": 30,
            "far_shoulder": 40,
            "far_elbow": 30,
        },
        "props": [],
        "contacts": [
            {"part": "pelvis", "surface": "floor"},
            {"part": "near_foot", "surface": "floor"},
            {"part": "far_foot", "surface": "floor"},
        ],
    },
    {
        "name": "end",
        "alt_text": "Sitting on the floor, tipped forward from the hips with a flat back.",
        "orientation": -30,
        "pose": {
            "near_hip": 117.84,
            "trunk": 5,
            "far_hip": 130,
            "far_knee": 23.43,
            "far_ankle": -20,
            "near_shoulder": 100,
            "near_elbow": 5,
            "far_shoulder": 100,
            "far_elbow": 5,
        },
        "props": [],
        "contacts": [
            {"part": "pelvis", "surface": "floor"},
            {"part": "near_foot", "surface": "floor"},
            {"part": "far_foot", "surface": "floor"},
        ],
    },
]


def test_frames_frozen_before_the_body_model_changed_still_print(pictured_prescription):
    snapshot = build_handout(
        prescriptions_with_handout_content().get(pk=pictured_prescription.pk)
    ).to_dict()
    for section in snapshot["exercises"]:
        section["frames"] = FROZEN_BEFORE_HIP_ROTATION
    assert drawings_and_images(render_handout(Handout.from_dict(snapshot))) == (6, 0)


def test_a_frozen_frame_whose_alt_text_holds_a_control_character_still_prints(
    pictured_prescription,
):
    snapshot = build_handout(
        prescriptions_with_handout_content().get(pk=pictured_prescription.pk)
    ).to_dict()
    for section in snapshot["exercises"]:
        section["frames"] = [
            {**frame, "alt_text": "Stand\x07 tall."} for frame in FROZEN_BEFORE_HIP_ROTATION
        ]
    assert drawings_and_images(render_handout(Handout.from_dict(snapshot))) == (6, 0)


@pytest.mark.parametrize("large_print", [False, True])
def test_the_foam_roller_and_the_massage_ball_print_at_least_6_mm_across(large_print):
    """At the size the handout prints them (the review measured the ball at 2 mm on A4)."""
    styles = handout_styles(large_print)
    frames = drawable_frames(
        yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))["exercises"][
            "glute-massage-foam-rolling"
        ]
    )
    scale = exercise_scale(frames, styles.picture_column, styles)
    assert {frame.props[0].kind for frame in frames} == {"roller"}
    assert 2 * ROLLER_RADIUS * scale >= 6 * mm
    # The catalogue's words offer the ball; a clinic that draws it (an "other" option frame
    # in the admin) gets it at this scale.
    assert 2 * BALL_RADIUS * scale >= 6 * mm
