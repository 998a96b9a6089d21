"""Two app servers, one service: a handout issued through one server downloads byte-identical
through the other, each server with a media folder of its own and the files in one S3 bucket
(SeaweedFS) and the rows in one PostgreSQL database. The first step of issue 31's cluster."""

import hashlib

import pytest
from django.db import connection
from knox.models import AuthToken

from prescriptions.api.etags import prescription_etag
from prescriptions.models import Prescription
from prescriptions.selectors import prescriptions_with_details
from tests import factories
from tests.live import call, database_url, gunicorn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.object_storage,
    pytest.mark.django_db(transaction=True),
]


def test_a_handout_issued_through_one_server_downloads_byte_identical_through_the_other(
    seaweed, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("two servers share one database: PostgreSQL (CI runs this there)")
    clinic = factories.ClinicFactory()
    token = AuthToken.objects.create(factories.clinician(clinic))[1]
    draft = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )
    path = f"/api/v1/prescriptions/{draft.pk}/"
    etag = prescription_etag(prescriptions_with_details().get(pk=draft.pk))
    shared = {"STORAGE_URL": seaweed.storage_url(prefix=f"{tmp_path.name}/")}
    database = database_url(connection.settings_dict)
    with (
        gunicorn(database, workers=2, MEDIA_ROOT=str(tmp_path / "a"), **shared) as first,
        gunicorn(database, workers=2, MEDIA_ROOT=str(tmp_path / "b"), **shared) as second,
    ):
        issued, _ = call(first, "POST", f"{path}issue/", token, headers={"If-Match": etag})
        through_second = call(second, "GET", f"{path}handout/", token)
        through_first = call(first, "GET", f"{path}handout/", token)

    assert issued == 200
    assert through_second[0] == through_first[0] == 200
    assert through_second[1] == through_first[1]
    stored = Prescription.objects.get(pk=draft.pk)
    assert hashlib.sha256(through_second[1]).hexdigest() == stored.handout_sha256
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
