"""Counts what a therapist does: clicks (a mouse click, or a key that submits or navigates)
and page loads (a main-frame navigation of any tab, a new tab included)."""

from dataclasses import dataclass, field


@dataclass
class Budget:
    clicks: int = 0
    page_loads: int = 0
    steps: list[str] = field(default_factory=list)

    def watch(self, context) -> None:
        """Counts every main-frame navigation of every tab the context opens."""

        def on_page(page):
            page.on("framenavigated", lambda frame: self._navigated(page, frame))

        for page in context.pages:
            on_page(page)
        context.on("page", on_page)

    def _navigated(self, page, frame) -> None:
        if frame == page.main_frame:
            self.page_loads += 1
            self.steps.append(f"load {frame.url}")

    def click(self, locator, what: str, **kwargs) -> None:
        self.clicks += 1
        self.steps.append(f"click {what}")
        locator.click(**kwargs)

    def select(self, locator, what: str, **option) -> None:
        """A native drop-down: one click to open it, one to choose."""
        self.clicks += 2
        self.steps.append(f"select {what}")
        locator.select_option(**option)
