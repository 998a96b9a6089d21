"""The click budget: from an existing patient's page to a downloaded issued handout with four
exercises and one dose changed, at most 12 clicks and 4 page loads.

Measured on the admin before the workspace (breadcrumb, Add prescription, the patient
drop-down, three "Add another", two clicks per autocomplete, Save, Issue, Download):
19 clicks and 4 page loads.
"""

import pytest
from playwright.sync_api import expect

from exercises.models import Exercise
from exercises.wording import dose_sentence
from prescriptions.models import Prescription, PrescriptionStatus
from tests import factories
from tests.e2e.budget import Budget
from tests.e2e.test_admin import pdf_text, sign_in

pytestmark = pytest.mark.e2e

EXERCISES = [
    "Lying hamstring stretch (straight leg)",
    "Bottom lift (glute bridge)",
    "Arm and leg reach (bird-dog)",
    "Forearm plank",
]


def test_a_handout_with_four_exercises_and_one_changed_dose_is_within_the_budget(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(clinic=clinic)
    sign_in(page, live_server, therapist)
    page.goto(f"{live_server.url}/admin/prescriptions/patient/{patient.pk}/change/")
    screenshot(page, "budget-1-patient", full_page=False)
    budget = Budget()
    budget.watch(page.context)

    budget.click(page.get_by_role("link", name="New prescription"), "new prescription")
    for name in EXERCISES:
        entry = page.locator(".picker-add").filter(has=page.locator(".picker-name", has_text=name))
        budget.click(entry.first, f"add {name}")
    rows = page.locator(".programme-rows > .programme-row")
    expect(rows).to_have_count(4)
    reps = rows.nth(1).locator("[name$='-reps']")
    expect(reps).to_have_value("10")
    budget.click(reps, "into the reps of the glute bridge")
    reps.fill("12")
    screenshot(page, "budget-2-programme", full_page=False)
    budget.click(page.get_by_role("button", name="Issue…"), "issue")
    screenshot(page, "budget-3-confirm", full_page=False)
    budget.click(page.get_by_role("button", name="Save and issue"), "confirm")
    expect(page.locator("ul.messagelist li.success")).to_have_text(
        "Saved and issued. The handout is ready."
    )
    screenshot(page, "budget-4-issued", full_page=False)
    with page.expect_download() as download:
        budget.click(page.get_by_role("link", name="Download handout"), "download")
    with open(download.value.path(), "rb") as handle:
        text = pdf_text(handle.read())

    prescription = Prescription.objects.get(patient=patient)
    assert prescription.status == PrescriptionStatus.ISSUED
    assert [item.exercise.name for item in prescription.items.order_by("order")] == EXERCISES
    bridge = Exercise.objects.get(name="Bottom lift (glute bridge)")
    assert dose_sentence({**bridge.default_dose(), "reps": 12}, bridge.body_region.limb) in text
    print(f"AFTER {budget.clicks} clicks, {budget.page_loads} page loads: {budget.steps}")
    assert budget.clicks <= 12, budget.steps
    assert budget.page_loads <= 4, budget.steps
    watch.assert_clean()
