"""Format dispatch: detect from content, then hand the bytes to the right parser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ImportRejected
from .base import ParsedFile

if TYPE_CHECKING:
    from .options import ImportOptions


def parse_bytes(data: bytes, name: str, opts: ImportOptions | None = None) -> list[ParsedFile]:
    from .detect import detect_format

    fmt = detect_format(data, name)
    return _parse(fmt, data, name, opts)


def _encrypted_pdf(data: bytes) -> bool:
    tail = data[-4096:] + data[:4096]
    return b"/Encrypt" in tail or b"/Encrypt" in data[: 1 << 20]


def _parse(fmt: str, data: bytes, name: str, opts: ImportOptions | None) -> list[ParsedFile]:
    title = opts.title if opts else None
    date = opts.date if opts else None
    kind = opts.kind if opts else None
    if fmt == "fhir-json":
        from .fhir import parse_fhir_json

        return [parse_fhir_json(data, name)]
    if fmt == "fhir-ndjson":
        from .fhir import parse_fhir_ndjson

        return [parse_fhir_ndjson(data, name)]
    if fmt == "ccda":
        from .ccda import parse_ccda

        return [parse_ccda(data, name)]
    if fmt == "xdm":
        from .xdm import parse_xdm

        def member(b: bytes, member_name: str) -> ParsedFile | None:
            from .detect import detect_format

            try:
                mfmt = detect_format(b, member_name)
            except ImportRejected:
                return None
            if mfmt in ("xdm", "zip"):
                return None
            return _parse(mfmt, b, member_name, None)[0]

        return parse_xdm(data, name, member)
    if fmt == "pdf" and opts is not None and opts.password and _encrypted_pdf(data):
        # an appointment packet from this app: import its machine-readable copy, not the pages
        import json

        from ..exporters.packet import read_packet_bundle
        from .fhir import parse_fhir_json

        bundle = read_packet_bundle(data, opts.password, name)
        parsed = parse_fhir_json(json.dumps(bundle).encode("utf-8"), name)
        parsed.format = "packet"
        return [parsed]
    if fmt == "pdf":
        from .pdf import parse_pdf

        return [_recognised(parse_pdf(data, name, title=title, date=date, doc_type=kind), data, opts)]
    if fmt == "image":
        from .image import parse_image

        return [_recognised(parse_image(data, name, title=title, date=date, doc_type=kind), data, opts)]
    if fmt == "csv":
        from .csvlabs import parse_lab_csv

        return [parse_lab_csv(data, name)]
    if fmt == "text":
        from .text import parse_text

        return [parse_text(data, name, title=title, date=date, doc_type=kind)]
    raise ImportRejected(name, None, f"files of this kind ({fmt}) cannot be imported")


def _recognised(parsed: ParsedFile, data: bytes, opts: ImportOptions | None) -> ParsedFile:
    """Scans and photos get their text recognised (on this computer) unless ``opts.ocr`` is False."""
    if opts is None or getattr(opts, "ocr", True):
        from .scan import ocr_document

        ocr_document(parsed, data)
    return parsed
