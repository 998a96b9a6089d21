"""The app under gunicorn on a free loopback port, for the tests and the benchmarks that need a
real server: one launcher (`ServeGunicorn`, as `scripts/serve` starts it with `gunicorn.conf.py`)
and one HTTP client (`call`). It is up once `/healthz` answers 200, and terminated on exit.
"""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    password = settings_dict["PASSWORD"] or ""
    return (
        f"postgres://{settings_dict['USER']}:{password}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT']}/{settings_dict['NAME']}"
    )


def call(
    port: int,
    method: str,
    path: str,
    token: str | None = None,
    body=None,
    *,
    headers: dict | None = None,
    answer_headers: dict | None = None,
):
    """(status, parsed JSON or raw bytes); one connection per request, as sync workers close each.
    `headers` are sent too; `answer_headers`, a dict, receives the response's headers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": "127.0.0.1", "Content-Type": "application/json", **(headers or {})}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        conn.request(
            method, path, body=json.dumps(body) if body is not None else None, headers=headers
        )
        response = conn.getresponse()
        payload = response.read()
        if answer_headers is not None:
            answer_headers.update(response.getheaders())
        if response.getheader("Content-Type", "").startswith("application/json"):
            return response.status, json.loads(payload)
        return response.status, payload
    finally:
        conn.close()


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    """(status, body) of one GET on its own connection, as sync workers close each."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class ServeGunicorn:
    """`with ServeGunicorn(env, log_path) as server:` serves `clinic.wsgi` on `server.port`.

    `env` is the whole environment of the server (settings module, database, media, cache);
    its WEB_CONCURRENCY picks the workers, as for scripts/serve. `root` is the checkout served:
    this one, or another commit's tree that a benchmark compares with it."""

    def __init__(self, env: dict, log_path: Path, root: Path = ROOT):
        self.env = env
        self.port = free_port()
        self.log_path = log_path
        self.root = root
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "ServeGunicorn":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "clinic.wsgi",
                    "--config",
                    str(self.root / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer /healthz within {STARTUP_SECONDS} s")

    def worker_pids(self) -> list[int]:
        """The process ids of the master's workers now."""
        assert self.process is not None
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        return [int(pid) for pid in found]

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def gunicorn(database: str, workers: int = 4, **environment):
    """The port of the app on test settings with `database`: `workers` processes of 4 threads,
    so that requests really overlap."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.test",
        "DATABASE_URL": database,
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_CMD_ARGS": "--threads 4 --log-level warning",
        **environment,
    }
    with (
        tempfile.TemporaryDirectory() as logs,
        ServeGunicorn(env, Path(logs) / "gunicorn.log") as server,
    ):
        yield server.port
