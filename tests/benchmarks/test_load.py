"""The throughput table's ratios: each round's target against that round's bare view."""

from benchmarks.load import combined


def result(rps, *, requests=100, errors=0, statuses=(), median=1.0, p95=2.0) -> dict:
    return {
        "requests": requests,
        "errors": errors,
        "error_statuses": list(statuses),
        "rps": rps,
        "latency": {"median": median, "p95": p95},
    }


def test_a_machine_slowing_down_over_the_run_leaves_the_ratio_alone():
    # The machine runs at full speed, then at half, then at a quarter: the target's own
    # req/s swing fourfold, its ratio to the bare view measured beside it does not.
    rounds = [
        {"bare": result(2000), "detail": result(200)},
        {"bare": result(1000), "detail": result(100)},
        {"bare": result(500), "detail": result(55)},
    ]

    detail = combined("detail", "/detail", rounds)

    assert detail["bare_ratios"] == [0.1, 0.1, 0.11]
    assert detail["bare_ratio"] == 0.1
    assert detail["rps"] == 100


def test_counts_add_up_over_the_rounds_and_errors_are_kept():
    rounds = [
        {"bare": result(1000), "list": result(300, requests=900, errors=2, statuses=[503])},
        {"bare": result(1000), "list": result(250, requests=750, errors=1, statuses=[500])},
    ]

    listing = combined("list", "/list", rounds)

    assert listing["requests"] == 1650
    assert listing["errors"] == 3
    assert listing["error_statuses"] == [500, 503]
    assert listing["bare_ratio"] == 0.275
