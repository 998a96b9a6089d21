"""The handout's paragraph, broken into lines once per width.

A card is measured before the frame lays it out: the fit check (`layout._height`), the table
beside its pictures, KeepTogether and the frame each ask a paragraph for its height, at one of
a few widths (the text column beside the pictures, the full measure below them, the picture
column for a caption). Breaking the lines is most of a paragraph's cost, so each width's lines
are kept and reused; the page comes out the same.
"""

from reportlab.platypus import Paragraph


class MeasuredParagraph(Paragraph):
    """Lines no wider than the style's measure, broken once per width."""

    def wrap(self, availWidth, availHeight):
        width = min(availWidth, self.style.measure)
        broken = self.__dict__.setdefault("_broken_at", {})
        if width in broken:
            self.blPara, self._wrapWidths, self.width, self.height = broken[width]
            return self.width, self.height
        size = super().wrap(width, availHeight)
        if hasattr(self, "blPara"):
            broken[width] = (self.blPara, self._wrapWidths, self.width, self.height)
        return size

    def split(self, availWidth, availHeight):
        return super().split(min(availWidth, self.style.measure), availHeight)
