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

import io
import warnings
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from PIL import Image, ImageOps
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
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

from medrecords_desktop.exporters.packet_i18n import t, tn
from medrecords_desktop.exporters.packet_immunizations import due_section
from medrecords_desktop.exporters.packet_sections import (
    _active_condition,
    _active_medication,
    _allergies,
    _care,
    _conditions,
    _encounters,
    _immunizations,
    _index,
    _labs,
    _medications,
    _serious,
)
from medrecords_desktop.exporters.packet_style import (
    _ABNORMAL,
    _BASE,
    _BOLD,
    _F,
    _FRAME_WIDTH,
    _H1,
    _HEAD,
    _MARGIN,
    _NONE,
    _PAGE,
    CONFIDENTIAL,
    MAX_IMAGE_FRAMES,
    PDF_TITLE,
    SECTION_TITLES,
    _esc,
    _fit,
    _FormRef,
    _p,
    _table,
    short_date,
)
from medrecords_desktop.model.records import (
    Document,
    Person,
)

if TYPE_CHECKING:
    from medrecords_desktop.exporters.packet_data import DocumentEntry, PacketData


def doc_title(doc: Document) -> str:
    return doc.title or doc.display or doc.filename or t("Untitled document")


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
                data.startswith(b"\xff\xd8\xff") and img.mode in ("RGB", "L") and img.getexif().get(0x0112, 1) == 1
            )
            for index in range(count):
                img.seek(index)
                frame = img if passthrough else _upright(img)
                frame.load()  # decodes: a truncated or corrupt image fails here
                caption = doc_title(doc)
                if doc.date:
                    caption += f" \u2014 {short_date(doc.date)}"
                if count > 1:
                    caption += t(" (page {n} of {count})", n=index + 1, count=count)
                canv.setFont(_F["regular"], 8)
                canv.setFillColor(colors.HexColor("#555555"))
                canv.drawString(margin, height - margin + 6, _fit(caption, _F["regular"], 8, width - 2 * margin))
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


class _Heading(Paragraph):
    """A section heading; the template records the page it lands on."""

    def __init__(self, key: str, text: str) -> None:
        super().__init__(escape(text), _H1)
        self.section_key = key


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
    dob = short_date(person.birth_date) or t("not recorded")
    if person.birth_date:
        age = _age(person.birth_date, data.prepared_on)
        if age is not None:
            dob += " " + t("(age {age})", age=age)
    facts = [
        [t("Date of birth"), dob],
        [t("Sex"), _sex(person.sex)],
        [t("Prepared on"), short_date(data.prepared_on.isoformat())],
        [t("Prepared for"), data.prepared_for or "\u2014"],
    ]
    included = [e for e in entries if e.included]
    pages = tn("{n} page", "{n} pages", sum(e.page_count for e in included))
    facts.append(
        [
            t("Included documents"),
            t("{included} of {total} ({pages})", included=len(included), total=len(entries), pages=pages),
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
                    escape(
                        t(
                            "{confidential}. Prepared by the patient or their family from their own records "
                            "for the clinician named above. Please handle it as part of the medical "
                            "record.",
                            confidential="\x00",
                        )
                    )
                    .replace("\x00", f"<b>{escape(t(CONFIDENTIAL))}</b>", 1)
                    .replace("</b>.", ".</b>", 1),
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
        [[_p(t(title)), _FormRef(f"secpage_{k}", t("page "))] for k, title in SECTION_TITLES],
        colWidths=[_FRAME_WIDTH - 1.2 * inch, 1.2 * inch],
    )
    contents.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return [
        Paragraph(escape(t(PDF_TITLE)), title),
        Paragraph(_esc(person.name, 200), name),
        Spacer(1, 6),
        fact_table,
        Spacer(1, 14),
        banner,
        Spacer(1, 18),
        Paragraph(escape(t("Contents")), _H1),
        contents,
        PageBreak(),
    ]


def _names(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(_esc(n, 80) for n in names[:limit])
    return shown + (escape(t(" and {n} more", n=len(names) - limit)) if len(names) > limit else "")


def _at_a_glance(data: PacketData) -> list[tuple[str, Paragraph]]:
    """Allergies, active conditions and medicines on the cover: what a clinician checks first."""
    allergies = sorted((a for a in data.allergies if not a.deleted), key=lambda a: (a.title or "").lower())
    serious = [a.title or a.display or "" for a in allergies if _serious(a)]
    others = [a.title or a.display or "" for a in allergies if not _serious(a)]
    if serious:
        text = f"<font color='#b00020'><b>{_names(serious)}</b></font>"
        text += f"; {_names(others)}" if others else ""
    else:
        text = _names(others) or escape(t("None recorded"))
    today = data.prepared_on.isoformat()
    meds = [m.title or m.display or "" for m in data.medications if not m.deleted and _active_medication(m, today)]
    conds = [c.title or c.display or "" for c in data.conditions if not c.deleted and _active_condition(c)]
    return [
        (t("Allergies"), Paragraph(text, _BASE)),
        (t("Active conditions"), Paragraph(_names(sorted(conds, key=str.lower)) or escape(t("None recorded")), _BASE)),
        (t("Active medications"), Paragraph(_names(sorted(meds, key=str.lower)) or escape(t("None recorded")), _BASE)),
    ]


def _sex(sex: str | None) -> str:
    """The recorded sex in the packet's language ('female', 'male'... as FHIR codes them)."""
    return t((sex or "").lower()) if sex and sex.lower() in _SEX else (sex or t("not recorded"))


_SEX = ("female", "male", "other", "unknown")


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
    who = person.name + (" \u00b7 " + t("born {date}", date=short_date(person.birth_date)) if person.birth_date else "")
    canv.drawString(_MARGIN, y, _fit(who, _F["regular"], 7, _FRAME_WIDTH / 2 - 20))
    canv.drawCentredString(_PAGE[0] / 2 + 40, y, t(CONFIDENTIAL))
    label = t("Page {n} of ", n=canv.getPageNumber())
    x = _PAGE[0] - _MARGIN - 50
    canv.drawString(x, y, label)
    canv.translate(x + stringWidth(label, _F["regular"], 7), y)
    canv.scale(7 / _BASE.fontSize, 7 / _BASE.fontSize)
    canv.doForm("pagetotal")
    canv.restoreState()


def build_summary(data: PacketData, entries: list[DocumentEntry], included_pages: int) -> tuple[bytes, dict[str, int]]:
    """The cover and summary as PDF bytes, and the 1-based page of each section."""
    buf = io.BytesIO()
    doc = _SummaryTemplate(
        buf,
        pagesize=_PAGE,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=t(PDF_TITLE),
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
        story.append(_Heading(key, t(title)))
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
    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=partial(_DeferredCanvas, resolve=resolve))
    return buf.getvalue(), dict(doc.section_pages)
