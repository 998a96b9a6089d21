"""Migration operations shared by the apps."""

from django.db import migrations


def postgresql_indexes(
    indexes: dict[str, str], extensions: tuple[str, ...] = ()
) -> migrations.RunPython:
    """Creates these indexes (name -> CREATE INDEX statement) on PostgreSQL only; SQLite, the
    embedded default, skips them. Reversing drops them."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for extension in extensions:
            schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        for statement in indexes.values():
            schema_editor.execute(statement)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
