"""The admin in a real browser: what therapists and catalogue editors actually click."""

import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import pypdf
import pytest
from playwright.sync_api import expect

from exercises.dose import DOSE_FIELD_NAMES
from exercises.models import Caution, Exercise, Status
from exercises.wording import caution_for_clinician, dose_sentence
from prescriptions import services
from prescriptions.models import Patient, Prescription, PrescriptionItem, PrescriptionStatus
from tests import factories

pytestmark = pytest.mark.e2e

SCIATICA = "Sciatica (irritated sciatic nerve)"
STATIC_HOLD_CAUTION = (
    "Holding a stretch still can upset an irritated nerve. Keep the stretch light. Stop if "
    "tingling, numbness or leg pain gets worse, and tell us."
)


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


def add_link(page, model: str):
    """The "Add" link of a model on the admin index."""
    return page.locator(f"#content-main tr.model-{model} a.addlink")


def success_message(page):
    return page.locator("ul.messagelist li.success")


def pick_exercise(page, row: int, search: str, name: str) -> None:
    """Chooses an exercise in an inline row's select2 autocomplete, as a therapist does."""
    page.locator(f"#id_items-{row}-exercise + .select2-container").click()
    page.locator(".select2-container--open .select2-search__field").press_sequentially(search)
    page.locator(".select2-results__option", has_text=re.compile(f"^{re.escape(name)}$")).click()
    expect(page.locator(f"#select2-id_items-{row}-exercise-container")).to_have_text(name)


def autocomplete_offers(page, row: int, search: str) -> list[str]:
    """The exercise names the prescribing autocomplete offers for `search`."""
    page.locator(f"#id_items-{row}-exercise + .select2-container").click()
    with page.expect_response(
        lambda response: (
            "/admin/autocomplete/" in response.url
            and parse_qs(urlsplit(response.url).query).get("term") == [search]
        )
    ):
        page.locator(".select2-container--open .select2-search__field").press_sequentially(search)
    expect(page.locator(".select2-results__option.loading-results")).to_have_count(0)
    offered = page.locator(".select2-results__option").all_text_contents()
    page.locator("#content h1").click()  # closes the dropdown
    expect(page.locator(".select2-container--open")).to_have_count(0)
    return offered


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_therapist_prescribes_for_a_patient_with_sciatica_and_prints_the_handout(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    sign_in(page, live_server, therapist)

    # A new patient with sciatica, ticked in the conditions' boxes.
    add_link(page, "patient").click()
    page.get_by_label("Given name").fill("Zoë")
    page.get_by_label("Family name").fill("Łukasiewicz")
    page.get_by_label("Date of birth").fill("1970-03-02")
    page.get_by_label("Record number").fill("MRN-E2E-01")
    page.get_by_label(SCIATICA).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")
    patient = Patient.objects.get(identifier="MRN-E2E-01")
    assert patient.clinic == clinic
    assert [c.name for c in patient.conditions.all()] == [SCIATICA]

    # "New prescription" on the patient's page: goal, three exercises added from the picker.
    page.get_by_role("link", name="New prescription").click()
    page.locator("#id_notes").fill("Walk the dog again without leg pain.")
    for name in [
        "Lying hamstring stretch (straight leg)",
        "Bottom lift (glute bridge)",
        "Arm and leg reach (bird-dog)",
    ]:
        page.locator(".picker-add").filter(
            has=page.locator(".picker-name", has_text=re.compile(f"^{re.escape(name)}$"))
        ).click()
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(3)
    # Each row's dose fills in from the catalogue default.
    for row, exercise_slug in enumerate(["supine-hamstring-stretch", "glute-bridge", "bird-dog"]):
        exercise = Exercise.objects.get(slug=exercise_slug)
        for name in DOSE_FIELD_NAMES:
            default = getattr(exercise, f"default_{name}")
            expected = "" if default is None else str(default)
            expect(page.locator(f"#id_items-{row}-{name}")).to_have_value(expected)
    # The therapist changes one value: 12 glute bridges instead of the default 10.
    page.locator("#id_items-1-reps").fill("12")
    page.locator("#id_review_date").fill("2027-01-15")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(success_message(page)).to_contain_text("was added successfully")
    # The caution stands once, beside its row, in the clinician's words naming the exercise.
    expect(page.locator("ul.messagelist li.warning")).to_have_count(0)
    static_hold = Caution.objects.get(condition__slug="sciatica", tag__slug="static-hold")
    stretch = Exercise.objects.get(slug="supine-hamstring-stretch")
    expect(page.locator(".row-findings li")).to_have_text(
        [caution_for_clinician(static_hold, stretch)]
    )
    expect(page.locator("#id_items-1-reps")).to_have_value("12")
    prescription = Prescription.objects.get(patient=patient)
    assert [item.reps for item in prescription.items.order_by("order", "id")] == [3, 12, 8]
    screenshot(page, "prescription-change-draft")

    # Issue, then download the handout from the same page.
    page.get_by_role("button", name="Issue…").click()
    page.get_by_role("button", name="Save and issue").click()
    expect(success_message(page)).to_have_text("Saved and issued. The handout is ready.")
    prescription.refresh_from_db()
    assert prescription.status == PrescriptionStatus.ISSUED
    screenshot(page, "prescription-change-issued")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download handout").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)

    assert "Zoë Łukasiewicz" in text
    for name in [
        "Lying hamstring stretch (straight leg)",
        "Bottom lift (glute bridge)",
        "Arm and leg reach (bird-dog)",
    ]:
        assert name in text
    bridge = Exercise.objects.get(slug="glute-bridge")
    changed_dose = dose_sentence(
        {
            **{name: getattr(bridge, f"default_{name}") for name in DOSE_FIELD_NAMES},
            "reps": 12,
        },
        bridge.body_region.limb,
    )
    assert "12 times" in changed_dose
    assert changed_dose in text
    assert STATIC_HOLD_CAUTION in text

    watch.assert_clean()


def test_editor_publishes_a_new_exercise_that_clinicians_can_then_prescribe(
    open_page, live_server, watch, roles, clinic
):
    factories.BodyRegionFactory()
    factories.ExerciseFactory(name="Hamstring stretch on the stairs", status=Status.PUBLISHED)
    factories.ExerciseFactory(name="Hamstring curl machine (draft)", status=Status.DRAFT)
    name = "Prone hamstring curl with a band"

    editor_page = open_page()
    sign_in(editor_page, live_server, factories.editor(clinic))
    add_link(editor_page, "exercise").click()
    editor_page.locator("#id_name").fill(name)
    editor_page.get_by_label("Summary").fill("Lying face down, bend your knee against a band.")
    # The slug fills in from the name as the editor types (prepopulate.js).
    expect(editor_page.get_by_label("Slug")).to_have_value("prone-hamstring-curl-with-a-band")
    editor_page.locator("#id_category").select_option(label="Strengthening")
    editor_page.locator("#id_position").select_option(label="Lying on your front")
    editor_page.locator("#id_body_region").select_option(label="Hamstrings")
    editor_page.locator("#id_default_reps").fill("10")
    editor_page.locator("#id_steps-0-text").fill("Lie face down with a band around one ankle.")
    editor_page.get_by_role("button", name="Add another Step").click()
    editor_page.locator("#id_steps-1-order").fill("1")
    editor_page.locator("#id_steps-1-text").fill("Bend your knee slowly, then lower it.")
    editor_page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(editor_page)).to_contain_text("was added successfully")
    exercise = Exercise.objects.get(name=name)
    assert exercise.status == Status.DRAFT
    assert list(exercise.steps.values_list("text", flat=True)) == [
        "Lie face down with a band around one ankle.",
        "Bend your knee slowly, then lower it.",
    ]

    # Publish it with the changelist action.
    row = editor_page.locator("#result_list tbody tr", has_text=name)
    row.locator("input.action-select").check()
    editor_page.locator("select[name=action]").select_option(label="Publish the selected exercises")
    editor_page.get_by_role("button", name="Go").click()
    expect(success_message(editor_page)).to_have_text(f"Published “{name}”.")
    expect(row.locator("td.field-status")).to_have_text("Published")
    # Nobody has reviewed it clinically, and the list says so rather than naming anyone.
    expect(row.locator("td.field-clinical_review")).to_have_text("not yet clinically reviewed")

    # A clinician finds it in the prescribing autocomplete; the draft is not offered.
    clinician_page = open_page()
    sign_in(clinician_page, live_server, factories.clinician(clinic))
    patient = factories.PatientFactory(clinic=clinic)
    clinician_page.goto(
        f"{live_server.url}/admin/prescriptions/prescription/new/?patient={patient.pk}"
    )
    clinician_page.get_by_role("button", name="Add an empty row").click()
    offered = autocomplete_offers(clinician_page, 0, "hamstring")
    assert name in offered
    assert "Hamstring stretch on the stairs" in offered
    assert "Hamstring curl machine (draft)" not in offered
    assert autocomplete_offers(clinician_page, 0, "curl machine") == ["No results found"]
    pick_exercise(clinician_page, 0, "prone", name)
    expect(clinician_page.locator("#id_items-0-reps")).to_have_value("10")

    watch.assert_clean()


def test_a_clinician_cannot_reach_another_clinics_patients(page, live_server, watch, clinic):
    theirs = factories.PatientFactory(
        clinic=clinic, given_name="Harriet", family_name="Oyelaran", identifier="MRN-RIV-1"
    )
    prescription = factories.PrescriptionFactory(patient=theirs)
    hilltop = factories.ClinicFactory(name="Hilltop Clinic")
    factories.PatientFactory(
        clinic=hilltop, given_name="Ian", family_name="Hill", identifier="MRN-HIL-1"
    )
    outsider = factories.clinician(hilltop)
    sign_in(page, live_server, outsider)

    page.goto(f"{live_server.url}/admin/prescriptions/patient/{theirs.pk}/change/")
    assert page.url == f"{live_server.url}/admin/"
    expect(page.locator("ul.messagelist li.warning")).to_have_text(
        f"Patient with ID “{theirs.pk}” doesn’t exist. Perhaps it was deleted?"
    )
    expect(page.locator("body")).not_to_contain_text("Oyelaran")

    page.goto(f"{live_server.url}/admin/prescriptions/patient/")
    expect(page.locator("#result_list")).to_contain_text("Hill")
    expect(page.locator("#result_list")).not_to_contain_text("Oyelaran")
    page.goto(f"{live_server.url}/admin/prescriptions/patient/?q=Oyelaran")
    expect(page.locator("#result_list")).to_have_count(0)
    expect(page.locator("#changelist-form")).to_contain_text("0 patients")

    page.goto(f"{live_server.url}/admin/prescriptions/prescription/{prescription.pk}/workspace/")
    assert page.url == f"{live_server.url}/admin/"
    expect(page.locator("body")).not_to_contain_text("Oyelaran")
    handout = page.request.get(
        f"{live_server.url}/admin/prescriptions/prescription/{prescription.pk}/handout/"
    )
    assert handout.status == 404

    watch.assert_clean()


def test_admin_pages_are_pleasant_to_work_with(
    page, live_server, watch, catalogue, clinic, therapist
):
    sciatica = factories.ConditionFactory()
    patient = factories.PatientFactory(clinic=clinic, conditions=[sciatica])
    stretch = Exercise.objects.get(slug="supine-hamstring-stretch")
    issued = factories.PrescriptionFactory(patient=patient, items=[stretch], clinician=therapist)
    services.issue_prescription(prescription=issued)
    draft = factories.PrescriptionFactory(
        patient=patient, items=[stretch], clinician=therapist, review_date=datetime.date(2027, 3, 1)
    )
    sign_in(page, live_server, therapist)

    # The header names the clinic.
    expect(page.locator("#site-name")).to_have_text("Riverside Physio · Exercise prescriptions")

    # The prescription page reads in a therapist's order: patient, goal, exercises, dates.
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/{draft.pk}/workspace/")
    order = ["Goal", "Programme", "Dates"]
    headings = [text.strip() for text in page.locator("#content-main h2").all_text_contents()]
    seen = [title for heading in headings for title in order if heading.startswith(title)]
    assert seen == order, headings
    # Every dose column explains itself: a help icon whose tooltip is the field's help text.
    for name in DOSE_FIELD_NAMES:
        help_text = str(PrescriptionItem._meta.get_field(name).help_text)
        assert help_text
        label = page.locator(f"#items-group label.column-{name}")
        expect(label).to_have_attribute("title", help_text)

    # The handout is one click from the prescriptions list.
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/")
    row = page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name=re.compile(rf"^#{issued.pk} v1 "))
    )
    with page.expect_download() as download:
        row.get_by_role("link", name="Download handout").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    # The patient's page lists their prescriptions with their status.
    page.goto(f"{live_server.url}/admin/prescriptions/patient/{patient.pk}/change/")
    listed = page.locator(".patient-prescriptions tbody tr")
    expect(listed).to_have_count(2)
    for prescription, status in [(issued, "Issued"), (draft, "Draft")]:
        link = page.get_by_role("link", name=f"#{prescription.pk}, version 1", exact=True)
        expect(listed.filter(has=link).locator("td").nth(2)).to_have_text(status)

    watch.assert_clean()
