import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from clinic.translations import compile_translations
from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no rate-limit count or cached catalogue list of
    an earlier test (whose rows were rolled back) is read again."""
    cache.clear()


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


def pytest_sessionstart(session):
    """The tests read the shipped translations: compile the committed .po files first."""
    compile_translations()
