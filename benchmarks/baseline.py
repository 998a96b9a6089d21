"""The benchmark as a gate on regressions: the ratios of a run against a committed baseline.

Only ratios measured within one run are compared (the handout against its floor, the large
data set against the small one, a request's throughput against the bare view's), never
absolute times, so a slower or busier machine moves both sides alike. Every ratio is oriented
so that larger is worse; a ratio more than `REGRESSION_FACTOR` times its baseline fails the
run. The factor is generous because a shared CI machine is noisy.
"""

import json
from pathlib import Path

from benchmarks.stats import ratio, summary

REGRESSION_FACTOR = 2.0


def gated_ratios(report: dict, flatness_cases: tuple[str, ...]) -> dict[str, float]:
    """Every ratio of the run, by a name that is stable from run to run."""
    ratios = {}
    for phase in report["phases"]:
        label = phase["label"]
        for count, result in phase.get("handout", {}).items():
            ratios[f"{label}: handout, {count} exercises, CPU ÷ floor"] = ratio(
                summary(result["real_cpu"])["median"], summary(result["floor_cpu"])["median"]
            )
        for key, result in phase.get("load", {}).get("targets", {}).items():
            if key != "bare":
                ratios[f"{label}: bare view ÷ {key}, req/s"] = ratio(1.0, result["bare_ratio"])
    by_label = {phase["label"]: phase for phase in report["phases"]}
    small = by_label.get("postgresql small", {}).get("requests", {}).get("large")
    large = by_label.get("postgresql large", {}).get("requests", {}).get("large")
    if small and large:
        for key in flatness_cases:
            if key in small["cases"] and key in large["cases"]:
                ratios[f"postgresql: {key}, CPU large ÷ small data"] = ratio(
                    summary(large["cases"][key].get("cpu", []))["median"],
                    summary(small["cases"][key].get("cpu", []))["median"],
                )
    return {name: value for name, value in ratios.items() if value is not None}


def regressions(current: dict[str, float], baseline: dict[str, float]) -> list[str]:
    """One line per ratio more than REGRESSION_FACTOR times its baseline. A baseline under 1
    counts as 1: no case is really faster than its yardstick (the floor, the bare view, the
    small data set), so less is the noise of a few smoke iterations."""
    failures = []
    for name in sorted(current.keys() & baseline.keys()):
        reference = max(baseline[name], 1.0)
        if current[name] > REGRESSION_FACTOR * reference:
            failures.append(
                f"{name}: {current[name]:.2f} against {baseline[name]:.2f} in the baseline "
                f"({current[name] / reference:.1f}x, limit {REGRESSION_FACTOR:.0f}x)"
            )
    return failures


def read(path: Path) -> dict[str, float]:
    return json.loads(path.read_text())["ratios"]


def write(path: Path, ratios: dict[str, float], command: str) -> None:
    """Records the run's ratios, each kept at the worst (largest) value the file already holds,
    so a baseline written by a few runs tolerates the machine's noise. Delete it to start over."""
    worst = dict(ratios)
    if path.exists():
        for name, value in read(path).items():
            worst[name] = max(value, worst.get(name, value))
    path.write_text(
        json.dumps(
            {"command": command, "ratios": {name: round(v, 3) for name, v in worst.items()}},
            indent=1,
            ensure_ascii=False,
            sort_keys=True,
        )
        + "\n"
    )
