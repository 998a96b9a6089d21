import io
import unicodedata
from dataclasses import dataclass, replace

import pypdf
from reportlab.pdfbase.pdfmetrics import stringWidth

from exercises.illustrations.frames import EXTRA_VIEWS, OPTIONS
from prescriptions.handouts.content import (
    ExerciseLog,
    ExerciseSection,
    Handout,
    HelpPanel,
    LogRow,
    LogWeek,
    SafetySection,
)
from prescriptions.handouts.pictures import caption, option_caption, view_caption

WEEK_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with line breaks joined, so a sentence wrapped over two lines still matches."""
    return " ".join(text.split())


def font_sizes(pdf: bytes) -> set[float]:
    sizes = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(
            visitor_text=lambda text, cm, tm, font, size: (
                sizes.add(round(size * tm[0], 1)) if text.strip() else None
            )
        )
    return sizes


def exercise_section(**changes) -> ExerciseSection:
    """One exercise card as the layout sees it; `changes` replace its fields."""
    section = ExerciseSection(
        number=1,
        name="Bridge",
        image="",
        image_alt="",
        frames=(),
        starting_position="Lie on your back.",
        steps=("Lift your hips.",),
        feel=("Your bottom working.",),
        tips=("Squeeze first.",),
        avoid=("Arching your back.",),
        dose="Do 10 repetitions.",
        note="",
        take_care=("Careful.",),
        see_also=(),
    )
    return replace(section, **changes)


def plain_handout(**changes) -> Handout:
    """A Handout built by hand, as the layout sees it: no database behind it. The one handout
    fixture builder: the tests and the benchmarks (benchmarks/pictures.py) start from it."""
    handout = Handout(
        language="en",
        title="Your home exercise programme",
        clinic_name="Hilltop",
        clinic_logo="",
        clinic_address="",
        clinic_contact="",
        patient_name="Ada Lovelace",
        patient_birth_date="10 December 1815",
        date="27 November 2026",
        clinician_name="Dr Who",
        clinician_profession="Physiotherapist",
        notes="",
        help=HelpPanel(
            heading="When to get help",
            emergency_heading="Emergency: get help at once",
            emergency_action="Go to an emergency department now, or call 999.",
            emergency_signs=("Numbness around your bottom.",),
            same_day_heading="Call us the same day",
            same_day_action="Call us on 020 7946 0000 today if you have any of these:",
            same_day_signs=("Back pain with a fever.",),
            out_of_hours="When we are closed: call 111.",
        ),
        shared_boxes=(),
        exercises=(exercise_section(),),
        guidance=(
            SafetySection(tier="precaution", heading="Safe", intro="", items=("Go gently.",)),
        ),
        log=ExerciseLog(
            heading="Your exercise log",
            instructions="Tick a box each time.",
            rows=(LogRow(label="1. Bridge", boxes_per_day=1, how_often=""),),
            pain_labels=("Pain 0–10",),
            weeks=(LogWeek(heading="Week 1", days=WEEK_DAYS),),
        ),
        review_date="",
        how_long="",
        prescription_id=1,
        programme_number=1,
        version=1,
        replaces="",
        changes="",
        status="draft",
        paper="a4",
    )
    return replace(handout, **changes)


@dataclass(frozen=True)
class Line:
    """One printed line of a page: its height on the page, its text and how it is set."""

    y: float
    text: str
    size: float
    bold: bool


def picture_captions() -> set[str]:
    """The words the layout prints under a card's pictures, each a run of text of its own."""
    return {
        caption(0, 3),
        caption(1, 3),
        caption(2, 3),
        *map(view_caption, EXTRA_VIEWS),
        *map(option_caption, OPTIONS),
    }


def pdf_lines(pdf: bytes, *, captions: bool = True) -> list[list[Line]]:
    """Each page's lines from top to bottom, without the DRAFT mark; without the pictures'
    captions when `captions` is false (the picture column stands beside the text, so a caption
    can share a line's height with the card's words)."""
    left_out = {"DRAFT"} if captions else {"DRAFT", *picture_captions()}
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        pieces = {}

        def visit(text, cm, tm, font, size, pieces=pieces):
            if not text.strip() or not font or text.strip() in left_out:
                return
            y = round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
            pieces.setdefault(y, []).append(
                (text, size * tm[0] * cm[0], "Bold" in font["/BaseFont"])
            )

        page.extract_text(visitor_text=visit)
        pages.append(
            [
                Line(
                    y=y,
                    text=" ".join("".join(t for t, _s, _b in parts).split()),
                    size=round(max(s for _t, s, _b in parts), 1),
                    bold=all(b for _t, _s, b in parts),
                )
                for y, parts in sorted(pieces.items(), reverse=True)
            ]
        )
    return pages


@dataclass(frozen=True)
class Piece:
    """One run of text as printed: its page (from 0), height on the page, text and size."""

    page: int
    y: float
    text: str
    size: float


def pdf_pieces(pdf: bytes) -> list[Piece]:
    """Every run of text in reading order, with the size it is printed at (the DRAFT mark
    left out)."""
    pieces = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip() and font and text.strip() != "DRAFT":
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                pieces.append(Piece(number, y, text.strip(), round(size * tm[0] * cm[0], 1)))

        page.extract_text(visitor_text=visit)
    return pieces


@dataclass(frozen=True)
class Run:
    page: int
    y: float
    text: str
    left: float
    right: float


def runs(pdf: bytes) -> list[Run]:
    """Every run of text with where it starts and ends across the page."""
    found = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number):
            if not text.strip() or not font:
                return
            left = cm[4] + tm[4] * cm[0]
            width = stringWidth(text, font["/BaseFont"].split("+")[-1], size * tm[0] * cm[0])
            text = unicodedata.normalize("NFKC", text).strip()
            found.append(Run(number, round(tm[5] + cm[5]), text, left, left + width))

        page.extract_text(visitor_text=visit)
    return found
