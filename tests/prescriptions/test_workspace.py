"""The workspace's server side: the picker, the live check, the page per patient, Issue that
saves first, templates, and clinic scoping; the browser side is in tests/e2e/."""

import json

import pytest

from exercises.models import Category
from prescriptions import services
from prescriptions.models import Prescription, PrescriptionStatus, ProgrammeTemplate
from tests import factories
from tests.prescriptions.support import workspace_form_data as form_data

pytestmark = pytest.mark.django_db

WORKSPACE = "/admin/prescriptions/prescription"
REASON = "Pain-free in clinic; agreed with the patient."


@pytest.fixture
def signed_in(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def sciatica(db):
    return factories.ConditionFactory(slug="sciatica", name="Sciatica")


def picker(client, **params):
    """The public exercise list, asked with the admin's session as the workspace's picker
    asks it: published exercises (with the cautions for the patient's conditions, given as
    `cautions_for_conditions`)."""
    query = {"status": "published", "page_size": 40, **params}
    response = client.get("/api/v1/exercises/", query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def check_errors(client, patient, items) -> list[tuple[str, str]]:
    """The public check's errors, as the workspace asks it with the admin's session."""
    response = client.post(
        "/api/v1/prescriptions/check/",
        json.dumps({"patient": patient.pk, "items": items}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return [(error["attr"], error["detail"]) for error in response.json()["errors"]]


def test_the_picker_ranks_name_starts_then_names_then_summaries(signed_in):
    factories.ExerciseFactory(name="Buttock massage", summary="Eases the hamstring too.")
    factories.ExerciseFactory(name="Lying hamstring stretch")
    factories.ExerciseFactory(name="Hamstring curl")
    factories.ExerciseFactory(name="Calf raise")
    assert [entry["name"] for entry in picker(signed_in, search="hamstring")] == [
        "Hamstring curl",
        "Lying hamstring stretch",
        "Buttock massage",
    ]


def test_the_picker_hides_contraindicated_exercises_unless_asked_and_marks_cautions(
    signed_in, sciatica
):
    blocked = factories.ExerciseFactory(name="Seated fold")
    cautioned = factories.ExerciseFactory(name="Strap stretch")
    factories.CautionFactory(condition=sciatica, exercise=blocked, severity="contraindication")
    factories.CautionFactory(
        condition=sciatica, exercise=cautioned, clinician_text="Limit knee extension."
    )

    def severities(entry):
        return [caution["severity"] for caution in entry["patient_cautions"]]

    safe = picker(signed_in, cautions_for_conditions="sciatica", condition_safe="sciatica")
    assert [(e["name"], severities(e)) for e in safe] == [("Strap stretch", ["warning"])]
    assert safe[0]["patient_cautions"][0]["text"] == (
        "“Strap stretch”, Sciatica: Limit knee extension."
    )
    everything = picker(signed_in, cautions_for_conditions="sciatica")
    assert [(e["name"], severities(e)) for e in everything] == [
        ("Seated fold", ["contraindication"]),
        ("Strap stretch", ["warning"]),
    ]


def test_the_picker_filters_and_shows_the_default_dose_in_words(signed_in):
    stretch = factories.ExerciseFactory(name="Stretch", category=Category.STRETCH)
    factories.ExerciseFactory(name="Massage", category=Category.SOFT_TISSUE)
    factories.ExerciseFactory(name="Draft stretch", category=Category.STRETCH, status="draft")
    (entry,) = picker(signed_in, category="stretch")
    assert entry["id"] == stretch.pk
    assert entry["default_dose_text"] == (
        "Hold for 30 seconds. Do this 3 times on each leg. Once a day, every day."
    )
    assert entry["default_dose"]["reps"] == 3
    assert (entry["image"], entry["thumbnail_url"]) == (None, None)


@pytest.mark.parametrize("exercises", [2, 8])
def test_the_picker_reads_in_a_fixed_number_of_queries(
    signed_in, sciatica, django_assert_num_queries, exercises
):
    tag = factories.TagFactory()
    for index in range(exercises):
        factories.ExerciseFactory(name=f"Stretch {index}", tags=[tag])
    # The session (read, then touched in a savepoint: 4), user, roles, and the list's own:
    # the condition slugs checked, the search's words of the catalogue, count, page with
    # equipment and tags, the conditions named for the cautions, the page's cautions for them
    # in one query: the same count for 2 exercises or 8. (The test client names no language,
    # so the reader's clinic is read for its language: 2 more.)
    with django_assert_num_queries(16):
        picker(
            signed_in,
            search="stretch",
            condition_safe="sciatica",
            cautions_for_conditions="sciatica",
        )


@pytest.mark.parametrize("junk", ["abc", "1.5", "-1", "²"])
def test_ids_that_are_not_ids_are_not_found(signed_in, junk):
    response = signed_in.post(f"{WORKSPACE}/from-template/", {"patient": junk, "template": junk})
    assert response.status_code == 404
    assert signed_in.get(f"{WORKSPACE}/new/?patient={junk}").status_code == 302


def test_a_new_prescription_needs_a_patient_of_the_clinic(signed_in, other_clinic_user):
    response = signed_in.get(f"{WORKSPACE}/new/")
    assert response["Location"] == "/admin/"
    theirs = factories.PatientFactory(clinic=other_clinic_user.clinician.clinic)
    response = signed_in.get(f"{WORKSPACE}/new/?patient={theirs.pk}")
    assert response["Location"] == "/admin/"


def test_the_patient_list_and_page_offer_a_new_prescription(signed_in, clinic):
    patient = factories.PatientFactory(clinic=clinic)
    link = f'href="{WORKSPACE}/new/?patient={patient.pk}"'
    assert link in signed_in.get("/admin/prescriptions/patient/").content.decode()
    assert (
        link in signed_in.get(f"/admin/prescriptions/patient/{patient.pk}/change/").content.decode()
    )


def test_the_admin_has_no_view_site_link(signed_in):
    assert "View site" not in signed_in.get("/admin/").content.decode()


@pytest.fixture
def draft(clinic, therapist):
    return factories.PrescriptionFactory(
        patient__clinic=clinic, clinician=therapist, items=[factories.ExerciseFactory()]
    )


def test_issue_saves_what_is_on_screen_then_issues_it(signed_in, draft):
    response = signed_in.post(
        f"{WORKSPACE}/{draft.pk}/workspace/",
        form_data(draft, **{"items-0-reps": "7", "_issue": "1"}),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PrescriptionStatus.ISSUED
    assert draft.items.get().reps == 7
    assert "Do this 7 times" in json.dumps(draft.snapshot, ensure_ascii=False)


def test_issue_with_an_invalid_change_saves_nothing_and_issues_nothing(signed_in, draft):
    response = signed_in.post(
        f"{WORKSPACE}/{draft.pk}/workspace/",
        form_data(draft, **{"items-0-reps": "500", "_issue": "1"}),
    )
    assert response.status_code == 200
    assert "Not issued: correct the errors below. Nothing was saved." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PrescriptionStatus.DRAFT
    assert draft.items.get().reps == 3


def test_a_save_over_a_newer_save_is_refused(signed_in, draft):
    stale = form_data(draft, **{"items-0-reps": "7"})
    Prescription.objects.filter(pk=draft.pk).update(row_version=draft.row_version + 1)
    response = signed_in.post(f"{WORKSPACE}/{draft.pk}/workspace/", stale)
    assert response.status_code == 200
    assert "This prescription changed after you opened it" in response.content.decode()
    assert draft.items.get().reps == 3


def test_start_from_a_template_and_save_as_a_template(signed_in, clinic, draft):
    template = factories.TemplateFactory(clinic=clinic, name="Starter")
    factories.TemplateItemFactory(template=template)
    patient = factories.PatientFactory(clinic=clinic)
    response = signed_in.post(
        f"{WORKSPACE}/from-template/", {"patient": patient.pk, "template": template.pk}
    )
    started = Prescription.objects.get(patient=patient)
    assert response["Location"] == f"{WORKSPACE}/{started.pk}/workspace/"
    assert started.items.count() == 1

    response = signed_in.post(f"{WORKSPACE}/{draft.pk}/save-as-template/", {"name": "From draft"})
    saved = ProgrammeTemplate.objects.get(name="From draft")
    assert response["Location"] == f"/admin/prescriptions/programmetemplate/{saved.pk}/change/"
    assert saved.items.count() == 1


def test_another_clinics_template_cannot_start_a_prescription(signed_in, clinic):
    theirs = factories.TemplateFactory(clinic=factories.ClinicFactory())
    patient = factories.PatientFactory(clinic=clinic)
    response = signed_in.post(
        f"{WORKSPACE}/from-template/", {"patient": patient.pk, "template": theirs.pk}
    )
    assert response.status_code == 404
    assert not Prescription.objects.exists()


def test_preview_shows_the_draft_handout_in_the_tab(signed_in, draft):
    response = signed_in.get(f"{WORKSPACE}/{draft.pk}/handout/?preview=1")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")


def test_a_template_page_gets_the_same_programme_rows(client, clinic):
    client.force_login(factories.clinic_admin(clinic))
    page = client.get("/admin/prescriptions/programmetemplate/add/").content.decode()
    assert 'id="workspace-config"' in page
    assert 'class="programme-add button"' in page


# Lossless dose entry, acknowledgements that belong to their exercise, reasons -------------


def row_errors(response, field: str) -> list[str]:
    return response.context["formset"].forms[0].errors.get(field, [])


def test_dose_boxes_are_text_with_a_numeric_keypad_never_number_inputs(signed_in, draft):
    page = signed_in.get(f"{WORKSPACE}/{draft.pk}/workspace/").content.decode()
    assert 'type="number"' not in page
    assert 'name="items-0-reps"' in page
    # The row's seven dose boxes and the empty row's template, and the agreed pain score.
    assert page.count('inputmode="numeric"') == 2 * 7 + 1
    assert 'name="agreed_pain_score" inputmode="numeric"' in page.replace('type="text" ', "")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("days_per_week", "5e", "Days a week: enter a whole number from 1 to 7."),
        ("reps", "8-12", "Reps: enter a whole number from 1 to 100."),
        ("reps", "1,5", "Reps: enter a whole number from 1 to 100."),
        ("reps", "abc", "Reps: enter a whole number from 1 to 100."),
    ],
)
def test_a_mistyped_dose_is_an_error_at_its_field_and_saves_nothing(
    signed_in, draft, field, typed, message
):
    saved = draft.items.get()
    response = signed_in.post(
        f"{WORKSPACE}/{draft.pk}/workspace/", form_data(draft, **{f"items-0-{field}": typed})
    )
    assert response.status_code == 200
    assert row_errors(response, field) == [message]
    assert f'value="{typed}"' in response.content.decode()  # what was typed is still shown
    assert draft.items.get().reps == saved.reps
    assert draft.items.get().days_per_week == saved.days_per_week


def test_the_check_reads_the_raw_text_of_a_dose_box_by_the_same_rule(signed_in, clinic, therapist):
    patient = factories.PatientFactory(clinic=clinic)
    exercise = factories.ExerciseFactory()
    rows = [
        {"exercise": exercise.pk, "reps": "8", "days_per_week": "5e"},
        {"exercise": exercise.pk, "reps": "1,5"},
        {"exercise": exercise.pk, "reps": "8", "sets": ""},
    ]
    assert check_errors(signed_in, patient, rows) == [
        ("items.0.days_per_week", "Days a week: enter a whole number from 1 to 7."),
        ("items.1.reps", "Reps: enter a whole number from 1 to 100."),
    ]


def test_an_acknowledgement_left_on_a_switched_exercise_is_refused_at_its_box(
    signed_in, clinic, sciatica
):
    """The row's contraindicated exercise was acknowledged, then switched to a safe one."""
    patient = factories.PatientFactory(clinic=clinic, conditions=[sciatica])
    blocked = factories.ExerciseFactory(name="Seated fold")
    factories.CautionFactory(condition=sciatica, exercise=blocked, severity="contraindication")
    draft = factories.PrescriptionFactory(patient=patient, items=[blocked])
    draft.items.update(acknowledge_contraindication=True, contraindication_reason=REASON)
    safe = factories.ExerciseFactory(name="Bridge")

    response = signed_in.post(
        f"{WORKSPACE}/{draft.pk}/workspace/",
        form_data(
            draft,
            **{
                "items-0-exercise": safe.pk,
                "items-0-acknowledge_contraindication": "on",
                "items-0-contraindication_reason": REASON,
            },
        ),
    )
    assert response.status_code == 200
    assert row_errors(response, "acknowledge_contraindication") == [
        "Nothing to acknowledge: “Bridge” is not contraindicated for this patient's "
        "conditions. Untick “Prescribe despite the contraindication”."
    ]
    assert draft.items.get().exercise == blocked
    errors = check_errors(
        signed_in,
        patient,
        [{"exercise": safe.pk, "reps": "5", "acknowledge_contraindication": True}],
    )
    assert [attr for attr, _ in errors] == ["items.0.acknowledge_contraindication"]


@pytest.mark.parametrize("reason", ["x", "  wrong    "])
def test_a_void_reason_needs_ten_characters_and_is_kept_on_screen(signed_in, draft, reason):
    services.issue_prescription(prescription=draft)
    response = signed_in.post(f"{WORKSPACE}/{draft.pk}/void/", {"reason": reason})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say why it is voided, in at least 10 characters." in page
    assert f">{reason}</textarea>" in page
    draft.refresh_from_db()
    assert draft.status == PrescriptionStatus.ISSUED
