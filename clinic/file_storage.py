"""The two places stored files can live (chosen by STORAGE_URL: clinic.storage_config).

Both answer the same questions beyond Django's storage API: `open_stream` (a download reads
the file in blocks, never all of it into memory) and `STORAGE_ERRORS` (what a failure of the
folder or of the storage server raises), so the code that stores or serves a file does not ask
which one it has.
"""

import os
import secrets
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from clinic.media import write_owner_only

STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def failure_reason(error: Exception) -> str:
    """What went wrong, in the words of the system that refused (no file names, no keys)."""
    return getattr(error, "strerror", None) or error.__class__.__name__


class StreamingStorage(Protocol):
    """What both backends add to Django's storage API for downloads."""

    def open_stream(self, name: str) -> tuple[BinaryIO, int]: ...


class OwnerOnlyFileSystemStorage(FileSystemStorage):
    """The local media folder: each new file readable by the service's user only (0600, its
    folders 0700) and flushed to disk before the row that names it can commit."""

    def _save(self, name, content):
        write_owner_only(Path(self.path(name)), b"".join(content.chunks()))
        return name

    def open_stream(self, name: str) -> tuple[BinaryIO, int]:
        """The file opened for reading, and its size in bytes."""
        handle = cast(BinaryIO, self.open(name, "rb"))
        return handle, os.fstat(handle.fileno()).st_size


class ObjectStorage(S3Storage):
    """An S3-compatible bucket. Objects are private (no ACL, reached only through the app);
    a name is never overwritten (a taken name gets a suffix); a storage server that does not
    answer fails a request within seconds instead of holding a worker for a minute."""

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "file_overwrite": False,
            "default_acl": None,
            "client_config": Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=10,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        }

    def open_stream(self, name: str) -> tuple[BinaryIO, int]:
        """The object's body as the server sends it, and its size: django-storages' own
        `open` downloads the whole object into memory first."""
        answer = self.bucket.Object(self._normalize_name(clean_name(name))).get()
        return answer["Body"], answer["ContentLength"]


def storage_writable() -> bool:
    """Found by storing a file, as issuing a handout does: permissions alone do not tell (root
    ignores them; a full disk, a file where a folder should be or a bucket's policy do not
    show in them)."""
    try:
        probe = default_storage.save(f".healthz-{secrets.token_hex(8)}", ContentFile(b"ok"))
        default_storage.delete(probe)
    except STORAGE_ERRORS:
        return False
    return True
