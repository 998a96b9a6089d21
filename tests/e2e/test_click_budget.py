"""The click budget: from an existing patient's page to a downloaded issued handout with four
exercises and one dose changed."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.budget import Budget
from tests.e2e.test_admin import sign_in

pytestmark = pytest.mark.e2e

EXERCISES = [
    ("straight leg", "Lying hamstring stretch (straight leg)"),
    ("glute", "Glute bridge"),
    ("bird", "Bird-dog"),
    ("plank", "Forearm plank"),
]


def test_click_budget_before(page, live_server, catalogue, clinic, therapist):
    patient = factories.PatientFactory(clinic=clinic)
    sign_in(page, live_server, therapist)
    page.goto(f"{live_server.url}/admin/prescriptions/patient/{patient.pk}/change/")
    budget = Budget()
    budget.watch(page.context)

    budget.click(page.get_by_role("link", name="Prescriptions").first, "breadcrumb")
    budget.click(page.locator("a.addlink[href$='/prescription/add/']"), "add prescription")
    budget.select(page.locator("#id_patient"), "patient", label=str(patient))
    for _ in range(3):
        budget.click(page.get_by_role("button", name="Add another Exercise"), "add row")
    for row, (search, name) in enumerate(EXERCISES):
        budget.click(page.locator(f"#id_items-{row}-exercise + .select2-container"), "open picker")
        page.locator(".select2-container--open .select2-search__field").press_sequentially(search)
        budget.click(
            page.locator(".select2-results__option", has_text=re.compile(f"^{re.escape(name)}")),
            "choose",
        )
    expect(page.locator("#id_items-3-reps")).not_to_have_value("")
    budget.click(page.locator("#id_items-1-reps"), "focus reps")
    page.locator("#id_items-1-reps").fill("12")
    budget.click(page.get_by_role("button", name="Save and continue editing"), "save")
    budget.click(page.get_by_role("button", name="Issue"), "issue")
    with page.expect_download():
        budget.click(page.get_by_role("link", name="Download handout").first, "download")
    print("BEFORE", budget.clicks, "clicks", budget.page_loads, "page loads", budget.steps)
