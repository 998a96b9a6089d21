"""Owner-only state: `scripts/serve` from a clean clone, started with a permissive umask, leaves
nothing under var/ (database and its -wal/-shm, secret key, cache, media) that another local
user could read, and tightens what an older version left there. Exports too."""

import hashlib
import http.client
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests import factories
from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 180


def clean_clone(target: Path) -> Path:
    """The project's files as a fresh clone has them (no var/), with the working tree's edits,
    and a virtual environment that reuses this one's packages (scripts/serve installs nothing)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = ROOT / name
        if name == ".venv" or name.startswith(("var/", ".venv/")) or not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    venv, shared = target / ".venv", Path(sys.prefix)
    venv.mkdir()
    shutil.copy(shared / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / "bin").symlink_to(shared / "bin")
    (venv / "lib").symlink_to(shared / "lib")
    stamp = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / "constraints.txt").read_bytes()
    ).hexdigest()[:16]
    (venv / f".installed-{stamp}-runtime").touch()
    return target


def request(port: int, method: str, path: str, body=None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={"Content-Type": "application/json", "Host": "127.0.0.1"},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def loose_files(folder: Path) -> list[str]:
    """Paths under `folder` (itself included) that group or others may read, write or enter."""
    paths = [folder, *folder.rglob("*")]
    return sorted(
        f"{path.relative_to(folder.parent)} {stat.filemode(path.stat().st_mode)}"
        for path in paths
        if path.stat().st_mode & 0o077 and "static" not in path.relative_to(folder).parts[:1]
    )


def test_serve_from_a_clean_clone_writes_everything_owner_only(tmp_path):
    clone = clean_clone(tmp_path / "clone")
    # What an older version left: a world-readable var/ and a file in it.
    (clone / "var" / "cache").mkdir(parents=True)
    (clone / "var").chmod(0o755)
    (clone / "var" / "cache").chmod(0o755)
    (clone / "var" / "old-export.zip").write_bytes(b"PK")
    (clone / "var" / "old-export.zip").chmod(0o644)
    port = free_port()
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    output = tmp_path / "serve.log"
    with open(output, "wb") as log:
        server = subprocess.Popen(
            ["bash", "scripts/serve"],
            cwd=clone,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            umask=0o022,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert server.poll() is None, output.read_text()
            try:
                if request(port, "GET", "/healthz") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.5)
        # A sign-in writes the rate-limit counts (cache) and the token (database, WAL).
        credentials = {"username": "therapist", "password": "demo-therapist-2026"}
        assert request(port, "POST", "/api/v1/auth/token/", credentials) == 200

        var = clone / "var"
        written = {path.name for path in var.iterdir()}
        assert {"db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "secret_key", "cache"} <= written
        assert any((var / "cache").iterdir())
        assert loose_files(var) == []
        assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600
        assert stat.S_IMODE(var.stat().st_mode) == 0o700
        said = output.read_text()
        assert "readable by this user only (other local users could read them before)" in said
        for path in ("var/cache", "var/old-export.zip"):
            assert f"      {path}\n" in said
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.django_db
def test_export_patient_writes_its_archive_owner_only(tmp_path, clinic):
    patient = factories.PatientFactory(clinic=clinic)
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"an older, world-readable file")
    archive.chmod(0o644)

    call_command("export_patient", patient.pk, "--output", str(archive), stdout=io.StringIO())

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def test_manage_py_runs_with_an_owner_only_umask(tmp_path):
    written = tmp_path / "written"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import runpy, sys; sys.argv = ['manage.py', 'version'];"
            f" runpy.run_path('manage.py', run_name='__main__');"
            f" open({str(written)!r}, 'w').close()",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings.test"},
        umask=0o022,
        check=True,
        capture_output=True,
    )
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
