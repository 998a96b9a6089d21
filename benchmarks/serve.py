"""gunicorn as `scripts/serve` starts it (`gunicorn.conf.py`: its workers, timeout and access
log), on a free loopback port, for the parts that measure or load a real server: the
benchmark's throughput (benchmarks/load.py) and a clinic's busy morning
(benchmarks/clinic_load.py). It is up once `/healthz` answers 200, and terminated on exit.
"""

import http.client
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.pg import free_port

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60


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
    its WEB_CONCURRENCY picks the workers, as for scripts/serve."""

    def __init__(self, env: dict, log_path: Path):
        self.env = env
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "ServeGunicorn":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "clinic.wsgi",
                    "--config",
                    str(ROOT / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=ROOT,
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

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
