"""Exercise and self-test pictures through the API: SVG downloads, details, editors' writes."""

import json

import pytest
from defusedxml import ElementTree

from exercises.models import Illustration
from tests import factories
from tests.factories import standing_frame

pytestmark = pytest.mark.django_db


def svg_url(kind: str, pk: int, frame: str) -> str:
    return f"/api/v1/{kind}/{pk}/illustrations/{frame}.svg"


def current(client, url: str):
    """The plain URL redirects to the versioned one; follow it."""
    redirect = client.get(url)
    assert redirect.status_code == 302
    return client.get(redirect["Location"])


@pytest.fixture
def pictured():
    return factories.IllustrationFactory().exercise


def test_a_frame_answers_svg_with_an_etag_long_private_caching_and_a_sandbox(
    as_therapist, pictured
):
    response = current(as_therapist, svg_url("exercises", pictured.pk, "end"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response["ETag"].startswith('"')
    title = ElementTree.fromstring(response.content).find("{http://www.w3.org/2000/svg}title")
    assert title.text == "Standing (end)."


def test_the_same_etag_answers_304_without_a_body(as_therapist, pictured):
    first = current(as_therapist, svg_url("exercises", pictured.pk, "start"))
    again = as_therapist.get(
        as_therapist.get(svg_url("exercises", pictured.pk, "start"))["Location"],
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_start_and_end_differ_and_each_is_byte_identical_on_every_request(as_therapist, pictured):
    start = current(as_therapist, svg_url("exercises", pictured.pk, "start"))
    end = current(as_therapist, svg_url("exercises", pictured.pk, "end"))
    assert start.content != end.content
    assert current(as_therapist, svg_url("exercises", pictured.pk, "start")).content == (
        start.content
    )


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
    assert current(as_editor, svg_url("exercises", draft.pk, "start")).status_code == 200


def test_signing_in_is_required(api, pictured):
    assert api.get(svg_url("exercises", pictured.pk, "start")).status_code == 401


def test_details_list_frames_with_url_and_alt_text_and_the_list_a_thumbnail(as_therapist, pictured):
    detail = as_therapist.get(f"/api/v1/exercises/{pictured.pk}/").json()
    assert [(f["name"], f["alt_text"]) for f in detail["illustrations"]] == [
        ("start", "Standing (start)."),
        ("end", "Standing (end)."),
    ]
    assert (
        detail["illustrations"][1]["url"]
        == as_therapist.get(svg_url("exercises", pictured.pk, "end"))["Location"]
    )
    assert detail["illustrations"][1]["pose"] == {"near_shoulder": 90}
    [listed] = as_therapist.get("/api/v1/exercises/").json()["results"]
    assert (
        listed["thumbnail_url"]
        == as_therapist.get(svg_url("exercises", pictured.pk, "start"))["Location"]
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
    assert f"/api/v1/assessments/{assessment.pk}/illustrations/start." in frame["url"]
    svg = as_editor.get(frame["url"])
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert as_editor.get(svg_url("assessments", assessment.pk, "end")).status_code == 404


def test_an_edited_pose_gets_a_new_url_and_the_old_one_redirects_to_it(as_editor, pictured):
    old_url = as_editor.get(f"/api/v1/exercises/{pictured.pk}/").json()["illustrations"][1]["url"]
    old = as_editor.get(old_url)
    edited = [standing_frame("start"), standing_frame("end", near_shoulder=120)]
    response = as_editor.patch(
        f"/api/v1/exercises/{pictured.pk}/", {"illustrations": edited}, format="json"
    )
    assert response.status_code == 200, response.json()
    new_url = response.json()["illustrations"][1]["url"]
    assert new_url != old_url
    moved = as_editor.get(old_url)
    assert moved.status_code == 302
    assert moved["Location"] == new_url
    assert as_editor.get(new_url).content != old.content


@pytest.mark.parametrize(
    "alt_text", ["Stand\x00 tall.", "Stand\x07 tall.", "Stand\x0c tall.", "Stand \ud800 tall."]
)
def test_alt_text_with_a_control_character_or_lone_surrogate_answers_400_naming_it(
    as_editor, pictured, alt_text
):
    before = Illustration.objects.get(exercise=pictured).frames
    frame = {**standing_frame(), "alt_text": alt_text}
    # Sent as a JSON escape (\\u0000, \\ud800), as a browser or script would send it.
    response = as_editor.patch(
        f"/api/v1/exercises/{pictured.pk}/",
        json.dumps({"illustrations": [frame]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["attr"] == "illustrations.0.alt_text"
    assert "character" in error["detail"]
    assert Illustration.objects.get(exercise=pictured).frames == before


def test_a_picture_stored_before_the_alt_text_rule_still_draws_as_valid_xml(as_therapist):
    frames = [{**standing_frame(), "alt_text": "Stand\x07 tall."}]
    illustration = factories.IllustrationFactory()
    # Written straight to the table, as data saved before the rule existed.
    Illustration.objects.filter(pk=illustration.pk).update(frames=frames)
    response = current(as_therapist, svg_url("exercises", illustration.exercise.pk, "start"))
    assert response.status_code == 200
    title = ElementTree.fromstring(response.content).find("{http://www.w3.org/2000/svg}title")
    assert title.text == "Stand  tall."


def test_a_frame_read_back_from_the_api_saves_unchanged_with_its_null_option(as_editor, pictured):
    url = f"/api/v1/exercises/{pictured.pk}/"
    frames = as_editor.get(url).json()["illustrations"]
    written = [
        {key: value for key, value in frame.items() if key not in ("url", "view_urls")}
        for frame in frames
    ]
    assert all(frame["option"] is None for frame in written)

    response = as_editor.patch(url, {"illustrations": written}, format="json")

    assert response.status_code == 200, response.json()
    saved = response.json()["illustrations"]
    assert [{**frame, "url": ""} for frame in saved] == [{**frame, "url": ""} for frame in frames]
