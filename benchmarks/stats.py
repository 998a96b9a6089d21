"""Summaries of timing samples and the plain-text tables the benchmark prints."""

import math
import statistics


def summary(samples: list[float]) -> dict:
    """n, median, mean, p95 (nearest rank) and min of samples in seconds, as milliseconds."""
    if not samples:
        return {"n": 0, "median": None, "mean": None, "p95": None, "min": None}
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "n": len(ordered),
        "median": statistics.median(ordered) * 1000,
        "mean": statistics.fmean(ordered) * 1000,
        "p95": p95 * 1000,
        "min": ordered[0] * 1000,
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def fmt(value, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    return f"{value:,.{digits}f}{suffix}"


def table(headers: list[str], rows: list[list[str]], *, markdown: bool = False) -> str:
    """A fixed-width table (or a Markdown one); the first column left-aligned, others right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        parts = [
            str(cell).ljust(width) if index == 0 else str(cell).rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return ("| " + " | ".join(parts) + " |") if markdown else "  ".join(parts)

    if markdown:
        rule = (
            "|"
            + "|".join(
                ("-" * (width + 1) + ":") if index else (":" + "-" * (width + 1))
                for index, width in enumerate(widths)
            )
            + "|"
        )
    else:
        rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])
