"""The prescribing workspace in a real browser, at 1366×768, as a therapist uses it."""

import re

import pytest
from playwright.sync_api import expect

from exercises.models import Exercise
from tests import factories
from tests.e2e.test_admin import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


def open_workspace(page, live_server, patient):
    page.goto(f"{live_server.url}/admin/prescriptions/patient/{patient.pk}/change/")
    page.get_by_role("link", name="New prescription").click()
    page.wait_for_timeout(1500)
    print([u for u in page.context.pages[0].evaluate("[...document.scripts].map(s => s.src)")])
    print("CONFIG", page.evaluate("document.getElementById('workspace-config') && document.getElementById('workspace-config').textContent"))


def test_smoke(page, live_server, watch, catalogue, clinic, therapist, screenshot):
    patient = factories.PatientFactory(clinic=clinic)
    sign_in(page, live_server, therapist)
    open_workspace(page, live_server, patient)
    screenshot(page, "ws-empty", full_page=False)
    page.locator(".picker-add", has_text="Glute bridge").click()
    expect(page.locator("#id_items-0-reps")).to_have_value("10")
    screenshot(page, "ws-one", full_page=False)
    print(watch.requests, watch.console)
    watch.assert_clean()
