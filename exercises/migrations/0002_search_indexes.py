"""Trigram indexes for exercise search, on PostgreSQL only (SQLite skips this migration's work).

Exercise search is `icontains` on name, summary and target muscles, which Django writes on
PostgreSQL as `UPPER(column::text) LIKE UPPER('%term%')`. A pg_trgm GIN index on exactly that
expression answers each of the three; the OR of them is a BitmapOr of the three indexes.
See docs/performance.md ("Indexes").
"""

from django.db import migrations

from clinic.migration_operations import postgresql_indexes

INDEXES = {
    f"exercise_{column}_upper_trgm": (
        f"CREATE INDEX IF NOT EXISTS exercise_{column}_upper_trgm "
        f"ON exercises_exercise USING gin ((UPPER({column}::text)) gin_trgm_ops)"
    )
    for column in ("name", "summary", "target_muscles")
}


class Migration(migrations.Migration):

    dependencies = [
        ("exercises", "0001_initial"),
    ]

    operations = [
        postgresql_indexes(INDEXES, extensions=("pg_trgm",)),
    ]
