"""The appointment packet: one AES-256 encrypted PDF to hand to a clinician.

Layout: a cover page (person, date of birth, prepared on/for, contents), the summary sections made
with reportlab platypus (active medications, allergies, conditions, immunizations, recent lab results
with abnormal flags and small trend charts, recent encounters, an index of included documents with
the page each starts on), then the chosen original documents: PDFs page for page, images one page
each, other types listed in the index only. Bookmarks for every section and every document. The
FHIR bundle of the same records is embedded as ``health-summary.fhir.json`` so another copy of this
app can import the packet losslessly.

Pure: takes model objects and the originals' bytes, writes only the encrypted file (atomically,
through :mod:`pdfcrypt`); nothing in plaintext touches the disk. The document title is generic
("Health summary") and lives only inside the encrypted file.

This module checks the originals, merges the pages with pikepdf (qpdf), adds bookmarks and the
bundle, and encrypts; :mod:`packet_layout` draws the pages of our own.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from medrecords_desktop.errors import Cancelled, ImportRejected
from medrecords_desktop.exporters import packet_i18n
from medrecords_desktop.exporters.fhir_bundle import to_fhir_bundle
from medrecords_desktop.exporters.packet_data import DocumentEntry, PacketData
from medrecords_desktop.exporters.packet_i18n import day, t
from medrecords_desktop.exporters.packet_layout import build_summary, doc_title, image_document
from medrecords_desktop.exporters.packet_style import (
    PDF_TITLE,
    SECTION_TITLES,
    STANDARD_FONTS,
    needs_unicode,
    reportlab_session,
    unicode_family,
)
from medrecords_desktop.exporters.pdfcrypt import check_password, save_encrypted
from medrecords_desktop.model.records import (
    Document,
)
from medrecords_desktop.progress import CancelToken, Progress  # the core's one token and progress shape

__all__ = [
    "BUNDLE_NAME",
    "PDF_TITLE",
    "SECTION_TITLES",
    "DocumentEntry",
    "PacketData",
    "PacketResult",
    "build_packet",
    "read_packet_bundle",
]

BUNDLE_NAME = "health-summary.fhir.json"
BUNDLE_MIME = "application/fhir+json"

ProgressFn = Progress  # the core's one progress shape: (done, total, what)


@dataclass
class PacketResult:
    """What was written: for the export report and the audit entry."""

    path: Path
    page_count: int
    summary_pages: int
    documents: list[DocumentEntry]
    bookmarks: list[tuple[str, int]]  # (title, 1-based page), documents nested under one parent
    bundle_resources: int
    size: int


# --- documents -----------------------------------------------------------------------------------


@dataclass
class _Prepared:
    entry: DocumentEntry
    pdf: pikepdf.Pdf | None = None  # the original, or the pages made from an image


_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
)


def _type_label(doc: Document, data: bytes) -> str:
    if b"%PDF-" in data[:1024]:
        return "PDF"
    for magic, label in _IMAGE_MAGIC:
        if data.startswith(magic):
            return label
    name = doc.filename or ""
    if "." in name:
        return name.rsplit(".", 1)[1].upper()[:10]
    if doc.mime:
        return doc.mime.split("/")[-1].upper()[:20]
    return "unknown type"


def _open_pdf(data: bytes) -> tuple[pikepdf.Pdf | None, str]:
    """The original opened, or why it cannot be included.

    qpdf repairs what it can (a lost cross-reference table is common and harmless). A file it had
    to repair is included only if every page's content can still be read: a truncated file opens
    with its later pages empty, and blank pages in a packet would mislead.
    """
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return None, "not included (password-protected PDF)"
    except Exception:  # qpdf reports damage in many forms; none of them should stop the packet
        return None, "not included (damaged PDF)"
    try:
        if len(pdf.pages) == 0:
            raise ValueError("no pages")
        if pdf.get_warnings():
            for page in pdf.pages:
                contents = page.obj.get("/Contents")
                if contents is None:
                    raise ValueError("a page lost its content")
                for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
                    stream.read_bytes()
    except Exception:
        pdf.close()
        return None, "not included (damaged PDF)"
    return pdf, ""


# Actions a packet page must not carry: scripts, programs, forms that send data, other files.
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/ResetForm",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/RichMediaExecute",
    }
)
# Annotations that carry files or media of their own.
_ACTIVE_ANNOTS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"})


def _sanitise_page(page: pikepdf.Page) -> None:
    """Keep what an original shows; drop what it could run or carry (scripts, launches, attachments).

    The importer flags such originals; the packet goes to someone else's computer, so it drops them.
    Plain links (URI, same-document) stay.
    """
    obj = page.obj
    if "/AA" in obj:
        del obj["/AA"]
    annots = obj.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return
    keep = pikepdf.Array()
    for annot in annots:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        if str(annot.get("/Subtype", "")) in _ACTIVE_ANNOTS:
            continue
        action = annot.get("/A")
        if isinstance(action, pikepdf.Dictionary):
            if str(action.get("/S", "")) in _ACTIVE_ACTIONS:
                continue
            if "/Next" in action:  # a chain could hide a script behind a harmless first step
                del action["/Next"]
        if "/AA" in annot:
            del annot["/AA"]
        keep.append(annot)
    obj["/Annots"] = keep


# --- the packet ----------------------------------------------------------------------------------


def _cancelled(cancel: CancelToken | Callable[[], bool] | None) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def build_packet(
    data: PacketData,
    out_path: Path,
    password: str,
    progress: ProgressFn | None = None,
    cancel: CancelToken | Callable[[], bool] | None = None,
) -> PacketResult:
    """Write the encrypted appointment packet for ``data`` to ``out_path``.

    ``progress(done, total, message)`` is called between steps; ``cancel`` (a ``threading.Event`` or a
    callable returning True) stops the work with :class:`Cancelled` before anything is written.
    """
    check_password(password)
    with packet_i18n.use(data.lang):  # the words, dates and numbers of the language chosen
        return _build_packet(data, Path(out_path), password, progress, cancel)


def _build_packet(
    data: PacketData,
    out_path: Path,
    password: str,
    progress: ProgressFn | None,
    cancel: CancelToken | Callable[[], bool] | None,
) -> PacketResult:
    total = len(data.documents) + 4
    step = 0

    def tick(message: str, can_cancel: bool = True) -> None:
        # Messages carry counts only, never titles: a progress line may end up in a log.
        nonlocal step
        if can_cancel and _cancelled(cancel):
            raise Cancelled()
        if progress is not None:
            progress(step, total, message)
        step += 1

    out = pikepdf.new()
    sources: list[pikepdf.Pdf] = []  # kept open until the save: copied pages still read from them
    try:
        fonts = (unicode_family() if needs_unicode(data) else None) or STANDARD_FONTS
        prepared = _prepare_documents(data, out, sources, tick, fonts)
        entries = [p.entry for p in prepared]
        included_pages = sum(e.page_count for e in entries if e.included)

        tick("Laying out the summary")
        with reportlab_session(fonts):
            summary_bytes, section_pages = build_summary(data, entries, included_pages)
        summary = pikepdf.open(io.BytesIO(summary_bytes))
        sources.append(summary)
        summary_count = len(summary.pages)
        out.pages[0:0] = summary.pages

        tick("Adding bookmarks and the FHIR bundle")
        bookmarks = _outline(out, section_pages, entries)
        bundle = to_fhir_bundle(data.person, data.items())
        bundle_bytes = json.dumps(bundle, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        _attach_bundle(out, bundle_bytes)
        _set_metadata(out)

        tick("Encrypting and saving")
        save_encrypted(out, out_path, password)
        tick("Done", can_cancel=False)  # written: too late to cancel
        return PacketResult(
            path=out_path,
            page_count=len(out.pages),
            summary_pages=summary_count,
            documents=entries,
            bookmarks=bookmarks,
            bundle_resources=len(bundle["entry"]) - 2,
            size=out_path.stat().st_size,
        )
    finally:
        for src in sources:
            src.close()
        out.close()


def _prepare_documents(
    data: PacketData,
    out: pikepdf.Pdf,
    sources: list[pikepdf.Pdf],
    tick: Callable[[str], None],
    fonts: dict[str, str],
) -> list[_Prepared]:
    """Check every chosen document and copy the good ones' pages into ``out`` (in the given order)."""
    prepared: list[_Prepared] = []
    for n, (doc, blob) in enumerate(data.documents):
        tick(f"Checking document {n + 1} of {len(data.documents)}")
        label = _type_label(doc, blob)
        entry = DocumentEntry(title=doc_title(doc), date=doc.date, type_label=label, included=False)
        item = _Prepared(entry)
        prepared.append(item)
        if not blob:
            entry.note = "not included (file missing)"
            continue
        if label == "PDF":
            item.pdf, entry.note = _open_pdf(blob)
        elif label.endswith(" image"):
            with reportlab_session(fonts):
                pages = image_document(doc, blob)
            if isinstance(pages, str):
                entry.note = pages
            else:
                item.pdf = pikepdf.open(io.BytesIO(pages))
        else:
            entry.note = f"not included ({label} file)"
        if item.pdf is None:
            continue
        sources.append(item.pdf)
        before = len(out.pages)
        try:
            out.pages.extend(item.pdf.pages)
            for page in out.pages[before:]:
                _sanitise_page(page)
        except Exception:  # a page tree that opened but cannot be copied: skip the document
            del out.pages[before:]
            entry.note = "not included (damaged PDF)"
            continue
        entry.included, entry.page_count = True, len(out.pages) - before
    return prepared


def _outline(out: pikepdf.Pdf, section_pages: dict[str, int], entries: list[DocumentEntry]) -> list[tuple[str, int]]:
    marks: list[tuple[str, int]] = [(t("Cover"), 1)]
    marks.extend((t(title), section_pages[key]) for key, title in SECTION_TITLES if key in section_pages)
    with out.open_outline() as outline:
        for title, page in marks:
            outline.root.append(pikepdf.OutlineItem(title, page - 1))
        docs = [(e, e.first_page) for e in entries if e.included and e.first_page is not None]
        docs_marks = [(f"{e.title} ({day(e.date)})" if e.date else e.title, page) for e, page in docs]
        if docs_marks:
            parent = pikepdf.OutlineItem(t("Documents"), docs_marks[0][1] - 1)
            for label, page in docs_marks:
                parent.children.append(pikepdf.OutlineItem(label, page - 1))
            outline.root.append(parent)
            marks.extend(docs_marks)
    out.Root.PageMode = pikepdf.Name.UseOutlines
    return marks


def _attach_bundle(out: pikepdf.Pdf, bundle_bytes: bytes) -> None:
    """Embed the bundle; its content and name are encrypted strings/streams like everything else.

    PDF never encrypts names, and an embedded file's MIME type is a name (``/Subtype``) in the
    stream dictionary, which stays readable in the encrypted file: it would tell anyone that the
    PDF carries FHIR health data. So the MIME type goes into the (encrypted) description instead,
    and the plaintext MD5 checksum pikepdf adds (a way to confirm a guessed bundle) is dropped.
    """
    spec = pikepdf.AttachedFileSpec(
        out,
        bundle_bytes,
        description=f"FHIR R4 bundle, International Patient Summary ({BUNDLE_MIME})",
        filename=BUNDLE_NAME,
    )
    out.attachments[BUNDLE_NAME] = spec
    stream = out.attachments[BUNDLE_NAME].obj.EF.F
    params = stream.get("/Params")
    if isinstance(params, pikepdf.Dictionary) and "/CheckSum" in params:
        del params["/CheckSum"]
    if "/Subtype" in stream:
        del stream["/Subtype"]


def _set_metadata(out: pikepdf.Pdf) -> None:
    """A generic title only; no name, no dates of birth, no producer details of the sources."""
    if "/Metadata" in out.Root:
        del out.Root["/Metadata"]
    out.trailer.Info = out.make_indirect(
        pikepdf.Dictionary(Title=pikepdf.String(t(PDF_TITLE)), Producer=pikepdf.String("MedRecords Desktop"))
    )
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)


def read_packet_bundle(pdf_bytes: bytes, password: str, name: str = "packet") -> dict[str, Any]:
    """The FHIR bundle embedded in a packet; ImportRejected on a wrong password or a foreign PDF."""
    try:
        pdf = pikepdf.open(io.BytesIO(pdf_bytes), password=password)
    except pikepdf.PasswordError:
        raise ImportRejected(name, None, "wrong password for this packet") from None
    except Exception as exc:
        raise ImportRejected(name, None, f"not a readable PDF ({type(exc).__name__})") from None
    with pdf:
        if BUNDLE_NAME not in pdf.attachments:
            raise ImportRejected(name, "embedded files", f"no {BUNDLE_NAME} attachment: not a packet from this app")
        raw = pdf.attachments[BUNDLE_NAME].get_file().read_bytes()
    try:
        bundle = json.loads(raw)
    except ValueError as exc:
        raise ImportRejected(
            name, f"{BUNDLE_NAME} line {getattr(exc, 'lineno', '?')}", "the embedded bundle is not valid JSON"
        ) from None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise ImportRejected(name, f"{BUNDLE_NAME} $.resourceType", "the embedded file is not a FHIR Bundle")
    return bundle
