"""Handout render time with and without exercise pictures, drawing cache warm and cold.

`python -m benchmarks.pictures [--iterations N] [--exercises N]` needs no database: it builds
a handout of N catalogue exercises (their steps, and their start and end frames from the
default catalogue's data files) plus every safety note, and renders it

- without pictures (the same handout with its frames left out),
- with pictures, warm: the frames read, their geometry and PDF drawing operators already
  cached, as in a server process that has drawn these exercises before,
- with pictures, cold: the caches emptied before every render, so each frame is read, its
  geometry computed and its operators built again,
- with the picture column laid out but blank boxes in place of the drawings: what the
  two-column card costs by itself (text wrapped narrower, a table per card), so the drawings'
  own cost is the difference to "pictures, warm cache".

The three alternate in rotation so that a busy machine's drift hits them alike. The goal: warm,
pictures add at most 15% to the 10-exercise handout.
"""

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
django.setup()

import yaml  # noqa: E402
from reportlab.platypus import Spacer  # noqa: E402

from benchmarks.stats import fmt, ratio, summary, table  # noqa: E402
from exercises.catalogue.loader import (  # noqa: E402
    DEFAULT_CATALOGUE,
    DEFAULT_ILLUSTRATIONS,
    read_catalogue,
)
from exercises.illustrations.pdf import FrameDrawing, drawing_operators  # noqa: E402
from exercises.illustrations.scene import _scene, movement  # noqa: E402
from prescriptions.handouts import layout  # noqa: E402
from prescriptions.handouts.content import (  # noqa: E402
    ExerciseLog,
    ExerciseSection,
    Handout,
    HelpPanel,
    LogRow,
    LogWeek,
    SafetySection,
)
from prescriptions.handouts.pdf import render_handout  # noqa: E402
from prescriptions.handouts.pictures import _drawable, exercise_picture_flowables  # noqa: E402

GOAL = 1.15
DOSE = "Hold for 30 seconds. Do this 3 times on each leg. Once a day, every day."
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def catalogue_handout(count: int, *, pictures: bool) -> Handout:
    catalogue = read_catalogue(DEFAULT_CATALOGUE)
    frames = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))["exercises"]
    entries = [entry for entry in catalogue["exercises"] if entry["slug"] in frames][:count]
    sections = tuple(
        ExerciseSection(
            number=number,
            name=entry["name"],
            image="",
            image_alt="",
            frames=tuple(frames[entry["slug"]]) if pictures else (),
            starting_position=entry["steps"][0],
            steps=tuple(entry["steps"][1:]),
            feel=tuple(entry.get("feel", ())),
            tips=tuple(entry.get("tips", ())),
            avoid=tuple(entry.get("common_mistakes", ())),
            dose=DOSE,
            note="",
            take_care=tuple(entry.get("safety_notes", ())),
            see_also=(),
            contraindication_reason="",
        )
        for number, entry in enumerate(entries, start=1)
    )
    tiers = {}
    for note in catalogue["safety_notes"]:
        tiers.setdefault(note["tier"], []).append(note["text"])
    return Handout(
        language="en",
        title="Your home exercise programme",
        clinic_name="Riverside Physio",
        clinic_logo="",
        clinic_address="1 River Street",
        clinic_contact="020 7946 0000",
        patient_name="Ada Lovelace",
        patient_birth_date="10 December 1815",
        date="6 December 2026",
        clinician_name="Lisa Mercer",
        clinician_profession="Physiotherapist",
        notes="Ease the pull at the back of your thighs.",
        help=HelpPanel(
            heading="When to get help",
            emergency_heading="Emergency: get help at once",
            emergency_action="Go to an emergency department now, or call 999.",
            emergency_signs=tuple(tiers.get("emergency", ())),
            same_day_heading="Call us the same day",
            same_day_action="Call us on 020 7946 0000 today if you have any of these:",
            same_day_signs=tuple(tiers.get("urgent", ())),
            out_of_hours="When we are closed: call 111.",
        ),
        shared_boxes=(),
        exercises=sections,
        guidance=tuple(
            SafetySection(tier=tier, heading=tier, intro="", items=tuple(tiers.get(tier, ())))
            for tier in ("precaution", "contact-clinic")
        ),
        log=ExerciseLog(
            heading="Your exercise log",
            instructions="Tick a box each time you do an exercise.",
            rows=tuple(
                LogRow(label=f"{section.number}. {section.name}", boxes_per_day=1, how_often="")
                for section in sections
            ),
            pain_labels=("Leg pain 0-10",),
            weeks=tuple(LogWeek(heading=f"Week {week}", days=DAYS) for week in (1, 2)),
        ),
        review_date="15 January 2027",
        how_long="",
        prescription_id=1,
        programme_number=1,
        version=1,
        replaces="",
        changes="",
        status="issued",
        paper="a4",
    )


def _cold():
    _drawable.cache_clear()
    _scene.cache_clear()
    movement.cache_clear()
    drawing_operators.cache_clear()


def _blank_boxes(exercise, column_width, styles):
    """The pictures' flowables with the same sizes, drawing nothing (captions kept: they
    are text, laid out either way)."""
    return [
        Spacer(flowable.width, flowable.height) if isinstance(flowable, FrameDrawing) else flowable
        for flowable in exercise_picture_flowables(exercise, column_width, styles)
    ]


def _render(name: str, handout: Handout) -> None:
    if name == "picture column, blank boxes":
        layout.exercise_picture_flowables = _blank_boxes
        try:
            render_handout(handout)
        finally:
            layout.exercise_picture_flowables = exercise_picture_flowables
    else:
        render_handout(handout)


def measure(count: int, iterations: int, warmup: int = 2) -> dict[str, list[float]]:
    handouts = {
        "without pictures": catalogue_handout(count, pictures=False),
        "pictures, warm cache": catalogue_handout(count, pictures=True),
        "pictures, cold cache": catalogue_handout(count, pictures=True),
        "picture column, blank boxes": catalogue_handout(count, pictures=True),
    }
    names = list(handouts)
    samples = {name: [] for name in names}
    cpu = {name: [] for name in names}
    for index in range(warmup + iterations):
        for name in names[index % len(names) :] + names[: index % len(names)]:
            if name == "pictures, cold cache":
                _cold()
            started, cpu_started = time.perf_counter(), time.process_time()
            _render(name, handouts[name])
            elapsed = time.perf_counter() - started
            if index >= warmup:
                samples[name].append(elapsed)
                cpu[name].append(time.process_time() - cpu_started)
            if name == "pictures, cold cache":
                # Leave the caches as the warm case expects them: filled.
                render_handout(handouts["pictures, warm cache"])
    return samples, cpu


def report(samples, cpu, count: int, markdown: bool = False) -> str:
    base = summary(samples["without pictures"])["median"]
    cpu_base = summary(cpu["without pictures"])["median"]
    rows = []
    for name, values in samples.items():
        stats, cpu_stats = summary(values), summary(cpu[name])
        rows.append(
            [
                f"{count} exercises, {name}",
                fmt(stats["n"]),
                fmt(stats["median"]),
                fmt(stats["p95"]),
                fmt(cpu_stats["median"]),
                f"{fmt(ratio(stats['median'], base), 2)}x",
                f"{fmt(ratio(cpu_stats['median'], cpu_base), 2)}x",
            ]
        )
    return table(
        [
            "handout",
            "n",
            "median ms",
            "p95 ms",
            "CPU ms",
            f"÷ without (goal warm ≤ {GOAL}x)",
            "CPU ÷ without",
        ],
        rows,
        markdown=markdown,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--exercises", type=int, default=10)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    samples, cpu = measure(args.exercises, args.iterations)
    print(report(samples, cpu, args.exercises, markdown=args.markdown))


if __name__ == "__main__":
    main()
