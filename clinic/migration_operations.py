"""Migration operations shared by the apps."""

from django.db import migrations


def postgresql_statements(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """Runs these SQL statements on PostgreSQL only (`backward` when reversing); SQLite, the
    embedded default, records the migration as applied and does nothing."""

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for statement in statements:
                schema_editor.execute(statement)

        return operation

    return migrations.RunPython(run(forward), run(backward), elidable=False)


def postgresql_indexes(
    indexes: dict[str, str], extensions: tuple[str, ...] = ()
) -> migrations.RunPython:
    """Creates these indexes (name -> CREATE INDEX statement) on PostgreSQL only; SQLite, the
    embedded default, skips them. Reversing drops them."""
    return postgresql_statements(
        [f"CREATE EXTENSION IF NOT EXISTS {extension}" for extension in extensions]
        + list(indexes.values()),
        [f"DROP INDEX IF EXISTS {name}" for name in indexes],
    )
