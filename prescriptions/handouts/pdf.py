"""render_handout(handout, paper) -> PDF bytes: page frame, footer, "Page N of M", DRAFT mark."""

import io
import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from prescriptions.handouts.content import Handout
from prescriptions.handouts.direction import printed_line, right_to_left
from prescriptions.handouts.layout import handout_flowables
from prescriptions.handouts.pointers import LandedPages, PageMark
from prescriptions.handouts.styles import BODY_FONT, BOLD_FONT, MARGIN, PAPER_SIZES, handout_styles

# Binary streams instead of ASCII85 text (5 characters for every 4 bytes): no PDF reader needs
# 7-bit streams, and with the C accelerator (rl-accel) the render costs the same CPU either way
# (measured, docs/performance.md). Issued handouts are stored bytes, so this changes only PDFs
# rendered from now on.
rl_config.useA85 = 0

# The diagonal mark spans at most this share of the page's diagonal, leaving room for its height
# at the corners, so a longer mark (or its translation) prints smaller rather than running off
# the page.
MARK_SHARE_OF_DIAGONAL = 0.7

# Marked for translation here, translated in the handout's language when drawn.
STATUS_MARKS = {
    "draft": gettext_noop("DRAFT"),
    # Plain words: most patients know neither "superseded" (third review, R7) nor "voided";
    # page 1 says "it was withdrawn on …".
    "superseded": gettext_noop("REPLACED: DO NOT USE"),
    "voided": gettext_noop("WITHDRAWN: DO NOT USE"),
}


def _numbered_canvas_class(footer_text: str, mark: str, styles):
    """A canvas that holds each page until save(), when the page count is known.

    This prints "Page N of M" in one layout pass instead of building the document twice.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            # Every font in the file is the embedded one, even the canvas's unused start font.
            kwargs.setdefault("initialFontName", BODY_FONT)
            super().__init__(*args, **kwargs)
            self._page_states = []

        def showPage(self):
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                self._draw_page_furniture(total)
                super().showPage()
            super().save()

        def _draw_page_furniture(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(BODY_FONT, styles.footer_size)
            self.setFillColor(colors.black)
            page = _("Page %(number)d of %(total)d") % {"number": self._pageNumber, "total": total}
            # The page number stands where a reader starts the line: the right, right to left.
            left, right = (footer_text, page) if right_to_left() else (page, footer_text)
            self.drawString(MARGIN, MARGIN / 2, printed_line(left))
            self.drawRightString(width - MARGIN, MARGIN / 2, printed_line(right))
            if mark:
                fitting = MARK_SHARE_OF_DIAGONAL * math.hypot(width, height)
                self.setFont(
                    BOLD_FONT,
                    min(styles.draft_size, fitting / self.stringWidth(mark, BOLD_FONT, 1)),
                )
                self.setFillColor(colors.Color(0, 0, 0, alpha=0.12))
                self.translate(width / 2, height / 2)
                self.rotate(45)
                self.drawCentredString(0, 0, mark)
                self.setFont(BOLD_FONT, styles.body.fontSize)
                self.setFillColor(colors.black)
                self.rotate(-45)
                self.translate(-width / 2, -height / 2)
                self.drawRightString(width - MARGIN, height - MARGIN / 2, mark)
            self.restoreState()

    return NumberedCanvas


# A pointer's page number has as many digits after a pass as before, so the second layout
# keeps the first's pages; a third is a margin, never expected to be needed.
LAYOUT_PASSES = 3


class PointedPageError(RuntimeError):
    """Page 1 would send a reader to a page that does not hold what it names."""


class _MarkedDocument(BaseDocTemplate):
    """Records, for each block page 1 points to, the page its pointer printed and the page the
    block landed on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pointed_pages: dict[str, tuple[int, int]] = {}

    def afterFlowable(self, flowable):
        if isinstance(flowable, PageMark):
            self.pointed_pages[flowable.block] = (flowable.printed_page, self.page)


def footer_text(handout: Handout, fingerprint: str) -> str:
    parts = [
        _("Prescription %(id)d, version %(version)d")
        % {"id": handout.programme_number, "version": handout.version},
        (_("Issued %(date)s") if handout.status != "draft" else _("Printed %(date)s"))
        % {"date": handout.date},
    ]
    if fingerprint:
        parts.append(_("Fingerprint %(short)s") % {"short": fingerprint[:12]})
    return " · ".join(parts)


def render_handout(
    handout: Handout, *, paper: str | None = None, large_print: bool = False, fingerprint: str = ""
) -> bytes:
    """Lays out and renders the handout. The same inputs always give the same bytes.

    When a block page 1 points to lands on another page than its pointer's estimate, the
    sheet is laid out again with the pages the blocks landed on; a pointer still wrong after
    LAYOUT_PASSES raises PointedPageError rather than print a wrong page."""
    with override(handout.language):
        landed: LandedPages = {}
        for _layout in range(LAYOUT_PASSES):
            pdf, pointed_pages = _rendered(handout, paper, large_print, fingerprint, landed=landed)
            misprinted = _misprinted(pointed_pages)
            if not misprinted:
                return pdf
            landed = {block: page for block, (_printed, page) in pointed_pages.items()}
        raise PointedPageError(f"page 1 points to (printed, landed) pages {misprinted}")


def _misprinted(pointed_pages: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The blocks whose page page 1 printed is not the page they landed on."""
    return {block: pages for block, pages in pointed_pages.items() if pages[0] != pages[1]}


def _rendered(
    handout: Handout, paper: str | None, large_print: bool, fingerprint: str, landed: LandedPages
) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """The PDF and, for each block page 1 points to, the page printed and the page landed on."""
    styles = handout_styles(large_print)
    page_size = PAPER_SIZES[paper or handout.paper]
    buffer = io.BytesIO()
    document = _MarkedDocument(
        buffer,
        pagesize=page_size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Home exercise programme for %(name)s") % {"name": handout.patient_name},
        author=handout.clinic_name,
        subject=_("Home exercise programme"),
        creator=handout.clinic_name,
        lang=handout.language,
        invariant=True,
    )
    # No padding inside the margins: the text column is exactly the page minus its margins.
    frame = Frame(
        MARGIN,
        MARGIN,
        document.width,
        document.height,
        id="body",
        showBoundary=0,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    flowables = handout_flowables(handout, styles, document.width, document.height, landed)
    canvas_class = _numbered_canvas_class(
        footer_text(handout, fingerprint),
        printed_line(_(STATUS_MARKS[handout.status])) if handout.status in STATUS_MARKS else "",
        styles,
    )
    document.build(flowables, canvasmaker=canvas_class)
    return buffer.getvalue(), document.pointed_pages
