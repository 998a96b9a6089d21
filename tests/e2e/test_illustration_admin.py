"""The exercise page's Illustration section in a real browser: angles redraw the preview."""

import base64
import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from exercises.models import Exercise, Illustration
from tests import factories
from tests.e2e.test_admin import sign_in, success_message

pytestmark = pytest.mark.e2e


def preview_svg(image) -> str:
    """The SVG an <img> shows: inline from the server (base64) or from the live redraw."""
    header, data = image.get_attribute("src").split(",", 1)
    return base64.b64decode(data).decode() if header.endswith(";base64") else unquote(data)


def test_changing_an_angle_redraws_the_preview_and_saving_keeps_it(
    open_page, live_server, watch, roles, clinic, catalogue, screenshot
):
    plank = Exercise.objects.get(slug="bird-dog")
    page = open_page()
    sign_in(page, live_server, factories.editor(clinic))

    # The changelist shows each exercise's start picture as a thumbnail.
    page.goto(f"{live_server.url}/admin/exercises/exercise/")
    thumbnail = page.locator("#result_list tr", has_text="Bird-dog").locator(
        "img.illustration-thumbnail"
    )
    expect(thumbnail).to_have_attribute("alt", plank.illustration.frames[0]["alt_text"])
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth > 0")

    page.goto(f"{live_server.url}/admin/exercises/exercise/{plank.pk}/change/")
    end = page.locator("fieldset.illustration-frame", has_text="Frame “end”")
    knee = end.locator("input[data-joint='near_knee']")
    expect(knee).to_have_attribute("min", "-10")
    expect(knee).to_have_attribute("max", "150")
    image = end.locator("img.illustration-preview")
    expect(image).to_have_js_property("complete", True)
    before = preview_svg(image)

    # The reaching leg of the bird-dog's end frame: raised a little more.
    hip = end.locator("input[data-joint='near_hip']")
    hip.fill("-20")
    # The redraw replaces the server's inline picture with the endpoint's answer.
    expect(image).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;charset=utf-8,"))
    after = preview_svg(image)
    assert after != before and "<svg" in after
    screenshot(end, "illustration-admin-preview")

    # An angle out of range names the frame, the joint and its range; only that field turns
    # red and the preview greys out at once (no stale pose); putting it back clears that.
    bent = knee.input_value()
    knee.fill("170")
    message = end.locator(".illustration-error")
    expect(message).to_have_text("end: near knee must be between -10 and 150 degrees.")
    expect(image).to_have_class(re.compile(r"\bis-stale\b"))
    expect(end.locator(".illustration-invalid")).to_have_count(1)
    expect(knee).to_have_attribute("aria-invalid", "true")
    # The preview stays in sight beside the field being edited on a 1366 x 768 screen.
    page.set_viewport_size({"width": 1366, "height": 768})
    knee.scroll_into_view_if_needed()
    box = image.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 768
    knee.fill(bent)
    expect(message).to_be_hidden()
    expect(end.locator(".illustration-invalid")).to_have_count(0)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_message(page)).to_contain_text("was changed successfully")
    saved = Illustration.objects.get(exercise=plank).frames[1]
    assert saved["pose"]["near_hip"] == -20
    watch.assert_clean()
