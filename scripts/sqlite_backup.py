"""Copies a live SQLite database with SQLite's online backup API: a consistent snapshot while
the service keeps reading and writing (copying the file, or its -wal beside it, is not one).

Usage: python3 scripts/sqlite_backup.py SOURCE TARGET   (TARGET must not exist)
"""

import os
import sqlite3
import sys
from contextlib import closing


def copy(source: str, target: str) -> None:
    if not os.path.exists(source):
        sys.exit(f"No SQLite database at {source}")
    if os.path.exists(target) and os.path.getsize(target) > 0:
        sys.exit(f"{target} exists and is not empty; restore into an empty place")
    # The copy holds patient data: readable by this user only, from its creation on.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
    with (
        closing(sqlite3.connect(source, timeout=60)) as reader,
        closing(sqlite3.connect(target)) as writer,
    ):
        # One step: the whole database is copied inside one read transaction, so the copy is
        # the database as it was at one commit; WAL lets writers go on meanwhile.
        reader.backup(writer)
        check = writer.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        sys.exit(f"The copy failed its integrity check: {check}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    copy(sys.argv[1], sys.argv[2])
