"""What the settings ask of the app's PostgreSQL sessions (CI runs these on PostgreSQL)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from prescriptions.models import Patient


def prepared_statements_reading(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f'%FROM "{table}"%'],
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_query_repeated_on_a_connection_is_planned_once():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL session setting; CI runs this on PostgreSQL")
    connection.close()  # a new session: the suite's earlier queries prepared nothing in it
    table = Patient._meta.db_table
    before = prepared_statements_reading(table)

    for patient_id in range(1, 7):
        list(Patient.objects.filter(pk=patient_id))

    assert before == 0
    assert prepared_statements_reading(table) == 1


def database_options(**environment) -> dict:
    """The database OPTIONS the production settings build from this environment."""
    script = (
        "import json; from clinic.settings import base; "
        "print(json.dumps(base.DATABASES['default'].get('OPTIONS', {})))"
    )
    env = {**os.environ, "SECRET_KEY": "x" * 50, **environment}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("setting", "prepared"), [({}, True), ({"DB_PREPARED_STATEMENTS": "0"}, False)]
)
def test_prepared_statements_are_on_unless_turned_off_for_an_old_pgbouncer(setting, prepared):
    options = database_options(DATABASE_URL="postgres://clinic@db.example/clinic", **setting)

    assert options.get("server_side_binding", False) is prepared
    assert options.get("prepare_threshold") == (5 if prepared else None)


def test_sqlite_has_no_postgresql_options():
    options = database_options(DATABASE_URL="sqlite:////tmp/clinic.sqlite3")

    assert "server_side_binding" not in options
