import pytest

from prescriptions.models import Prescription, ProgrammeTemplate
from tests import factories
from tests.prescriptions.support import error_detail, errors, item, saved_rows

pytestmark = pytest.mark.django_db

TEMPLATES = "/api/v1/templates/"
PRESCRIPTIONS = "/api/v1/prescriptions/"


def detail(template) -> str:
    return f"{TEMPLATES}{template.pk}/"


def doses(items) -> list[tuple]:
    return [(i["exercise"], i["hold_seconds"], i["reps"], i["side"], i["notes"]) for i in items]


@pytest.fixture
def template(clinic, therapist, exercise):
    """The therapist's "Hamstrings, week 1" template with two items."""
    template = factories.TemplateFactory(
        clinic=clinic, created_by=therapist, name="Hamstrings, week 1", notes="Gently."
    )
    factories.TemplateItemFactory(template=template, exercise=exercise, order=0)
    factories.TemplateItemFactory(
        template=template, exercise=exercise, order=1, hold_seconds=50, notes="Other leg first"
    )
    return template


def test_a_clinician_creates_a_template(as_therapist, therapist, exercise):
    response = as_therapist.post(
        TEMPLATES,
        {
            "name": "Back care",
            "notes": "Every morning.",
            "items": [item(exercise, reps=4), item(exercise, hold_seconds=None, reps=12)],
            "patient": 1,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    template = ProgrammeTemplate.objects.get()
    assert response["Location"] == f"http://testserver{detail(template)}"
    body = response.json()
    assert (body["name"], body["notes"], body["created_by"]["id"]) == (
        "Back care",
        "Every morning.",
        therapist.pk,
    )
    assert "patient" not in body
    assert doses(body["items"]) == [
        (exercise.pk, 30, 4, "both", ""),
        (exercise.pk, None, 12, "both", ""),
    ]
    assert doses(as_therapist.get(response["Location"]).json()["items"]) == doses(body["items"])


def test_every_clinician_of_the_clinic_lists_and_reads_templates(as_colleague, template):
    listed = as_colleague.get(TEMPLATES).json()["results"]

    assert [t["name"] for t in listed] == ["Hamstrings, week 1"]
    body = as_colleague.get(detail(template)).json()
    assert doses(body["items"]) == [
        (template.items.first().exercise_id, 30, 3, "both", ""),
        (template.items.first().exercise_id, 50, 3, "both", "Other leg first"),
    ]


def test_duplicate_name_in_the_clinic_is_400_on_name(
    as_colleague, template, exercise, other_clinic
):
    before = saved_rows()

    response = as_colleague.post(
        TEMPLATES, {"name": "Hamstrings, week 1", "items": [item(exercise)]}, format="json"
    )

    assert errors(response, 400) == [("name", "unique")]
    assert saved_rows() == before
    factories.TemplateFactory(clinic=other_clinic, name="Shared name")
    response = as_colleague.post(TEMPLATES, {"name": "Shared name"}, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("items", "attr", "code"),
    [
        ([{"exercise": "EX", "reps": 101}], "items.0.reps", "max_value"),
        ([{"exercise": "EX"}, {"exercise": "EX", "sets": 0}], "items.1.sets", "min_value"),
        ([{"exercise": "DRAFT"}], "items.0.exercise", "does_not_exist"),
        ([{"exercise": "EX", "reps": None, "hold_seconds": None}], "items.0.reps", "out_of_bounds"),
        ([{"exercise": "EX"}] * 101, "items", "max_length"),
        ([{"exercise": "EX", "notes": "x" * 1001}], "items.0.notes", "max_length"),
    ],
)
def test_template_items_follow_the_dose_rules(as_therapist, exercise, items, attr, code):
    unpublished = factories.ExerciseFactory(status="draft")
    ids = {"EX": exercise.pk, "DRAFT": unpublished.pk}
    sent = [{**i, "exercise": ids[i["exercise"]]} for i in items]
    before = saved_rows()

    response = as_therapist.post(TEMPLATES, {"name": "Rules", "items": sent}, format="json")

    assert errors(response, 400) == [(attr, code)]
    assert saved_rows() == before


def test_the_author_changes_and_deletes_their_template(as_therapist, template, exercise):
    response = as_therapist.put(
        detail(template),
        {"name": "Hamstrings, week 2", "items": [item(exercise, hold_seconds=60)]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Hamstrings, week 2"
    assert doses(response.json()["items"]) == [(exercise.pk, 60, 3, "both", "")]
    assert as_therapist.delete(detail(template)).status_code == 204
    assert not ProgrammeTemplate.objects.exists()


def test_a_rejected_template_update_changes_nothing(as_therapist, template, exercise):
    response = as_therapist.patch(
        detail(template),
        {"name": "Renamed", "items": [item(exercise), item(exercise, days_per_week=8)]},
        format="json",
    )

    assert errors(response, 400) == [("items.1.days_per_week", "max_value")]
    shown = as_therapist.get(detail(template)).json()
    assert (shown["name"], len(shown["items"])) == ("Hamstrings, week 1", 2)


def test_a_template_rule_rejected_update_changes_nothing(as_therapist, template):
    unpublished = factories.ExerciseFactory(status="archived")

    response = as_therapist.patch(
        detail(template), {"name": "Renamed", "items": [item(unpublished)]}, format="json"
    )

    assert errors(response, 400) == [("items.0.exercise", "does_not_exist")]
    shown = as_therapist.get(detail(template)).json()
    assert (shown["name"], len(shown["items"])) == ("Hamstrings, week 1", 2)


def test_renaming_to_a_name_in_use_is_400_on_name(as_therapist, template, clinic):
    factories.TemplateFactory(clinic=clinic, name="Knees")

    response = as_therapist.patch(detail(template), {"name": "Knees"}, format="json")

    assert errors(response, 400) == [("name", "unique")]


def test_patch_without_items_keeps_them(as_therapist, template):
    response = as_therapist.patch(detail(template), {"notes": "Twice a day."}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["notes"] == "Twice a day."
    assert len(response.json()["items"]) == 2


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("put", {"name": "Mine now", "items": []}),
        ("patch", {"name": "Mine now"}),
        ("delete", None),
    ],
)
def test_a_clinician_who_did_not_author_it_cannot_change_it(as_colleague, template, method, body):
    response = getattr(as_colleague, method)(detail(template), body, format="json")

    assert errors(response, 403) == [(None, "permission_denied")]
    assert "author" in error_detail(response)
    template.refresh_from_db()
    assert (template.name, template.items.count()) == ("Hamstrings, week 1", 2)


def test_a_clinic_administrator_changes_and_deletes_any_of_the_clinics_templates(
    client_for, clinic, template, exercise
):
    admin = client_for(factories.clinic_admin(clinic))

    response = admin.patch(detail(template), {"items": [item(exercise, reps=6)]}, format="json")

    assert response.status_code == 200, response.content
    assert doses(response.json()["items"]) == [(exercise.pk, 30, 6, "both", "")]
    assert admin.delete(detail(template)).status_code == 204
    assert not ProgrammeTemplate.objects.exists()


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("put", "", {"name": "Taken"}),
        ("patch", "", {"name": "Taken"}),
        ("delete", "", None),
        ("post", "prescribe/", {}),
    ],
)
def test_another_clinics_template_answers_404_even_to_its_administrator(
    client_for, other_clinic, template, method, suffix, body
):
    admin = client_for(factories.clinic_admin(other_clinic))
    if suffix == "prescribe/":
        body = {"patient": factories.PatientFactory(clinic=other_clinic).pk}
    before = saved_rows()

    response = getattr(admin, method)(f"{detail(template)}{suffix}", body, format="json")

    assert errors(response, 404) == [(None, "not_found")]
    assert saved_rows() == before
    template.refresh_from_db()
    assert template.name == "Hamstrings, week 1"
    assert admin.get(TEMPLATES).json()["count"] == 0


def test_superuser_sees_every_clinics_templates(as_superuser, template, other_clinic):
    elsewhere = factories.TemplateFactory(clinic=other_clinic, name="Elsewhere")

    listed = {t["id"] for t in as_superuser.get(TEMPLATES).json()["results"]}

    assert listed == {template.pk, elsewhere.pk}


# From a prescription, to a prescription ---------------------------------------------------


def test_save_a_prescription_as_a_template(as_colleague, colleague, patient, exercise):
    prescription = factories.PrescriptionFactory(patient=patient, items=[exercise, exercise])
    prescription.items.filter(order=1).update(reps=7, notes="Slowly")

    response = as_colleague.post(
        f"{PRESCRIPTIONS}{prescription.pk}/save-as-template/",
        {"name": "From Zoë's programme"},
        format="json",
    )

    assert response.status_code == 201, response.content
    template = ProgrammeTemplate.objects.get()
    assert response["Location"] == f"http://testserver{detail(template)}"
    body = response.json()
    assert (body["name"], body["notes"], body["created_by"]["id"]) == (
        "From Zoë's programme",
        "Ease the pull at the back of your thighs.",
        colleague.pk,
    )
    assert doses(body["items"]) == [
        (exercise.pk, 30, 3, "both", ""),
        (exercise.pk, 30, 7, "both", "Slowly"),
    ]
    assert "patient" not in body


@pytest.mark.parametrize(
    ("body", "attr", "code"),
    [
        ({}, "name", "required"),
        ({"name": ""}, "name", "blank"),
        ({"name": "x" * 201}, "name", "max_length"),
        ({"name": "Hamstrings, week 1"}, "name", "unique"),
    ],
)
def test_save_as_template_needs_a_free_name(as_therapist, template, patient, body, attr, code):
    prescription = factories.PrescriptionFactory(patient=patient)
    before = saved_rows()

    response = as_therapist.post(
        f"{PRESCRIPTIONS}{prescription.pk}/save-as-template/", body, format="json"
    )

    assert errors(response, 400) == [(attr, code)]
    assert saved_rows() == before


def test_prescribe_a_template_makes_a_new_draft(as_colleague, colleague, template, patient):
    response = as_colleague.post(
        f"{detail(template)}prescribe/", {"patient": patient.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    prescription = Prescription.objects.get()
    assert body["id"] == prescription.pk
    assert response["ETag"] == as_colleague.get(response["Location"])["ETag"]
    assert (body["status"], body["version"], body["patient"], body["notes"]) == (
        "draft",
        1,
        patient.pk,
        "Gently.",
    )
    assert body["clinician"]["id"] == colleague.pk
    exercise_id = template.items.first().exercise_id
    assert doses(body["items"]) == [
        (exercise_id, 30, 3, "both", ""),
        (exercise_id, 50, 3, "both", "Other leg first"),
    ]
    assert doses(as_colleague.get(f"{PRESCRIPTIONS}{body['id']}/").json()["items"]) == doses(
        body["items"]
    )


def test_prescribe_for_another_clinics_patient_is_400_on_patient(
    as_therapist, template, other_clinic
):
    elsewhere = factories.PatientFactory(clinic=other_clinic)
    before = saved_rows()

    response = as_therapist.post(
        f"{detail(template)}prescribe/", {"patient": elsewhere.pk}, format="json"
    )

    assert errors(response, 400) == [("patient", "does_not_exist")]
    assert saved_rows() == before


def test_prescribe_follows_the_patients_contraindications(as_therapist, template, clinic, exercise):
    sciatica = factories.ConditionFactory(slug="sciatica")
    factories.CautionFactory(condition=sciatica, exercise=exercise, severity="contraindication")
    patient = factories.PatientFactory(clinic=clinic, conditions=[sciatica])
    before = saved_rows()

    response = as_therapist.post(
        f"{detail(template)}prescribe/", {"patient": patient.pk}, format="json"
    )

    assert errors(response, 400) == [
        ("items.0.exercise", "contraindicated"),
        ("items.1.exercise", "contraindicated"),
    ]
    assert saved_rows() == before


# Query counts -----------------------------------------------------------------------------


def template_with_items(clinic, author, count: int):
    condition = factories.ConditionFactory(slug="sciatica")
    tag = factories.TagFactory(slug="end-range", name="End range")
    factories.CautionFactory(condition=condition, tag=tag)
    template = factories.TemplateFactory(clinic=clinic, created_by=author)
    for order in range(count):
        exercise = factories.ExerciseFactory(tags=[tag])
        factories.CautionFactory(condition=condition, exercise=exercise)
        factories.TemplateItemFactory(template=template, exercise=exercise, order=order)
    return template


# The user's clinic profile, clinic and roles; the template with its author and their profile;
# the items; their exercises with body region, read once per catalogue version (a template has
# no patient, so no caution applies).
TEMPLATE_DETAIL_QUERIES = 6


@pytest.mark.parametrize("items", [3, 30])
def test_template_detail_query_count_does_not_grow_with_items(
    client_for, therapist, clinic, django_assert_num_queries, items
):
    template = template_with_items(clinic, therapist, items)
    api = client_for(therapist)

    with django_assert_num_queries(TEMPLATE_DETAIL_QUERIES):
        response = api.get(detail(template))

    assert len(response.json()["items"]) == items


# As the detail, plus the count of the page (templates hold no patient data: no read audit).
TEMPLATE_LIST_QUERIES = 7


@pytest.mark.parametrize("templates", [3, 30])
def test_template_list_query_count_does_not_grow_with_templates(
    client_for, therapist, clinic, django_assert_num_queries, templates
):
    tag = factories.TagFactory(slug="end-range", name="End range")
    factories.CautionFactory(tag=tag)
    exercise = factories.ExerciseFactory(tags=[tag])
    for _ in range(templates):
        template = factories.TemplateFactory(clinic=clinic, created_by=factories.clinician(clinic))
        factories.TemplateItemFactory(template=template, exercise=exercise)
    api = client_for(therapist)

    with django_assert_num_queries(TEMPLATE_LIST_QUERIES):
        response = api.get(TEMPLATES)

    rows = response.json()["results"]
    assert len(rows) == min(templates, 20)
    assert all(row["created_by"]["name"] for row in rows)
