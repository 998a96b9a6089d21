"""STORAGE_URL: a URL that cannot work stops start-up with a message naming what is wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.storage_config import default_storage_from_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://k:s@host/bucket", "must start with s3:// (HTTPS) or s3+http://"),
        ("host:9000/bucket", "must start with s3://"),
        ("s3://k:s@host:port/bucket", "port that is not a number"),
        ("s3://k:s@/bucket", "names no host"),
        ("s3://k:s@host/", "bucket '', which is not a valid bucket name"),
        ("s3://k:s@host/Clinic_Files", "bucket 'Clinic_Files', which is not a valid"),
        ("s3://k:s@host/192.168.1.10", "bucket '192.168.1.10', which is not a valid"),
        ("s3://k:s@host/two..dots", "not a valid bucket name"),
        ("s3://host/bucket", "has no credentials"),
        ("s3://k@host/bucket", "has no credentials"),
        ("s3://k:s@host/bucket?regoin=eu", "parameters it does not know: regoin"),
    ],
)
def test_a_storage_url_that_cannot_work_is_refused_with_what_is_wrong(url, message):
    with pytest.raises(ImproperlyConfigured, match=r"^STORAGE_URL ") as refused:
        default_storage_from_url(url, environ={})
    assert message in str(refused.value)


def test_an_empty_storage_url_keeps_the_media_folder():
    assert default_storage_from_url("", environ={}) == {
        "BACKEND": "clinic.file_storage.OwnerOnlyFileSystemStorage"
    }


def test_a_storage_url_names_endpoint_bucket_prefix_region_and_credentials():
    options = default_storage_from_url(
        "s3://AKID:se%2Fcret@objects.example.org:9000/clinic-files/north/?region=eu-west-1",
        environ={},
    )["OPTIONS"]
    assert options == {
        "endpoint_url": "https://objects.example.org:9000",
        "bucket_name": "clinic-files",
        "location": "north",
        "access_key": "AKID",
        "secret_key": "se/cret",
        "region_name": "eu-west-1",
    }


def test_credentials_may_come_from_the_environment_instead():
    options = default_storage_from_url(
        "s3+http://127.0.0.1:8333/clinic",
        environ={"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"},
    )["OPTIONS"]
    assert (options["endpoint_url"], options["access_key"], options["secret_key"]) == (
        "http://127.0.0.1:8333",
        "AKID",
        "secret",
    )


def test_the_service_does_not_start_with_a_storage_url_that_cannot_work():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.base",
        "SECRET_KEY": "test-only-secret-key-not-for-production-use-0123456789",
        "STORAGE_URL": "s3://objects.example.org/clinic-files",
    }
    environment.pop("AWS_ACCESS_KEY_ID", None)
    environment.pop("AWS_SECRET_ACCESS_KEY", None)
    check = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode != 0
    assert "STORAGE_URL has no credentials" in check.stderr
