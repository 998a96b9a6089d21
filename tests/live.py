"""The app under gunicorn on a free loopback port, for tests that need a real server."""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_url(settings_dict: dict) -> str:
    password = settings_dict["PASSWORD"] or ""
    return (
        f"postgres://{settings_dict['USER']}:{password}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT']}/{settings_dict['NAME']}"
    )


@contextlib.contextmanager
def gunicorn(database: str, workers: int = 4, **environment):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.test",
        "DATABASE_URL": database,
        **environment,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "clinic.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def call(port, method, path, token, body=None, headers=None):
    """(status, parsed JSON or raw bytes) of one request with a token."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    response = conn.getresponse()
    status, payload = response.status, response.read()
    conn.close()
    if response.getheader("Content-Type", "").startswith("application/json"):
        return status, json.loads(payload)
    return status, payload
