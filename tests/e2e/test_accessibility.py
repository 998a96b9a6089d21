"""axe-core's WCAG 2.x A and AA rules find nothing on the pages a therapist uses every day:
the prescribing workspace (new and saved) and the patient's page, at 1366 x 768."""

import pytest
from playwright.sync_api import expect

from exercises.models import Condition, Exercise
from tests import factories
from tests.e2e.axe import wcag_violations
from tests.e2e.test_admin import sign_in
from tests.e2e.test_workspace import BOTH_LEGS, REASON, add_from_picker, dose_input, row

pytestmark = pytest.mark.e2e

STRETCH = "Lying hamstring stretch (straight leg)"
PLANK = "Forearm plank"


@pytest.fixture
def patient(clinic, catalogue):
    return factories.PatientFactory(clinic=clinic)


@pytest.fixture
def signed_in_page(page, live_server, therapist):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, therapist)
    return page


def test_the_new_prescription_workspace_has_no_wcag_violation(
    signed_in_page, live_server, patient, watch
):
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/new/?patient={patient.pk}")
    expect(page.locator(".picker-entry").first).to_be_visible()
    page.locator(".picker-add").first.click()
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(1)
    found = wcag_violations(page)
    assert found == [], "\n".join(found)
    watch.assert_clean()


def test_a_saved_draft_in_the_workspace_has_no_wcag_violation(
    signed_in_page, live_server, patient, therapist, watch
):
    draft = factories.PrescriptionFactory(
        patient=patient,
        clinician=therapist,
        items=[Exercise.objects.get(name=name) for name in (STRETCH, PLANK)],
    )
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/{draft.pk}/workspace/")
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(2)
    expect(page.locator(".picker-entry").first).to_be_visible()
    found = wcag_violations(page)
    assert found == [], "\n".join(found)
    watch.assert_clean()


def test_the_patients_page_has_no_wcag_violation(signed_in_page, live_server, patient, watch):
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/prescriptions/patient/{patient.pk}/change/")
    found = wcag_violations(page)
    assert found == [], "\n".join(found)
    watch.assert_clean()


def no_violation(page) -> None:
    found = wcag_violations(page)
    assert found == [], "\n".join(found)


def test_the_workspace_with_warnings_errors_and_the_issue_dialog_has_no_wcag_violation(
    signed_in_page, live_server, clinic, catalogue, watch
):
    """The states a therapist meets after the first click: a contraindication asking for its
    acknowledgement, a mistyped dose, a refused save, the confirmation before issue."""
    patient = factories.PatientFactory(
        clinic=clinic, conditions=[Condition.objects.get(slug="disc-injury")]
    )
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/new/?patient={patient.pk}")
    expect(page.locator(".picker-entry").first).to_be_visible()
    page.get_by_label("Safe for this patient").uncheck()
    add_from_picker(page, BOTH_LEGS)
    expect(row(page, 0).locator(".row-ack")).to_be_visible()
    dose_input(page, 0, "reps").fill("8-12")
    expect(row(page, 0).locator(".live-error")).to_be_visible()
    no_violation(page)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    no_violation(page)

    dose_input(page, 0, "reps").fill("8")
    row(page, 0).get_by_label("Prescribe despite the contraindication").check()
    row(page, 0).locator("[name$='-contraindication_reason']").fill(REASON)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    page.get_by_role("button", name="Issue…").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    no_violation(page)
    page.wait_for_load_state("networkidle")
    watch.assert_clean()
