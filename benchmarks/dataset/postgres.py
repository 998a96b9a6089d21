"""PostgreSQL around a bulk load: session settings, the big tables' indexes and keys dropped and
recreated, sequences moved past the loaded ids.

The SQL is built from model metadata and PostgreSQL's own catalogue, never from input (the one
option, --maintenance-work-mem, goes as a query parameter)."""

from benchmarks.dataset.plan import BIG_MODELS, EXERCISE_MODELS
from benchmarks.dataset.writers import Progress


def prepare_session(cursor, maintenance_work_mem: str) -> None:
    cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [maintenance_work_mem])
    cursor.execute("SET LOCAL synchronous_commit = off")
    # Foreign keys are deferred; checked at once, no trigger event waits for the ALTER TABLEs
    # that drop and recreate them (the big tables' keys are re-validated anyway).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def reset_sequences(cursor) -> None:
    for model in (*BIG_MODELS, *EXERCISE_MODELS):
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1), "
            f"(SELECT MAX(id) IS NOT NULL FROM {table}))"
        )


class PostgresIndexes:
    """Drops the big tables' foreign keys (theirs, and other tables' keys pointing at them),
    unique constraints and non-PK indexes; recreates them later from the definitions
    PostgreSQL itself reported, so nothing is lost or changed."""

    def __init__(self, stream):
        self.stream = stream
        self.tables = [model._meta.db_table for model in BIG_MODELS]
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.constraints: list[tuple[str, str, str]] = []
        self.indexes: list[tuple[str, str, str]] = []

    def capture(self, cursor) -> None:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE (c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u', 'x'))
               OR (c.confrelid = ANY(%s::regclass[]) AND c.contype = 'f')
            ORDER BY c.conrelid::regclass::text, c.conname
            """,
            [self.tables, self.tables],
        )
        for table, name, definition, kind in cursor.fetchall():
            target = self.foreign_keys if kind == "f" else self.constraints
            target.append((table, name, definition))
        cursor.execute(
            """
            SELECT t.relname, i.relname, pg_get_indexdef(ix.indexrelid)
            FROM pg_index ix
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_class t ON t.oid = ix.indrelid
            WHERE ix.indrelid = ANY(%s::regclass[]) AND NOT ix.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
            ORDER BY t.relname, i.relname
            """,
            [self.tables],
        )
        self.indexes = list(cursor.fetchall())

    def drop(self, cursor) -> None:
        for table, name, _definition in self.foreign_keys + self.constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for _table, name, _definition in self.indexes:
            cursor.execute(f'DROP INDEX "{name}"')

    def recreate(self, cursor) -> None:
        steps = [(name, definition) for _table, name, definition in self.indexes]
        steps += [
            (name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for table, name, definition in self.constraints + self.foreign_keys
        ]
        progress = Progress(self.stream, "indexes and keys", len(steps))
        for done, (_name, statement) in enumerate(steps, start=1):
            cursor.execute(statement)
            progress.update(done)
        progress.finish()
