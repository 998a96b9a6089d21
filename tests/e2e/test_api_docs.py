"""The API documentation pages, in a real browser: self-contained, complete and usable."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.e2e

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
# Swagger UI and Redoc parse the whole schema and lay out every operation in the page's one
# thread before they show anything: about a second on an idle machine, over ten on a loaded one
# (Redoc: 12.8 s measured with a load average of 7 on 2 cores), past Playwright's default of 5 s
# for an assertion. The waits for a render end as soon as it is done; this says when to give up.
RENDERED_WITHIN_MS = 60_000


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
        "Clinic exercise prescriptions API", timeout=RENDERED_WITHIN_MS
    )
    expect(page.locator(".opblock")).to_have_count(len(operations), timeout=RENDERED_WITHIN_MS)
    shown = page.eval_on_selector_all(
        ".opblock",
        """blocks => blocks.map(block => [
            block.querySelector('.opblock-summary-method').textContent.trim(),
            block.querySelector('.opblock-summary-path').dataset.path,
        ])""",
    )
    assert sorted(map(tuple, shown)) == sorted(operations)
    screenshot(page, "swagger-ui")

    # Authorize with the HTTP bearer scheme, as the page's description tells a developer to:
    # the token alone, Swagger UI adds "Bearer ".
    page.locator(".auth-wrapper button.authorize").click()
    token_scheme = (
        page.locator(".modal-ux .auth-container")
        .filter(has=page.locator("h4", has_text=re.compile(r"bearerAuth")))
        .first
    )
    token_scheme.locator("input").first.fill(token)
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
    assert sent.value.headers.get("authorization") == f"Bearer {token}"
    live_response = listing.locator(".live-responses-table .response")
    expect(live_response.locator(".response-col_status")).to_have_text(
        "200", timeout=RENDERED_WITHIN_MS
    )
    expect(live_response.locator(".response-col_description")).to_contain_text(exercise.name)
    screenshot(listing, "swagger-ui-try-it-out")

    watch.assert_clean()


def test_redoc_lists_every_operation_and_loads_nothing_from_outside(
    page, live_server, watch, screenshot
):
    operations = schema_operations(page, live_server)

    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.get_by_role("heading", name="Clinic exercise prescriptions API")).to_be_visible(
        timeout=RENDERED_WITHIN_MS
    )
    # Redoc renders each operation as a section named after its operationId.
    sections = page.locator("[data-section-id^='operation/']")
    expect(sections).to_have_count(len(operations), timeout=RENDERED_WITHIN_MS)
    rendered = set(
        page.eval_on_selector_all(
            "[data-section-id^='operation/']",
            "nodes => nodes.map(node => node.dataset.sectionId.slice('operation/'.length))",
        )
    )
    assert rendered == set(operations.values())
    # The menu's footer is where Redoc draws its vendor's logo from outside; once it is shown and
    # every picture on the page has loaded or failed, each picture's request has been seen.
    expect(page.get_by_text("API docs by Redocly")).to_be_visible(timeout=RENDERED_WITHIN_MS)
    page.wait_for_function("[...document.images].every(image => image.complete)")
    screenshot(page, "redoc", full_page=False)  # the whole page is tens of thousands of pixels

    watch.assert_clean()
