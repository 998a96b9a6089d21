"""Reading the exercise catalogue: what clinicians and editors see, filters and ordering."""

from datetime import date

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [exercise["name"] for exercise in response.json()["results"]]


def error(response) -> dict:
    body = response.json()
    assert body["type"] == ("validation_error" if response.status_code == 400 else "client_error")
    assert len(body["errors"]) == 1
    return body["errors"][0]


@pytest.fixture
def statuses():
    factories.ExerciseFactory(name="Published stretch", status="published")
    factories.ExerciseFactory(name="Draft stretch", status="draft")
    factories.ExerciseFactory(name="Archived stretch", status="archived")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/exercises/",
        "/api/v1/exercises/1/",
        "/api/v1/conditions/",
        "/api/v1/assessments/",
        "/api/v1/safety-notes/",
    ],
)
def test_reading_the_catalogue_needs_credentials(api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"


def test_clinicians_list_only_published_exercises(as_therapist, statuses):
    assert names(as_therapist.get("/api/v1/exercises/")) == ["Published stretch"]


@pytest.mark.parametrize("status", ["draft", "archived", "published"])
def test_the_status_filter_cannot_show_a_clinician_other_exercises(as_therapist, statuses, status):
    listed = names(as_therapist.get(f"/api/v1/exercises/?status={status}"))
    assert listed == (["Published stretch"] if status == "published" else [])


def test_a_clinician_cannot_open_a_draft(as_therapist):
    draft = factories.ExerciseFactory(status="draft")
    response = as_therapist.get(f"/api/v1/exercises/{draft.pk}/")
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


def test_a_clinician_can_still_open_an_archived_exercise(as_therapist):
    archived = factories.ExerciseFactory(name="Old stretch", status="archived")
    response = as_therapist.get(f"/api/v1/exercises/{archived.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "archived"


def test_editors_list_every_status(as_editor, statuses):
    assert names(as_editor.get("/api/v1/exercises/")) == [
        "Archived stretch",
        "Draft stretch",
        "Published stretch",
    ]


@pytest.mark.parametrize("status", ["draft", "archived", "published"])
def test_editors_filter_by_status(as_editor, statuses, status):
    assert names(as_editor.get(f"/api/v1/exercises/?status={status}")) == [
        f"{status.title()} stretch"
    ]


def test_list_shows_choice_slugs_and_related_slugs(as_therapist):
    exercise = factories.ExerciseFactory(
        name="Foam roll",
        category="soft-tissue",
        position="side-lying",
        body_region=factories.BodyRegionFactory(slug="glutes", name="Buttocks"),
        tags=[factories.TagFactory(slug="floor-work", name="Floor work")],
        difficulty=2,
    )
    exercise.equipment.set(
        [
            factories.EquipmentFactory(slug="foam-roller", name="Foam roller"),
            factories.EquipmentFactory(),
        ]
    )
    [listed] = as_therapist.get("/api/v1/exercises/").json()["results"]
    assert listed == {
        "id": exercise.pk,
        "name": "Foam roll",
        "slug": exercise.slug,
        "summary": "Stretch the back of the thigh.",
        "category": "soft-tissue",
        "position": "side-lying",
        "equipment": ["foam-roller", "towel"],
        "body_region": "glutes",
        "target_muscles": "",
        "difficulty": 2,
        "tags": ["floor-work"],
        "status": "published",
        "default_dose": {
            "hold_seconds": 30,
            "reps": 3,
            "sets": 1,
            "rest_seconds": None,
            "times_per_day": 1,
            "days_per_week": 7,
            "duration_seconds": None,
            "side": "both",
        },
        "default_dose_text": "Hold for 30 seconds. Do this 3 times on each leg. Once a day, every day.",
        "required_dose_fields": [],
        "used_dose_fields": [],
        "dose_fields_in_use": [
            "days_per_week",
            "hold_seconds",
            "reps",
            "sets",
            "side",
            "times_per_day",
        ],
        "sides": [],
        "image": None,
        "image_alt_text": "",
        "thumbnail_url": None,
        "patient_cautions": None,
        "untranslated_fields": [],
    }


def test_detail_shows_steps_in_order_and_the_teaching_text(as_therapist):
    exercise = factories.ExerciseFactory(
        steps=["Lie down.", "Lift the leg.", "Hold still."],
        cues="Other leg stays long.\nBreathe out.",
        common_mistakes="Do not bounce.",
        safety_notes="Stop if your leg tingles.",
        advised_min_reps=2,
        advised_max_reps=3,
    )
    factories.ExerciseReferenceFactory(
        exercise=exercise,
        source=factories.SourceFactory(
            key="hamstrings-and-back-pain",
            title="Hamstrings and back pain",
            author="A. Writer",
            published="9 June",
        ),
        note="Hold 30-60 s",
    )
    body = as_therapist.get(f"/api/v1/exercises/{exercise.pk}/").json()
    assert body["steps"] == ["Lie down.", "Lift the leg.", "Hold still."]
    assert body["cues"] == ["Other leg stays long.", "Breathe out."]
    assert body["common_mistakes"] == ["Do not bounce."]
    assert body["safety_notes"] == ["Stop if your leg tingles."]
    assert body["default_dose"]["hold_seconds"] == 30
    assert body["advised_range"] == {
        "hold_seconds": {"min": 20, "max": 60},
        "reps": {"min": 2, "max": 3},
        "sets": {"min": None, "max": None},
        "rest_seconds": {"min": None, "max": None},
        "times_per_day": {"min": None, "max": None},
        "days_per_week": {"min": None, "max": None},
        "duration_seconds": {"min": None, "max": None},
    }
    assert body["references"] == [
        {
            "source": "hamstrings-and-back-pain",
            "title": "Hamstrings and back pain",
            "author": "A. Writer",
            "publisher": "",
            "published": "9 June",
            "url": "",
            "note": "Hold 30-60 s",
        }
    ]
    assert body["reviewed_by"] == ""
    assert body["clinical_review"] == "not yet clinically reviewed"


def test_a_reviewed_exercise_names_its_reviewer(as_therapist):
    exercise = factories.ExerciseFactory(reviewed_by="J. Physio", reviewed_on=date(2027, 1, 5))
    body = as_therapist.get(f"/api/v1/exercises/{exercise.pk}/").json()
    assert body["clinical_review"] == "reviewed by J. Physio on 2027-01-05"


def test_detail_steps_follow_their_order_not_their_creation(as_therapist):
    exercise = factories.ExerciseFactory(steps=[])
    exercise.steps.create(order=2, text="Lower the leg.")
    exercise.steps.create(order=0, text="Lie down.")
    exercise.steps.create(order=1, text="Lift the leg.")
    body = as_therapist.get(f"/api/v1/exercises/{exercise.pk}/").json()
    assert body["steps"] == ["Lie down.", "Lift the leg.", "Lower the leg."]


def test_detail_cautions_include_the_exercises_own_and_its_tags(as_therapist):
    static_hold = factories.TagFactory()
    exercise = factories.ExerciseFactory(tags=[static_hold])
    factories.ExerciseFactory(tags=[factories.TagFactory(slug="floor-work")])
    own = factories.CautionFactory(exercise=exercise, text="Keep the knee soft.")
    by_tag = factories.CautionFactory(
        tag=static_hold,
        condition=factories.ConditionFactory(slug="disc-injury", name="Disc injury"),
        severity="contraindication",
        text="Avoid long holds.",
    )
    body = as_therapist.get(f"/api/v1/exercises/{exercise.pk}/").json()
    assert body["cautions"] == [
        {
            "id": own.pk,
            "condition": "sciatica",
            "tag": None,
            "severity": "warning",
            "text": "Keep the knee soft.",
            "acknowledged_text": "",
            "clinician_text": "",
            "alternative_text": "",
            "alternative_category": "",
            "untranslated_fields": [],
        },
        {
            "id": by_tag.pk,
            "condition": "disc-injury",
            "tag": "static-hold",
            "severity": "contraindication",
            "text": "Avoid long holds.",
            "acknowledged_text": "",
            "clinician_text": "",
            "alternative_text": "",
            "alternative_category": "",
            "untranslated_fields": [],
        },
    ]


@pytest.fixture
def catalogue():
    """Four exercises that differ in every way a clinician filters by."""
    towel = factories.EquipmentFactory()
    band = factories.EquipmentFactory(slug="band", name="Exercise band")
    chair = factories.EquipmentFactory(slug="chair", name="Sturdy chair")
    static_hold = factories.TagFactory()
    floor_work = factories.TagFactory(slug="floor-work", name="Floor work")
    lower_back = factories.BodyRegionFactory(slug="lower-back", name="Lower back", limb="side")
    made = {
        "Lying hamstring stretch": factories.ExerciseFactory(
            name="Lying hamstring stretch",
            summary="Raise one straight leg.",
            target_muscles="Hamstrings",
            category="stretch",
            position="lying-on-back",
            difficulty=1,
            tags=[static_hold, floor_work],
        ),
        "Glute bridge": factories.ExerciseFactory(
            name="Glute bridge",
            summary="Lift your hips off the floor.",
            target_muscles="Gluteus maximus",
            category="strengthening",
            position="lying-on-back",
            difficulty=2,
            tags=[floor_work],
        ),
        "Cat and camel": factories.ExerciseFactory(
            name="Cat and camel",
            summary="Round and arch your BACK slowly.",
            target_muscles="Spinal extensors",
            category="mobility",
            position="hands-and-knees",
            body_region=lower_back,
            difficulty=3,
        ),
        "Seated massage": factories.ExerciseFactory(
            name="Seated massage",
            summary="Roll a ball under your thigh.",
            target_muscles="Hamstrings",
            category="soft-tissue",
            position="seated",
        ),
    }
    made["Lying hamstring stretch"].equipment.set([towel, band])
    made["Glute bridge"].equipment.set([band])
    made["Seated massage"].equipment.set([chair])
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=stretch", ["Lying hamstring stretch"]),
        ("category=strengthening", ["Glute bridge"]),
        ("category=mobility", ["Cat and camel"]),
        ("category=soft-tissue", ["Seated massage"]),
        ("position=lying-on-back", ["Glute bridge", "Lying hamstring stretch"]),
        ("position=hands-and-knees", ["Cat and camel"]),
        ("position=seated", ["Seated massage"]),
        ("position=standing", []),
        ("equipment=towel", ["Lying hamstring stretch"]),
        ("equipment=band", ["Glute bridge", "Lying hamstring stretch"]),
        ("equipment=towel,chair", ["Lying hamstring stretch", "Seated massage"]),
        ("equipment=band, towel", ["Glute bridge", "Lying hamstring stretch"]),
        ("body_region=lower-back", ["Cat and camel"]),
        ("body_region=hamstrings", ["Glute bridge", "Lying hamstring stretch", "Seated massage"]),
        ("tag=floor-work", ["Glute bridge", "Lying hamstring stretch"]),
        ("tag=static-hold", ["Lying hamstring stretch"]),
        ("search=hamstring", ["Lying hamstring stretch", "Seated massage"]),
        ("search=HIPS", ["Glute bridge"]),
        ("search=back", ["Cat and camel"]),
        ("search=gluteus", ["Glute bridge"]),
        ("category=stretch&position=seated", []),
        ("tag=floor-work&equipment=towel", ["Lying hamstring stretch"]),
    ],
)
def test_filters(as_therapist, catalogue, query, expected):
    assert names(as_therapist.get(f"/api/v1/exercises/?{query}")) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Cat and camel", "Glute bridge", "Lying hamstring stretch", "Seated massage"]),
        ("-name", ["Seated massage", "Lying hamstring stretch", "Glute bridge", "Cat and camel"]),
        (
            "difficulty,name",
            ["Lying hamstring stretch", "Seated massage", "Glute bridge", "Cat and camel"],
        ),
        (
            "-difficulty,name",
            ["Cat and camel", "Glute bridge", "Lying hamstring stretch", "Seated massage"],
        ),
    ],
)
def test_ordering(as_therapist, catalogue, ordering, expected):
    assert names(as_therapist.get(f"/api/v1/exercises/?ordering={ordering}")) == expected


def test_ordering_by_difficulty_alone_puts_the_easiest_first(as_therapist, catalogue):
    listed = as_therapist.get("/api/v1/exercises/?ordering=difficulty").json()["results"]
    assert [exercise["difficulty"] for exercise in listed] == [1, 1, 2, 3]


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("category=yoga", "category"),
        ("position=upside-down", "position"),
        ("body_region=elbow", "body_region"),
        ("tag=no-such-tag", "tag"),
        ("equipment=towel,trampoline", "equipment"),
        ("condition_safe=gout", "condition_safe"),
    ],
)
def test_an_unknown_filter_value_is_refused_naming_the_filter(as_therapist, catalogue, query, attr):
    response = as_therapist.get(f"/api/v1/exercises/?{query}")
    assert response.status_code == 400
    assert error(response)["attr"] == attr


def test_an_unknown_equipment_slug_is_named_in_the_error(as_therapist, catalogue):
    response = as_therapist.get("/api/v1/exercises/?equipment=towel,trampoline,hoop")
    assert response.status_code == 400
    assert error(response) == {
        "code": "invalid_choice",
        "detail": "Unknown: hoop, trampoline.",
        "attr": "equipment",
    }


def test_an_unknown_status_is_refused_for_editors(as_editor):
    response = as_editor.get("/api/v1/exercises/?status=deleted")
    assert response.status_code == 400
    assert error(response)["attr"] == "status"


def test_condition_safe_hides_exercises_contraindicated_directly_or_by_tag(as_therapist, catalogue):
    disc_injury = factories.ConditionFactory(slug="disc-injury", name="Disc injury")
    factories.CautionFactory(
        condition=disc_injury,
        tag=factories.TagFactory(),
        severity="contraindication",
        text="Avoid long holds.",
    )
    factories.CautionFactory(
        condition=disc_injury,
        exercise=catalogue["Cat and camel"],
        severity="contraindication",
        text="Avoid rounding your back.",
    )
    factories.CautionFactory(
        condition=disc_injury,
        exercise=catalogue["Glute bridge"],
        severity="warning",
        text="Keep the lift small.",
    )
    factories.CautionFactory(
        exercise=catalogue["Seated massage"], severity="contraindication", text="Not for sciatica."
    )
    assert names(as_therapist.get("/api/v1/exercises/?condition_safe=disc-injury")) == [
        "Glute bridge",
        "Seated massage",
    ]
    assert names(as_therapist.get("/api/v1/exercises/?condition_safe=sciatica")) == [
        "Cat and camel",
        "Glute bridge",
        "Lying hamstring stretch",
    ]


def test_condition_safe_names_the_filter_for_an_unknown_condition(as_therapist):
    response = as_therapist.get("/api/v1/exercises/?condition_safe=gout")
    assert response.status_code == 400
    assert error(response) == {
        "code": "invalid_choice",
        "detail": "Unknown condition: gout.",
        "attr": "condition_safe",
    }
