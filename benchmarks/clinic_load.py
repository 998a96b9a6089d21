"""A clinic's busy morning, longer than the suite's: `python -m benchmarks.clinic_load` runs the
mix of tests/clinic_load.py for 1, 6 and 12 therapists on SQLite and PostgreSQL."""

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from tests.clinic_load import prepare_clinic, run_load, serve_environment, sign_in
from tests.live import ServeGunicorn


def measure(database_url: str, var_dir: Path, therapist_counts: list[int], rounds: int) -> list:
    env = serve_environment(database_url, var_dir)
    usernames = prepare_clinic(env, max(therapist_counts))
    results = []
    with ServeGunicorn(env, var_dir / "gunicorn.log") as server:
        tokens = [sign_in(server.port, username) for username in usernames]
        for count in therapist_counts:
            result = run_load(server.port, tokens[:count], rounds)
            results.append(result)
            print(json.dumps(result.summary()), flush=True)
            for failure in result.failures[:5]:
                print("   ", failure, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--therapists", default="1,6,12", help="comma-separated counts")
    parser.add_argument("--rounds", type=int, default=10, help="rounds per therapist")
    parser.add_argument("--pg-url", help="a PostgreSQL database URL to run on as well")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs)")
    args = parser.parse_args()
    counts = [int(n) for n in args.therapists.split(",")]
    var_dir = Path(tempfile.mkdtemp(prefix="clinic-load-"))
    try:
        print(f"SQLite ({args.rounds} rounds per therapist)")
        measure(f"sqlite:///{var_dir / 'db.sqlite3'}", var_dir, counts, args.rounds)
        if args.pg_url:
            print(f"PostgreSQL ({args.rounds} rounds per therapist)")
            pg_dir = var_dir / "pg"
            pg_dir.mkdir()
            measure(args.pg_url, pg_dir, counts, args.rounds)
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
