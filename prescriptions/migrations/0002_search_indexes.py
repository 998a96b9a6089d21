"""Trigram index for patient search, on PostgreSQL only (SQLite skips this migration's work).

Patient search filters `search_text LIKE '%term%'` (Django's `__contains`, written on
PostgreSQL as `search_text::text LIKE ...`); a pg_trgm GIN index answers that for terms of three
or more characters without reading every patient of the clinic.
See docs/performance.md ("Indexes") for the measurements.
"""

from django.db import migrations

from clinic.migration_operations import postgresql_indexes

INDEXES = {
    "patient_search_text_trgm": (
        "CREATE INDEX IF NOT EXISTS patient_search_text_trgm "
        "ON prescriptions_patient USING gin (search_text gin_trgm_ops)"
    ),
}


class Migration(migrations.Migration):

    dependencies = [
        ("prescriptions", "0001_initial"),
    ]

    operations = [
        postgresql_indexes(INDEXES, extensions=("pg_trgm",)),
    ]
