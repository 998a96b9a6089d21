"""The admin home page's "New prescription": find the patient by name, record number or date
of birth (in the clinic's order of typed dates, year first always), then straight into their
new prescription, or "New patient" with what was typed."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from clinics.models import DateOrder
from clinics.roles import CATALOGUE_EDITOR
from prescriptions.models import Patient
from prescriptions.patient_finder import new_patient_initial, read_typed_date
from tests import factories

pytestmark = pytest.mark.django_db

HOME = "/admin/"
ADD_PRESCRIPTION = "/admin/prescriptions/prescription/new/"
# The session, the user, their clinic and roles, the patients found (one query, their
# conditions one more), the audit entry, and the admin's own reads (permissions, recent actions).
QUERIES = 14


@pytest.mark.parametrize(
    ("typed", "date_order", "read"),
    [
        ("02/03/1970", DateOrder.DAY_FIRST, datetime.date(1970, 3, 2)),
        ("2.3.1970", DateOrder.DAY_FIRST, datetime.date(1970, 3, 2)),
        ("03/02/1970", DateOrder.MONTH_FIRST, datetime.date(1970, 3, 2)),
        ("1970-03-02", DateOrder.DAY_FIRST, datetime.date(1970, 3, 2)),
        ("1970-03-02", DateOrder.MONTH_FIRST, datetime.date(1970, 3, 2)),
    ],
)
def test_a_typed_date_is_read_in_the_clinics_order_or_year_first(typed, date_order, read):
    assert read_typed_date(typed, date_order) == read


@pytest.mark.parametrize("typed", ["31/02/1970", "13/13/1970", "02/03/70", "1970-13-01", "2/3"])
def test_a_date_that_cannot_be_read_is_an_error_never_a_guess(typed):
    with pytest.raises(ValidationError) as refused:
        read_typed_date(typed, DateOrder.DAY_FIRST)
    assert refused.value.messages == [
        f"“{typed}” is not a date this clinic reads: type a date of birth as 31/12/1970 or "
        "1970-12-31."
    ]


def test_a_new_patient_starts_with_what_was_typed():
    assert new_patient_initial("Anna Maria Byrne 02/03/1970 MRN-7", DateOrder.DAY_FIRST) == {
        "given_name": "Anna Maria",
        "family_name": "Byrne",
        "date_of_birth": "1970-03-02",
        "identifier": "MRN-7",
    }


@pytest.fixture
def byrne(clinic):
    return factories.PatientFactory(
        clinic=clinic,
        given_name="Anna",
        family_name="Byrne",
        date_of_birth=datetime.date(1970, 3, 2),
        identifier="MRN-00777",
    )


def found(response) -> list[tuple[str, str]]:
    """(patient's line, link) for each patient the finder lists."""
    html = response.content.decode()
    listed = re.search(r'<ul class="patient-finder-results[^"]*">(.*?)</ul>', html, re.S)
    if listed is None:
        return []
    return [
        (" ".join(strip_tags(line).split()), re.search(r'href="([^"]+)"', line).group(1))
        for line in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    ]


@pytest.mark.parametrize("typed", ["byrne", "Anna Byrne", "MRN-00777", "02/03/1970", "1970-03-02"])
def test_the_home_page_finds_the_patient_and_links_to_their_new_prescription(
    signed_in, byrne, clinic, typed
):
    factories.PatientFactory(
        clinic=clinic,
        given_name="Ben",
        family_name="Other",
        date_of_birth=datetime.date(1981, 7, 9),
    )

    response = signed_in.get(HOME, {"patient": typed})

    assert found(response) == [
        ("Anna Byrne · born 02/03/1970 · MRN-00777", f"{ADD_PRESCRIPTION}?patient={byrne.pk}")
    ]


def test_a_clinic_that_types_the_month_first_finds_by_its_order(signed_in, byrne, clinic):
    clinic.date_order = DateOrder.MONTH_FIRST
    clinic.save()
    assert found(signed_in.get(HOME, {"patient": "03/02/1970"})) == [
        ("Anna Byrne · born 03/02/1970 · MRN-00777", f"{ADD_PRESCRIPTION}?patient={byrne.pk}")
    ]
    assert found(signed_in.get(HOME, {"patient": "02/03/1970"})) == []


def test_an_unreadable_date_says_so_and_lists_no_one(signed_in, byrne):
    response = signed_in.get(HOME, {"patient": "31/02/1970"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "“31/02/1970” is not a date this clinic reads" in html
    assert 'aria-invalid="true"' in html
    assert found(response) == []


def test_new_patient_carries_what_was_typed_and_then_opens_their_new_prescription(
    signed_in, clinic
):
    response = signed_in.get(HOME, {"patient": "Anna Byrne 02/03/1970"})
    html = response.content.decode()
    assert "No patient found for “Anna Byrne 02/03/1970”." in html
    new_patient = re.search(r'<a href="([^"]+)" class="addlink">New patient', html).group(1)
    new_patient = new_patient.replace("&amp;", "&")

    form = signed_in.get(new_patient).content.decode()
    assert 'name="given_name" value="Anna"' in form
    assert 'name="family_name" value="Byrne"' in form
    assert 'name="date_of_birth" value="1970-03-02"' in form

    saved = signed_in.post(
        new_patient,
        {
            "given_name": "Anna",
            "family_name": "Byrne",
            "date_of_birth": "1970-03-02",
            "identifier": "MRN-1",
            "preferred_language": "en",
        },
    )
    patient = Patient.objects.get(identifier="MRN-1")
    assert saved.status_code == 302
    assert saved["Location"] == f"{ADD_PRESCRIPTION}?patient={patient.pk}"
    assert patient.clinic == clinic


def test_another_clinics_patients_are_never_found(client, other_clinic_user, byrne):
    client.force_login(other_clinic_user)
    assert found(client.get(HOME, {"patient": "Byrne"})) == []


def test_a_search_is_audited_as_a_read_of_the_patients_listed(signed_in, byrne):
    signed_in.get(HOME, {"patient": "Byrne"})
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.additional_data["event"] == "find"
    assert entry.additional_data["object_ids"] == [byrne.pk]


def test_patients_come_first_on_the_home_page_with_the_finder_above(signed_in):
    html = signed_in.get(HOME).content.decode()
    models = re.findall(r'<tr class="model-(\w+)', html)
    assert models[0] == "patient"
    assert html.index('class="module patient-finder"') < html.index('class="model-patient')


def test_the_finder_is_for_clinicians_only(client, clinic):
    editor_only = factories.ClinicianFactory(
        clinic=clinic, user=factories.UserFactory(roles=[CATALOGUE_EDITOR])
    ).user
    client.force_login(editor_only)
    assert "patient-finder" not in client.get(HOME).content.decode()


def test_prescriptions_add_without_a_patient_leads_to_the_finder(signed_in):
    response = signed_in.get(ADD_PRESCRIPTION, follow=True)

    assert response.redirect_chain == [(HOME, 302)]
    html = response.content.decode()
    assert "Find the patient first, under “New prescription”." in html
    assert 'id="patient-finder-query"' in html


@pytest.mark.parametrize("patients", [1, 5])
def test_a_search_reads_the_same_number_of_queries_however_many_it_finds(
    signed_in, clinic, patients, django_assert_num_queries
):
    for number in range(patients):
        factories.PatientFactory(clinic=clinic, family_name="Byrne", identifier=f"B-{number}")
    with django_assert_num_queries(QUERIES):
        signed_in.get(HOME, {"patient": "Byrne"})
