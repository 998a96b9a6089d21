"""The admin's picture preview endpoint and the list thumbnails (the browser test drives the
live redraw; these check the answers themselves)."""

import json

import pytest
import yaml
from defusedxml import ElementTree
from django.core.exceptions import ValidationError

from clinics.roles import ensure_roles
from exercises.catalogue.loader import DEFAULT_ILLUSTRATIONS
from exercises.forms import FramesWidget
from exercises.illustrations.frames import parse_frames
from exercises.models import Illustration
from tests import factories
from tests.factories import standing_frame

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/exercises/exercise/illustration-preview.svg"


@pytest.fixture
def editor_client(client, clinic):
    ensure_roles()
    client.force_login(factories.editor(clinic))
    return client


def test_the_preview_draws_the_frame_it_is_given(editor_client):
    response = editor_client.get(PREVIEW, {"frame": json.dumps(standing_frame(near_shoulder=40))})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert ElementTree.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize(
    ("frame", "attr", "words"),
    [
        (json.dumps(standing_frame(near_elbow=-5)), "pose.near_elbow", "between 0 and 150"),
        ("{not json", "frame", "JSON"),
    ],
)
def test_a_preview_of_a_bad_frame_says_what_is_wrong(editor_client, frame, attr, words):
    response = editor_client.get(PREVIEW, {"frame": frame})
    assert response.status_code == 400
    assert response.json()["attr"] == attr
    assert words in response.json()["detail"]


def test_clinicians_cannot_use_the_preview(client, clinic):
    ensure_roles()
    client.force_login(factories.clinician(clinic))
    response = client.get(PREVIEW, {"frame": json.dumps(standing_frame())})
    assert response.status_code == 403


def test_the_exercise_list_shows_each_start_picture_inline(editor_client):
    pictured = factories.IllustrationFactory(exercise__name="Wall slide").exercise
    factories.ExerciseFactory(name="Unpictured")
    page = editor_client.get("/admin/exercises/exercise/").content.decode()
    assert page.count('class="illustration-thumbnail" src="data:image/svg+xml;base64,') == 1
    assert 'alt="Standing (start)."' in page
    assert f"/admin/exercises/exercise/{pictured.pk}/change/" in page


@pytest.mark.parametrize(
    ("frame", "attr"),
    [
        ("[" * 100_000 + "]" * 100_000, "frame"),
        ("[" * 5_000 + "]" * 5_000, "frame"),
        (json.dumps({**standing_frame(), "alt_text": "Stand \ud800 tall."}), "alt_text"),
        (json.dumps({**standing_frame(), "alt_text": "Stand\x07 tall."}), "alt_text"),
        (json.dumps({**standing_frame(), "pose": [[[[[[[[]]]]]]]]}), "pose"),
    ],
)
def test_bad_input_to_the_preview_answers_400_never_500(editor_client, frame, attr):
    response = editor_client.get(PREVIEW, {"frame": frame})
    assert response.status_code == 400
    assert response.json()["attr"] == attr


def test_the_preview_svg_is_sandboxed(editor_client):
    response = editor_client.get(PREVIEW, {"frame": json.dumps(standing_frame())})
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )


def test_saving_a_frame_that_breaks_a_rule_names_the_frame_in_words(editor_client):
    """The admin's save validates with the model's rule (the one the API calls too)."""
    reaching = {
        **standing_frame("end", near_shoulder=90),
        "contacts": [
            {"part": "near_foot", "surface": "floor"},
            {"part": "far_foot", "surface": "floor"},
            {"part": "near_hand", "surface": "near_thigh"},
        ],
    }
    illustration = Illustration(
        exercise=factories.ExerciseFactory(), frames=[standing_frame(), reaching]
    )
    with pytest.raises(ValidationError) as refused:
        illustration.full_clean()
    assert refused.value.message_dict["frames"] == [
        "end: near hand is 64.3 cm away from the near thigh: change the pose."
    ]


def test_saving_the_editor_s_fields_unchanged_keeps_contact_sides_and_limits():
    """Every field the widget shows comes back as the same frame: nothing the words rely on
    (a hand behind the thigh, "do not touch your toes") is lost by opening and saving."""
    catalogue = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))["exercises"]
    for slug in (
        "modified-hurdler-stretch",
        "self-hamstring-massage",
        "lying-hamstring-stretch-strap",  # a strap round the mid-foot
        "standing-hamstring-stretch-step",  # a chair beside-reversed
        "plank",  # the kneeling plank, an easier option
    ):
        frames = catalogue[slug]
        widget = FramesWidget()
        context = widget.get_context("frames", frames, {})["widget"]
        posted = {"frames-count": str(context["count"])}
        for block in context["blocks"]:
            for key in (
                "name",
                "alt_text",
                "orientation",
                "props",
                "contacts",
                "limits",
                "views",
                "option",
            ):
                posted[f"{block['field']}-{key}"] = str(block[key])
            for joint in block["spine"]:
                posted[joint["name"]] = str(joint["value"])
            for joint in block["limbs"]:
                for side in joint["sides"]:
                    posted[side["name"]] = str(side["value"])
        back = widget.value_from_datadict(posted, {}, "frames")
        assert [f.to_dict() for f in parse_frames(back)] == [
            f.to_dict() for f in parse_frames(frames)
        ]
