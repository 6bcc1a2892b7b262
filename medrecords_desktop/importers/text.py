"""Plain text files (a typed note, a portal's "download as text") become one Document.

Also home of :func:`decode_text`, the one place that turns the bytes of a text-like file into ``str``
(BOMs, strict UTF-8 with the offending byte offset named), shared by format detection and the CSV
lab parser so that all three agree on what a readable text file is.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import PurePath

from ..model.records import Document, Provenance
from .base import ParsedFile, reject

# Searchable text kept on the item; the original bytes are always stored whole.
MAX_TEXT_CHARS = 2_000_000

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def text_encoding(data: bytes) -> tuple[str, int]:
    """The encoding a BOM announces and the BOM's length; UTF-8 and 0 without a BOM."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return "utf-8", 0


def decode_text(data: bytes, source_name: str) -> str:
    """Decode a text file strictly: a BOM picks UTF-8/16/32, otherwise it must be UTF-8.

    Guessing a legacy code page would silently turn "µmol/L" into "Âµmol/L" in a lab value, so an
    undecodable byte is an error that names its offset (the user can re-save the file as UTF-8).
    """
    encoding, skip = text_encoding(data)
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        raise reject(
            source_name,
            f"byte {offset}",
            f"not valid {encoding.upper()} text (byte 0x{data[offset]:02x}); save the file as UTF-8",
        ) from None


def base_name(source_name: str) -> str:
    """The file name without its folder, whichever separator the source used."""
    return PurePath(source_name.replace("\\", "/")).name or source_name


def parse_text(
    data: bytes,
    source_name: str,
    *,
    title: str | None = None,
    date: str | None = None,
    doc_type: str | None = None,
) -> ParsedFile:
    """One text/plain Document whose searchable text is the file's content."""
    if not data:
        raise reject(source_name, None, "the file is empty")
    text = decode_text(data, source_name)
    parsed = ParsedFile(source_name=source_name, format="text")
    if len(text) > MAX_TEXT_CHARS:
        parsed.warnings.append(
            f"{source_name}: only the first {MAX_TEXT_CHARS:,} characters are searchable; the whole file is stored"
        )
        text = text[:MAX_TEXT_CHARS]
    digest = hashlib.sha256(data).hexdigest()
    name = base_name(source_name)
    parsed.items.append(
        Document(
            title=title or name,
            date=date,
            date_estimated=date is None,
            text=text,
            doc_type=doc_type,
            mime="text/plain",
            filename=name,
            size=len(data),
            sha256=digest,
            content=data,
            provenance=Provenance(
                source_kind="file", source_name=source_name, source_id=f"sha256:{digest}", raw_format="text"
            ),
        )
    )
    return parsed
