"""Conditions (with cautions), assessments and safety notes (with condition variants)."""

import pytest

from exercises.models import Assessment, Caution, Condition, SafetyNote, SafetyNoteVariant
from tests import factories

pytestmark = pytest.mark.django_db


def attrs(response) -> set[str]:
    assert response.status_code == 400, response.status_code
    assert response.json()["type"] == "validation_error"
    return {item["attr"] for item in response.json()["errors"]}


def created(response, url_prefix, model):
    assert response.status_code == 201, response.json()
    record = model.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"http://testserver{url_prefix}{record.pk}/"
    return record


# ---------------------------------------------------------------- conditions


def test_a_condition_lists_its_cautions_by_exercise_and_by_tag(as_therapist):
    exercise = factories.ExerciseFactory(slug="wall-hamstring-stretch")
    sciatica = factories.ConditionFactory(
        description="Leg pain from an irritated nerve.",
        short_name="sciatica",
        pain_label="Leg pain",
    )
    by_exercise = factories.CautionFactory(condition=sciatica, exercise=exercise, text="Go easy.")
    by_tag = factories.CautionFactory(
        condition=sciatica,
        tag=factories.TagFactory(),
        severity="contraindication",
        text="No long holds.",
        acknowledged_text="Your physiotherapist has checked this. Stop if your leg pain grows.",
        clinician_text="Long static holds can irritate the nerve root.",
    )

    [listed] = as_therapist.get("/api/v1/conditions/").json()["results"]

    assert listed == {
        "id": sciatica.pk,
        "slug": "sciatica",
        "name": "Sciatica",
        "short_name": "sciatica",
        "pain_label": "Leg pain",
        "second_pain_label": "",
        "pain_scored_next_morning": False,
        "description": "Leg pain from an irritated nerve.",
        "cautions": [
            {
                "id": by_exercise.pk,
                "exercise": "wall-hamstring-stretch",
                "tag": None,
                "severity": "warning",
                "text": "Go easy.",
                "acknowledged_text": "",
                "clinician_text": "",
                "alternative_text": "",
                "alternative_category": "",
                "untranslated_fields": [],
            },
            {
                "id": by_tag.pk,
                "exercise": None,
                "tag": "static-hold",
                "severity": "contraindication",
                "text": "No long holds.",
                "acknowledged_text": (
                    "Your physiotherapist has checked this. Stop if your leg pain grows."
                ),
                "clinician_text": "Long static holds can irritate the nerve root.",
                "alternative_text": "",
                "alternative_category": "",
                "untranslated_fields": [],
            },
        ],
        "untranslated_fields": [],
    }
    assert as_therapist.get(f"/api/v1/conditions/{sciatica.pk}/").json() == listed


def test_an_editor_creates_a_condition_with_cautions(as_editor):
    factories.ExerciseFactory(slug="seated-towel-stretch")
    factories.TagFactory(slug="two-leg-seated-fold", name="Two-leg seated fold")
    response = as_editor.post(
        "/api/v1/conditions/",
        {
            "slug": "disc-injury",
            "name": "Disc injury",
            "cautions": [
                {
                    "tag": "two-leg-seated-fold",
                    "severity": "contraindication",
                    "text": "Do not fold over both legs.",
                },
                {"exercise": "seated-towel-stretch", "text": "Keep your back long."},
            ],
        },
        format="json",
    )
    condition = created(response, "/api/v1/conditions/", Condition)
    assert condition.name == "Disc injury"
    assert [
        (c["exercise"], c["tag"], c["severity"], c["text"]) for c in response.json()["cautions"]
    ] == [
        (None, "two-leg-seated-fold", "contraindication", "Do not fold over both legs."),
        ("seated-towel-stretch", None, "warning", "Keep your back long."),
    ]


def test_writing_a_conditions_cautions_replaces_them(as_editor):
    exercise = factories.ExerciseFactory(slug="plank")
    sciatica = factories.ConditionFactory()
    factories.CautionFactory(condition=sciatica, tag=factories.TagFactory(), text="Old one.")
    factories.CautionFactory(condition=sciatica, exercise=exercise, text="Old two.")

    response = as_editor.patch(
        f"/api/v1/conditions/{sciatica.pk}/",
        {"cautions": [{"exercise": "plank", "text": "The only caution now."}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert [c["text"] for c in response.json()["cautions"]] == ["The only caution now."]
    assert list(Caution.objects.values_list("text", flat=True)) == ["The only caution now."]


def test_patching_a_conditions_name_keeps_its_cautions(as_editor):
    sciatica = factories.ConditionFactory()
    factories.CautionFactory(condition=sciatica, tag=factories.TagFactory(), text="Keep me.")
    response = as_editor.patch(
        f"/api/v1/conditions/{sciatica.pk}/", {"name": "Sciatic pain"}, format="json"
    )
    assert response.status_code == 200
    assert [c["text"] for c in response.json()["cautions"]] == ["Keep me."]


@pytest.mark.parametrize(
    ("caution", "attr"),
    [
        ({"text": "Nothing targeted."}, "cautions.0.exercise"),
        (
            {"exercise": "plank", "tag": "static-hold", "text": "Both targeted."},
            "cautions.0.exercise",
        ),
        ({"exercise": "no-such-exercise", "text": "Unknown."}, "cautions.0.exercise"),
        ({"tag": "no-such-tag", "text": "Unknown."}, "cautions.0.tag"),
        ({"exercise": "", "tag": "static-hold", "text": "Blank."}, "cautions.0.exercise"),
        ({"exercise": "plank", "tag": "", "text": "Blank."}, "cautions.0.tag"),
        ({"exercise": "plank", "severity": "mild", "text": "Bad severity."}, "cautions.0.severity"),
        ({"exercise": "plank"}, "cautions.0.text"),
    ],
)
def test_a_caution_targets_exactly_one_known_exercise_or_tag(as_editor, caution, attr):
    factories.ExerciseFactory(slug="plank")
    factories.TagFactory()
    response = as_editor.post(
        "/api/v1/conditions/",
        {"slug": "gout", "name": "Gout", "cautions": [caution]},
        format="json",
    )
    assert attrs(response) == {attr}
    assert not Condition.objects.filter(slug="gout").exists()


def test_a_condition_slug_is_unique(as_editor):
    factories.ConditionFactory()
    response = as_editor.post(
        "/api/v1/conditions/", {"slug": "sciatica", "name": "Sciatica again"}, format="json"
    )
    assert attrs(response) == {"slug"}


# ---------------------------------------------------------------- assessments

ASSESSMENT = {
    "slug": "sit-and-reach",
    "name": "Sit and reach",
    "performed_by": "self",
    "procedure": ["Sit with your legs straight.", "Reach forward slowly."],
    "measure": "cm",
    "interpretation": "Further is more flexible.",
    "caution": "Stop if your back hurts.",
    "references": ["back-pain-hamstrings-hidden-link: Sit and reach"],
}


def test_assessments_are_listed_and_opened_with_their_procedure_as_lines(as_therapist):
    assessment = factories.AssessmentFactory(
        slug="straight-leg-raise",
        name="Straight leg raise",
        procedure="Lie on your back.\nLift one straight leg.",
    )
    [listed] = as_therapist.get("/api/v1/assessments/").json()["results"]
    assert listed == {
        "id": assessment.pk,
        "slug": "straight-leg-raise",
        "name": "Straight leg raise",
        "performed_by": "clinician",
        "procedure": ["Lie on your back.", "Lift one straight leg."],
        "measure": "degrees",
        "interpretation": "A smaller angle means tighter hamstrings.",
        "caution": "",
        "references": [],
        "illustrations": [],
    }
    assert as_therapist.get(f"/api/v1/assessments/{assessment.pk}/").json() == listed


def test_an_editor_creates_and_updates_an_assessment(as_editor):
    response = as_editor.post("/api/v1/assessments/", ASSESSMENT, format="json")
    assessment = created(response, "/api/v1/assessments/", Assessment)
    assert response.json() == {"id": assessment.pk, "illustrations": [], **ASSESSMENT}

    response = as_editor.put(
        f"/api/v1/assessments/{assessment.pk}/",
        {**ASSESSMENT, "procedure": ["Sit on the floor."], "measure": "yes-no"},
        format="json",
    )
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert (assessment.procedure, assessment.measure) == ("Sit on the floor.", "yes-no")


@pytest.mark.parametrize(
    ("changes", "attr"),
    [
        ({"performed_by": "robot"}, "performed_by"),
        ({"measure": "kg"}, "measure"),
        ({"procedure": []}, "procedure"),
        ({"interpretation": ""}, "interpretation"),
    ],
)
def test_an_assessment_error_names_the_field(as_editor, changes, attr):
    response = as_editor.post("/api/v1/assessments/", {**ASSESSMENT, **changes}, format="json")
    assert attrs(response) == {attr}
    assert not Assessment.objects.exists()


def test_an_editor_deletes_an_assessment(as_editor):
    assessment = factories.AssessmentFactory()
    assert as_editor.delete(f"/api/v1/assessments/{assessment.pk}/").status_code == 204
    assert as_editor.get(f"/api/v1/assessments/{assessment.pk}/").status_code == 404


# ---------------------------------------------------------------- safety notes


def test_safety_notes_show_their_condition_variants(as_therapist):
    note = factories.SafetyNoteFactory(
        slug="gentle-pull", text="A stretch should feel like a mild pull."
    )
    factories.SafetyNoteVariantFactory(note=note, text="Keep every stretch light.")
    [listed] = as_therapist.get("/api/v1/safety-notes/").json()["results"]
    assert listed == {
        "id": note.pk,
        "slug": "gentle-pull",
        "tier": "precaution",
        "order": 0,
        "text": "A stretch should feel like a mild pull.",
        "applies_to": "all",
        "variants": [
            {
                "condition": "sciatica",
                "combined_with": None,
                "text": "Keep every stretch light.",
                "untranslated_fields": [],
            }
        ],
        "references": [],
        "is_active": True,
        # An English reader: every text is as written.
        "untranslated_fields": [],
    }
    assert as_therapist.get(f"/api/v1/safety-notes/{note.pk}/").json() == listed


def test_an_editor_creates_a_safety_note_with_variants(as_editor):
    factories.ConditionFactory()
    response = as_editor.post(
        "/api/v1/safety-notes/",
        {
            "slug": "leg-pain",
            "tier": "contact-clinic",
            "text": "Contact us about new leg pain.",
            "variants": [{"condition": "sciatica", "text": "Contact us if it spreads."}],
            "references": ["back-pain-hamstrings-hidden-link: Pain past the knee"],
        },
        format="json",
    )
    note = created(response, "/api/v1/safety-notes/", SafetyNote)
    assert note.tier == "contact-clinic"
    assert response.json()["variants"] == [
        {
            "condition": "sciatica",
            "combined_with": None,
            "text": "Contact us if it spreads.",
            "untranslated_fields": [],
        }
    ]
    assert response.json()["references"] == ["back-pain-hamstrings-hidden-link: Pain past the knee"]


def test_writing_a_notes_variants_replaces_them(as_editor):
    note = factories.SafetyNoteFactory()
    factories.SafetyNoteVariantFactory(note=note, text="Old sciatica wording.")
    factories.ConditionFactory(slug="disc-injury", name="Disc injury")

    response = as_editor.patch(
        f"/api/v1/safety-notes/{note.pk}/",
        {"variants": [{"condition": "disc-injury", "text": "New disc wording."}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["variants"] == [
        {
            "condition": "disc-injury",
            "combined_with": None,
            "text": "New disc wording.",
            "untranslated_fields": [],
        }
    ]
    assert list(SafetyNoteVariant.objects.values_list("text", flat=True)) == ["New disc wording."]


def test_two_variants_for_one_condition_are_refused(as_editor):
    note = factories.SafetyNoteFactory()
    factories.ConditionFactory()
    response = as_editor.patch(
        f"/api/v1/safety-notes/{note.pk}/",
        {
            "variants": [
                {"condition": "sciatica", "text": "One wording."},
                {"condition": "sciatica", "text": "Another wording."},
            ]
        },
        format="json",
    )
    assert attrs(response) == {"variants"}
    assert not SafetyNoteVariant.objects.exists()


def test_a_wording_for_two_conditions_together_is_kept_beside_each_ones_own(as_editor):
    note = factories.SafetyNoteFactory()
    factories.ConditionFactory()
    factories.ConditionFactory(slug="disc-injury", name="Disc injury")
    variants = [
        {
            "condition": "sciatica",
            "combined_with": None,
            "text": "Sciatica wording.",
            "untranslated_fields": [],
        },
        {
            "condition": "disc-injury",
            "combined_with": None,
            "text": "Disc wording.",
            "untranslated_fields": [],
        },
        {
            "condition": "sciatica",
            "combined_with": "disc-injury",
            "text": "Both wording.",
            "untranslated_fields": [],
        },
    ]

    response = as_editor.patch(
        f"/api/v1/safety-notes/{note.pk}/", {"variants": variants}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["variants"] == variants
    assert as_editor.get(f"/api/v1/safety-notes/{note.pk}/").json()["variants"] == variants


@pytest.mark.parametrize(
    "pair",
    [
        [("sciatica", "disc-injury"), ("disc-injury", "sciatica")],
        [("sciatica", "sciatica")],
    ],
    ids=["the same pair twice", "a condition with itself"],
)
def test_a_wording_for_two_conditions_must_name_two_once(as_editor, pair):
    note = factories.SafetyNoteFactory()
    factories.ConditionFactory()
    factories.ConditionFactory(slug="disc-injury", name="Disc injury")
    variants = [
        {"condition": first, "combined_with": second, "text": "Both wording."}
        for first, second in pair
    ]

    response = as_editor.patch(
        f"/api/v1/safety-notes/{note.pk}/", {"variants": variants}, format="json"
    )

    assert attrs(response) == {"variants"}
    assert not SafetyNoteVariant.objects.exists()


@pytest.mark.parametrize(
    ("changes", "attr"),
    [
        ({"tier": "whenever"}, "tier"),
        ({"text": ""}, "text"),
        ({"variants": [{"condition": "gout", "text": "Unknown."}]}, "variants.0.condition"),
        # A mistyped marker would print raw, without the patient's agreed score.
        ({"text": "Keep to your score. {agreed scor}"}, "text"),
        ({"text": "{agreed score} and again {agreed score}"}, "text"),
        (
            {"variants": [{"condition": "sciatica", "text": "Your score: {score}."}]},
            "variants.0.text",
        ),
        # An empty second condition names none: refused, never read as "no second condition".
        (
            {"variants": [{"condition": "sciatica", "combined_with": "", "text": "Both."}]},
            "variants.0.combined_with",
        ),
    ],
)
def test_a_safety_note_error_names_the_field(as_editor, changes, attr):
    factories.ConditionFactory()
    payload = {"slug": "new-note", "tier": "urgent", "text": "Call us today.", **changes}
    response = as_editor.post("/api/v1/safety-notes/", payload, format="json")
    assert attrs(response) == {attr}
    assert not SafetyNote.objects.exists()


def test_an_editor_retires_a_safety_note(as_editor):
    note = factories.SafetyNoteFactory()
    response = as_editor.patch(
        f"/api/v1/safety-notes/{note.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_advice_naming_another_exercise_must_say_its_kind(as_editor):
    factories.ExerciseFactory(slug="seated-towel-stretch")
    body = {
        "slug": "disc-injury",
        "name": "Disc injury",
        "cautions": [
            {
                "exercise": "seated-towel-stretch",
                "text": "Sit tall.",
                "alternative_text": "If your back hurts",
            }
        ],
    }
    response = as_editor.post("/api/v1/conditions/", body, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["cautions.0.alternative_category"]
    body["cautions"][0]["alternative_category"] = "stretch"
    # A whole sentence would name an exercise the programme may not hold: the handout ends it.
    body["cautions"][0]["alternative_text"] = "Use a lying stretch instead."
    sentence = as_editor.post("/api/v1/conditions/", body, format="json")
    assert sentence.status_code == 400
    assert [e["attr"] for e in sentence.json()["errors"]] == ["cautions.0.alternative_text"]
    body["cautions"][0]["alternative_text"] = "If your back hurts"
    created = as_editor.post("/api/v1/conditions/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["cautions"][0]["alternative_category"] == "stretch"
