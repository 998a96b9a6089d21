"""A record named in a body by its id: the id must be an integer (or its digits). 2.5 or 2.0
was truncated to 2 by the lookup and prescribed for whichever patient had id 2."""

import pytest

from prescriptions.models import Prescription
from tests import factories
from tests.prescriptions.support import errors


@pytest.fixture
def patient(clinic):
    return factories.PatientFactory(clinic=clinic)


@pytest.fixture
def template(clinic):
    return factories.TemplateItemFactory(template__clinic=clinic).template


def _urls(template):
    return ["/api/v1/prescriptions/", f"/api/v1/templates/{template.pk}/prescribe/"]


@pytest.mark.parametrize("as_number", [lambda pk: pk + 0.5, float, lambda pk: True])
def test_a_patient_id_with_a_fraction_is_400_naming_patient(
    as_therapist, patient, template, as_number
):
    for url in _urls(template):
        response = as_therapist.post(url, {"patient": as_number(patient.pk)}, format="json")
        assert errors(response, 400) == [("patient", "incorrect_type")], url
    assert not Prescription.objects.exists()


def test_a_patient_id_as_an_integer_or_its_digits_is_taken(as_therapist, patient, template):
    for url in _urls(template):
        for value in (patient.pk, str(patient.pk)):
            response = as_therapist.post(url, {"patient": value}, format="json")
            assert response.status_code == 201, response.content
            assert response.json()["patient"] == patient.pk
