"""The picker over the public API in a real browser, at 1366×768: typos forgiven, what the
patient's conditions hide counted and shown on request, what is in the programme marked, and
the live check answered by the public check endpoint."""

import re

import pytest
from playwright.sync_api import expect

from exercises.dose import DOSE_FIELD_NAMES
from exercises.models import Condition, Exercise
from tests import factories
from tests.e2e.test_admin import sign_in
from tests.e2e.test_workspace import (
    BOTH_LEGS,
    STRAIGHT_LEG,
    add_from_picker,
    open_workspace,
    picker_names,
    row,
    search_picker,
)

pytestmark = pytest.mark.e2e

BIRD_DOG = "Arm and leg reach (bird-dog)"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


def test_the_picker_forgives_typos_counts_what_is_hidden_and_marks_what_is_added(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(
        clinic=clinic, conditions=[Condition.objects.get(slug="disc-injury")]
    )
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)

    search_picker(page, "bird dog")
    assert picker_names(page)[0] == BIRD_DOG
    search_picker(page, "strech")
    assert STRAIGHT_LEG in picker_names(page)
    search_picker(page, "hamstrng")
    names = picker_names(page)
    assert STRAIGHT_LEG in names
    assert BOTH_LEGS not in names

    # The disc injury rules out the two-leg fold: the picker says so, and shows it on request.
    hidden = page.locator(".picker-hidden")
    expect(hidden).to_be_visible()
    expect(hidden).to_have_text(re.compile(r"^\d+ hidden as unsafe for this patient — show$"))
    screenshot(page, "workspace-picker-hidden", full_page=False)
    hidden.get_by_role("button", name="show").click()
    expect(page.locator(".picker-entry", has_text=BOTH_LEGS)).to_be_visible()
    expect(hidden).to_be_hidden()
    expect(page.get_by_label("Safe for this patient")).not_to_be_checked()

    # What is in the programme is marked in the picker, and unmarked once removed.
    straight = page.locator(".picker-entry", has_text=STRAIGHT_LEG)
    expect(straight.locator(".picker-picked")).to_be_hidden()
    add_from_picker(page, STRAIGHT_LEG)
    expect(straight.locator(".picker-picked")).to_have_text("✓ In the programme")
    screenshot(page, "workspace-picker-in-programme", full_page=False)
    row(page, 0).locator(".row-remove input").check()
    expect(straight.locator(".picker-picked")).to_be_hidden()
    watch.assert_clean()


def test_a_row_shows_the_dose_fields_its_exercise_uses_and_the_others_behind_more(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(clinic=clinic)
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    add_from_picker(page, STRAIGHT_LEG)
    used = Exercise.objects.get(name=STRAIGHT_LEG).dose_fields_used()
    unused = [name for name in DOSE_FIELD_NAMES if name not in used]
    assert unused  # the catalogue's declaration leaves some out
    first = row(page, 0)
    more = first.get_by_role("button", name=f"More ({len(unused)})")
    expect(more).to_be_visible()
    for name in DOSE_FIELD_NAMES:
        box = first.locator(f".column-{name}")
        expect(box).to_be_hidden() if name in unused else expect(box).to_be_visible()
    # Labels stay readable: at least 12 px.
    for label in first.locator(".dose-field > span:first-child").all():
        if label.is_visible():
            size = label.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")
            assert size >= 12
    screenshot(page, "workspace-row-used-fields", full_page=False)
    more.click()
    for name in unused:
        expect(first.locator(f".column-{name}")).to_be_visible()
    expect(first.get_by_role("button", name="Fewer")).to_have_attribute("aria-expanded", "true")

    # Saved and opened again, the row still shows only what the exercise uses.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/workspace/"))
    expect(row(page, 0).get_by_role("button", name=f"More ({len(unused)})")).to_be_visible()
    expect(row(page, 0).locator(f".column-{unused[0]}")).to_be_hidden()
    watch.assert_clean()


def test_the_live_check_is_the_public_apis_and_names_the_field(
    page, live_server, watch, catalogue, clinic, therapist
):
    patient = factories.PatientFactory(clinic=clinic)
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    add_from_picker(page, STRAIGHT_LEG)
    with page.expect_response(re.compile(r"/api/v1/prescriptions/check/$")) as checked:
        row(page, 0).locator("input[name$='-days_per_week']").fill("5e")
    assert checked.value.status == 200
    error = row(page, 0).locator(".column-days_per_week .live-error")
    expect(error).to_have_text("Days a week: enter a whole number from 1 to 7.")
    expect(row(page, 0).locator(".live-error")).to_have_count(1)
    watch.assert_clean()
