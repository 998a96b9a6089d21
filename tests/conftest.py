import pytest
from rest_framework.test import APIClient

from tests import factories


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
