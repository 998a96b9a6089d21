"""Exercise and self-test pictures through the API: SVG downloads, details, editors' writes."""

import pytest
from defusedxml import ElementTree

from exercises.models import Illustration
from tests import factories
from tests.factories import standing_frame

pytestmark = pytest.mark.django_db


def svg_url(kind: str, pk: int, frame: str) -> str:
    return f"/api/v1/{kind}/{pk}/illustrations/{frame}.svg"


@pytest.fixture
def pictured():
    return factories.IllustrationFactory().exercise


def test_a_frame_answers_svg_with_an_etag_and_private_caching(as_therapist, pictured):
    response = as_therapist.get(svg_url("exercises", pictured.pk, "end"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["ETag"].startswith('"')
    title = ElementTree.fromstring(response.content).find("{http://www.w3.org/2000/svg}title")
    assert title.text == "Standing (end)."


def test_the_same_etag_answers_304_without_a_body(as_therapist, pictured):
    first = as_therapist.get(svg_url("exercises", pictured.pk, "start"))
    again = as_therapist.get(
        svg_url("exercises", pictured.pk, "start"), HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_start_and_end_differ_and_each_is_byte_identical_on_every_request(as_therapist, pictured):
    start = as_therapist.get(svg_url("exercises", pictured.pk, "start"))
    end = as_therapist.get(svg_url("exercises", pictured.pk, "end"))
    assert start.content != end.content
    assert as_therapist.get(svg_url("exercises", pictured.pk, "start")).content == start.content


def test_an_unknown_frame_or_an_exercise_without_pictures_answers_404_in_the_error_shape(
    as_therapist, pictured
):
    plain = factories.ExerciseFactory()
    for url in (
        svg_url("exercises", pictured.pk, "middle"),
        svg_url("exercises", plain.pk, "start"),
        svg_url("exercises", 999999, "start"),
    ):
        response = as_therapist.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["errors"][0]["code"] == "not_found"


def test_a_draft_exercise_s_pictures_are_hidden_from_therapists(as_therapist):
    draft = factories.IllustrationFactory(exercise__status="draft").exercise
    assert as_therapist.get(svg_url("exercises", draft.pk, "start")).status_code == 404


def test_editors_see_a_draft_exercise_s_pictures(as_editor):
    draft = factories.IllustrationFactory(exercise__status="draft").exercise
    assert as_editor.get(svg_url("exercises", draft.pk, "start")).status_code == 200


def test_signing_in_is_required(api, pictured):
    assert api.get(svg_url("exercises", pictured.pk, "start")).status_code == 401


def test_details_list_frames_with_url_and_alt_text_and_the_list_a_thumbnail(as_therapist, pictured):
    detail = as_therapist.get(f"/api/v1/exercises/{pictured.pk}/").json()
    assert [(f["name"], f["alt_text"]) for f in detail["illustrations"]] == [
        ("start", "Standing (start)."),
        ("end", "Standing (end)."),
    ]
    assert detail["illustrations"][1]["url"] == (
        "http://testserver" + svg_url("exercises", pictured.pk, "end")
    )
    assert detail["illustrations"][1]["pose"] == {"near_shoulder": 90}
    [listed] = as_therapist.get("/api/v1/exercises/").json()["results"]
    assert listed["thumbnail_url"] == "http://testserver" + svg_url(
        "exercises", pictured.pk, "start"
    )


def test_an_editor_writes_frames_in_the_exercise_body(as_editor, pictured):
    frames = [standing_frame("hold", near_hip=20, near_knee=30)]
    frames[0]["contacts"] = [{"part": "far_foot", "surface": "floor"}]
    response = as_editor.patch(
        f"/api/v1/exercises/{pictured.pk}/", {"illustrations": frames}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [f["name"] for f in response.json()["illustrations"]] == ["hold"]
    assert Illustration.objects.get(exercise=pictured).frames[0]["pose"] == {
        "near_hip": 20,
        "near_knee": 30,
    }


@pytest.mark.parametrize(
    ("frames", "attr", "words"),
    [
        ([standing_frame(near_knee=170)], "illustrations.0.pose.near_knee", "between -10 and 150"),
        (
            [standing_frame(), {**standing_frame("end"), "props": ["wall"]}],
            "illustrations.1.props",
            "wall",
        ),
        ("start", "illustrations", "list"),
    ],
)
def test_a_bad_pose_answers_400_naming_the_field_and_changes_nothing(
    as_editor, pictured, frames, attr, words
):
    before = Illustration.objects.get(exercise=pictured).frames
    response = as_editor.patch(
        f"/api/v1/exercises/{pictured.pk}/",
        {"illustrations": frames, "name": "Renamed"},
        format="json",
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["attr"] == attr
    assert words in error["detail"]
    pictured.refresh_from_db()
    assert pictured.name != "Renamed"
    assert Illustration.objects.get(exercise=pictured).frames == before


def test_self_tests_have_pictures_too(as_editor):
    assessment = factories.AssessmentFactory()
    response = as_editor.patch(
        f"/api/v1/assessments/{assessment.pk}/",
        {"illustrations": [standing_frame()]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    [frame] = as_editor.get(f"/api/v1/assessments/{assessment.pk}/").json()["illustrations"]
    assert frame["url"].endswith(svg_url("assessments", assessment.pk, "start"))
    svg = as_editor.get(svg_url("assessments", assessment.pk, "start"))
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert as_editor.get(svg_url("assessments", assessment.pk, "end")).status_code == 404
