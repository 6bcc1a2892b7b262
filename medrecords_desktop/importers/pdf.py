"""PDF documents (after-visit summaries, discharge papers, lab reports, scanned letters).

The original bytes are always kept whole; this module only reads what the timeline and search need:
the text layer (bounded), the title and creation date from the metadata, and whether the file carries
active content.  JavaScript, launch actions and embedded files are flagged so that the viewer can
warn; nothing in a PDF is ever run (QtPdf's viewer has no JavaScript engine, and the app never opens
an attachment).  Malformed PDFs are common from old portals: when pypdf cannot read the structure
the file is still stored, with a warning, because a person can often still view it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from ..model.records import Document, Provenance
from .base import ParsedFile, reject
from .text import base_name

# pypdf logs every oddity of a damaged file ("EOF marker not found"); without a handler Python prints
# them on stderr, in the middle of the CLI's progress line.  The app's own logging still receives them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

MAX_TEXT_PAGES = 500  # pages whose text is extracted for search
MAX_TEXT_CHARS = 2_000_000
# pypdf's text extraction is pure Python and some hostile pages are slow: stop between pages after this.
TEXT_TIME_BUDGET = 30.0  # seconds
MAX_WALK_OBJECTS = 200_000  # objects inspected for active content
MAX_WALK_DEPTH = 50
_HEADER_RE = re.compile(rb"%PDF-\d\.\d")
_PDF_DATE_RE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")
# Titles PDF producers write when nobody set one.
_JUNK_TITLES = {"", "untitled", "untitled document", "document", "title", "none", "null", "microsoft word"}

# Raw-byte fallback for files pypdf cannot walk: names followed by a PDF delimiter.
_RAW_FLAGS: tuple[tuple[re.Pattern[bytes], str], ...] = (
    (re.compile(rb"/(?:JavaScript|JS)(?=[\s/<>\[\]()%])"), "pdf-javascript"),
    (re.compile(rb"/Launch(?=[\s/<>\[\]()%])"), "pdf-launch"),
    (re.compile(rb"/(?:EmbeddedFiles?)(?=[\s/<>\[\]()%])"), "pdf-embedded-files"),
)
_FLAG_WARNINGS = {
    "pdf-javascript": "contains JavaScript",
    "pdf-launch": "contains a launch action (it asks to open another program or file)",
    "pdf-embedded-files": "contains embedded files",
}


@dataclass
class _Inspection:
    reader: PdfReader | None = None
    error: str | None = None
    encrypted: bool = False
    locked: bool = False  # encrypted with a password we do not have
    flags: set[str] = field(default_factory=set)


def _check_header(data: bytes, source_name: str) -> None:
    if not data:
        raise reject(source_name, None, "the file is empty")
    m = _HEADER_RE.search(data[:1024])
    if m is None:
        why = "truncated PDF header" if b"%PDF" in data[:1024] else "not a PDF (no %PDF- header)"
        raise reject(source_name, "byte 0", why)
    if b"obj" not in data[m.end() :]:
        raise reject(source_name, f"byte {m.end()}", "truncated PDF: nothing follows the header")


def _open(data: bytes) -> _Inspection:
    out = _Inspection()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            out.encrypted = True
            # Many portals encrypt with an owner password only: the empty user password opens them.
            try:
                out.locked = not reader.decrypt("")
            except Exception:  # noqa: BLE001 - unsupported or damaged encryption: treat as locked
                out.locked = True
        out.reader = reader
    # pypdf raises many exception types (PdfReadError, KeyError, ValueError, struct.error...) on
    # hostile or broken files; all of them mean "damaged", never a crash of the import.
    except Exception as exc:  # noqa: BLE001
        out.error = type(exc).__name__
    return out


def _walk_flags(reader: PdfReader) -> set[str]:
    """Active content found in any object's dictionary, including inside object streams."""
    flags: set[str] = set()
    ids: list[int] = []
    for table in reader.xref.values():
        ids.extend(table)
    ids.extend(reader.xref_objStm)
    seen = 0
    for idnum in sorted(set(ids)):
        seen += 1
        if seen > MAX_WALK_OBJECTS:
            break
        try:
            obj = reader.get_object(idnum)
        except Exception:  # noqa: BLE001, S112 - a damaged object is skipped; the raw scan still runs
            continue
        _visit(obj, flags, 0)
    return flags


def _visit(obj: Any, flags: set[str], depth: int) -> None:
    """Direct (not indirect) sub-objects: an OpenAction is often written inline in the catalog."""
    if depth > MAX_WALK_DEPTH:
        return
    if isinstance(obj, DictionaryObject):
        keys = set(obj.keys())
        action = obj.get("/S")
        if "/JS" in keys or "/JavaScript" in keys or action == "/JavaScript":
            flags.add("pdf-javascript")
        if action == "/Launch":
            flags.add("pdf-launch")
        if "/EmbeddedFiles" in keys or "/EF" in keys or obj.get("/Type") == "/EmbeddedFile":
            flags.add("pdf-embedded-files")
        values: Iterable[Any] = (obj.get(k) for k in keys)  # .get keeps indirect refs unresolved
    elif isinstance(obj, ArrayObject):
        values = iter(obj)
    else:
        return
    for value in values:
        if isinstance(value, DictionaryObject | ArrayObject):
            _visit(value, flags, depth + 1)


def _raw_flags(data: bytes) -> set[str]:
    return {flag for pattern, flag in _RAW_FLAGS if pattern.search(data)}


def _extract_text(reader: PdfReader, source_name: str, warnings: list[str]) -> str:
    parts: list[str] = []
    total = 0
    failed = 0
    pages = len(reader.pages)
    deadline = time.monotonic() + TEXT_TIME_BUDGET
    for number, page in enumerate(reader.pages):
        if number >= MAX_TEXT_PAGES:
            warnings.append(f"{source_name}: text of pages after {MAX_TEXT_PAGES} is not searchable")
            break
        if time.monotonic() > deadline:
            warnings.append(f"{source_name}: text of pages after {number} is not searchable (too slow to read)")
            break
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - one broken page must not lose the others
            failed += 1
            continue
        parts.append(text)
        total += len(text)
        if total >= MAX_TEXT_CHARS:
            warnings.append(f"{source_name}: only the first {MAX_TEXT_CHARS:,} characters of text are searchable")
            break
    if failed:
        warnings.append(f"{source_name}: text of {failed} of {pages} pages could not be read")
    return "\n\n".join(parts)[:MAX_TEXT_CHARS]


def pdf_date(value: str | None) -> str | None:
    """A PDF date string ('D:20260412103000+02'00'') as YYYY-MM-DD[THH:MM:SS], wall clock."""
    if not value:
        return None
    m = _PDF_DATE_RE.match(str(value).strip())
    if m is None:
        return None
    y, mo, d, hh, mi, ss = m.groups()
    try:
        stamp = datetime(int(y), int(mo or 1), int(d or 1), int(hh or 0), int(mi or 0), int(ss or 0))
    except ValueError:
        return None
    if stamp.year < 1990:  # 1970/1980 defaults of broken producers are not a document date
        return None
    if hh is None:
        return stamp.strftime("%Y-%m-%d")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S" if ss else "%Y-%m-%dT%H:%M")


def _metadata(reader: PdfReader) -> tuple[str | None, str | None, str | None]:
    """Title, author and creation date, when the document information dictionary is readable."""
    try:
        meta = reader.metadata
        if meta is None:
            return None, None, None
        title = " ".join(str(meta.get("/Title") or "").split())
        author = " ".join(str(meta.get("/Author") or "").split())
        created = pdf_date(meta.get("/CreationDate"))
    except Exception:  # noqa: BLE001 - a broken Info dictionary only loses the metadata
        return None, None, None
    if title.lower().startswith("microsoft word - "):
        title = title[len("microsoft word - ") :]
    if title.lower() in _JUNK_TITLES:
        title = ""
    if author.lower() in ("anonymous", "unknown", "user", "administrator", "admin"):
        author = ""
    return title or None, author or None, created


def parse_pdf(
    data: bytes,
    source_name: str,
    *,
    title: str | None = None,
    date: str | None = None,
    doc_type: str | None = None,
) -> ParsedFile:
    """One Document with the PDF's original bytes, its text (bounded) and its safety flags."""
    _check_header(data, source_name)
    parsed = ParsedFile(source_name=source_name, format="pdf")
    info = _open(data)
    flags = _raw_flags(data)
    text: str | None = None
    meta_title = author = meta_date = None
    notes: list[str] = []
    reader = info.reader
    if reader is None:
        parsed.warnings.append(
            f"{source_name}: damaged PDF structure ({info.error}); stored as is, without searchable text"
        )
    elif info.locked:
        notes.append("encrypted, text not extracted")
        parsed.warnings.append(f"{source_name}: password-protected PDF: stored, text not extracted")
    else:
        try:
            flags |= _walk_flags(reader)
            text = _extract_text(reader, source_name, parsed.warnings)
            meta_title, author, meta_date = _metadata(reader)
        except Exception as exc:  # noqa: BLE001 - pypdf on a damaged file: keep what we have
            parsed.warnings.append(
                f"{source_name}: damaged PDF structure ({type(exc).__name__}); stored, text may be missing"
            )
    if info.encrypted:
        flags.add("pdf-encrypted")
    for flag in sorted(flags):
        if flag in _FLAG_WARNINGS:
            parsed.warnings.append(f"{source_name}: {_FLAG_WARNINGS[flag]}; stored inert, it is never run or opened")
    digest = hashlib.sha256(data).hexdigest()
    name = base_name(source_name)
    doc_date = date or meta_date
    parsed.items.append(
        Document(
            title=title or meta_title or name,
            date=doc_date,
            # The PDF's creation date is when the file was made, not necessarily the visit: a guess.
            date_estimated=date is None,
            text=text or None,
            note="; ".join(notes) or None,
            doc_type=doc_type,
            mime="application/pdf",
            filename=name,
            size=len(data),
            sha256=digest,
            flags=sorted(flags),
            author=author,
            content=data,
            provenance=Provenance(
                source_kind="file", source_name=source_name, source_id=f"sha256:{digest}", raw_format="pdf"
            ),
        )
    )
    return parsed


def pdf_has_text_layer(data: bytes) -> bool:
    """True when some page has extractable text (so OCR is not needed); False for scans, locked
    or unreadable files."""
    if _HEADER_RE.search(data[:1024]) is None:
        return False
    info = _open(data)
    if info.reader is None or info.locked:
        return False
    try:
        for number, page in enumerate(info.reader.pages):
            if number >= MAX_TEXT_PAGES:
                break
            try:
                if (page.extract_text() or "").strip():
                    return True
            except Exception:  # noqa: BLE001, S112 - a broken page has no usable text; try the next
                continue
    except Exception:  # noqa: BLE001 - a broken page tree: no usable text layer
        return False
    return False


MAX_CELL_GAP = 0.9  # a gap wider than this many character heights starts a new cell (a table column)


def text_layer_pages(data: bytes, max_pages: int = MAX_TEXT_PAGES) -> list[Any]:
    """The text layer's words with their places, as recognised pages (``ocr.engine.OcrPage``): one
    box per run of text between column gaps, in points from the page's top-left corner.  The lab-report
    reader then reads a portal's PDF exactly as it reads a scan of it: by rows, columns and indentation.

    pdfium (already used to render scans) gives every character's box; pdfplumber would give the same
    from pure-Python pdfminer, slower and one dependency more."""
    import pypdfium2 as pdfium

    from ..ocr.engine import OcrLine, OcrPage

    out: list[OcrPage] = []
    doc = pdfium.PdfDocument(data)
    try:
        for index in range(min(len(doc), max_pages)):
            page = doc[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    lines = _cells(textpage, height)
                finally:
                    textpage.close()
            finally:
                page.close()
            out.append(OcrPage([OcrLine(t, box, 1.0) for t, box in lines], int(width), int(height)))
    finally:
        doc.close()
    return out


def _cells(textpage: Any, page_height: float) -> list[tuple[str, tuple[float, float, float, float]]]:
    cells: list[tuple[str, tuple[float, float, float, float]]] = []
    text: list[str] = []
    box: list[float] = []
    space = False

    def close() -> None:
        s = "".join(text).strip()
        if s:
            cells.append((s, (box[0], box[1], box[2], box[3])))

    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if not ch or ch in "\r\n" or ch.isspace():
            space = space or bool(ch)
            if ch in ("\r", "\n"):
                close()
                text, box, space = [], [], False
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        y0, y1 = page_height - top, page_height - bottom
        h = max(1.0, y1 - y0)
        if box:
            same_line = abs((y0 + y1) / 2 - (box[1] + box[3]) / 2) < 0.5 * max(h, box[3] - box[1])
            gap = left - box[2]
            if not same_line or gap > MAX_CELL_GAP * max(h, box[3] - box[1], 4.0) or gap < -2 * h:
                close()
                text, box, space = [], [], False
        if box:
            if space:
                text.append(" ")
            box = [min(box[0], left), min(box[1], y0), max(box[2], right), max(box[3], y1)]
        else:
            box = [left, y0, right, y1]
        text.append(ch)
        space = False
    close()
    return cells
