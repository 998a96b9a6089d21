"""Stored handout PDFs: written beside their final name, moved into place when the row commits.

A file written inside a transaction outlives its rollback, and a reader must never see a row
whose file is missing. So the bytes go to a hidden temporary name first (which fails the
transaction, changing nothing, when the media folder cannot be written), and are renamed to
the name the row stores only once the transaction commits. Files are owner-only (0600, folders
0700): they hold patients' names. `clean_media` removes what a crash leaves behind.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from clinic.errors import StorageUnavailable
from clinic.media import media_path, write_owner_only

TEMPORARY_PREFIX = ".tmp-"


def unwritable_media(error: OSError) -> StorageUnavailable:
    return StorageUnavailable(
        _("The handout could not be stored: the media folder is not writable (%(reason)s).")
        % {"reason": error.strerror or error.__class__.__name__}
    )


@contextmanager
def stored_at_commit(name: str, content: bytes) -> Iterator[None]:
    """Writes `content` under a temporary name now and renames it to `name` when the current
    transaction commits; removes it if the block raises. The caller saves the row in the block.
    """
    final = media_path(name)
    staged = final.with_name(f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}-{final.name}")
    try:
        write_owner_only(staged, content)
    except OSError as error:
        raise unwritable_media(error) from error
    try:
        yield
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    transaction.on_commit(lambda: os.replace(staged, final))
