"""The appointment packet's look: fonts, paragraph styles, colours, and the small pieces every section
uses (escaped paragraphs, zebra tables, page-number references resolved at the end).

Text uses the PDF standard fonts (Helvetica) when it is all Western European, otherwise a Unicode
TrueType family found on the computer (DejaVu, Noto or Arial), embedded as a subset.  Words the packet
prints itself go through :mod:`packet_i18n` (the language the packet is printed in).
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from medrecords_desktop.exporters.packet_i18n import day, t
from medrecords_desktop.model.records import (
    Item,
)

if TYPE_CHECKING:
    from medrecords_desktop.exporters.packet_data import PacketData

PDF_TITLE = "Health summary"
CONFIDENTIAL = "Confidential health information"
MAX_IMAGE_FRAMES = 200  # a multi-page TIFF scan; more than this is not a document anyone reads


_RL_LOCK = threading.Lock()
# Font names in use for this build: the PDF standard fonts (WinAnsi: Western European only) unless
# the packet holds text they cannot show, then a Unicode TrueType family (see unicode_family).
STANDARD_FONTS = {"regular": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique"}
_F = dict(STANDARD_FONTS)
# Regular, bold, oblique: DejaVu (Linux), Noto, Arial (Windows, macOS). Latin, Greek and Cyrillic.
_UNICODE_FONTS = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf",
    ),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf", "C:/Windows/Fonts/ariali.ttf"),
    (
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
        "/System/Library/Fonts/Supplemental/Arial Italic.ttf",
    ),
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf", "/Library/Fonts/Arial Italic.ttf"),
)


def needs_unicode(data: PacketData) -> bool:
    """True when some text of the packet falls outside what the standard PDF fonts can show."""
    texts: list[str] = [data.person.name, data.prepared_for, data.person.sex or ""]
    groups: list[Sequence[Item]] = [
        data.medications,
        data.allergies,
        data.conditions,
        data.immunizations,
        data.observations,
        data.encounters,
        [d for d, _ in data.documents],
    ]
    for group in groups:
        for item in group:
            texts.extend(v for f in dataclasses.fields(item) if isinstance(v := getattr(item, f.name), str))
    try:
        "\n".join(texts).encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def unicode_family() -> dict[str, str] | None:
    """Register the first Unicode TrueType family found on this computer (once)."""
    with _RL_LOCK:
        return _register_unicode_family()


def _register_unicode_family() -> dict[str, str] | None:
    if "MRSans" in pdfmetrics.getRegisteredFontNames():
        return {"regular": "MRSans", "bold": "MRSans-Bold", "italic": "MRSans-Oblique"}
    for regular, bold, italic in _UNICODE_FONTS:
        if all(Path(p).is_file() for p in (regular, bold, italic)):
            try:
                pdfmetrics.registerFont(TTFont("MRSans", regular))
                pdfmetrics.registerFont(TTFont("MRSans-Bold", bold))
                pdfmetrics.registerFont(TTFont("MRSans-Oblique", italic))
            except Exception:  # noqa: S112 (an unreadable system font: try the next family)
                continue
            registerFontFamily(
                "MRSans",
                normal="MRSans",
                bold="MRSans-Bold",
                italic="MRSans-Oblique",
                boldItalic="MRSans-Bold",
            )
            return {"regular": "MRSans", "bold": "MRSans-Bold", "italic": "MRSans-Oblique"}
    return None


@contextlib.contextmanager
def reportlab_session(fonts: dict[str, str]) -> Iterator[None]:
    """Binary streams and the chosen fonts for one reportlab build; restored afterwards.

    ASCII85 is done in pure Python and was a third of the packet time (a scanned JPEG is encoded
    byte by byte); the output is re-saved by qpdf anyway, so text-safe streams buy nothing. Both
    settings are process-wide (reportlab's config, our styles), hence the lock.
    """
    with _RL_LOCK:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        _apply_fonts(fonts)
        try:
            yield
        finally:
            rl_config.useA85 = saved
            _apply_fonts(STANDARD_FONTS)


def _apply_fonts(fonts: dict[str, str]) -> None:
    _F.update(fonts)
    for style, role in _STYLE_ROLES:
        style.fontName = fonts[role]


# --- summary -------------------------------------------------------------------------------------

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=8.5, leading=10.5, alignment=TA_LEFT)
_BOLD = ParagraphStyle("bold", parent=_BASE, fontName="Helvetica-Bold")
_HEAD = ParagraphStyle(
    "head",
    parent=_BASE,
    fontName="Helvetica-Bold",
    fontSize=8,
    leading=10,
    textColor=colors.HexColor("#1f2d3d"),
)
_H1 = ParagraphStyle(
    "h1",
    parent=_BASE,
    fontName="Helvetica-Bold",
    fontSize=13,
    leading=16,
    spaceBefore=10,
    spaceAfter=5,
    textColor=colors.HexColor("#12355b"),
)
_NOTE = ParagraphStyle(
    "note", parent=_BASE, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555"), spaceBefore=3
)
_NONE = ParagraphStyle("none", parent=_BASE, fontName="Helvetica-Oblique", textColor=colors.HexColor("#555555"))
_STYLE_ROLES = (
    (_BASE, "regular"),
    (_BOLD, "bold"),
    (_HEAD, "bold"),
    (_H1, "bold"),
    (_NOTE, "regular"),
    (_NONE, "italic"),
)
_ABNORMAL = colors.HexColor("#b00020")
_HEADER_BG = colors.HexColor("#dfe7f1")
_ZEBRA = colors.HexColor("#f4f6f9")
_BAND = colors.HexColor("#d9f0dc")

# (key, English title): shown as t(title), in the language the packet is printed in.
SECTION_TITLES = (
    ("medications", "Active medications"),
    ("allergies", "Allergies and intolerances"),
    ("conditions", "Conditions"),
    ("immunizations", "Immunizations"),
    ("due", "Due at this visit"),
    ("care", "Care plan, goals and upcoming visits"),
    ("labs", "Recent lab results"),
    ("encounters", "Recent encounters"),
    ("index", "Included documents"),
)


def _fit(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text + "\u2026"


# A table row must fit on one page (reportlab cannot split a row): long notes or narrative
# results are cut in the summary; the full text is in the vault and in the embedded bundle.
MAX_CELL_CHARS = 400


def _esc(text: str | None, limit: int = MAX_CELL_CHARS) -> str:
    text = text or ""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + t("\u2026 (shortened)")
    return escape(text)


def _p(text: str | None, style: ParagraphStyle = _BASE) -> Paragraph:
    return Paragraph(_esc(text), style)


def short_date(value: str | None) -> str:
    """A record's date in the packet's language ('2026-10-24'; Spanish '24 oct 2026')."""
    return day(value)


class _FormRef(Flowable):
    """``prefix`` followed by a number defined later (a named form XObject)."""

    def __init__(self, form: str, prefix: str = "", style: ParagraphStyle = _BASE) -> None:
        super().__init__()
        self.form, self.prefix, self.style = form, prefix, style

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(avail_width, stringWidth(self.prefix, self.style.fontName, self.style.fontSize) + 24)
        self.height = self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        baseline = self.height - self.style.fontSize
        canv.setFont(self.style.fontName, self.style.fontSize)
        canv.drawString(0, baseline, self.prefix)
        canv.saveState()
        canv.translate(stringWidth(self.prefix, self.style.fontName, self.style.fontSize), baseline)
        canv.doForm(self.form)
        canv.restoreState()


def _table(
    header: Sequence[str],
    rows: list[list[Any]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    total = sum(widths)
    data = [[_p(h, _HEAD) for h in header], *rows]
    table = Table(data, colWidths=[w / total * _FRAME_WIDTH for w in widths], repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#8fa3bf")),
    ]
    for r in range(2, len(data), 2):
        style.append(("BACKGROUND", (0, r), (-1, r), _ZEBRA))
    style.extend(extra)
    table.setStyle(TableStyle(style))
    return table


_PAGE = letter
_MARGIN = 0.6 * inch
_FRAME_WIDTH = _PAGE[0] - 2 * _MARGIN


def _none() -> Paragraph:
    return Paragraph(escape(t("None recorded.")), _NONE)
