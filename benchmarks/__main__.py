"""python -m benchmarks [--smoke] [--postgres] ...: the whole benchmark, one table per part.

Each database runs in its own process (benchmarks.phase) on a throwaway database: a temporary
SQLite file, and with --postgres throwaway databases on a PostgreSQL server this command starts
itself (initdb in a temp dir) unless --pg-url names one. See docs/performance.md.

python -m benchmarks generate-dataset [--scale S] [--seed N] ...: only load the generated data
set into the database DATABASE_URL names (`generate-dataset --help` lists its options).
"""

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import django

from benchmarks import baseline, pg
from benchmarks.stats import fmt, ratio, summary, table

ROOT = Path(__file__).resolve().parent.parent
FLAT_LIMIT = 1.5
HANDOUT_GOAL = 1.5
FLATNESS_CASES = (
    "exercise_list_20",
    "exercise_list_100",
    "exercise_search",
    "patient_list",
    "patient_search",
    "patient_search_record",
    "prescription_list",
    "prescription_detail_3",
    "prescription_detail_30",
    "prescription_create_10",
    "handout_download_10",
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny data and few iterations (CI: a minute or two)"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="also the PostgreSQL parts (small and large data)"
    )
    parser.add_argument(
        "--pg-url",
        help="a PostgreSQL server to create the throwaway databases on, as a URL of a database "
        "there (e.g. postgres://postgres@127.0.0.1:5432/postgres); default: start one",
    )
    parser.add_argument(
        "--large-db-url",
        help="use this already generated database as the large data set (left as it was)",
    )
    parser.add_argument(
        "--scale", type=float, help="scale of the large data set (default 1; --smoke 0.02)"
    )
    parser.add_argument(
        "--small-scale", type=float, help="scale of the small data set (default 0.01)"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite part")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn throughput")
    parser.add_argument("--iterations", type=int, help="timed requests per case (default 30)")
    parser.add_argument(
        "--rounds",
        type=int,
        help="PostgreSQL: alternate the small and large data set this many times, splitting the "
        "iterations, so a busy machine's drift hits both alike (default 3; --smoke 1)",
    )
    parser.add_argument(
        "--load-seconds", type=float, help="per target and round (default 4; --smoke 2)"
    )
    parser.add_argument("--load-requests", type=int, help="per target, at most (default 3000)")
    parser.add_argument(
        "--load-rounds",
        type=int,
        help="run every target this many times, alternating, and take the median of each "
        "round's ratio to the bare view (default 3; --smoke 1)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="add ?conn_max_age=N to every DATABASE_URL (default: as the settings ship it, "
        "persistent connections of 60 s with health checks; 0 opens one per request)",
    )
    parser.add_argument("--json", type=Path, help="also write every sample and figure here")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and logs")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="compare the run's ratios with this file (benchmarks/baseline.json) and exit 1 "
        f"when any is more than {baseline.REGRESSION_FACTOR:.0f}x worse",
    )
    parser.add_argument(
        "--write-baseline",
        type=Path,
        help="record the run's ratios in this file, each kept at its worst value there so far",
    )
    return parser.parse_args(argv)


def plan(args) -> dict:
    smoke = args.smoke
    return {
        "conn_max_age": args.conn_max_age,
        "rounds": args.rounds or (1 if smoke else 3),
        "small_scale": args.small_scale or (0.002 if smoke else 0.01),
        "large_scale": args.scale or (0.02 if smoke else 1.0),
        "handout": {"iterations": 3 if smoke else 20, "warmup": 1 if smoke else 2},
        "requests": {
            "iterations": args.iterations or (5 if smoke else 30),
            "warmup": 2 if smoke else 3,
        },
        "load": {
            "rounds": args.load_rounds or (1 if smoke else 3),
            "duration": args.load_seconds or (2.0 if smoke else 4.0),
            "max_requests": args.load_requests or (200 if smoke else 3000),
            "workers": args.workers,
            "concurrency": args.concurrency,
            "warmup": 4 if smoke else 20,
        },
    }


def machine(pg_version: str | None) -> dict:
    info = {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": "unknown",
        "ram_gib": None,
        "python": platform.python_version(),
        "django": metadata.version("Django"),
        "reportlab": metadata.version("reportlab"),
        "gunicorn": metadata.version("gunicorn"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version,
        "kernel": platform.release(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def run_phase(config: dict, work: Path) -> dict:
    name = config["label"].replace(" ", "-")
    config = {
        **config,
        "media_root": str(work / f"media-{name}"),
        "cache_dir": str(work / f"cache-{name}"),
        "log_dir": str(work),
        "results_path": str(work / f"results-{name}.json"),
    }
    config_path = work / f"config-{name}.json"
    config_path.write_text(json.dumps(config, indent=1))
    log_path = work / f"phase-{name}.log"
    print(f"== {config['label']}: running (log: {log_path})", file=sys.stderr, flush=True)
    started = time.monotonic()
    with open(log_path, "ab") as log:
        # generate_dataset's progress (stderr) goes to the terminal; Django's log lines to the file.
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks.phase", str(config_path)],
            cwd=ROOT,
            stdout=log,
            stderr=None if config.get("generate") else log,
            check=False,
        )
    if completed.returncode:
        sys.stderr.write(Path(log_path).read_text()[-4000:])
        raise SystemExit(f"{config['label']} failed (exit {completed.returncode}); log: {log_path}")
    results = json.loads(Path(config["results_path"]).read_text())
    results["phase_seconds"] = time.monotonic() - started
    print(
        f"== {config['label']}: done in {results['phase_seconds']:.0f}s",
        file=sys.stderr,
        flush=True,
    )
    return results


def with_conn_max_age(url: str, seconds: int | None) -> str:
    if seconds is None:
        return url
    return f"{url}{'&' if '?' in url else '?'}conn_max_age={seconds}"


def merge_requests(phase: dict, extra: dict) -> None:
    """Adds another round's samples of the same database to `phase`."""
    for role, block in extra.get("requests", {}).items():
        for key, case in block["cases"].items():
            target = phase["requests"][role]["cases"][key]
            target["samples"] += case["samples"]
            target["cpu"] += case["cpu"]
    phase["rounds"] = phase.get("rounds", 1) + 1
    phase["phase_seconds"] += extra["phase_seconds"]


def phase_config(label, url, *, scale, roles, parts, settings) -> dict:
    requests = dict(settings["requests"])
    if label.startswith("postgresql"):
        # The rounds share the iterations between them.
        requests["iterations"] = -(-requests["iterations"] // settings["rounds"])
    return {
        "label": label,
        "database_url": with_conn_max_age(url, settings.get("conn_max_age")),
        "generate": {"scale": scale} if scale else None,
        "roles": roles,
        "parts": parts,
        "requests": requests,
        **{key: settings[key] for key in ("handout", "load")},
    }


def generate_dataset(argv: list[str]) -> int:
    """The benchmark settings' `generate_dataset` command, with its own options and errors."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    django.setup()
    # Imported once Django is set up: the command's modules import models.
    from benchmarks.management.commands.generate_dataset import Command

    Command().run_from_argv(["python -m benchmarks", "generate-dataset", *argv])
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["generate-dataset"]:
        return generate_dataset(argv[1:])
    args = parse_args(argv)
    settings = plan(args)
    work = Path(tempfile.mkdtemp(prefix="bench-run-"))
    load_part = [] if args.no_load else ["load"]
    phases: list[dict] = []
    pg_version = None
    started = time.monotonic()
    load_at_start = [round(value, 2) for value in os.getloadavg()]
    server = None
    created: list[tuple[str, str]] = []
    try:
        if not args.no_sqlite:
            url = f"sqlite:///{work / 'bench-small.sqlite3'}"
            phases.append(
                run_phase(
                    phase_config(
                        "sqlite small",
                        url,
                        scale=settings["small_scale"],
                        roles=["large"],
                        parts=["handout", "requests", *load_part],
                        settings=settings,
                    ),
                    work,
                )
            )
        if args.postgres:
            server_url = args.pg_url
            if not server_url:
                print("== starting a throwaway PostgreSQL server", file=sys.stderr, flush=True)
                server = pg.TempPostgres().start()
                server_url = server.url("postgres")
            pg_version = pg.server_version(server_url)
            suffix = f"{os.getpid()}"
            small_name = f"bench_small_{suffix}"
            small_url = pg.create_database(server_url, small_name)
            created.append((server_url, small_name))
            small_phase = run_phase(
                phase_config(
                    "postgresql small",
                    small_url,
                    scale=settings["small_scale"],
                    roles=["large"],
                    parts=[*(["handout"] if args.no_sqlite else []), "requests", *load_part],
                    settings=settings,
                ),
                work,
            )
            phases.append(small_phase)
            if args.large_db_url:
                large_url, large_scale = args.large_db_url, None
            else:
                large_name = f"bench_large_{suffix}"
                large_url = pg.create_database(server_url, large_name)
                created.append((server_url, large_name))
                large_scale = settings["large_scale"]
            large_phase = run_phase(
                phase_config(
                    "postgresql large",
                    large_url,
                    scale=large_scale,
                    roles=["large", "median"],
                    parts=["requests", *load_part],
                    settings=settings,
                ),
                work,
            )
            phases.append(large_phase)
            for number in range(2, settings["rounds"] + 1):
                for label, url, phase, roles in (
                    ("postgresql small", small_url, small_phase, ["large"]),
                    ("postgresql large", large_url, large_phase, ["large", "median"]),
                ):
                    extra = run_phase(
                        phase_config(
                            f"{label} round {number}",
                            url,
                            scale=None,
                            roles=roles,
                            parts=["requests"],
                            settings=settings,
                        ),
                        work,
                    )
                    merge_requests(phase, extra)
    finally:
        for server_url, name in created:
            try:
                pg.drop_database(server_url, name)
            except Exception as error:
                print(f"could not drop {name}: {error}", file=sys.stderr)
        if server:
            server.stop()
    report = {
        "machine": machine(pg_version),
        "plan": settings,
        "phases": phases,
        "total_seconds": time.monotonic() - started,
        "load_at_start": load_at_start,
    }
    print(render(report, markdown=args.markdown))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str))
    if args.keep:
        print(f"(kept {work})", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    ratios = baseline.gated_ratios(report, FLATNESS_CASES)
    if args.write_baseline:
        command = " ".join(["python -m benchmarks", *argv])
        baseline.write(args.write_baseline, ratios, command)
    if args.baseline:
        return _gate(ratios, baseline.read(args.baseline))
    return 0


def _gate(ratios: dict[str, float], expected: dict[str, float]) -> int:
    failures = baseline.regressions(ratios, expected)
    compared = len(ratios.keys() & expected.keys())
    for failure in failures:
        print(f"REGRESSION {failure}", file=sys.stderr)
    print(
        f"{compared} ratios compared with the baseline, {len(failures)} regressed more than "
        f"{baseline.REGRESSION_FACTOR:.0f}x",
        file=sys.stderr,
    )
    return 1 if failures else 0


# The report -----------------------------------------------------------------------------------


def render(report: dict, *, markdown: bool = False) -> str:
    out = []
    m = report["machine"]

    def section(title: str, body: str) -> None:
        out.append(f"\n{'### ' if markdown else '== '}{title}\n\n{body}")

    section(
        "Machine",
        table(
            ["", "value"],
            [
                ["CPU", m["cpu"]],
                ["nproc", str(m["nproc"])],
                ["RAM", f"{m['ram_gib']} GiB"],
                ["Python", m["python"]],
                ["Django", m["django"]],
                ["SQLite", m["sqlite"]],
                ["PostgreSQL", m["postgresql"] or "–"],
                ["reportlab", m["reportlab"]],
                ["gunicorn", m["gunicorn"]],
                ["load average at start", " / ".join(map(str, report["load_at_start"]))],
                ["load average at end", " / ".join(map(str, m["load_average"]))],
            ],
            markdown=markdown,
        ),
    )
    section(
        "Data sets",
        table(
            ["database", "exercises", "patients", "prescriptions", "items", "generated in"],
            [
                [
                    phase["label"],
                    fmt(phase["data"]["exercises"]),
                    fmt(phase["data"]["patients"]),
                    fmt(phase["data"]["prescriptions"]),
                    fmt(phase["data"]["items"]),
                    fmt(phase.get("generate_seconds"), 1, " s")
                    if phase.get("generate_seconds")
                    else "(given)",
                ]
                for phase in report["phases"]
            ],
            markdown=markdown,
        ),
    )
    for phase in report["phases"]:
        if "handout" in phase:
            section(f"Handout render vs floor ({phase['label']})", _handout_table(phase, markdown))
    for phase in report["phases"]:
        for role, block in phase.get("requests", {}).items():
            subject = block["subject"]
            title = (
                f"In-process requests: {phase['label']}, {role} clinic "
                f"({subject['clinic']}: {subject['patients']:,} patients, "
                f"{subject['prescriptions']:,} prescriptions)"
            )
            section(title, _requests_table(block["cases"], markdown))
    flat = _flatness(report, markdown)
    if flat:
        section(
            f"Flatness on PostgreSQL: large data set against small (goal: ≤ {FLAT_LIMIT}x)", flat
        )
    for phase in report["phases"]:
        if "load" in phase:
            section(
                f"Throughput under gunicorn ({phase['label']}; "
                f"{phase['load']['settings']['workers']} workers, "
                f"{phase['load']['settings']['concurrency']} client threads)",
                _load_table(phase["load"], markdown),
            )
    out.append(f"\nTotal: {report['total_seconds']:.0f} s")
    return "\n".join(out)


HANDOUT_CONTENDERS = (
    ("real", "render_handout, {count} exercises"),
    ("floor", "floor (plain flowables), {count} exercises"),
    ("download", "draft handout downloaded through the API, {count} exercises"),
)


def _handout_table(phase: dict, markdown: bool) -> str:
    rows = []
    for count, result in phase["handout"].items():
        floor, floor_cpu = summary(result["floor"]), summary(result["floor_cpu"])
        for key, label in HANDOUT_CONTENDERS:
            if key not in result:
                continue
            wall, cpu = summary(result[key]), summary(result[f"{key}_cpu"])
            factor = ratio(wall["median"], floor["median"])
            rows.append(
                [
                    label.format(count=count),
                    fmt(wall["n"]),
                    fmt(wall["median"]),
                    fmt(wall["mean"]),
                    fmt(wall["p95"]),
                    fmt(cpu["median"]),
                    f"{fmt(factor, 2)}x"
                    + ("" if factor is None or factor <= HANDOUT_GOAL else " !"),
                    f"{fmt(ratio(cpu['median'], floor_cpu['median']), 2)}x",
                ]
            )
    return table(
        [
            "handout",
            "n",
            "median ms",
            "mean ms",
            "p95 ms",
            "CPU ms",
            f"÷ floor (goal ≤ {HANDOUT_GOAL}x)",
            "CPU ÷ floor",
        ],
        rows,
        markdown=markdown,
    )


def _requests_table(cases: dict, markdown: bool) -> str:
    rows = []
    for result in cases.values():
        stats = summary(result["samples"])
        rows.append(
            [
                result["label"],
                fmt(stats["n"]),
                fmt(stats["median"]),
                fmt(stats["mean"]),
                fmt(stats["p95"]),
                fmt(summary(result.get("cpu", []))["median"]),
                fmt(result["queries"]),
                fmt(result.get("results")),
            ]
        )
    return table(
        ["request", "n", "median ms", "mean ms", "p95 ms", "CPU ms", "queries", "count"],
        rows,
        markdown=markdown,
    )


def _flatness(report: dict, markdown: bool) -> str:
    by_label = {phase["label"]: phase for phase in report["phases"]}
    small = by_label.get("postgresql small", {}).get("requests", {}).get("large")
    large = by_label.get("postgresql large", {}).get("requests", {})
    if not (small and large):
        return ""
    rows = []
    for key in FLATNESS_CASES:
        if key not in small["cases"]:
            continue
        base = summary(small["cases"][key]["samples"])["median"]
        base_cpu = summary(small["cases"][key].get("cpu", []))["median"]
        cells = [small["cases"][key]["label"], fmt(base)]
        worst = None
        for role in ("median", "large"):
            if role in large and key in large[role]["cases"]:
                case = large[role]["cases"][key]
                value = summary(case["samples"])["median"]
                factor = ratio(value, base)
                worst = factor if worst is None else max(worst, factor)
                cells += [fmt(value), f"{fmt(factor, 2)}x"]
                if role == "large":
                    cpu_factor = ratio(summary(case.get("cpu", []))["median"], base_cpu)
                    cells.append(f"{fmt(cpu_factor, 2)}x")
            else:
                cells += ["–", "–"] + (["–"] if role == "large" else [])
        cells.append("yes" if worst is not None and worst <= FLAT_LIMIT else "NO")
        rows.append(cells)
    return table(
        [
            "request (median ms)",
            "small data",
            "large: median clinic",
            "÷ small",
            "large: largest clinic",
            "÷ small",
            "CPU ÷ small",
            "flat",
        ],
        rows,
        markdown=markdown,
    )


def _load_table(load: dict, markdown: bool) -> str:
    targets = load["targets"]
    labels = {
        "bare": "bare Django view (floor)",
        "healthz": "/healthz (database and media checks)",
        "exercise_list_20": "exercise list, page of 20",
        "prescription_detail_10": "prescription detail, 10 items",
        "handout_issued_10": "handout, 10 items (issued: stored bytes)",
        "guaranteed_download_10": "same, only the guaranteed work (token, role, scoped read, audit)",
        "handout_10": "handout, 10 items (draft: rendered)",
    }
    rows = []
    for key, result in targets.items():
        spread = result.get("bare_ratios", [])
        rows.append(
            [
                labels.get(key, key),
                fmt(result["requests"]),
                fmt(result["errors"]),
                fmt(result["rps"]),
                fmt(result["latency"]["median"]),
                fmt(result["latency"]["p95"]),
                fmt(result.get("bare_ratio"), 3),
                f"{fmt(min(spread), 3)}-{fmt(max(spread), 3)}" if len(spread) > 1 else "",
            ]
        )
    return table(
        [
            "target",
            "requests",
            "errors",
            "req/s",
            "median ms",
            "p95 ms",
            "÷ bare req/s",
            "rounds' range",
        ],
        rows,
        markdown=markdown,
    )


if __name__ == "__main__":
    raise SystemExit(main())
