"""Which parser a file needs, decided from its content.

Extensions lie (``report.pdf`` that is an HTML error page, ``labs.txt`` that is a CSV, a C-CDA saved
as ``.dat``), so only the bytes decide: magic numbers for binary formats, BOMs and the first
significant character for text, the root element for XML, the member names for zip archives.  The
file name may only break a tie between "csv" and "text" when the content could be either.

The FHIR, C-CDA and XDM sniffs belong to their parsers (importers/fhir/, ccda/, xdm.py); they are
imported lazily so that this module works, with its own minimal sniffs, without them.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import zipfile
from collections.abc import Callable
from typing import NoReturn

from ..errors import ImportRejected
from .base import MAX_FILE_BYTES, MAX_NDJSON_LINE, MAX_ZIP_MEMBERS, reject
from .text import decode_text, text_encoding

FORMATS: tuple[str, ...] = ("fhir-json", "fhir-ndjson", "ccda", "xdm", "zip", "pdf", "image", "csv", "text")

HEAD_BYTES = 64 * 1024  # enough for an XML prolog with a long comment or a big first JSON key
# The PDF specification lets readers accept junk before the header; Acrobat looks in the first 1 KiB.
PDF_HEADER_WINDOW = 1024

_IMAGE_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
    b"GIF87a",
    b"GIF89a",
)
# ISO base media "ftyp" brands of HEIF/HEIC/AVIF still images.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # local file header; empty archive
_OTHER_BINARY = {
    b"\x1f\x8b": "a gzip archive: unpack it first",
    b"7z\xbc\xaf": "a 7-Zip archive: unpack it first",
    b"Rar!": "a RAR archive: unpack it first",
    b"MZ": "a Windows program",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document: save it as PDF",
}
_XML_NAME = re.compile(r"<\s*(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_CSV_NAMES = (".csv", ".tsv", ".tab")


def detect_format(data: bytes, source_name: str) -> str:
    """One of :data:`FORMATS`, or :class:`ImportRejected` saying what the file seems to be."""
    if not data:
        raise reject(source_name, None, "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise reject(source_name, None, f"larger than the {MAX_FILE_BYTES // 2**20} MiB import limit")
    head = data[:HEAD_BYTES]
    binary = _binary_format(data, head, source_name)
    if binary is not None:
        return binary
    return _text_format(data, source_name)


# --- binary formats -------------------------------------------------------------------------


def _binary_format(data: bytes, head: bytes, source_name: str) -> str | None:
    if head.startswith(_ZIP_MAGIC):
        return _zip_format(data, source_name)
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or _is_heif(head) or _is_webp(head):
        return "image"
    for magic, what in _OTHER_BINARY.items():
        if head.startswith(magic):
            raise reject(source_name, None, f"unrecognised format: this looks like {what}")
    return None


def _is_heif(head: bytes) -> bool:
    # box size (4 bytes), "ftyp", major brand; compatible brands follow in the same box.
    if head[4:8] != b"ftyp":
        return False
    size = int.from_bytes(head[:4], "big")
    brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(size, 64), 4)}
    return bool(brands & _HEIF_BRANDS)


def _is_webp(head: bytes) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WEBP"


def _zip_format(data: bytes, source_name: str) -> str:
    # Only the central directory is read here; nothing is extracted.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise reject(source_name, None, f"damaged zip archive ({exc})") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise reject(source_name, None, f"zip archive with more than {MAX_ZIP_MEMBERS:,} members")
    looks_like_xdm: Callable[[bytes], bool] | None
    try:
        from .xdm import looks_like_xdm
    except ImportError:
        looks_like_xdm = None
    if looks_like_xdm is not None and looks_like_xdm(data):
        return "xdm"
    # IHE XDM media: every submission set lives under IHE_XDM/ (ITI TF-2b 3.32.4.1).
    if any(i.filename.replace("\\", "/").upper().startswith("IHE_XDM/") for i in infos):
        return "xdm"
    return "zip"


# --- text formats ---------------------------------------------------------------------------


def _text_format(data: bytes, source_name: str) -> str:
    encoding, skip = text_encoding(data)
    if encoding == "utf-8" and b"\x00" in data[:HEAD_BYTES]:
        raise reject(source_name, None, "unrecognised format: binary data that is not a known document type")
    if encoding != "utf-8":
        text = decode_text(data, source_name)
        head = text[:HEAD_BYTES].encode("utf-8")
    else:
        # JSON and XML files can be hundreds of MiB: their parsers check every byte, so only the
        # head is decoded here (an incremental decoder, so a character cut at the end is no error).
        head = data[skip : skip + HEAD_BYTES]
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError as exc:
            decode_text(data, source_name)  # raises, naming the offset
            raise AssertionError("unreachable") from exc
        text = None
    stripped = head.lstrip()
    if not stripped:
        if len(data) - skip <= HEAD_BYTES:
            raise reject(source_name, None, "the file contains only white space")
        stripped = data[skip:].lstrip()[:HEAD_BYTES]
    first = stripped[:1]
    if first in (b"{", b"["):
        return _json_format(data if text is None else text.encode("utf-8"), stripped, source_name)
    if first == b"<" and re.match(rb"<[?!A-Za-z_]", stripped):
        return _xml_format(stripped, source_name)
    if text is None:
        text = decode_text(data, source_name)
    return _csv_or_text(text, source_name)


def _json_format(data: bytes, head: bytes, source_name: str) -> str:
    if head.startswith(b"["):
        raise reject(source_name, "$", "a JSON array is not a FHIR resource, Bundle or NDJSON export")
    # NDJSON is decided here, on the whole first line: the FHIR module's looks_like_ndjson sees only
    # the head and must call a one-line file NDJSON, which a minified single resource also is.
    first_line = _ndjson_first_line(data)
    if first_line is not None:
        return "fhir-ndjson" if b'"resourceType"' in first_line else _not_fhir(source_name)
    looks_like_fhir_json: Callable[[bytes], bool] | None
    try:
        from .fhir import looks_like_fhir_json
    except ImportError:
        looks_like_fhir_json = None
    # The FHIR parser's own sniff is asked too, so a file either recognises is routed (the parser
    # then gives the precise error if it is not FHIR after all).
    if looks_like_fhir_json is not None and looks_like_fhir_json(head):
        return "fhir-json"
    if b'"resourceType"' in data[: HEAD_BYTES * 16]:
        return "fhir-json"
    return _not_fhir(source_name)


def _not_fhir(source_name: str) -> NoReturn:
    raise reject(source_name, "$", "JSON, but not a FHIR resource (no resourceType)")


def _ndjson_first_line(data: bytes) -> bytes | None:
    """The first line when it is one complete JSON object and another object starts on the next
    line (NDJSON); None otherwise (a pretty-printed document's first line is a lone "{")."""
    body = data.lstrip()
    end = body.find(b"\n")
    if end < 0 or end > MAX_NDJSON_LINE or not body[end:].lstrip().startswith(b"{"):
        return None
    try:
        return body[:end] if isinstance(json.loads(body[:end]), dict) else None
    except ValueError:
        return None


def _xml_format(head: bytes, source_name: str) -> str:
    looks_like_ccda: Callable[[bytes], bool] | None
    try:
        from .ccda import looks_like_ccda
    except ImportError:
        looks_like_ccda = None
    if looks_like_ccda is not None and looks_like_ccda(head):
        return "ccda"
    root, namespace_decl = _xml_root(head.decode("utf-8", "replace"))
    if root is None:
        raise reject(source_name, None, "looks like XML but has no root element in its first 64 KiB")
    if root == "ClinicalDocument" and "urn:hl7-org:v3" in namespace_decl:
        return "ccda"
    if "http://hl7.org/fhir" in namespace_decl:
        raise reject(source_name, f"<{root}>", "FHIR XML is not supported: export FHIR JSON instead")
    if root.lower() == "html":
        raise reject(source_name, "<html>", "a web page is not a record: print it to PDF and import the PDF")
    raise reject(source_name, f"<{root}>", "XML, but not a C-CDA ClinicalDocument (urn:hl7-org:v3)")


def _xml_root(stripped: str) -> tuple[str | None, str]:
    """The root element's local name and its start tag, skipping the prolog (declaration,
    comments, processing instructions, DOCTYPE)."""
    s = stripped
    pos = 0
    while True:
        pos = s.find("<", pos)
        if pos < 0:
            return None, ""
        if s.startswith("<?", pos):
            pos = _skip(s, pos, "?>")
        elif s.startswith("<!--", pos):
            pos = _skip(s, pos, "-->")
        elif s.startswith("<!", pos):
            pos = _skip(s, pos, ">")
        else:
            m = _XML_NAME.match(s, pos)
            if m is None:
                return None, ""
            end = s.find(">", pos)
            return m.group(1), s[pos : end if end > 0 else len(s)]
        if pos < 0:
            return None, ""


def _skip(s: str, pos: int, terminator: str) -> int:
    end = s.find(terminator, pos)
    return -1 if end < 0 else end + len(terminator)


def _csv_or_text(text: str, source_name: str) -> str:
    from .csvlabs import looks_like_lab_table, looks_tabular

    if looks_like_lab_table(text):
        return "csv"
    # A table whose header we cannot read: the name decides, so that a user's "labs.csv" reaches the
    # CSV parser and gets its precise rejection instead of being filed as a text note.
    if looks_tabular(text) and source_name.lower().endswith(_CSV_NAMES):
        return "csv"
    return "text"


__all__ = ["FORMATS", "ImportRejected", "detect_format"]
