"""The media folder: files written owner-only, and the check that it can be written at all."""

import os
import secrets
from pathlib import Path

from django.conf import settings

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def media_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _make_folders(folder: Path) -> None:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=FOLDER_MODE, exist_ok=True)
        path.chmod(FOLDER_MODE)


def write_owner_only(path: Path, content: bytes) -> None:
    """Writes a new file readable by the service's user only, flushed to disk."""
    _make_folders(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())


def media_writable() -> bool:
    """Found by writing a file, as issuing a handout does: permissions alone do not tell (root
    ignores them; a full disk or a file where a folder should be do not show in them)."""
    probe = media_path(f".healthz-{secrets.token_hex(8)}")
    try:
        write_owner_only(probe, b"ok")
        probe.unlink()
    except OSError:
        return False
    return True
