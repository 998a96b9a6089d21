"""The service as several servers on this machine's loopback, for the cluster tests: PostgreSQL
behind PgBouncer (transaction pooling), Redis, SeaweedFS (S3), two gunicorns of 2 workers each
(own media and cache folders, one SECRET_KEY) behind nginx, each started here on free ports
with its own configuration in a temporary folder and stopped at the end. No system service is
used or touched. Debian packages: postgresql, pgbouncer, redis-server, nginx (or nginx-light).
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.clinic_load import manage, prepare_clinic, serve_environment
from tests.live import ServeGunicorn, free_port
from tests.object_storage import SeaweedServer
from tests.redis_server import RedisServer

STARTUP_SECONDS = 30
NEEDED = {
    "PostgreSQL (postgresql)": "/usr/lib/postgresql",
    "pgbouncer": shutil.which("pgbouncer") or "/usr/sbin/pgbouncer",
    "nginx": shutil.which("nginx") or "/usr/sbin/nginx",
    "redis-server": shutil.which("redis-server") or "/usr/bin/redis-server",
}
# What the docs ask of an app server behind PgBouncer's transaction pooling (docs/operations.md).
BEHIND_PGBOUNCER = {
    "DB_PREPARED_STATEMENTS": "0",
    "DB_DISABLE_SERVER_SIDE_CURSORS": "1",
    "DB_RANDOM_PAGE_COST": "",
    "DB_CONN_MAX_AGE": "0",
}


def skip_unless_installed() -> None:
    missing = [name for name, path in NEEDED.items() if not Path(path).exists()]
    if missing:
        pytest.skip(f"the cluster needs {', '.join(missing)} (apt-get install; CI installs them)")


def as_postgres(arguments: list[str]) -> list[str]:
    """PostgreSQL and PgBouncer refuse to run as root; as root, they run as postgres."""
    if os.geteuid() != 0:
        return arguments
    return ["runuser", "-u", "postgres", "--", *arguments]


def wait_until(answers, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited")
        if answers():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer within {STARTUP_SECONDS} s")


def port_answers(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def stopped_at_exit(process: subprocess.Popen):
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def postgresql(folder: Path):
    """A PostgreSQL server with an empty database `clinic`; yields its port."""
    bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    data, port = folder / "pgdata", free_port()
    subprocess.run(
        as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]),
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        as_postgres(
            [
                str(bin_dir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(folder),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
            ]
        ),
        stdout=(folder / "postgres.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    with stopped_at_exit(server):
        wait_until(lambda: port_answers(port), "PostgreSQL", server)
        created = subprocess.run(
            [
                str(bin_dir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-c",
                "CREATE DATABASE clinic",
            ],
            capture_output=True,
        )
        # PostgreSQL answers its port before it accepts sessions; one retry covers that.
        if created.returncode != 0:
            time.sleep(1)
            subprocess.run(created.args, check=True, capture_output=True)
        yield port


@contextlib.contextmanager
def pgbouncer(folder: Path, postgres_port: int):
    """PgBouncer in transaction pooling mode before the database `clinic`; yields its port."""
    port = free_port()
    (folder / "userlist.txt").write_text('"postgres" ""\n')
    config = folder / "pgbouncer.ini"
    config.write_text(
        f"""[databases]
clinic = host=127.0.0.1 port={postgres_port} dbname=clinic

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
logfile = {folder / "pgbouncer.log"}
pidfile = {folder / "pgbouncer.pid"}
"""
    )
    process = subprocess.Popen(
        as_postgres([NEEDED["pgbouncer"], str(config)]),
        stdout=(folder / "pgbouncer.out").open("ab"),
        stderr=subprocess.STDOUT,
    )
    with stopped_at_exit(process):
        wait_until(lambda: port_answers(port), "PgBouncer", process)
        yield port


def nginx_config(folder: Path, port: int, app_ports: list[int]) -> Path:
    """Round robin over the app servers; an idempotent request (GET, HEAD, PUT, DELETE, ...)
    that meets a refused connection, a reset or a 502/503 goes to the other server, a POST
    never (nginx's default: it may have been applied)."""
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(exist_ok=True)
    servers = "\n".join(
        f"    server 127.0.0.1:{app} max_fails=1 fail_timeout=2s;" for app in app_ports
    )
    config = folder / "nginx.conf"
    config.write_text(
        f"""daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 512; }}
http {{
  access_log {folder / "access.log"};
  client_body_temp_path {folder / "body"};
  proxy_temp_path {folder / "proxy"};
  fastcgi_temp_path {folder / "fastcgi"};
  uwsgi_temp_path {folder / "uwsgi"};
  scgi_temp_path {folder / "scgi"};
  client_max_body_size 20m;
  upstream app {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""
    )
    return config


@contextlib.contextmanager
def nginx(folder: Path, app_ports: list[int]):
    folder.mkdir(exist_ok=True)
    port = free_port()
    config = nginx_config(folder, port, app_ports)
    process = subprocess.Popen(
        [NEEDED["nginx"], "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")],
        stdout=(folder / "nginx.out").open("ab"),
        stderr=subprocess.STDOUT,
    )
    with stopped_at_exit(process):
        wait_until(lambda: port_answers(port), "nginx", process)
        yield port


@dataclass
class Cluster:
    """What a test reaches: the load balancer's port, each app server, the shared parts."""

    balancer: int
    servers: list[ServeGunicorn]
    redis: RedisServer
    seaweed: SeaweedServer
    usernames: list[str]
    env: dict

    @property
    def app_ports(self) -> list[int]:
        return [server.port for server in self.servers]


@contextlib.contextmanager
def cluster(therapists: int = 4, servers: int = 2, **environment: str):
    """The whole cluster with `therapists` clinicians (tests.clinic_load's PASSWORD) and the
    catalogue loaded, `servers` app servers behind the balancer (1 to compare with 2);
    `environment` is added to every app server's settings."""
    skip_unless_installed()
    # Readable by the postgres user that PostgreSQL and PgBouncer run as.
    folder = Path(tempfile.mkdtemp(prefix="clinic-cluster-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, user="postgres")
    try:
        with contextlib.ExitStack() as stack:
            postgres_port = stack.enter_context(postgresql(folder))
            bouncer_port = stack.enter_context(pgbouncer(folder, postgres_port))
            redis = RedisServer(folder / "redis", free_port()).start()
            stack.callback(redis.stop)
            (folder / "seaweed").mkdir()
            seaweed = SeaweedServer(folder / "seaweed")
            seaweed.start()
            stack.callback(seaweed.stop)
            shared = {
                **serve_environment(
                    f"postgres://postgres@127.0.0.1:{bouncer_port}/clinic", folder / "setup"
                ),
                **BEHIND_PGBOUNCER,
                "SECRET_KEY": "cluster-test-secret-" + "k" * 50,
                "REDIS_URL": redis.url,
                "STORAGE_URL": seaweed.storage_url(),
                "TRUSTED_PROXY_COUNT": "1",
                "WEB_CONCURRENCY": "2",
                "STATIC_ROOT": str(folder / "static"),
                **environment,
            }
            usernames = prepare_clinic(shared, therapists)
            # The admin's pages name their static files through collectstatic's manifest.
            manage(shared, "collectstatic", "--noinput", "-v0")
            started = []
            for name in (f"server{number}" for number in range(1, servers + 1)):
                own = {
                    **shared,
                    "MEDIA_ROOT": str(folder / name / "media"),
                    "CACHE_DIR": str(folder / name / "cache"),
                }
                (folder / name).mkdir()
                started.append(stack.enter_context(ServeGunicorn(own, folder / name / "log")))
            balancer = stack.enter_context(nginx(folder / "nginx", [s.port for s in started]))
            yield Cluster(balancer, started, redis, seaweed, usernames, shared)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_editor(env: dict, username: str, password: str) -> None:
    manage(
        env,
        "create_clinician",
        username,
        "--clinic",
        "Load Test Clinic",
        "--password",
        password,
        "--role",
        "editor",
    )
