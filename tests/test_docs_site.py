"""The documentation site (docs/, built strictly by scripts/docs) takes a new page by its mere
existence, lists it once, and refuses a broken link."""

import shutil
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from sphinx.cmd.build import build_main

DOCS = Path(settings.BASE_DIR) / "docs"


class SidebarCaptions(HTMLParser):
    """The sidebar's captions, each with the page titles listed under it."""

    def __init__(self):
        super().__init__()
        self.captions: dict[str, list[str]] = {}
        self._in_sidebar = False
        self._reading = None
        self._caption = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if "sidebar-tree" in classes:
            self._in_sidebar = True
        elif self._in_sidebar and "caption-text" in classes:
            self._reading = "caption"
        elif self._in_sidebar and tag == "a" and "reference" in classes:
            self._reading = "page"

    def handle_data(self, data):
        if self._reading == "caption":
            self._caption = data.strip()
            self.captions[self._caption] = []
        elif self._reading == "page" and self._caption:
            self.captions[self._caption].append(data.strip())
        self._reading = None


def build_site_with(tmp_path, page_name, page_text):
    """Build a copy of the site with one more page; answer the exit status, the output folder
    and the warnings."""
    source = tmp_path / "docs"
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns("_build"))
    (source / page_name).write_text(page_text, encoding="utf-8")
    output, warnings = tmp_path / "html", tmp_path / "warnings.txt"
    options = ["--fail-on-warning", "--nitpicky", "--quiet", "--warning-file", str(warnings)]
    status = build_main([*options, str(source), str(output)])
    return status, output, warnings.read_text(encoding="utf-8")


def sidebar_of(output):
    parser = SidebarCaptions()
    parser.feed((output / "index.html").read_text(encoding="utf-8"))
    return parser.captions


def test_a_new_page_joins_the_site_under_more_and_the_guide_pages_stay_out_of_more(tmp_path):
    status, output, warnings = build_site_with(
        tmp_path, "new-topic.md", "# A new topic\n\nSee [the API](api.md#etags).\n"
    )

    assert (status, warnings) == (0, "")
    sidebar = sidebar_of(output)
    assert "A new topic" in sidebar["More"]
    assert "A new topic" not in sidebar["Guide"]
    assert "The API" in sidebar["Guide"]
    assert not set(sidebar["More"]) & set(sidebar["Guide"])


def test_a_link_to_a_missing_page_or_heading_fails_the_build(tmp_path):
    status, _, warnings = build_site_with(
        tmp_path,
        "new-topic.md",
        "# A new topic\n\n[x](no-such-page.md) and [y](api.md#no-such-heading)\n",
    )

    assert status != 0
    assert (
        "new-topic.md:3: WARNING: 'myst' cross-reference target not found: 'no-such-page.md'"
        in warnings
    )
    assert "new-topic.md:3: WARNING: local id not found in doc 'api': 'no-such-heading'" in warnings
