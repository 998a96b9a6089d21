"""The CI gate: a run's ratios against the committed baseline, a 2x regression fails."""

import json
from pathlib import Path

from benchmarks import baseline

ROOT = Path(__file__).resolve().parents[2]


def report(*, handout_cpu, floor_cpu, list_bare_ratio, small_cpu, large_cpu) -> dict:
    return {
        "phases": [
            {
                "label": "sqlite small",
                "handout": {"10": {"real_cpu": [handout_cpu], "floor_cpu": [floor_cpu]}},
                "load": {
                    "targets": {
                        "bare": {"bare_ratio": 1.0},
                        "exercise_list_20": {"bare_ratio": list_bare_ratio},
                    }
                },
            },
            {
                "label": "postgresql small",
                "requests": {"large": {"cases": {"patient_list": {"cpu": [small_cpu]}}}},
            },
            {
                "label": "postgresql large",
                "requests": {"large": {"cases": {"patient_list": {"cpu": [large_cpu]}}}},
            },
        ]
    }


def test_every_ratio_is_named_and_larger_means_worse():
    ratios = baseline.gated_ratios(
        report(
            handout_cpu=0.06,
            floor_cpu=0.04,
            list_bare_ratio=0.05,
            small_cpu=0.01,
            large_cpu=0.012,
        ),
        ("patient_list",),
    )

    assert ratios == {
        "sqlite small: handout, 10 exercises, CPU ÷ floor": 1.5,
        "sqlite small: bare view ÷ exercise_list_20, req/s": 20.0,
        "postgresql: patient_list, CPU large ÷ small data": 1.2,
    }


def test_only_a_ratio_more_than_twice_its_baseline_regresses():
    expected = {"list": 20.0, "handout": 1.5, "flat": 0.6, "gone": 3.0}

    failures = baseline.regressions(
        {"list": 40.0, "handout": 3.1, "flat": 1.9, "new": 9.0}, expected
    )

    assert failures == ["handout: 3.10 against 1.50 in the baseline (2.1x, limit 2x)"]


def test_a_baseline_under_1_counts_as_1():
    assert baseline.regressions({"flat": 2.1}, {"flat": 0.6}) == [
        "flat: 2.10 against 0.60 in the baseline (2.1x, limit 2x)"
    ]


def test_the_committed_baseline_holds_the_ci_runs_ratios():
    ratios = json.loads((ROOT / "benchmarks" / "baseline.json").read_text())["ratios"]

    assert any("CPU ÷ floor" in name for name in ratios)
    assert any("bare view ÷" in name for name in ratios)
    assert any("large ÷ small data" in name for name in ratios)
    assert all(value > 0 for value in ratios.values())


def test_writing_a_baseline_keeps_each_ratios_worst_value(tmp_path):
    path = tmp_path / "baseline.json"

    baseline.write(path, {"list": 20.0, "handout": 1.5}, "first run")
    baseline.write(path, {"list": 25.0, "handout": 1.2, "new": 3.0}, "second run")

    assert baseline.read(path) == {"list": 25.0, "handout": 1.5, "new": 3.0}
