"""axe-core (Deque's accessibility rules engine) in the browser tests, from npm at the version
pinned in tests/e2e/axe/package-lock.json: installed on first use with `npm ci`, never from a
CDN. It runs inside the page through Playwright (an evaluation, which the page's Content
Security Policy does not govern, so the page keeps its real policy)."""

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the rules the service promises to meet.
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("no npm here to install axe-core (apt-get install npm)")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=AXE_DIR, check=True
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def wcag_violations(page) -> list[str]:
    """Every WCAG A/AA violation axe finds on the page as it is now, one line per element:
    the rule, its help text and the element's selector."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations.map(v => v.nodes.map(n => "
        "`${v.id}: ${v.help}: ${n.target.join(' ')}`)).flat())",
        WCAG_A_AA,
    )
    return found
