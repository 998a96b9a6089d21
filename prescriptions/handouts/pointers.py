"""The blocks page 1's pointers name ("Same-day help and our phone number: page 2") and the
marks that say which page each really lands on.

The layout first estimates those pages from heights, which a tall block or a shorter paper can
prove wrong (fluent review 3, N1). So each named block starts with a zero-size `PageMark`
carrying the page its pointer printed; the renderer records the page each mark is drawn on
and, when one differs, lays the sheet out again with the landed pages. A page number keeps its
digits, so that second layout breaks where the first did."""

from collections.abc import Mapping

from reportlab.platypus import Flowable

SAME_DAY = "same-day help"
SECOND_EMERGENCY = "the second language's emergency signs"
WHAT_CHANGED = "what changed"

# The page each named block landed on in an earlier layout of the same sheet; empty at first.
LandedPages = Mapping[str, int]


class PageMark(Flowable):
    """Draws nothing and takes no room: marks where `block` starts, and the page number page 1
    printed for it."""

    def __init__(self, block: str, printed_page: int):
        super().__init__()
        self.block = block
        self.printed_page = printed_page

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass
