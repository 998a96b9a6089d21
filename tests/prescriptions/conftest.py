import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def client_for(db):
    """A fresh API client signed in as `user`, as read from the database by a real request."""

    def signed_in(user):
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(pk=user.pk))
        return client

    return signed_in


@pytest.fixture
def exercise(db):
    return factories.ExerciseFactory(name="Lying hamstring stretch")


@pytest.fixture
def patient(clinic):
    return factories.PatientFactory(clinic=clinic, identifier="MRN-00100")


@pytest.fixture
def other_clinic(db):
    return factories.ClinicFactory(name="Hilltop Clinic")


@pytest.fixture
def own_draft(clinic, therapist):
    """A draft of the signed-in therapist's clinic, by the therapist, of one exercise."""
    return factories.PrescriptionFactory(
        patient__clinic=clinic, clinician=therapist, items=[factories.ExerciseFactory()]
    )


@pytest.fixture
def colleague(clinic):
    return factories.clinician(clinic)


@pytest.fixture
def as_colleague(client_for, colleague):
    return client_for(colleague)


@pytest.fixture
def as_other_clinic(client_for, other_clinic_user):
    return client_for(other_clinic_user)


@pytest.fixture
def as_superuser(client_for, db):
    return client_for(factories.superuser())


@pytest.fixture
def signed_in(client, therapist):
    """The Django test client, signed in to the admin as the clinic's therapist."""
    client.force_login(therapist)
    return client
