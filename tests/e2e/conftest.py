"""Browser tests: Debian's Chromium (never a downloaded one) against the test run's live server.

Every page opened through the `page` / `open_page` fixtures is watched: each request is
recorded, any request that would leave the live server is aborted, and console messages
are kept, so a test can assert "nothing left 127.0.0.1" and "no CSP violation".
"""

import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.servers.basehttp import WSGIServer
from django.db import connection, transaction
from django.db.models import Model
from django.test.testcases import LiveServerThread

from clinics.roles import ensure_roles
from exercises.catalogue.loader import load_catalogue
from exercises.models import CatalogueTranslation
from tests import factories


class OneRequestAtATimeServer(WSGIServer):
    """The live server answers one request at a time. Its threads share the test's in-memory
    SQLite connection, so two requests at once (a form post and a page's background fetch)
    would interleave their savepoints ("no such savepoint"); a real server gives each worker
    its own connection. Answers close the connection, so the browser never waits on an idle
    keep-alive."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATimeServer

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
HAVE_CHROMIUM = os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)
NO_CHROMIUM = (
    f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH): "
    "the end-to-end browser tests are skipped"
)
E2E_DIR = Path(__file__).resolve().parent

# The live server listens on the loopback address itself, so "nothing left 127.0.0.1" is literal.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CSP_MARKERS = ("Content Security Policy", "Refused to")


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not HAVE_CHROMIUM:
        pytest.skip(NO_CHROMIUM)
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "locale": "en-GB"}


# --- what the browser did -------------------------------------------------------------------


@dataclass
class BrowserWatch:
    """Everything the watched pages asked for and printed."""

    origin: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    # Requests sent and not yet answered (or failed); once `settle` has begun, new ones are
    # aborted.
    in_flight: set = field(default_factory=set)
    settling: bool = False

    def is_local(self, url: str) -> bool:
        if url.startswith(("data:", "blob:", "about:")):
            return True
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def attach(self, context) -> None:
        context.on("request", self._sent)
        context.on("requestfinished", self._answered)
        context.on("requestfailed", self._answered)
        context.on("console", lambda message: self.console.append(_where(message, message.text)))
        context.on("weberror", lambda error: self.page_errors.append(_where(error, error.error)))

        def guard(route):
            if self.settling:
                route.abort("aborted")
            elif self.is_local(route.request.url):
                route.continue_()
            else:
                self.blocked.append(route.request.url)
                route.abort("blockedbyclient")

        context.route("**/*", guard)

    def _sent(self, request) -> None:
        self.requests.append(request.url)
        self.in_flight.add(request)

    def _answered(self, request) -> None:
        self.in_flight.discard(request)

    def wait_for_answers(self) -> None:
        """Every request under way answered (or failed): waits on each answer itself, never
        on a timer."""
        while self.in_flight:
            request = self.in_flight.pop()
            if request.frame.page.is_closed():
                continue  # a tab the test closed: the browser tells nothing more of its requests
            response = request.response()
            if response is not None:
                response.finished()

    def settle(self) -> None:
        """Before the test's data is flushed: no new request, and every request under way
        answered. The live server shares the test's database connection, so a picture still
        being served during the flush would meet "database table is locked"."""
        self.settling = True
        self.wait_for_answers()

    def external_requests(self) -> list[str]:
        return sorted({url for url in self.requests if not self.is_local(url)} | set(self.blocked))

    def csp_violations(self) -> list[str]:
        return [line for line in self.console if any(m in line for m in CSP_MARKERS)]

    def assert_clean(self) -> None:
        """No request left the live server, no CSP violation, no uncaught script error."""
        assert self.requests, "the watch saw no request at all: is it attached?"
        assert self.external_requests() == [], "requests left the live server"
        assert self.csp_violations() == [], "Content Security Policy violations in the console"
        assert self.page_errors == [], "uncaught errors in the page's scripts"


def _where(event, text) -> str:
    page = event.page
    return f"{page.url if page else '?'}: {getattr(event, 'type', 'error')}: {text}"


@pytest.fixture
def watch(live_server):
    return BrowserWatch(origin=live_server.url)


@pytest.fixture
def open_page(new_context, watch):
    """A new, watched page in its own browser context (its own cookies: one user each). At
    the end of the test the pages' requests are settled before the database is flushed."""

    def _open():
        context = new_context()
        # Each wait ends as soon as its condition holds; the bound only has to outlast a
        # loaded 2-core CI machine (a sign-in page took over 10 s at load 12).
        context.set_default_timeout(30_000)
        watch.attach(context)
        return context.new_page()

    yield _open
    watch.settle()


@pytest.fixture
def page(open_page):
    return open_page()


# --- data -----------------------------------------------------------------------------------


@pytest.fixture
def roles(transactional_db):
    """The role groups: a transactional test's flush removes what post_migrate created."""
    ensure_roles()


@pytest.fixture
def clinic(transactional_db):
    return factories.ClinicFactory(name="Riverside Physio")


@pytest.fixture
def therapist(roles, clinic):
    return factories.clinician(clinic)


@pytest.fixture(scope="session")
def catalogue_snapshot(django_db_setup, django_db_blocker) -> dict[type[Model], list[Model]]:
    """The default catalogue's rows, loaded once per run the way `manage.py load_catalogue`
    loads it, then rolled back: the tests that share one transaction expect an empty catalogue.
    Browser tests cannot share a transaction with the live server, so each would otherwise flush
    and load the whole catalogue again (about 1.5 s each)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_catalogue()
        snapshot = {
            model: list(model._base_manager.order_by("pk"))
            for model in apps.get_app_config("exercises").get_models(include_auto_created=True)
        }
        # Translations point at their original through a content type, whose key a flush
        # (and post_migrate after it) may change: kept by name, looked up again on restore.
        for row in snapshot[CatalogueTranslation]:
            row.content_type_name = (row.content_type.app_label, row.content_type.model)
        transaction.set_rollback(True)
    return {model: rows for model, rows in snapshot.items() if rows}


def _with_current_content_types(rows: list[Model]) -> list[Model]:
    current = {(kind.app_label, kind.model): kind for kind in ContentType.objects.all()}
    restored = []
    for row in rows:
        row = copy.copy(row)
        row.content_type = current[row.content_type_name]
        restored.append(row)
    return restored


@pytest.fixture
def catalogue(transactional_db, catalogue_snapshot):
    """The default catalogue, restored from the run's snapshot: the same rows with the same keys,
    and the sequences moved past them (PostgreSQL) so the test's own rows get new keys."""
    with transaction.atomic():
        for model, rows in catalogue_snapshot.items():
            if model is CatalogueTranslation:
                rows = _with_current_content_types(rows)
            model._base_manager.bulk_create(rows)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), catalogue_snapshot):
                cursor.execute(statement)


# --- screenshots ----------------------------------------------------------------------------

SCREENSHOTS = Path("test-artifacts") / "screenshots"


def screenshot_path(config, name: str) -> Path:
    folder = Path(config.rootpath) / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name).strip('_')}.png"


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots(pytestconfig):
    """Removes the last run's screenshots, so every file there is from this run."""
    for old in (Path(pytestconfig.rootpath) / SCREENSHOTS).glob("*.png"):
        old.unlink()


@pytest.fixture
def screenshot(request):
    """Saves a screenshot of a page (full page unless told) or of one element (a locator)
    to test-artifacts/screenshots/<name>.png."""

    def _take(target, name: str, *, full_page: bool = True) -> Path:
        path = screenshot_path(request.config, name)
        if hasattr(target, "goto"):
            target.screenshot(path=str(path), full_page=full_page)
        else:
            target.screenshot(path=str(path))
        return path

    return _take


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and E2E_DIR in Path(str(item.path)).parents:
        pages = []
        if "new_context" in item.funcargs or "page" in item.funcargs:
            browser = item.funcargs.get("browser")
            contexts = browser.contexts if browser else []
            pages = [p for context in contexts for p in context.pages]
        for index, open_page in enumerate(pages):
            name = item.name if index == 0 else f"{item.name}-{index + 1}"
            try:
                path = screenshot_path(item.config, name)
                open_page.screenshot(path=str(path), full_page=True, timeout=5_000)
                report.sections.append(("screenshot", str(path)))
            except Exception as error:  # a dead page must not hide the test's own failure
                report.sections.append(("screenshot", f"no screenshot of {name}: {error}"))
    return report
