"""The benchmark's yardstick for an issued download does the work the guarantees demand: it is
compared with the endpoint, so it must not skip any of it."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from knox.models import AuthToken

from tests import factories
from tests.prescriptions.test_handout_queries import issued_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(clinic):
    return factories.PatientFactory(clinic=clinic)


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "benchmarks.urls"


def test_the_guaranteed_download_does_the_endpoints_guaranteed_work(
    bench_urls, as_therapist, therapist, patient, django_assert_num_queries
):
    prescription = issued_with(as_therapist, therapist, patient, 3)
    _, token = AuthToken.objects.create(user=therapist)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    endpoint = client.get(f"/api/v1/prescriptions/{prescription.pk}/handout/")
    entries = LogEntry.objects.count()

    # The token, the roles, the scoped read, the audit entry: as many as the endpoint's.
    with django_assert_num_queries(4):
        yardstick = client.get(f"/__bench__/guaranteed-download/{prescription.pk}")

    assert yardstick.status_code == endpoint.status_code == 200
    assert yardstick.getvalue() == endpoint.getvalue()
    assert yardstick["Content-Disposition"] == endpoint["Content-Disposition"]
    assert LogEntry.objects.count() == entries + 1
    assert LogEntry.objects.latest("pk").additional_data["event"] == "download"
    assert LogEntry.objects.latest("pk").actor == therapist
