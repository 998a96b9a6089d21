"""Stored handout PDFs: named by their content, written once, before the row that names them.

Issued handouts live in the default storage (the media folder, or an S3-compatible bucket:
clinic.storage_config) under `handouts/<sha256 of the PDF>.pdf`. Object storage has no rename,
so the file is written under its final name before the transaction commits: a reader never sees
a row whose file is missing, and nobody reads a name that no committed row holds. If the block
raises, the file is removed again; if the process dies between the write and the commit, the
file is left without a row and `clean_media` lists and removes it on either backend. A name is
never written twice: the same bytes are already there.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from clinic.errors import StorageUnavailable
from clinic.file_storage import STORAGE_ERRORS, failure_reason

HANDOUT_FOLDER = "handouts"


def handout_name(sha256: str) -> str:
    return f"{HANDOUT_FOLDER}/{sha256}.pdf"


def unwritable_storage(error: Exception) -> StorageUnavailable:
    return StorageUnavailable(
        _("The handout could not be stored: the file storage is not writable (%(reason)s).")
        % {"reason": failure_reason(error)}
    )


@contextmanager
def stored_before_commit(name: str, content: bytes) -> Iterator[None]:
    """Stores `content` under `name` now unless it is there already, and removes what it
    stored if the block raises. The caller saves the row that names it in the block."""
    created = False
    try:
        if not default_storage.exists(name):
            stored = default_storage.save(name, ContentFile(content))
            created = stored == name
            if not created:  # the same bytes reached this name meanwhile: keep those
                default_storage.delete(stored)
    except STORAGE_ERRORS as error:
        raise unwritable_storage(error) from error
    try:
        yield
    except BaseException:
        if created:
            default_storage.delete(name)
        raise
