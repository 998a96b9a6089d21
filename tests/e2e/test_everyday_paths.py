"""The everyday path from the admin's home page, in Chromium at 1366 x 768: a new patient to
a downloaded issued handout with four exercises, every click and page load counted; and the
home page's patient finder, checked by axe-core like the workspace.

Measured before the finder (issue 28), by the same rules: 14 clicks and 4 page loads (the
patients' "Add", a click into each of the four fields, "Save and continue editing", "New
prescription", then as now).
"""

import pytest
from playwright.sync_api import expect

from prescriptions.models import Patient, Prescription, PrescriptionStatus
from tests import factories
from tests.e2e.axe import wcag_violations
from tests.e2e.budget import Budget
from tests.e2e.test_admin import pdf_text, sign_in
from tests.e2e.test_click_budget import EXERCISES

pytestmark = pytest.mark.e2e

TYPED = "Anna Byrne 02/03/1970 MRN-E2E-28"


@pytest.fixture
def home(page, live_server, therapist):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, therapist)
    expect(page.get_by_role("heading", name="New prescription")).to_be_visible()
    return page


def test_a_new_patient_to_a_downloaded_issued_handout_from_the_home_page(
    home, catalogue, clinic, watch, screenshot
):
    page = home
    budget = Budget()
    budget.watch(page.context)

    # The search box has the focus on arrival: typing needs no click; Enter submits.
    page.keyboard.type(TYPED)
    budget.clicks += 1
    budget.steps.append("enter: find patient")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"No patient found for “{TYPED}”.")).to_be_visible()
    screenshot(page, "everyday-1-not-found", full_page=False)
    budget.click(page.get_by_role("link", name=f"New patient “{TYPED}”"), "new patient")
    expect(page.get_by_label("Family name")).to_have_value("Byrne")
    expect(page.get_by_label("Date of birth")).to_have_value("1970-03-02")
    budget.click(page.get_by_role("button", name="Save", exact=True), "save the patient")
    expect(page.locator(".workspace-patient")).to_contain_text("Anna Byrne")
    expect(page.locator(".picker-entry").first).to_be_visible()
    for name in EXERCISES:
        entry = page.locator(".picker-add").filter(has=page.locator(".picker-name", has_text=name))
        budget.click(entry.first, f"add {name}")
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(4)
    budget.click(page.get_by_role("button", name="Issue…"), "issue")
    budget.click(page.get_by_role("button", name="Save and issue"), "confirm")
    expect(page.locator("ul.messagelist li.success")).to_have_text(
        "Saved and issued. The handout is ready."
    )
    with page.expect_download() as download:
        budget.click(page.get_by_role("link", name="Download handout"), "download")
    with open(download.value.path(), "rb") as handle:
        text = pdf_text(handle.read())

    patient = Patient.objects.get(identifier="MRN-E2E-28")
    assert (patient.given_name, patient.family_name, patient.clinic) == ("Anna", "Byrne", clinic)
    prescription = Prescription.objects.get(patient=patient)
    assert prescription.status == PrescriptionStatus.ISSUED
    assert [item.exercise.name for item in prescription.items.order_by("order")] == EXERCISES
    assert "Anna Byrne" in text
    print(f"AFTER {budget.clicks} clicks, {budget.page_loads} page loads: {budget.steps}")
    assert (budget.clicks, budget.page_loads) == (10, 4), budget.steps
    watch.assert_clean()


def test_a_found_patient_opens_their_new_prescription_and_the_finder_passes_axe(
    home, live_server, clinic, watch, screenshot
):
    page = home
    patient = factories.PatientFactory(clinic=clinic, given_name="Anna", family_name="Byrne")

    page.get_by_label("Patient: name, record number or date of birth").fill("31/02/1970")
    page.keyboard.press("Enter")
    expect(page.locator("#patient-finder-error")).to_contain_text(
        "“31/02/1970” is not a date this clinic reads"
    )
    found = wcag_violations(page)
    assert found == [], "\n".join(found)

    page.get_by_label("Patient: name, record number or date of birth").fill("byrne")
    page.keyboard.press("Enter")
    expect(page.locator(".patient-finder-results li")).to_have_count(1)
    screenshot(page, "everyday-2-found", full_page=False)
    found = wcag_violations(page)
    assert found == [], "\n".join(found)
    page.get_by_role("link", name="Anna Byrne").click()
    expect(page).to_have_url(
        f"{live_server.url}/admin/prescriptions/prescription/new/?patient={patient.pk}"
    )
    watch.assert_clean()
