"""Twelve therapists at once on the embedded default: SQLite under gunicorn as scripts/serve runs it.

Bounded (two rounds each, a few hundred requests); benchmarks/clinic_load.py runs the longer
version and reports the figures.
"""

from tests.clinic_load import prepare_clinic, run_load, serve_environment, sign_in
from tests.live import ServeGunicorn


def test_twelve_therapists_at_once_on_sqlite_get_no_server_error_and_lose_nothing(tmp_path):
    env = serve_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    usernames = prepare_clinic(env, therapists=12)
    with ServeGunicorn(env, tmp_path / "gunicorn.log") as server:
        tokens = [sign_in(server.port, username) for username in usernames]
        result = run_load(server.port, tokens, rounds=2)

    assert result.failures == []
    assert result.server_errors == 0
    assert len(result.created_patients) == 24
    assert result.lost_patients == []
    assert result.statuses == {200: 24 * 4, 201: 24 * 2}
