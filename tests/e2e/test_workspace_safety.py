"""The workspace never falsifies a dose and never loses an edit, in Chromium at 1366×768:
dose boxes read as typed, acknowledgements that belong to their exercise, a session that ends
in the middle of work, and every way out of a page with unsaved changes."""

import re

import pytest
from playwright.sync_api import expect

from exercises.models import Condition, Exercise
from prescriptions.models import Prescription, ProgrammeTemplate
from tests import factories
from tests.e2e.test_admin import sign_in, success_message
from tests.e2e.test_workspace import (
    BOTH_LEGS,
    REASON,
    STRAIGHT_LEG,
    add_from_picker,
    choose_in_row,
    dose_input,
    open_workspace,
    row,
    search_picker,
)

pytestmark = pytest.mark.e2e

PLANK = "Forearm plank"
BRIDGE = "Bottom lift (glute bridge)"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


def dose_box(page, index: int, name: str):
    return row(page, index).locator(f"label.column-{name}")


def expect_dose_error(page, index: int, name: str, message: str) -> None:
    expect(dose_box(page, index, name).locator(".live-error, .errorlist")).to_have_text(message)
    expect(dose_input(page, index, name)).to_have_attribute("aria-invalid", "true")


def test_a_mistyped_dose_is_an_error_at_its_box_never_a_blank_and_the_wheel_changes_nothing(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(clinic=clinic)
    plank = Exercise.objects.get(name=PLANK)
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    add_from_picker(page, PLANK)
    add_from_picker(page, BRIDGE)

    # Typed as a busy therapist types: each box keeps what was typed and says what is wrong.
    days = dose_input(page, 0, "days_per_week")
    expect(days).to_have_attribute("inputmode", "numeric")
    days.fill("5e")
    expect_dose_error(page, 0, "days_per_week", "Days a week: enter a whole number from 1 to 7.")
    dose_input(page, 1, "reps").fill("8-12")
    expect_dose_error(page, 1, "reps", "Reps: enter a whole number from 1 to 100.")
    dose_input(page, 0, "sets").fill("1,5")
    expect_dose_error(page, 0, "sets", "Sets: enter a whole number from 1 to 10.")
    screenshot(page, "safety-dose-typed-wrong", full_page=False)

    # Save refuses, nothing is saved, and the page shows what was typed, with the errors
    # at the boxes (once each).
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    assert not Prescription.objects.exists()
    expect(dose_input(page, 0, "days_per_week")).to_have_value("5e")
    expect(dose_input(page, 1, "reps")).to_have_value("8-12")
    expect(dose_input(page, 0, "sets")).to_have_value("1,5")
    expect_dose_error(page, 0, "days_per_week", "Days a week: enter a whole number from 1 to 7.")
    expect(dose_box(page, 1, "reps").locator(".live-error, .errorlist li")).to_have_count(1)
    screenshot(page, "safety-dose-refused-on-save", full_page=False)

    # Letters typed over a value are an error too, not an emptied box.
    dose_input(page, 1, "reps").fill("10")
    dose_input(page, 0, "sets").fill("2")
    dose_input(page, 0, "days_per_week").fill("5")
    hold = dose_input(page, 0, "hold_seconds")
    hold.select_text()
    page.keyboard.type("abc")
    expect_dose_error(page, 0, "hold_seconds", "Hold (s): enter a whole number from 1 to 300.")
    hold.fill(str(plank.default_hold_seconds))
    expect(dose_box(page, 0, "hold_seconds").locator(".live-error")).to_have_count(0)
    expect(dose_box(page, 0, "days_per_week").locator(".live-error, .errorlist")).to_have_count(0)

    # The mouse wheel over a focused box changes nothing.
    reps = dose_input(page, 1, "reps")
    reps.focus()
    reps.hover()
    page.mouse.wheel(0, 200)
    page.mouse.wheel(0, -400)
    expect(reps).to_have_value("10")

    # An emptied box means "not used", and says so beside the box.
    rest = dose_input(page, 0, "rest_seconds")
    rest.fill("")
    expect(dose_box(page, 0, "rest_seconds").locator(".dose-unused")).to_be_visible()
    expect(dose_box(page, 0, "rest_seconds").locator(".dose-unused")).to_have_text("not used")
    expect(dose_box(page, 0, "sets").locator(".dose-unused")).to_be_hidden()
    screenshot(page, "safety-dose-corrected", full_page=False)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")
    first, second = Prescription.objects.get().items.order_by("order")
    assert (first.sets, first.days_per_week, first.hold_seconds, first.rest_seconds) == (
        2,
        5,
        plank.default_hold_seconds,
        None,
    )
    assert second.reps == 10
    watch.wait_for_answers()
    watch.assert_clean()


def test_switching_the_exercise_clears_its_acknowledgement_and_switching_back_asks_again(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(
        clinic=clinic, conditions=[Condition.objects.get(slug="disc-injury")]
    )
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    page.get_by_label("Safe for this patient").uncheck()
    add_from_picker(page, BOTH_LEGS)
    contraindicated = row(page, 0)
    contraindicated.get_by_label("Prescribe despite the contraindication").check()
    contraindicated.locator("[name$='-contraindication_reason']").fill(REASON)
    expect(contraindicated.locator(".finding-error")).to_have_count(0)

    choose_in_row(page, 0, "lying", STRAIGHT_LEG)
    expect(contraindicated.locator(".row-note")).to_contain_text(
        "The acknowledgement and its reason were cleared: they were for the previous exercise."
    )
    expect(contraindicated.locator(".row-ack")).to_be_hidden()
    acknowledged = contraindicated.locator("[name$='-acknowledge_contraindication']")
    expect(acknowledged).not_to_be_checked()
    expect(contraindicated.locator("[name$='-contraindication_reason']")).to_have_value("")
    screenshot(page, "safety-acknowledgement-cleared", full_page=False)

    # Switching back asks for the acknowledgement again.
    choose_in_row(page, 0, "both legs", BOTH_LEGS)
    expect(contraindicated.locator(".finding-error")).to_contain_text(
        f"“{BOTH_LEGS}” is contraindicated for Disc injury (lower back). Acknowledge"
    )
    expect(contraindicated.locator(".row-ack")).to_be_visible()
    expect(acknowledged).not_to_be_checked()

    # Saved on the safe exercise, the row carries no acknowledgement.
    choose_in_row(page, 0, "lying", STRAIGHT_LEG)
    expect(contraindicated.locator(".finding-error")).to_have_count(0)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")
    item = Prescription.objects.get().items.get()
    assert item.exercise.name == STRAIGHT_LEG
    assert (item.acknowledge_contraindication, item.contraindication_reason) == (False, "")
    watch.wait_for_answers()
    watch.assert_clean()


def test_an_acknowledgement_saved_on_the_wrong_exercise_is_refused_once_at_its_row(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    """A draft saved before acknowledgements belonged to their exercise: it cannot be saved
    or issued so until the acknowledgement is taken off, and the page says so once."""
    draft = factories.PrescriptionFactory(
        patient__clinic=clinic,
        clinician=therapist,
        items=[Exercise.objects.get(name=STRAIGHT_LEG)],
    )
    draft.items.update(acknowledge_contraindication=True, contraindication_reason=REASON)
    message = (
        f"Nothing to acknowledge: “{STRAIGHT_LEG}” is not contraindicated for this patient's "
        "conditions. Untick “Prescribe despite the contraindication”."
    )
    sign_in(page, live_server, therapist)
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/{draft.pk}/workspace/")
    expect(row(page, 0).locator(".finding-error")).to_have_text(message)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".row-findings .finding-error")).to_have_text(message)
    expect(page.get_by_text(message)).to_have_count(1)
    screenshot(page, "safety-acknowledgement-refused", full_page=False)

    row(page, 0).get_by_label("Prescribe despite the contraindication").uncheck()
    expect(row(page, 0).locator(".finding-error")).to_have_count(0)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was changed successfully")
    assert draft.items.get().acknowledge_contraindication is False
    watch.wait_for_answers()
    watch.assert_clean()


def sign_in_in_a_new_tab(page, live_server, user) -> None:
    other_tab = page.context.new_page()
    sign_in(other_tab, live_server, user)
    other_tab.close()


def test_a_session_end_shows_a_banner_at_once_keeps_the_page_and_saves_after_signing_in(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(clinic=clinic)
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    page.get_by_label("Goal and notes").fill("Back to running by May.")
    add_from_picker(page, BRIDGE)
    add_from_picker(page, PLANK)
    # The picker's pictures are requests of the session; one answered after the cookie is
    # cleared would set it again (a session that really ended sets nothing).
    watch.wait_for_answers()

    # The session ends (the 15-minute idle end, or signed out elsewhere).
    page.context.clear_cookies(name="sessionid")
    dose_input(page, 0, "reps").fill("12")
    banner = page.locator(".workspace-session-ended")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(
        "Your session has ended: sign in again in a new tab, then save. "
        "This page keeps everything as it is."
    )
    search_picker(page, "plank")
    expect(page.locator(".picker-results")).to_have_text(
        "The search cannot run: your session has ended."
    )
    screenshot(page, "safety-session-ended", full_page=False)

    # Signed in again in a new tab: the next check answers and the banner goes.
    sign_in_in_a_new_tab(page, live_server, therapist)
    dose_input(page, 1, "sets").fill("2")
    expect(banner).to_be_hidden()
    expect(page.locator(".picker-entry .picker-name").first).to_have_text(PLANK)

    # Ended again, and Save straight away (no edit, no check since): the page asks the
    # server first, shows the banner and keeps everything rather than meet the sign-in page.
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(banner).to_be_visible()
    expect(banner).to_be_focused()
    assert "/prescription/new/" in page.url
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(2)
    expect(dose_input(page, 0, "reps")).to_have_value("12")
    assert not Prescription.objects.exists()

    # Signed in again as someone else: nothing is saved under their name.
    colleague = factories.clinician(clinic)
    sign_in_in_a_new_tab(page, live_server, colleague)
    page.get_by_role("button", name="Save", exact=True).click()
    other_user = page.locator(".workspace-other-user")
    expect(other_user).to_be_focused()
    expect(other_user).to_contain_text("You are now signed in as someone else")
    expect(banner).to_be_hidden()
    screenshot(page, "safety-signed-in-as-someone-else", full_page=False)
    assert not Prescription.objects.exists()

    # The colleague signs out; signed in again as themselves (a new CSRF token), Save saves
    # what is on screen.
    page.context.clear_cookies(name="sessionid")
    sign_in_in_a_new_tab(page, live_server, therapist)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")
    prescription = Prescription.objects.get()
    assert prescription.clinician == therapist
    assert prescription.notes == "Back to running by May."
    assert [(i.exercise.name, i.reps) for i in prescription.items.order_by("order")] == [
        (BRIDGE, 12),
        (PLANK, Exercise.objects.get(name=PLANK).default_reps),
    ]
    assert prescription.items.get(exercise__name=PLANK).sets == 2
    watch.wait_for_answers()
    watch.assert_clean()


def test_every_way_out_with_unsaved_changes_asks_first(
    page, live_server, watch, catalogue, clinic, screenshot
):
    admin_user = factories.clinic_admin(clinic)
    patient = factories.PatientFactory(clinic=clinic)
    factories.TemplateFactory(clinic=clinic, name="Hamstring starter")
    sign_in(page, live_server, admin_user)
    open_workspace(page, live_server, patient)
    add_from_picker(page, BRIDGE)
    asked = []

    def answer(accept: bool):
        def _answer(dialog):
            asked.append((dialog.type, dialog.message))
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", _answer)

    # "Use this template" would replace the exercise picked: it asks; "no" keeps the row.
    answer(False)
    page.get_by_role("button", name="Use this template").click()
    assert asked.pop() == (
        "confirm",
        "“Use this template” replaces the 1 exercise(s) you picked, and all you typed, with "
        "the template's programme. Replace them?",
    )
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(1)
    assert not Prescription.objects.exists()

    # The same exercise again: it asks; "no" adds nothing, "yes" adds it.
    answer(False)
    page.locator(".picker-add").filter(
        has=page.locator(".picker-name", has_text=re.compile(f"^{re.escape(BRIDGE)}$"))
    ).click()
    assert asked.pop() == (
        "confirm",
        f"“{BRIDGE}” is already in the programme (row 1). Add it again?",
    )
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(1)
    answer(True)
    add_from_picker(page, BRIDGE)
    assert asked.pop()[0] == "confirm"

    # The patient's page: the browser asks before leaving; "stay" keeps the page.
    answer(False)
    page.get_by_role("link", name="patient's page").click()
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(2)
    assert [kind for kind, _ in asked] == ["beforeunload"]
    asked.clear()
    assert "/prescription/new/" in page.url

    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")
    prescription = Prescription.objects.get()

    # "Save as template" with an unsaved row asks, saying it would save the last saved version.
    add_from_picker(page, PLANK)
    page.locator("summary", has_text="Save as template").click()
    page.get_by_label("Template name").fill("Bridge twice")
    answer(False)
    page.get_by_role("button", name="Save as template").click()
    kind, message = asked.pop()
    assert kind == "confirm"
    assert message.startswith("“Save as template” saves the programme as last saved")
    assert not ProgrammeTemplate.objects.filter(name="Bridge twice").exists()
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(3)
    screenshot(page, "safety-unsaved-kept", full_page=False)

    # A failed check or search says so on the page.
    page.route(
        re.compile(r"/api/v1/prescriptions/check/$"), lambda route: route.fulfill(status=500)
    )
    dose_input(page, 2, "sets").fill("3")
    expect(page.locator(".workspace-check-failed")).to_be_visible()
    page.route(re.compile(r"/api/v1/exercises/\?search="), lambda route: route.fulfill(status=500))
    search_picker(page, "bridge")
    expect(page.locator(".picker-results")).to_have_text(
        "The search could not run. Try again in a moment."
    )
    screenshot(page, "safety-check-failed", full_page=False)

    # Leaving for real, once confirmed.
    answer(True)
    page.get_by_role("link", name="patient's page").click()
    expect(page).to_have_url(re.compile(rf"/patient/{patient.pk}/change/$"))
    assert prescription.items.count() == 2
    watch.wait_for_answers()
    watch.assert_clean()
