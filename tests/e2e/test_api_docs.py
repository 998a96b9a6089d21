"""The API documentation pages, in a real browser: self-contained, complete and usable."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.e2e

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def schema_operations(page, live_server) -> dict[tuple[str, str], str]:
    """(METHOD, path) -> operationId of every operation in the served OpenAPI schema."""
    response = page.request.get(f"{live_server.url}/api/schema/?format=json")
    assert response.ok, response.status
    operations = {
        (method.upper(), path): operation["operationId"]
        for path, item in response.json()["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }
    assert len(operations) > 20, "the schema lists suspiciously few operations"
    return operations


def api_token(page, live_server, user) -> str:
    response = page.request.post(
        f"{live_server.url}/api/v1/auth/token/",
        data={"username": user.username, "password": factories.PASSWORD},
    )
    assert response.ok, response.text()
    return response.json()["token"]


def test_swagger_ui_lists_every_operation_and_tries_one_out_with_a_token(
    page, live_server, watch, therapist, screenshot
):
    exercise = factories.ExerciseFactory(name="Lying hamstring stretch with a towel")
    operations = schema_operations(page, live_server)
    token = api_token(page, live_server, therapist)

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "Clinic exercise prescriptions API"
    )
    expect(page.locator(".opblock")).to_have_count(len(operations))
    shown = page.eval_on_selector_all(
        ".opblock",
        """blocks => blocks.map(block => [
            block.querySelector('.opblock-summary-method').textContent.trim(),
            block.querySelector('.opblock-summary-path').dataset.path,
        ])""",
    )
    assert sorted(map(tuple, shown)) == sorted(operations)
    screenshot(page, "swagger-ui")

    # Authorize with the token scheme (an API key in the Authorization header), as the page's
    # description tells a developer to.
    page.locator(".auth-wrapper button.authorize").click()
    token_scheme = (
        page.locator(".modal-ux .auth-container")
        .filter(has=page.locator("code", has_text=re.compile(r"^Authorization$")))
        .first
    )
    token_scheme.locator("input[type=text]").fill(f"Token {token}")
    token_scheme.get_by_role("button", name="Apply credentials").click()
    expect(token_scheme.get_by_role("heading", name="Authorized")).to_be_visible()
    page.locator(".modal-ux .close-modal").click()
    expect(page.locator(".modal-ux")).to_have_count(0)

    listing = page.locator(".opblock-get").filter(
        has=page.locator(".opblock-summary-path[data-path='/api/v1/exercises/']")
    )
    listing.locator(".opblock-summary-control").click()
    listing.get_by_role("button", name="Try it out").click()
    with page.expect_request(lambda r: "/api/v1/exercises/" in r.url) as sent:
        listing.get_by_role("button", name="Execute").click()
    assert sent.value.headers.get("authorization") == f"Token {token}"
    live_response = listing.locator(".live-responses-table .response")
    expect(live_response.locator(".response-col_status")).to_have_text("200")
    expect(live_response.locator(".response-col_description")).to_contain_text(exercise.name)
    screenshot(listing, "swagger-ui-try-it-out")

    watch.assert_clean()


def test_redoc_lists_every_operation_and_loads_nothing_from_outside(
    page, live_server, watch, screenshot
):
    operations = schema_operations(page, live_server)

    page.goto(f"{live_server.url}/api/redoc/")
    # Redoc lays out the whole schema before it shows anything: seconds on a busy machine.
    heading = page.get_by_role("heading", name="Clinic exercise prescriptions API")
    expect(heading).to_be_visible(timeout=30_000)
    # Redoc renders each operation as a section named after its operationId.
    sections = page.locator("[data-section-id^='operation/']")
    expect(sections).to_have_count(len(operations))
    rendered = set(
        page.eval_on_selector_all(
            "[data-section-id^='operation/']",
            "nodes => nodes.map(node => node.dataset.sectionId.slice('operation/'.length))",
        )
    )
    assert rendered == set(operations.values())
    # Let the menu's footer (and its vendor logo) render before judging the requests.
    expect(page.get_by_text("API docs by Redocly")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, "redoc", full_page=False)  # the whole page is tens of thousands of pixels

    watch.assert_clean()
