"""Exercise pictures on the handout: vector drawings from the frozen frames, start above end."""

import io

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from reportlab.lib.units import mm

from exercises import services as catalogue_services
from exercises.illustrations.frames import parse_frame
from exercises.illustrations.pdf import drawing_operators
from prescriptions.handouts.content import Handout, build_handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.pictures import exercise_picture_flowables
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
    issued_end = parse_frame(exercise.illustration.frames[1])
    issued = issue_prescription(prescription=pictured_prescription)
    catalogue_services.save_illustration(
        owner=exercise, frames=[standing_frame("start"), standing_frame("end", near_shoulder=170)]
    )
    changed_end = parse_frame(standing_frame("end", near_shoulder=170))
    # Large print is rendered afresh, from the snapshot.
    pdf = download(as_therapist, issued, large_print="true")
    content = b"".join(
        page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )
    scale = handout_styles(True).picture_body_height
    assert drawing_operators(issued_end, scale).encode() in content
    assert drawing_operators(changed_end, scale).encode() not in content


def test_content_carries_the_frames_in_a_constant_number_of_queries(
    clinic, django_assert_num_queries
):
    tag = factories.TagFactory()
    exercises = [factories.IllustrationFactory(exercise__tags=[tag]).exercise for _ in range(5)]
    factories.SafetyNoteFactory()
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=exercises)
    # The exercises, the steps and the pictures are read once per catalogue version (one
    # query each); a patient without conditions reads no caution and no condition's wording.
    with django_assert_num_queries(7):
        handout = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    assert [len(section.frames) for section in handout.exercises] == [2] * 5


@pytest.mark.parametrize(("large_print", "at_least"), [(False, 35 * mm), (True, 45 * mm)])
def test_a_standing_body_is_drawn_at_least_3_5_cm_tall_and_larger_in_large_print(
    pictured_prescription, large_print, at_least
):
    section = build_handout(prescriptions_with_handout_content().get(pk=pictured_prescription.pk))
    start, _gap, end = exercise_picture_flowables(
        section.exercises[0], 200 * mm, handout_styles(large_print)
    )
    # The scene adds a small margin above the head and below the floor.
    assert start.height >= at_least
    assert start.scale == end.scale == handout_styles(large_print).picture_body_height


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
