"""The clinic logo upload, in the admin: checked by content, size and pixels; metadata stripped."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clinic.admin_versions import OPENED_VERSION
from clinics.models import Clinic
from tests import factories

pytestmark = pytest.mark.django_db


def opened_version(client, url) -> str:
    """The version a browser holds after opening the change page (clinic.admin_versions)."""
    return client.get(url).context["adminform"].form[OPENED_VERSION].value()


def post_logo(client, clinic, upload):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    return client.post(
        url,
        {
            OPENED_VERSION: opened_version(client, url),
            "name": clinic.name,
            "logo": upload,
            "phone": clinic.phone,
            "email": clinic.email,
            "emergency_number": clinic.emergency_number,
            "paper_size": "a4",
            "timezone": "UTC",
            "language": "en",
            "date_order": "DMY",
        },
    )


@pytest.fixture
def admin_client(client, clinic):
    client.force_login(factories.clinic_admin(clinic))
    return client


def test_png_logo_is_accepted(admin_client, clinic):
    response = post_logo(admin_client, clinic, factories.picture("PNG", "logo.png"))
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.logo.name.endswith(".png")


def test_jpeg_logo_loses_its_exif(admin_client, clinic):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker
    exif[0x013B] = "Dr Private"  # artist
    response = post_logo(admin_client, clinic, factories.picture("JPEG", "logo.jpg", exif=exif))
    assert response.status_code == 302
    clinic.refresh_from_db()
    with clinic.logo.open("rb") as stored:
        data = stored.read()
    assert b"SecretCam" not in data and b"Dr Private" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b"this is a text file pretending to be a picture"),
        (
            "logo.gif",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        ),
    ],
)
def test_other_files_are_refused(admin_client, clinic, name, content):
    response = post_logo(admin_client, clinic, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"]
    assert not Clinic.objects.get(pk=clinic.pk).logo


def test_more_than_25_megapixels_is_refused(admin_client, clinic):
    buffer = io.BytesIO()
    Image.new("1", (6000, 5000)).save(buffer, format="PNG")
    response = post_logo(admin_client, clinic, SimpleUploadedFile("big.png", buffer.getvalue()))
    assert response.status_code == 200
    assert "25 megapixels" in str(response.context["adminform"].form.errors["logo"])


def test_a_file_over_the_upload_limit_is_refused(admin_client, clinic, settings):
    # A lower limit than the default 5 MB, so the test needs no 5 MB picture.
    settings.MAX_UPLOAD_BYTES = 100_000
    noisy = io.BytesIO()
    Image.frombytes("RGB", (400, 400), random.Random(7).randbytes(400 * 400 * 3)).save(
        noisy, format="PNG"
    )
    assert len(noisy.getvalue()) > 100_000
    response = post_logo(admin_client, clinic, SimpleUploadedFile("noisy.png", noisy.getvalue()))
    assert response.status_code == 200
    assert "larger than" in str(response.context["adminform"].form.errors["logo"])
