#!/usr/bin/env python
import os
import sys


def main():
    # Files this command writes (SQLite's database and its -wal/-shm, cache, exports) hold
    # patient data: readable by this user only, however it was started.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
