"""Paper records: recognise the text of scans and photos at import, and join photographed pages.

``ocr_document`` runs after the image or PDF parser, on the same bytes, in memory: the recognised text
becomes the Document's searchable ``text`` inside the vault and is never written or logged anywhere
else.  Recognition failing (engine missing, unreadable pixels) never fails the import: the file is
stored as it is and the user is told.
"""

from __future__ import annotations

import io

from PIL import Image

from ..model.records import Document
from .base import ParsedFile, reject
from .pdf import pdf_has_text_layer

SCAN_DOC_TYPE = "Scan"


def needs_ocr(mime: str | None, data: bytes) -> bool:
    """Images always; PDFs only when no page has a text layer (a scanner's PDF)."""
    if not mime:
        return False
    if mime.startswith("image/"):
        return True
    return mime == "application/pdf" and not pdf_has_text_layer(data)


def ocr_document(parsed: ParsedFile, data: bytes) -> None:
    """Fill the text of the file's scanned Document(s) with text recognised on this computer."""
    from ..ocr.engine import MAX_OCR_PAGES, OcrUnavailable, page_count, recognise_decoded, recognise_document

    decoded, parsed.decoded = parsed.decoded, None  # released whatever happens below
    for item in parsed.items:
        if not isinstance(item, Document) or (item.text or "").strip():
            continue
        if "image-damaged" in item.flags or "pdf-encrypted" in item.flags:
            continue  # cut-off pixels or a locked PDF: nothing sensible to read
        mime = item.mime or ""
        # The PDF parser already looked for a text layer: no text means a scan (or a structure pypdf
        # could not walk, which pdfium often still renders).
        if not (mime.startswith("image/") or mime == "application/pdf"):
            continue
        try:
            if decoded is not None and mime.startswith("image/"):
                # A one-page picture the image importer decoded already: not decoded a second time.
                pages, total = [recognise_decoded(decoded)], 1
                decoded = None
            else:
                pages = recognise_document(data, mime)
                total = page_count(data, mime)
        except OcrUnavailable as exc:
            parsed.warnings.append(f"{parsed.source_name}: stored without recognised text ({exc})")
            return
        # Pillow, pdfium and the engine raise many types on odd pixels; the file is still kept.
        except Exception as exc:  # noqa: BLE001
            parsed.warnings.append(
                f"{parsed.source_name}: text could not be recognised ({type(exc).__name__}); stored as is"
            )
            continue
        texts = [p.text() for p in pages]
        lines = [ln for p in pages for ln in p.lines]
        if total > len(pages):
            parsed.warnings.append(
                f"{parsed.source_name}: text recognised on the first {MAX_OCR_PAGES} of {total} pages only"
            )
        if not lines:
            parsed.warnings.append(f"{parsed.source_name}: no text found on this scan")
            continue
        item.text = "\n\n".join(t for t in texts if t)
        if not item.doc_type:
            item.doc_type = SCAN_DOC_TYPE
        mean = sum(ln.confidence for ln in lines) / len(lines)
        parsed.warnings.append(
            f"{parsed.source_name}: text recognised on this computer ({len(lines)} lines, mean confidence {mean:.2f})"
        )


def combine_pages(images: list[bytes], source_name: str = "pages") -> bytes:
    """One multi-page PDF from several photographed pages (JPEG and PNG pages are embedded as they are).

    The result is built in memory; the caller imports it like any other PDF."""
    if not images:
        raise reject(source_name, None, "no pages to combine")
    import img2pdf

    pages: list[bytes] = []
    for n, data in enumerate(images, 1):
        try:
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                fmt = im.format
                if fmt in ("JPEG", "PNG") and im.mode in ("RGB", "L") and "transparency" not in im.info:
                    pages.append(data)
                    continue
                # Other formats, alpha channels, palettes: re-encoded losslessly as PNG, in memory.
                out = io.BytesIO()
                im.convert("RGB").save(out, "PNG")
                pages.append(out.getvalue())
        except Image.DecompressionBombError:
            raise reject(source_name, f"page {n}", "image exceeds the pixel limit") from None
        except Exception as exc:  # noqa: BLE001 - any decoder failure means "not a usable page"
            raise reject(source_name, f"page {n}", f"not a readable image ({type(exc).__name__})") from None
    try:
        return bytes(img2pdf.convert(pages, rotation=img2pdf.Rotation.ifvalid))
    except Exception as exc:  # noqa: BLE001 - img2pdf rejects odd images in its own ways
        raise reject(source_name, None, f"pages could not be combined ({exc})") from None
