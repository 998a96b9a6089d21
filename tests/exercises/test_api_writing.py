"""Catalogue editors writing exercises: create, update, publish, archive, delete, image."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exercises.models import Caution, Exercise
from tests import factories

pytestmark = pytest.mark.django_db

CAMERA_MAKER = 0x010F
ARTIST = 0x013B


def error(response) -> dict:
    body = response.json()
    assert body["type"] == ("validation_error" if response.status_code == 400 else "client_error")
    assert len(body["errors"]) == 1, body
    return body["errors"][0]


def attrs(response) -> set[str]:
    assert response.status_code == 400
    return {item["attr"] for item in response.json()["errors"]}


@pytest.fixture
def lookups():
    factories.BodyRegionFactory()
    factories.EquipmentFactory()
    factories.EquipmentFactory(slug="strap", name="Strap or belt")
    factories.TagFactory()
    factories.ConditionFactory()
    factories.ConditionFactory(slug="disc-injury", name="Disc injury")


def new_exercise(**changes) -> dict:
    return {
        "name": "Supine hamstring stretch",
        "slug": "supine-hamstring-stretch",
        "summary": "Lift one straight leg while lying on your back.",
        "category": "stretch",
        "position": "lying-on-back",
        "equipment": ["towel"],
        "body_region": "hamstrings",
        "difficulty": 1,
        "tags": ["static-hold"],
        "steps": ["Lie on your back with both legs straight.", "Lift one leg slowly."],
        "cues": ["Other leg stays long."],
        "default_dose": {
            "hold_seconds": 30,
            "reps": 3,
            "times_per_day": 1,
            "days_per_week": 7,
            "side": "both",
        },
        "advised_range": {"hold_seconds": {"min": 20, "max": 60}},
        "cautions": [
            {"condition": "sciatica", "severity": "warning", "text": "Stop if your leg tingles."}
        ],
        **changes,
    }


def test_an_editor_creates_a_draft_exercise_with_steps_and_cautions(as_editor, lookups):
    response = as_editor.post("/api/v1/exercises/", new_exercise(), format="json")

    assert response.status_code == 201, response.json()
    created = response.json()
    exercise = Exercise.objects.get(slug="supine-hamstring-stretch")
    assert response["Location"] == f"http://testserver/api/v1/exercises/{exercise.pk}/"
    assert created["id"] == exercise.pk
    assert created["status"] == "draft"
    assert created["steps"] == ["Lie on your back with both legs straight.", "Lift one leg slowly."]
    assert created["cues"] == ["Other leg stays long."]
    assert created["equipment"] == ["towel"]
    assert created["tags"] == ["static-hold"]
    assert created["default_dose"] == {
        "hold_seconds": 30,
        "reps": 3,
        "sets": None,
        "rest_seconds": None,
        "times_per_day": 1,
        "days_per_week": 7,
        "duration_seconds": None,
        "side": "both",
    }
    assert created["advised_range"]["hold_seconds"] == {"min": 20, "max": 60}
    [caution] = created["cautions"]
    assert {key: caution[key] for key in ("condition", "tag", "severity", "text")} == {
        "condition": "sciatica",
        "tag": None,
        "severity": "warning",
        "text": "Stop if your leg tingles.",
    }
    assert as_editor.get(response["Location"]).json() == created


def test_a_new_exercise_is_hidden_from_clinicians_until_published(
    api, as_editor, lookups, therapist
):
    exercise_id = as_editor.post("/api/v1/exercises/", new_exercise(), format="json").json()["id"]
    api.force_authenticate(therapist)
    assert api.get("/api/v1/exercises/").json()["count"] == 0
    assert api.get(f"/api/v1/exercises/{exercise_id}/").status_code == 404

    api.force_authenticate(factories.editor())
    published = api.post(f"/api/v1/exercises/{exercise_id}/publish/")
    assert published.status_code == 200
    assert published.json()["status"] == "published"

    api.force_authenticate(therapist)
    assert [e["id"] for e in api.get("/api/v1/exercises/").json()["results"]] == [exercise_id]


def test_the_status_cannot_be_written_directly(as_editor, lookups):
    response = as_editor.post("/api/v1/exercises/", new_exercise(status="published"), format="json")
    assert response.status_code == 201
    assert Exercise.objects.get().status == "draft"


def test_an_exercise_without_steps_cannot_be_published(as_editor):
    exercise = factories.ExerciseFactory(status="draft", steps=[])
    response = as_editor.post(f"/api/v1/exercises/{exercise.pk}/publish/")
    assert response.status_code == 400
    assert error(response) == {
        "code": "required",
        "detail": "An exercise needs at least one step before it is published.",
        "attr": "steps",
    }
    exercise.refresh_from_db()
    assert exercise.status == "draft"


def test_an_archived_exercise_leaves_the_clinicians_list(api, as_editor, therapist):
    exercise = factories.ExerciseFactory()
    response = as_editor.post(f"/api/v1/exercises/{exercise.pk}/archive/")
    assert response.status_code == 200
    assert response.json()["status"] == "archived"
    api.force_authenticate(therapist)
    assert api.get("/api/v1/exercises/").json()["count"] == 0


def test_put_replaces_steps_and_cautions(as_editor, lookups):
    exercise = factories.ExerciseFactory(slug="supine-hamstring-stretch", steps=["Old step."])
    factories.CautionFactory(exercise=exercise, text="Old caution.")
    payload = new_exercise(
        steps=["New first step.", "New second step.", "New third step."],
        cautions=[
            {"condition": "disc-injury", "severity": "contraindication", "text": "Not for you."}
        ],
        equipment=["strap"],
        tags=[],
    )

    response = as_editor.put(f"/api/v1/exercises/{exercise.pk}/", payload, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["steps"] == ["New first step.", "New second step.", "New third step."]
    assert [(c["condition"], c["text"]) for c in body["cautions"]] == [
        ("disc-injury", "Not for you.")
    ]
    assert body["equipment"] == ["strap"]
    assert body["tags"] == []
    assert as_editor.get(f"/api/v1/exercises/{exercise.pk}/").json() == body
    assert not Caution.objects.filter(text="Old caution.").exists()


def test_patch_without_nested_lists_keeps_them(as_editor):
    exercise = factories.ExerciseFactory(steps=["Keep me."])
    factories.CautionFactory(exercise=exercise, text="Keep me too.")
    response = as_editor.patch(
        f"/api/v1/exercises/{exercise.pk}/", {"summary": "Shorter."}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == "Shorter."
    assert body["steps"] == ["Keep me."]
    assert [c["text"] for c in body["cautions"]] == ["Keep me too."]


def test_patch_with_an_empty_step_list_clears_the_steps(as_editor):
    exercise = factories.ExerciseFactory()
    response = as_editor.patch(f"/api/v1/exercises/{exercise.pk}/", {"steps": []}, format="json")
    assert response.status_code == 200
    assert response.json()["steps"] == []
    assert not exercise.steps.exists()


@pytest.mark.parametrize(
    ("changes", "attr"),
    [
        ({"default_dose": {"hold_seconds": 301}}, "default_dose.hold_seconds"),
        ({"default_dose": {"days_per_week": 8}}, "default_dose.days_per_week"),
        ({"default_dose": {"side": "middle"}}, "default_dose.side"),
        ({"advised_range": {"reps": {"min": 0}}}, "advised_range.reps.min"),
        ({"difficulty": 4}, "difficulty"),
        ({"category": "yoga"}, "category"),
        ({"position": "upside-down"}, "position"),
        ({"body_region": "elbow"}, "body_region"),
        ({"equipment": ["trampoline"]}, "equipment"),
        ({"tags": ["no-such-tag"]}, "tags"),
        ({"cues": ["One\nTwo"]}, "cues"),
        ({"steps": ["x" * 501]}, "steps.0"),
        ({"cautions": [{"condition": "gout", "text": "No."}]}, "cautions.0.condition"),
        ({"cautions": [{"condition": "sciatica"}]}, "cautions.0.text"),
        ({"name": ""}, "name"),
    ],
)
def test_a_validation_error_names_the_field(as_editor, lookups, changes, attr):
    response = as_editor.post("/api/v1/exercises/", new_exercise(**changes), format="json")
    assert attrs(response) == {attr}
    assert not Exercise.objects.exists()


def test_an_advised_maximum_below_the_minimum_names_the_maximum(as_editor, lookups):
    payload = new_exercise(advised_range={"hold_seconds": {"min": 60, "max": 20}})
    response = as_editor.post("/api/v1/exercises/", payload, format="json")
    assert response.status_code == 400
    assert error(response) == {
        "code": "invalid_range",
        "detail": "The advised maximum is below the advised minimum.",
        "attr": "advised_range.hold_seconds.max",
    }
    assert not Exercise.objects.exists()


def test_patching_one_dose_value_keeps_the_others(as_editor):
    exercise = factories.ExerciseFactory(default_hold_seconds=30, default_reps=3)
    response = as_editor.patch(
        f"/api/v1/exercises/{exercise.pk}/", {"default_dose": {"reps": 5}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["default_dose"]["reps"] == 5
    assert response.json()["default_dose"]["hold_seconds"] == 30


def test_patching_an_advised_maximum_below_the_stored_minimum_is_refused(as_editor):
    exercise = factories.ExerciseFactory(advised_min_hold_seconds=20, advised_max_hold_seconds=60)
    response = as_editor.patch(
        f"/api/v1/exercises/{exercise.pk}/",
        {"advised_range": {"hold_seconds": {"max": 10}}},
        format="json",
    )
    assert response.status_code == 400
    assert error(response)["attr"] == "advised_range.hold_seconds.max"
    exercise.refresh_from_db()
    assert exercise.advised_max_hold_seconds == 60


def test_teaching_lines_are_counted_in_items_not_characters(as_editor):
    exercise = factories.ExerciseFactory()
    cues = [f"Cue number {index}: keep the other leg long and heavy." for index in range(30)]
    response = as_editor.patch(f"/api/v1/exercises/{exercise.pk}/", {"cues": cues}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["cues"] == cues

    response = as_editor.patch(
        f"/api/v1/exercises/{exercise.pk}/", {"cues": [*cues, "One too many."]}, format="json"
    )
    assert response.status_code == 400
    assert error(response)["attr"] == "cues"


def test_a_slug_already_in_use_is_refused(as_editor, lookups):
    factories.ExerciseFactory(slug="supine-hamstring-stretch")
    response = as_editor.post("/api/v1/exercises/", new_exercise(), format="json")
    assert error(response)["attr"] == "slug"


def test_an_unused_exercise_can_be_deleted(as_editor):
    exercise = factories.ExerciseFactory()
    response = as_editor.delete(f"/api/v1/exercises/{exercise.pk}/")
    assert response.status_code == 204
    assert as_editor.get(f"/api/v1/exercises/{exercise.pk}/").status_code == 404


def test_a_prescribed_exercise_cannot_be_deleted_but_can_be_archived(as_editor):
    exercise = factories.ExerciseFactory()
    factories.PrescriptionFactory(items=[exercise])

    response = as_editor.delete(f"/api/v1/exercises/{exercise.pk}/")

    assert response.status_code == 409
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "exercise_in_use",
                "detail": "This exercise is used by prescriptions or templates. Archive it instead.",
                "attr": None,
            }
        ],
    }
    assert as_editor.get(f"/api/v1/exercises/{exercise.pk}/").json()["status"] == "published"
    archived = as_editor.post(f"/api/v1/exercises/{exercise.pk}/archive/")
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"


def test_an_exercise_in_a_template_cannot_be_deleted(as_editor):
    exercise = factories.ExerciseFactory()
    factories.TemplateFactory().items.create(exercise=exercise)
    response = as_editor.delete(f"/api/v1/exercises/{exercise.pk}/")
    assert response.status_code == 409
    assert error(response)["code"] == "exercise_in_use"


def test_an_editor_uploads_a_png(as_editor):
    exercise = factories.ExerciseFactory()
    response = as_editor.put(
        f"/api/v1/exercises/{exercise.pk}/image/",
        {"image": factories.picture(), "image_alt_text": "A woman lifts one leg."},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["image"].startswith("http://testserver/media/exercises/stretch")
    assert body["image"].endswith(".png")
    assert body["image_alt_text"] == "A woman lifts one leg."
    exercise.refresh_from_db()
    with exercise.image.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("PNG", (64, 48))


def test_an_uploaded_photo_loses_its_exif(as_editor):
    exif = Image.Exif()
    exif[CAMERA_MAKER] = "Pocket Camera Co"
    exif[ARTIST] = "Dr Jane Example"
    upload = factories.picture("JPEG", "photo.jpg", exif=exif)
    with Image.open(io.BytesIO(upload.read())) as sent:
        assert dict(sent.getexif()) == {CAMERA_MAKER: "Pocket Camera Co", ARTIST: "Dr Jane Example"}
    upload.seek(0)
    exercise = factories.ExerciseFactory()

    response = as_editor.put(
        f"/api/v1/exercises/{exercise.pk}/image/", {"image": upload}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    exercise.refresh_from_db()
    with exercise.image.open("rb") as stored:
        data = stored.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert b"Dr Jane Example" not in data


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile(
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
            content_type="image/svg+xml",
        ),
        SimpleUploadedFile("notes.png", b"These are my notes, not a picture.", "image/png"),
    ],
    ids=["svg", "text-renamed-png"],
)
def test_a_file_that_is_not_a_picture_is_refused(as_editor, upload):
    exercise = factories.ExerciseFactory()
    response = as_editor.put(
        f"/api/v1/exercises/{exercise.pk}/image/", {"image": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert error(response)["attr"] == "image"
    exercise.refresh_from_db()
    assert not exercise.image
