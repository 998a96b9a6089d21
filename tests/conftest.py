from pathlib import Path

import pytest
import textstat
from django.core.cache import cache
from rest_framework.test import APIClient

from clinic.storage_config import default_storage_from_url
from clinic.translations import compile_translations
from tests import factories
from tests.object_storage import SeaweedServer

TESTS = Path(__file__).resolve().parent
# What `scripts/test -m "not slow"` leaves out: the browser tests, the tests that start real
# servers (gunicorn, PostgreSQL tools) and the schema fuzzing, the default catalogue's loads.
SLOW = (
    TESTS / "e2e",
    TESTS / "test_api_fuzzing.py",
    TESTS / "test_backup_restore.py",
    TESTS / "test_clinic_load.py",
    TESTS / "test_concurrency.py",
    TESTS / "test_owner_only_files.py",
    TESTS / "clinic" / "test_access_log.py",
    TESTS / "clinic" / "test_shared_cache.py",
    TESTS / "exercises" / "test_loader.py",
    TESTS / "exercises" / "test_illustrations_loader.py",
)


def pytest_collection_modifyitems(config, items):
    # The cluster starts six servers: CI runs it as a step of its own (.ci/run), not in each
    # whole-suite run.
    cluster_chosen = "cluster" in (config.option.markexpr or "")
    for item in items:
        if "cluster" in item.keywords and not cluster_chosen:
            item.add_marker(pytest.mark.skip(reason="the cluster runs when chosen: -m cluster"))
        path = Path(str(item.path)).resolve()
        if any(path == slow or slow in path.parents for slow in SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no rate-limit count or cached catalogue list of
    an earlier test (whose rows were rolled back) is read again."""
    cache.clear()


@pytest.fixture
def spanish_syllables():
    """textstat counts syllables the Spanish way for the test (its default is English)."""
    textstat.set_lang("es")
    yield
    textstat.set_lang("en_US")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def clinic(db):
    return factories.ClinicFactory(name="Riverside Physio")


@pytest.fixture
def therapist(clinic):
    return factories.clinician(clinic)


@pytest.fixture
def catalogue_editor(clinic):
    return factories.editor(clinic)


@pytest.fixture
def as_therapist(api, therapist):
    api.force_authenticate(therapist)
    return api


@pytest.fixture
def as_editor(api, catalogue_editor):
    api.force_authenticate(catalogue_editor)
    return api


@pytest.fixture
def other_clinic_user(db):
    return factories.clinician(factories.ClinicFactory(name="Hilltop Clinic"))


@pytest.fixture
def unwritable_media(settings, tmp_path):
    """A media folder even root cannot write: its parent is a regular file (ENOTDIR)."""
    regular_file = tmp_path / "not-a-folder"
    regular_file.write_text("")
    settings.MEDIA_ROOT = regular_file / "media"
    return regular_file


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """One SeaweedFS server for the whole run, started on first use (tests.object_storage)."""
    server = SeaweedServer(tmp_path_factory.mktemp("seaweed"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["folder", pytest.param("bucket", marks=pytest.mark.object_storage)])
def storage_backend(request, settings, tmp_path):
    """Each test that takes it runs twice: on the media folder and on a real S3 bucket (under
    a prefix of its own, so no test sees another's objects)."""
    if request.param == "folder":
        settings.MEDIA_ROOT = tmp_path / "media"
        url = ""
    else:
        url = request.getfixturevalue("seaweed").storage_url(prefix=f"{tmp_path.name}/")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_from_url(url, environ={}),
    }
    return request.param


def pytest_sessionstart(session):
    """The tests read the shipped translations: compile the committed .po files first."""
    compile_translations()
