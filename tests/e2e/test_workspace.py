"""The prescribing workspace in a real browser, at 1366×768, as a therapist uses it."""

import re

import pytest
from playwright.sync_api import expect

from exercises.models import Caution, Condition, Exercise
from exercises.wording import caution_for_clinician, dose_sentence
from prescriptions import services
from prescriptions.models import Prescription, PrescriptionStatus, ProgrammeTemplate
from tests import factories
from tests.e2e.test_admin import pdf_text, sign_in, success_message

pytestmark = pytest.mark.e2e

STRAIGHT_LEG = "Lying hamstring stretch (straight leg)"
MASSAGE = "Self hamstring massage"
BOTH_LEGS = "Seated hamstring stretch (both legs)"
REASON = "Pain-free in clinic today; watched her do it twice."


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


def clinician_words(condition: str, tag: str, exercise_name: str) -> str:
    """A caution as the rules word it for the clinician, from the catalogue's own data."""
    caution = Caution.objects.get(condition__slug=condition, tag__slug=tag)
    return caution_for_clinician(caution, Exercise.objects.get(name=exercise_name))


def open_workspace(page, live_server, patient):
    page.goto(f"{live_server.url}/admin/prescriptions/patient/{patient.pk}/change/")
    page.get_by_role("link", name="New prescription").click()
    expect(page.locator(".picker-entry").first).to_be_visible()


def picker_names(page) -> list[str]:
    return page.locator(".picker-entry .picker-name").all_text_contents()


def search_picker(page, term: str) -> None:
    loaded = page.locator(".picker-results").get_attribute("data-loaded")
    page.locator(".picker-search").fill(term)
    expect(page.locator(".picker-results")).not_to_have_attribute("data-loaded", loaded)


def add_from_picker(page, name: str) -> None:
    count = page.locator(".programme-rows > .programme-row").count()
    page.locator(".picker-add").filter(
        has=page.locator(".picker-name", has_text=re.compile(f"^{re.escape(name)}$"))
    ).click()
    expect(page.locator(".programme-rows > .programme-row")).to_have_count(count + 1)


def row(page, index: int):
    return page.locator(".programme-rows > .programme-row").nth(index)


def dose_input(page, index: int, name: str):
    return row(page, index).locator(f"[name$='-{name}']")


def choose_in_row(page, index: int, search: str, name: str) -> None:
    """Another exercise for a row, chosen in its autocomplete as a therapist does."""
    row(page, index).locator(".select2-container").click()
    page.locator(".select2-container--open .select2-search__field").press_sequentially(search)
    page.locator(".select2-results__option", has_text=re.compile(f"^{re.escape(name)}$")).click()


def expect_default_dose(page, index: int, exercise: Exercise, *, except_for=()) -> None:
    for name, value in exercise.default_dose().items():
        if name not in except_for:
            expected = "" if value is None else str(value)
            expect(dose_input(page, index, name)).to_have_value(expected)


def test_choosing_another_exercise_replaces_the_whole_dose_and_says_so(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(clinic=clinic)
    stretch = Exercise.objects.get(name=STRAIGHT_LEG)
    massage = Exercise.objects.get(name=MASSAGE)
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    add_from_picker(page, STRAIGHT_LEG)
    expect_default_dose(page, 0, stretch)
    dose_input(page, 0, "reps").fill("5")

    # The look-up of the new exercise's defaults is held back, so the therapist can type
    # while it is under way: what they type after choosing is kept, the rest is replaced.
    held = []

    def hold(route):
        held.append(route)

    page.route(re.compile(r"/api/v1/exercises/\?id="), hold)
    choose_in_row(page, 0, "self", MASSAGE)
    expect(row(page, 0).locator(".row-note")).to_have_text("Filling in the default dose…")
    dose_input(page, 0, "times_per_day").fill("2")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.get_by_role("button", name="Save", exact=True).click()
    assert dialogs == ["A default dose is still being filled in: try again in a moment."]
    assert not Prescription.objects.exists()
    held[0].continue_()

    expect(row(page, 0).locator(".row-note")).to_have_text(
        f"Dose set to the defaults of “{MASSAGE}”. Kept what you typed: times a day."
    )
    expect_default_dose(page, 0, massage, except_for=["times_per_day"])
    expect(dose_input(page, 0, "hold_seconds")).to_have_value("")
    expect(dose_input(page, 0, "times_per_day")).to_have_value("2")
    screenshot(page, "workspace-dose-replaced", full_page=False)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")

    item = Prescription.objects.get().items.get()
    assert item.exercise == massage
    expected = {**massage.default_dose(), "times_per_day": 2}
    assert {name: getattr(item, name) for name in expected} == expected
    assert item.hold_seconds is None
    watch.assert_clean()


def test_opening_a_saved_draft_keeps_its_dose(
    page, live_server, watch, catalogue, clinic, therapist
):
    bridge = Exercise.objects.get(name="Bottom lift (glute bridge)")
    draft = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[bridge], clinician=therapist
    )
    draft.items.update(reps=12, sets=None)
    sign_in(page, live_server, therapist)
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/{draft.pk}/workspace/")
    page.wait_for_load_state("networkidle")
    expect(dose_input(page, 0, "reps")).to_have_value("12")
    expect(dose_input(page, 0, "sets")).to_have_value("")
    expect(row(page, 0).locator(".row-note")).to_have_text("")

    # Preview opens the saved draft in a new tab; with unsaved changes it asks for a save.
    preview = page.get_by_role("link", name="Preview handout")
    expect(preview).to_have_attribute("target", "_blank")
    expect(preview).to_have_attribute("href", re.compile(r"/handout/\?preview=1$"))
    dose_input(page, 0, "reps").fill("14")
    expect(preview).to_be_hidden()
    expect(page.get_by_text("Save first: the preview shows the saved draft.")).to_be_visible()
    watch.assert_clean()


def test_issue_saves_the_changes_on_screen_first_or_refuses(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    bridge = Exercise.objects.get(name="Bottom lift (glute bridge)")
    draft = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[bridge], clinician=therapist
    )
    sign_in(page, live_server, therapist)
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/{draft.pk}/workspace/")

    # An impossible dose: Issue refuses, says so, and neither saves nor issues.
    dose_input(page, 0, "reps").fill("500")
    page.get_by_role("button", name="Issue…").click()
    page.get_by_role("button", name="Save and issue").click()
    expect(page.locator("ul.messagelist li.error")).to_have_text(
        "Not issued: correct the errors below. Nothing was saved."
    )
    # The page's own check (sent as it loads) answered first: on SQLite the live server
    # shares this test's database connection, and a save while it answers fails.
    page.wait_for_load_state("networkidle")
    draft.refresh_from_db()
    assert draft.status == PrescriptionStatus.DRAFT
    assert draft.items.get().reps == bridge.default_reps

    # Someone else saves meanwhile: the page's version is stale, nothing is issued.
    services.update_prescription(prescription=draft, data={"notes": "Changed elsewhere."})
    dose_input(page, 0, "reps").fill("12")
    page.get_by_role("button", name="Issue…").click()
    page.get_by_role("button", name="Save and issue").click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("This prescription changed after you opened it")
    page.wait_for_load_state("networkidle")
    draft.refresh_from_db()
    assert draft.status == PrescriptionStatus.DRAFT

    # On a fresh page, the unsaved change is saved, then issued: the handout has 12.
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/{draft.pk}/workspace/")
    dose_input(page, 0, "reps").fill("12")
    page.get_by_role("button", name="Issue…").click()
    expect(page.locator("dialog.issue-dialog")).to_be_visible()
    screenshot(page, "workspace-issue-confirm", full_page=False)
    page.get_by_role("button", name="Save and issue").click()
    expect(success_message(page)).to_have_text("Saved and issued. The handout is ready.")
    draft.refresh_from_db()
    assert draft.status == PrescriptionStatus.ISSUED
    assert draft.items.get().reps == 12
    with page.expect_download() as download:
        page.get_by_role("link", name="Download handout").click()
    with open(download.value.path(), "rb") as handle:
        text = pdf_text(handle.read())
    changed = dose_sentence({**bridge.default_dose(), "reps": 12}, bridge.body_region.limb)
    assert "12 times" in changed
    assert changed in text
    watch.assert_clean()


def test_the_picker_ranks_filters_and_is_safe_for_the_patient_by_default(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(
        clinic=clinic, conditions=[Condition.objects.get(slug="disc-injury")]
    )
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)

    search_picker(page, "hamstring")
    names = picker_names(page)
    starting = [n for n in names if n.lower().startswith("hamstring")]
    containing = [n for n in names if "hamstring" in n.lower() and n not in starting]
    rest = [n for n in names if "hamstring" not in n.lower()]
    assert starting == ["Hamstring in-and-out stretch"]
    assert names == starting + sorted(containing) + rest
    assert "Bottom lift (glute bridge)" in rest  # its summary names the hamstrings
    # Safe for this patient: the disc injury's contraindication hides the two-leg fold; a
    # caution is marked.
    assert BOTH_LEGS not in names
    towel = page.locator(".picker-entry", has_text="Seated towel hamstring stretch")
    expect(towel.locator(".picker-caution")).to_have_text("⚠ Caution")
    screenshot(page, "workspace-picker", full_page=False)

    page.get_by_label("Safe for this patient").uncheck()
    both_legs = page.locator(".picker-entry", has_text=BOTH_LEGS)
    expect(both_legs.locator(".picker-caution")).to_have_text("⚠ Contraindicated")

    # Of the "hamstring" matches only the self massage is soft tissue (the buttock massage no
    # longer lists the hamstrings among its target muscles since the catalogue's review).
    page.get_by_label("Category").select_option(label="Soft tissue")
    expect(page.locator(".picker-entry .picker-meta")).to_have_text([re.compile("^Soft tissue")])
    assert picker_names(page) == [MASSAGE]
    search_picker(page, "")
    page.get_by_label("Body region").select_option(label="Buttocks (glutes)")
    expect(page.locator(".picker-entry .picker-name")).to_have_text(
        ["Buttock massage (ball or foam roller)"]
    )
    page.get_by_label("Category").select_option(label="Any category")
    page.get_by_label("Position").select_option(label="Lying on your back")
    expect(page.locator(".picker-entry .picker-name")).to_have_text(["Bottom lift (glute bridge)"])
    watch.assert_clean()


def test_rows_reorder_by_drag_and_by_keyboard_and_save_in_that_order(
    page, live_server, watch, catalogue, clinic, therapist
):
    patient = factories.PatientFactory(clinic=clinic)
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    for name in ["Bottom lift (glute bridge)", "Arm and leg reach (bird-dog)", "Forearm plank"]:
        add_from_picker(page, name)

    # Keyboard: focus "move up" on the plank and press Enter twice: it goes first.
    up = row(page, 2).get_by_role("button", name="Move up")
    up.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    names = page.locator(".programme-rows .select2-selection__rendered")
    expect(names).to_have_text(
        ["Forearm plank", "Bottom lift (glute bridge)", "Arm and leg reach (bird-dog)"]
    )
    # Drag: the first row's handle dropped on the last row's lower half.
    last = row(page, 2)
    box = last.bounding_box()
    row(page, 0).locator(".drag-handle").drag_to(
        last, target_position={"x": 20, "y": box["height"] - 5}
    )
    expect(names).to_have_text(
        ["Bottom lift (glute bridge)", "Arm and leg reach (bird-dog)", "Forearm plank"]
    )
    expect(page.locator(".programme-rows .row-number")).to_have_text(["1.", "2.", "3."])
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")
    saved = Prescription.objects.get().items.order_by("order")
    assert [item.exercise.name for item in saved] == [
        "Bottom lift (glute bridge)",
        "Arm and leg reach (bird-dog)",
        "Forearm plank",
    ]
    watch.assert_clean()


def test_warnings_appear_beside_the_row_for_the_clinician_and_a_contraindication_asks_why(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(
        clinic=clinic,
        conditions=[Condition.objects.get(slug=slug) for slug in ("sciatica", "disc-injury")],
    )
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    add_from_picker(page, "Bottom lift (glute bridge)")
    add_from_picker(page, STRAIGHT_LEG)
    findings = row(page, 1).locator(".row-findings li")
    expect(findings).to_have_text([clinician_words("sciatica", "static-hold", STRAIGHT_LEG)])
    expect(row(page, 0).locator(".row-findings li")).to_have_count(0)
    dose_input(page, 1, "hold_seconds").fill("120")
    expect(findings.filter(has_text="outside the advised range")).to_have_count(1)
    dose_input(page, 1, "hold_seconds").fill("30")

    page.get_by_label("Safe for this patient").uncheck()
    add_from_picker(page, BOTH_LEGS)
    contraindicated = row(page, 2)
    expect(contraindicated.locator(".finding-error")).to_contain_text(
        f"“{BOTH_LEGS}” is contraindicated for Disc injury (lower back). Acknowledge"
    )
    expect(contraindicated.locator(".row-ack")).to_be_visible()
    contraindicated.get_by_label("Prescribe despite the contraindication").check()
    expect(contraindicated.locator(".finding-error")).to_contain_text("Give your reason")
    contraindicated.locator("[name$='-contraindication_reason']").fill(REASON)
    expect(contraindicated.locator(".finding-error")).to_have_count(0)
    expect(contraindicated.locator(".finding-contraindication")).to_have_text(
        clinician_words("disc-injury", "two-leg-seated-fold", BOTH_LEGS)
    )
    screenshot(page, "workspace-warnings", full_page=False)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")

    item = Prescription.objects.get().items.get(exercise__name=BOTH_LEGS)
    assert (item.acknowledge_contraindication, item.contraindication_reason) == (True, REASON)
    # After saving, each warning is on the page once, beside its row (none as a message).
    expect(row(page, 1).locator(".row-findings li")).to_have_count(1)
    expect(row(page, 2).locator(".row-findings li")).to_have_count(2)
    expect(page.locator("ul.messagelist li.warning")).to_have_count(0)
    expect(
        page.get_by_text(clinician_words("disc-injury", "two-leg-seated-fold", BOTH_LEGS))
    ).to_have_count(1)
    watch.assert_clean()


def test_a_template_starts_a_prescription_and_a_prescription_becomes_a_template(
    page, live_server, watch, catalogue, clinic
):
    admin_user = factories.clinic_admin(clinic)
    patient = factories.PatientFactory(clinic=clinic)
    template = factories.TemplateFactory(clinic=clinic, name="Hamstring starter")
    services.save_template(
        template=template,
        data={
            "items": [
                {"exercise": Exercise.objects.get(name="Arm and leg reach (bird-dog)"), "reps": 6}
            ]
        },
    )
    factories.TemplateFactory(clinic=factories.ClinicFactory(), name="Another clinic's")
    sign_in(page, live_server, admin_user)
    open_workspace(page, live_server, patient)
    options = page.get_by_label("Start from a template").locator("option")
    expect(options).to_have_text(["Hamstring starter"])
    page.get_by_role("button", name="Use this template").click()
    expect(success_message(page)).to_contain_text("Started from the template “Hamstring starter”")
    expect(dose_input(page, 0, "reps")).to_have_value("6")
    prescription = Prescription.objects.get(patient=patient)

    page.locator("summary", has_text="Save as template").click()
    page.get_by_label("Template name").fill("Bird-dog only")
    page.get_by_role("button", name="Save as template").click()
    expect(success_message(page)).to_have_text("Saved as a template of the clinic.")
    saved = ProgrammeTemplate.objects.get(name="Bird-dog only")
    assert [(i.exercise.name, i.reps) for i in saved.items.all()] == [
        ("Arm and leg reach (bird-dog)", 6)
    ]
    assert prescription.clinic == saved.clinic
    watch.assert_clean()


def test_the_workspace_never_scrolls_sideways_at_1366_px(
    page, live_server, watch, catalogue, clinic, therapist, screenshot
):
    patient = factories.PatientFactory(clinic=clinic)
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    for name in [
        BOTH_LEGS,
        "Standing hamstring stretch (foot on a step)",
        MASSAGE,
        "Arm and leg reach (bird-dog)",
    ]:
        add_from_picker(page, name)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "workspace-four-rows", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    # Full names, never cut off.
    for index, name in enumerate([BOTH_LEGS, "Standing hamstring stretch (foot on a step)"]):
        rendered = row(page, index).locator(".select2-selection__rendered")
        expect(rendered).to_have_text(name)
        assert rendered.evaluate("el => el.scrollWidth <= el.clientWidth")
    watch.assert_clean()


def test_another_clinics_patients_never_reach_the_workspace(
    page, live_server, watch, catalogue, clinic, therapist
):
    theirs = factories.PatientFactory(
        clinic=factories.ClinicFactory(name="Hilltop"), family_name="Oyelaran"
    )
    sign_in(page, live_server, therapist)
    page.goto(f"{live_server.url}/admin/prescriptions/prescription/new/?patient={theirs.pk}")
    assert page.url == f"{live_server.url}/admin/"
    expect(page.locator("body")).not_to_contain_text("Oyelaran")
    watch.assert_clean()


def test_a_templates_rows_take_the_chosen_exercises_default_dose_too(
    page, live_server, watch, catalogue, clinic
):
    sign_in(page, live_server, factories.clinic_admin(clinic))
    page.goto(f"{live_server.url}/admin/prescriptions/programmetemplate/add/")
    page.get_by_label("Name").fill("Massage first")
    page.get_by_role("button", name="Add an empty row").click()
    choose_in_row(page, 0, "self", MASSAGE)
    expect_default_dose(page, 0, Exercise.objects.get(name=MASSAGE))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was added successfully")
    template = ProgrammeTemplate.objects.get(name="Massage first")
    assert template.items.get().duration_seconds == 120
    watch.assert_clean()
