"""A patient's date of birth is between 1900 and today, in the API and in the admin: 1062 or
2062 for 1962 is refused where it is typed, naming date_of_birth, and nothing is saved."""

import datetime

import pytest

from prescriptions.models import Patient
from tests import factories
from tests.clinic.test_admin_versions import posted_back, signed_in
from tests.prescriptions.support import errors

NEW_PATIENT = {"given_name": "Ada", "family_name": "King", "identifier": "MRN-BIRTH"}
TODAY = datetime.date.today()
REFUSED = [
    "1899-12-31",
    "1062-05-04",
    (TODAY + datetime.timedelta(days=3)).isoformat(),
    "2062-05-04",
]


@pytest.mark.parametrize("date_of_birth", REFUSED)
def test_a_birth_date_before_1900_or_in_the_future_is_400_naming_it(as_therapist, date_of_birth):
    response = as_therapist.post(
        "/api/v1/patients/", {**NEW_PATIENT, "date_of_birth": date_of_birth}, format="json"
    )

    assert [attr for attr, _code in errors(response, 400)] == ["date_of_birth"]
    assert not Patient.objects.exists()


@pytest.mark.parametrize("date_of_birth", REFUSED)
def test_changing_a_birth_date_out_of_bounds_is_400_and_keeps_it(
    as_therapist, clinic, date_of_birth
):
    patient = factories.PatientFactory(clinic=clinic)

    response = as_therapist.patch(
        f"/api/v1/patients/{patient.pk}/", {"date_of_birth": date_of_birth}, format="json"
    )

    assert [attr for attr, _code in errors(response, 400)] == ["date_of_birth"]
    patient.refresh_from_db()
    assert patient.date_of_birth == datetime.date(1970, 3, 2)


@pytest.mark.parametrize("date_of_birth", ["1900-01-01", TODAY.isoformat()])
def test_the_bounds_themselves_are_taken(as_therapist, date_of_birth):
    response = as_therapist.post(
        "/api/v1/patients/", {**NEW_PATIENT, "date_of_birth": date_of_birth}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["date_of_birth"] == date_of_birth


def test_the_admin_refuses_a_birth_date_in_the_future_at_the_field(clinic):
    patient = factories.PatientFactory(clinic=clinic)
    browser = signed_in(factories.clinician(clinic))
    url = f"/admin/prescriptions/patient/{patient.pk}/change/"

    page = browser.post(url, posted_back(browser.get(url), date_of_birth="2062-05-04"))

    assert page.status_code == 200
    assert list(page.context["adminform"].form.errors) == ["date_of_birth"]
    patient.refresh_from_db()
    assert patient.date_of_birth == datetime.date(1970, 3, 2)
