"""Two servers on one host each answer an operator's `gunicornc` on a socket of their own:
gunicorn's default is one socket a user, so the second server took it over and a command meant
for the first reached the second."""

import json
import os
import subprocess
import sys
from pathlib import Path

from clinic.gunicorn_control import control_socket_path
from tests.live import ServeGunicorn


def workers_answering(socket_path: str) -> set[int]:
    gunicornc = str(Path(sys.executable).with_name("gunicornc"))
    shown = subprocess.run(
        [gunicornc, "-s", socket_path, "-j", "-c", "show workers"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {worker["pid"] for worker in json.loads(shown.stdout)["workers"]}


def test_each_server_on_a_host_answers_on_its_own_control_socket(tmp_path):
    def server(workers: int, name: str) -> ServeGunicorn:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "clinic.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "WEB_CONCURRENCY": str(workers),
        }
        return ServeGunicorn(env, tmp_path / f"{name}.log")

    with server(1, "first") as first, server(2, "second") as second:
        first_socket = control_socket_path(f"127.0.0.1:{first.port}")
        second_socket = control_socket_path(f"127.0.0.1:{second.port}")

        assert workers_answering(first_socket) == set(first.worker_pids())
        assert workers_answering(second_socket) == set(second.worker_pids())
        assert len(second.worker_pids()) == 2

    assert not Path(first_socket).exists() and not Path(second_socket).exists()
