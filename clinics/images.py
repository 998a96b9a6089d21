"""Uploaded pictures (exercise images, clinic logos): checked by content, stripped of metadata."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from clinic.errors import StorageUnavailable
from clinic.file_storage import STORAGE_ERRORS, failure_reason

ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MAX_PIXELS = 25_000_000


NOT_AN_IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("Upload a PNG, JPEG or WebP picture; this file is not one."), code="invalid_image"
    )


def _open_verified(upload) -> Image.Image:
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
    except NOT_AN_IMAGE_ERRORS:
        raise _not_an_image() from None
    return image


def validate_image_upload(upload) -> None:
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The picture is larger than %(limit)d MB.")
            % {"limit": settings.MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="image_too_large",
        )
    image = _open_verified(upload)
    if image.format not in ALLOWED_FORMATS:
        raise _not_an_image()
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(
            _("The picture has more than 25 megapixels."), code="image_too_many_pixels"
        )
    # verify() reads the header only: a truncated or corrupt file fails when its pixels are
    # decoded, which the re-encoding does; decoded here, it is refused at the field.
    try:
        image.load()
    except NOT_AN_IMAGE_ERRORS:
        raise _not_an_image() from None
    upload.seek(0)


def strip_metadata(upload) -> ContentFile:
    """Re-encodes the pixels only, so EXIF (location, camera, names) never reaches the store."""
    image = _open_verified(upload)
    image_format = image.format
    image.load()
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    save_options = {}
    if image.mode == "P":
        clean.putpalette(image.getpalette() or [])
        if "transparency" in image.info:
            save_options["transparency"] = image.info["transparency"]
    buffer = io.BytesIO()
    clean.save(buffer, format=image_format, **save_options)
    stem = (upload.name or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "image"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{ALLOWED_FORMATS[image_format or '']}")


class SanitizedImageField(models.ImageField):
    """An ImageField whose new uploads are validated and re-encoded without metadata."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image_upload])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        field_file = getattr(model_instance, self.attname)
        if field_file and not field_file._committed:
            clean = strip_metadata(field_file.file)
            try:
                field_file.save(clean.name, clean, save=False)
            except STORAGE_ERRORS as error:
                raise StorageUnavailable(
                    _(
                        "The picture could not be stored: the file storage is not writable (%(reason)s)."
                    )
                    % {"reason": failure_reason(error)}
                ) from None
        return super().pre_save(model_instance, add)
