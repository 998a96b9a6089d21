import io

import pypdf


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
