"""The media folder's files: written owner-only and flushed to disk."""

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


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
