"""Layout of the appointment packet's own pages with reportlab: the cover and summary, and one page
per image frame of an included scan or photo.

Page numbers of the summary depend on how long the summary turns out, and the summary lists page
numbers (contents, the index of documents, "page X of Y"): rather than laying it out twice, every
such number is a PDF form XObject drawn by name during layout and defined only when the page count
is known (in the canvas' ``save``).

Text uses the PDF standard fonts (Helvetica) when it is all Western European, otherwise a Unicode
TrueType family found on the computer (DejaVu, Noto or Arial), embedded as a subset.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from PIL import Image, ImageOps
from reportlab import rl_config
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from medrecords_desktop.exporters.labs_csv import flag as lab_flag
from medrecords_desktop.exporters.packet_immunizations import due_section
from medrecords_desktop.model.records import (
    Allergy,
    Condition,
    Document,
    Item,
    Medication,
    Observation,
    Person,
)

if TYPE_CHECKING:
    from medrecords_desktop.exporters.packet import DocumentEntry, PacketData

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


def doc_title(doc: Document) -> str:
    return doc.title or doc.display or doc.filename or "Untitled document"


def _upright(img: Image.Image) -> Image.Image:
    frame = ImageOps.exif_transpose(img)
    if frame.mode not in ("RGB", "L", "RGBA", "LA"):
        frame = frame.convert("RGB")
    return frame


def image_document(doc: Document, data: bytes) -> bytes | str:
    """One PDF page per image frame, scaled to fit under a one-line caption; or why not.

    Frames are decoded one at a time (a packet of forty phone photos must not hold forty decoded
    images in memory). An upright JPEG is embedded as its original bytes: no re-encoding.
    """
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=_PAGE, pageCompression=1)
    width, height = _PAGE
    margin = 0.5 * inch
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            count = min(getattr(img, "n_frames", 1), MAX_IMAGE_FRAMES)
            passthrough = (
                data.startswith(b"\xff\xd8\xff")
                and img.mode in ("RGB", "L")
                and img.getexif().get(0x0112, 1) == 1
            )
            for index in range(count):
                img.seek(index)
                frame = img if passthrough else _upright(img)
                frame.load()  # decodes: a truncated or corrupt image fails here
                caption = doc_title(doc)
                if doc.date:
                    caption += f" \u2014 {doc.date[:10]}"
                if count > 1:
                    caption += f" (page {index + 1} of {count})"
                canv.setFont(_F["regular"], 8)
                canv.setFillColor(colors.HexColor("#555555"))
                canv.drawString(
                    margin, height - margin + 6, _fit(caption, _F["regular"], 8, width - 2 * margin)
                )
                box_w, box_h = width - 2 * margin, height - 2 * margin - 6
                iw, ih = frame.size
                scale = min(box_w / iw, box_h / ih)
                w, h = iw * scale, ih * scale
                reader = ImageReader(io.BytesIO(data)) if passthrough else ImageReader(frame)
                # top-aligned and centred, like a scanned page
                canv.drawImage(reader, margin + (box_w - w) / 2, margin + (box_h - h), w, h, mask="auto")
                canv.showPage()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "not included (image too large)"
    except Exception:
        return "not included (damaged image)"
    canv.save()
    return buf.getvalue()


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
_NONE = ParagraphStyle(
    "none", parent=_BASE, fontName="Helvetica-Oblique", textColor=colors.HexColor("#555555")
)
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
        text = text[: limit - 1].rstrip() + "\u2026 (shortened)"
    return escape(text)


def _p(text: str | None, style: ParagraphStyle = _BASE) -> Paragraph:
    return Paragraph(_esc(text), style)


def short_date(value: str | None) -> str:
    return (value or "")[:10]


class _Heading(Paragraph):
    """A section heading; the template records the page it lands on."""

    def __init__(self, key: str, text: str) -> None:
        super().__init__(escape(text), _H1)
        self.section_key = key


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


class _DeferredCanvas(Canvas):
    """A canvas that defines the named number forms once the page count is known."""

    def __init__(self, *args: Any, resolve: Callable[[int], dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._resolve = resolve
        self._pages_done = 0

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages_done += 1
        super().showPage()

    def save(self) -> None:
        for name, text in self._resolve(self._pages_done).items():
            self.beginForm(name, lowerx=0, lowery=-3, upperx=60, uppery=12)
            self.setFont(_BASE.fontName, _BASE.fontSize)
            self.drawString(0, 0, text)
            self.endForm()
        super().save()


class _SummaryTemplate(SimpleDocTemplate):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section_pages: dict[str, int] = {}

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        key = getattr(flowable, "section_key", None)
        if key and key not in self.section_pages:
            self.section_pages[key] = self.page


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
    return Paragraph("None recorded.", _NONE)


def _active_medication(m: Medication, today: str) -> bool:
    status = (m.status or "").lower()
    if status in ("stopped", "completed", "entered-in-error", "cancelled", "inactive", "ended", "not-taken"):
        return False
    return not (m.date_end and m.date_end[:10] < today)


def _medications(data: PacketData) -> list[Flowable]:
    today = data.prepared_on.isoformat()
    meds = [m for m in data.medications if not m.deleted]
    active = sorted((m for m in meds if _active_medication(m, today)), key=lambda m: (m.title or "").lower())
    if not active:
        out: list[Flowable] = [_none()]
    else:
        rows = []
        for m in active:
            how = ", ".join(p for p in (m.route, m.frequency) if p)
            name = m.title or m.display or ""
            if m.otc:
                name += " (over the counter)"
            if m.status and m.status.lower() not in ("active",):
                name += f" [{m.status}]"
            rows.append(
                [_p(name, _BOLD), _p(m.dose), _p(how), _p(m.reason), _p(short_date(m.date)), _p(m.prescriber)]
            )
        out = [
            _table(
                ("Medication", "Dose", "Route / frequency", "Reason", "Since", "Prescriber"),
                rows,
                (26, 10, 17, 15, 10, 22),
            )
        ]
    past = len(meds) - len(active)
    if past:
        out.append(
            Paragraph(f"{past} stopped or completed medication{'s' if past != 1 else ''} not listed.", _NOTE)
        )
    return out


def _allergies(data: PacketData) -> list[Flowable]:
    allergies = sorted((a for a in data.allergies if not a.deleted), key=lambda a: (a.title or "").lower())
    if not allergies:
        return [_none()]
    rows = []
    for a in allergies:
        severity = " / ".join(
            p for p in (a.severity, f"criticality {a.criticality}" if a.criticality else None) if p
        )
        if _serious(a):
            sev: Paragraph = Paragraph(f"<font color='#b00020'><b>{_esc(severity)}</b></font>", _BASE)
        else:
            sev = _p(severity)
        rows.append(
            [
                _p(a.title or a.display, _BOLD),
                _p(a.reaction),
                sev,
                _p(a.category),
                _p(a.status),
                _p(short_date(a.date)),
            ]
        )
    return [
        _table(
            ("Substance", "Reaction", "Severity", "Category", "Status", "Recorded"),
            rows,
            (24, 26, 18, 12, 10, 10),
        )
    ]


def _conditions(data: PacketData) -> list[Flowable]:
    conds = [c for c in data.conditions if not c.deleted]
    if not conds:
        return [_none()]

    conds.sort(
        key=lambda c: (
            not _active_condition(c),
            "" if not c.date else _invert(c.date),
            (c.title or "").lower(),
        )
    )
    rows = [
        [
            _p(c.title or c.display, _BOLD if _active_condition(c) else _BASE),
            _p(c.clinical_status or c.status),
            _p(short_date(c.date)),
            _p(short_date(c.date_end)),
            _p(c.severity),
            _p(c.note),
        ]
        for c in conds
    ]
    return [
        _table(
            ("Condition", "Status", "Since", "Resolved", "Severity", "Note"), rows, (34, 11, 10, 10, 10, 25)
        )
    ]


def _active_condition(c: Condition) -> bool:
    return (c.clinical_status or c.status or "active").lower() in ("active", "recurrence", "relapse")


def _invert(value: str) -> str:
    # Sort newest first inside an ascending sort.
    return "".join(chr(0x10FFFF - ord(ch)) for ch in value)


def _immunizations(data: PacketData) -> list[Flowable]:
    imms = sorted((i for i in data.immunizations if not i.deleted), key=lambda i: i.date or "", reverse=True)
    if not imms:
        return [_none()]
    rows = [
        [
            _p(i.title or i.display, _BOLD),
            _p(short_date(i.date)),
            _p(i.dose_number),
            _p(i.lot),
            _p(i.performer),
        ]
        for i in imms
    ]
    return [_table(("Vaccine", "Date", "Dose", "Lot", "Given by"), rows, (40, 12, 8, 14, 26))]


_CLOSED = ("completed", "revoked", "entered-in-error", "cancelled", "rejected", "ended", "inactive")


def _care(data: PacketData) -> list[Flowable]:
    """Active care plans, current goals and the visits still to come: what the next doctor plans around."""
    today = data.prepared_on.isoformat()
    plans = [c for c in data.care_plans if not c.deleted and (c.status or "active").lower() not in _CLOSED]
    goals = [g for g in data.goals if not g.deleted and (g.status or "active").lower() not in _CLOSED]
    visits = sorted((a for a in data.appointments if not a.deleted and a.date and a.date[:10] >= today
                     and (a.status or "").lower() not in ("cancelled", "noshow", "entered-in-error")),
                    key=lambda a: a.date or "")
    if not (plans or goals or visits):
        return [_none()]
    out: list[Flowable] = []
    if plans:
        rows = [[_p(c.title, _BOLD), _p(short_date(c.date)), _p("; ".join(c.activities) or c.description),
                 _p(c.author)] for c in sorted(plans, key=lambda c: c.date or "", reverse=True)]
        out.append(_table(("Care plan", "Since", "Activities", "By"), rows, (30, 12, 40, 18)))
    if goals:
        rows = [[_p(g.title, _BOLD), _p(g.target), _p(short_date(g.target_date)), _p(g.achievement or g.status)]
                for g in goals]
        out.append(_table(("Goal", "Target", "By", "Progress"), rows, (40, 24, 12, 24)))
    if visits:
        rows = [[_p(short_date(a.date), _BOLD), _p(a.title), _p(a.location or a.practitioner), _p(a.status)]
                for a in visits]
        out.append(_table(("Upcoming visit", "What", "Where / with", "Status"), rows, (16, 36, 34, 14)))
    return out


def _lab_key(o: Observation) -> str:
    if o.code:
        return f"{(o.code_system or '').lower()}|{o.code.lower()}"
    return " ".join((o.title or o.display or "").lower().split())


def _value_text(o: Observation) -> str:
    if o.value is not None:
        return f"{o.value:g} {o.unit or ''}".strip()
    return o.value_text or ""


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _ref_text(o: Observation) -> str:
    low, high = _finite(o.ref_low), _finite(o.ref_high)
    if low is not None and high is not None:
        return f"{low:g}\u2013{high:g}"
    if low is not None:
        return f"\u2265 {low:g}"
    if high is not None:
        return f"\u2264 {high:g}"
    return o.ref_text or ""


def _trend(points: list[Observation], width: float, height: float = 24) -> Drawing:
    """A sparkline of numeric results with the latest reference range as a green band."""
    values = [p.value for p in points if p.value is not None]
    latest = points[-1]
    ref_low, ref_high = _finite(latest.ref_low), _finite(latest.ref_high)
    lo = [v for v in (ref_low, ref_high) if v is not None]
    vmin, vmax = min(values + lo), max(values + lo)
    span = (vmax - vmin) or abs(vmax) or 1.0
    vmin, vmax = vmin - span * 0.12, vmax + span * 0.12
    pad = 3.0
    drawing = Drawing(width, height)

    def y(v: float) -> float:
        return pad + (v - vmin) / (vmax - vmin) * (height - 2 * pad)

    if ref_low is not None or ref_high is not None:
        y0 = y(ref_low) if ref_low is not None else pad
        y1 = y(ref_high) if ref_high is not None else height - pad
        drawing.add(Rect(0, y0, width, max(y1 - y0, 0.8), fillColor=_BAND, strokeColor=None))
    drawing.add(Line(0, 0.3, width, 0.3, strokeColor=colors.HexColor("#c8ced6"), strokeWidth=0.4))
    n = len(points)
    xs = [pad + (width - 2 * pad) * (i / (n - 1)) for i in range(n)]
    coords: list[float] = []
    for x, p in zip(xs, points, strict=True):
        coords.extend((x, y(p.value or 0.0)))
    drawing.add(PolyLine(coords, strokeColor=colors.HexColor("#33526e"), strokeWidth=0.9))
    for x, p in zip(xs, points, strict=True):
        colour = _ABNORMAL if p.is_abnormal() else colors.HexColor("#33526e")
        drawing.add(Circle(x, y(p.value or 0.0), 1.5, fillColor=colour, strokeColor=colour, strokeWidth=0.3))
    return drawing


def _labs(data: PacketData) -> list[Flowable]:
    groups: dict[str, list[Observation]] = {}
    for o in data.observations:
        if o.deleted or (o.status or "").lower() in ("entered-in-error", "cancelled"):
            continue
        groups.setdefault(_lab_key(o), []).append(o)
    if not groups:
        return [_none()]
    ordered = sorted(groups.values(), key=lambda g: (max(g, key=lambda o: o.date or "").title or "").lower())
    widths = (25, 19, 5, 10, 10, 31)
    trend_width = widths[-1] / sum(widths) * _FRAME_WIDTH - 8
    rows, extra = [], []
    for r, group in enumerate(ordered, start=1):
        group.sort(key=lambda o: o.date or "")
        latest = group[-1]
        numeric = [o for o in group if o.value is not None and math.isfinite(o.value)][-data.trend_points :]
        flag = lab_flag(latest)
        value = _esc(_value_text(latest))
        if flag:
            value = f"<font color='#b00020'><b>{value}</b></font>"
            extra.append(("TEXTCOLOR", (2, r), (2, r), _ABNORMAL))
        if len(group) > 1:
            prev = group[-2]
            same_unit = prev.value is not None and prev.unit == latest.unit
            before = f"{prev.value:g}" if same_unit else _value_text(prev)
            when = f" on {short_date(prev.date)}" if prev.date else ""
            value += f"<br/><font size='7' color='#555555'>prev. {_esc(before + when, 80)}</font>"
        trend: Flowable
        if len(numeric) >= 2:
            trend = _trend(numeric, trend_width)
        else:
            trend = Paragraph("\u2014", _NOTE)
        history = f"{len(group)} results" if len(group) > 1 else "1 result"
        title = (
            f"<b>{_esc(latest.title or latest.display)}</b><br/>"
            f"<font size='7' color='#555555'>{history}</font>"
        )
        rows.append(
            [
                Paragraph(title, _BASE),
                Paragraph(value, _BASE),
                _p(flag, _BOLD),
                _p(_ref_text(latest)),
                _p(short_date(latest.date)),
                trend,
            ]
        )
    table = _table(
        ("Test", "Latest result", "Flag", "Reference", "Date", "Trend (green: reference range)"),
        rows,
        widths,
        extra,
    )
    return [
        table,
        Paragraph(
            "H = above, L = below the reference range, A = abnormal. Red points in a trend "
            "are abnormal results.",
            _NOTE,
        ),
    ]


def _encounters(data: PacketData) -> list[Flowable]:
    encs = sorted((e for e in data.encounters if not e.deleted), key=lambda e: e.date or "", reverse=True)
    if not encs:
        return [_none()]
    shown = encs[: data.max_encounters]
    rows = []
    for e in shown:
        where = " \u2014 ".join(p for p in (e.provider, e.location) if p)
        kind = e.encounter_type or e.title or e.encounter_class or ""
        rows.append([_p(short_date(e.date)), _p(kind, _BOLD), _p(where), _p(e.practitioner), _p(e.reason)])
    out: list[Flowable] = [
        _table(("Date", "Visit", "Where", "Clinician", "Reason"), rows, (11, 24, 25, 17, 23))
    ]
    if len(encs) > len(shown):
        out.append(Paragraph(f"{len(encs) - len(shown)} older encounters not listed.", _NOTE))
    return out


def _index(entries: list[DocumentEntry]) -> list[Flowable]:
    if not entries:
        return [_none()]
    rows = []
    extra: list[tuple[Any, ...]] = []
    for n, e in enumerate(entries, start=1):
        where: Flowable
        if e.included:
            pages = f"{e.page_count} page{'s' if e.page_count != 1 else ''}, from page "
            where = _FormRef(f"docpage{n - 1}", pages)
        else:
            where = Paragraph(f"<font color='#b00020'>{escape(e.note)}</font>", _BASE)
        rows.append([_p(str(n)), _p(e.title, _BOLD), _p(short_date(e.date)), _p(e.type_label), where])
    return [_table(("#", "Document", "Date", "Type", "In this packet"), rows, (4, 44, 11, 12, 29), extra)]


def _cover(data: PacketData, entries: list[DocumentEntry]) -> list[Flowable]:
    person = data.person
    title = ParagraphStyle(
        "title",
        parent=_BASE,
        fontName=_F["bold"],
        fontSize=22,
        leading=27,
        textColor=colors.HexColor("#12355b"),
    )
    name = ParagraphStyle("name", parent=_BASE, fontName=_F["bold"], fontSize=16, leading=20, spaceBefore=14)
    dob = person.birth_date or "not recorded"
    if person.birth_date:
        age = _age(person.birth_date, data.prepared_on)
        if age is not None:
            dob += f" (age {age})"
    facts = [
        ["Date of birth", dob],
        ["Sex", person.sex or "not recorded"],
        ["Prepared on", data.prepared_on.isoformat()],
        ["Prepared for", data.prepared_for or "\u2014"],
    ]
    included = [e for e in entries if e.included]
    facts.append(
        [
            "Included documents",
            f"{len(included)} of {len(entries)} ({sum(e.page_count for e in included)} pages)",
        ]
    )
    cells: list[list[Flowable]] = [[_p(k, _HEAD), _p(v, _BASE)] for k, v in facts]
    cells.extend([_p(k, _HEAD), v] for k, v in _at_a_glance(data))
    fact_table = Table(cells, colWidths=[1.6 * inch, _FRAME_WIDTH - 1.6 * inch])
    fact_table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d0d7e1")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    banner = Table(
        [
            [
                Paragraph(
                    f"<b>{CONFIDENTIAL}.</b> Prepared by the patient or their family from their "
                    "own records for the clinician named above. Please handle it as part of the "
                    "medical record.",
                    _BASE,
                )
            ]
        ],
        colWidths=[_FRAME_WIDTH],
    )
    banner.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, _ABNORMAL),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fbeff1")),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    contents = Table(
        [[_p(t), _FormRef(f"secpage_{k}", "page ")] for k, t in SECTION_TITLES],
        colWidths=[_FRAME_WIDTH - 1.2 * inch, 1.2 * inch],
    )
    contents.setStyle(
        TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    )
    return [
        Paragraph(PDF_TITLE, title),
        Paragraph(_esc(person.name, 200), name),
        Spacer(1, 6),
        fact_table,
        Spacer(1, 14),
        banner,
        Spacer(1, 18),
        Paragraph("Contents", _H1),
        contents,
        PageBreak(),
    ]


def _names(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(_esc(n, 80) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _at_a_glance(data: PacketData) -> list[tuple[str, Paragraph]]:
    """Allergies, active conditions and medicines on the cover: what a clinician checks first."""
    allergies = sorted((a for a in data.allergies if not a.deleted), key=lambda a: (a.title or "").lower())
    serious = [a.title or a.display or "" for a in allergies if _serious(a)]
    others = [a.title or a.display or "" for a in allergies if not _serious(a)]
    if serious:
        text = f"<font color='#b00020'><b>{_names(serious)}</b></font>"
        text += f"; {_names(others)}" if others else ""
    else:
        text = _names(others) or "None recorded"
    today = data.prepared_on.isoformat()
    meds = [
        m.title or m.display or "" for m in data.medications if not m.deleted and _active_medication(m, today)
    ]
    conds = [c.title or c.display or "" for c in data.conditions if not c.deleted and _active_condition(c)]
    return [
        ("Allergies", Paragraph(text, _BASE)),
        ("Active conditions", Paragraph(_names(sorted(conds, key=str.lower)) or "None recorded", _BASE)),
        ("Active medications", Paragraph(_names(sorted(meds, key=str.lower)) or "None recorded", _BASE)),
    ]


def _serious(a: Allergy) -> bool:
    return (a.criticality or "").lower() == "high" or (a.severity or "").lower() == "severe"


def _age(birth: str, on: date) -> int | None:
    try:
        born = date.fromisoformat(birth[:10])
    except ValueError:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _footer(person: Person, canv: Canvas, doc: SimpleDocTemplate) -> None:
    canv.saveState()
    canv.setFont(_F["regular"], 7)
    canv.setFillColor(colors.HexColor("#555555"))
    y = _MARGIN / 2
    who = person.name + (f" \u00b7 born {person.birth_date}" if person.birth_date else "")
    canv.drawString(_MARGIN, y, _fit(who, _F["regular"], 7, _FRAME_WIDTH / 2 - 20))
    canv.drawCentredString(_PAGE[0] / 2 + 40, y, CONFIDENTIAL)
    label = f"Page {canv.getPageNumber()} of "
    x = _PAGE[0] - _MARGIN - 50
    canv.drawString(x, y, label)
    canv.translate(x + stringWidth(label, _F["regular"], 7), y)
    canv.scale(7 / _BASE.fontSize, 7 / _BASE.fontSize)
    canv.doForm("pagetotal")
    canv.restoreState()


def build_summary(
    data: PacketData, entries: list[DocumentEntry], included_pages: int
) -> tuple[bytes, dict[str, int]]:
    """The cover and summary as PDF bytes, and the 1-based page of each section."""
    buf = io.BytesIO()
    doc = _SummaryTemplate(
        buf,
        pagesize=_PAGE,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=PDF_TITLE,
        author="",
        creator="MedRecords Desktop",
        subject="",
        pageCompression=1,
    )
    story: list[Flowable] = _cover(data, entries)
    builders: dict[str, Callable[[], list[Flowable]]] = {
        "medications": lambda: _medications(data),
        "allergies": lambda: _allergies(data),
        "conditions": lambda: _conditions(data),
        "immunizations": lambda: _immunizations(data),
        "due": lambda: due_section(data, _table, _p, {"none": _NONE, "bold": _BOLD, "base": _BASE}, _ABNORMAL),
        "labs": lambda: _labs(data),
        "care": lambda: _care(data),
        "encounters": lambda: _encounters(data),
        "index": lambda: _index(entries),
    }
    for key, title in SECTION_TITLES:
        # Not keepWithNext: that moves a heading and its whole long table to the next page, leaving
        # half a page empty. A conditional break only avoids a heading orphaned at the bottom.
        story.append(CondPageBreak(1.3 * inch))
        story.append(_Heading(key, title))
        story.extend(builders[key]())

    def resolve(summary_pages: int) -> dict[str, str]:
        names = {"pagetotal": str(summary_pages + included_pages)}
        for key, _ in SECTION_TITLES:
            names[f"secpage_{key}"] = str(doc.section_pages.get(key, "?"))
        offset = summary_pages + 1
        n = 0
        for e in entries:
            if e.included:
                e.first_page = offset
                offset += e.page_count
            names[f"docpage{n}"] = str(e.first_page or "")
            n += 1
        return names

    footer = partial(_footer, data.person)
    doc.build(
        story, onFirstPage=footer, onLaterPages=footer, canvasmaker=partial(_DeferredCanvas, resolve=resolve)
    )
    return buf.getvalue(), dict(doc.section_pages)
