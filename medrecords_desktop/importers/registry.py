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

        parsed = parse_text(data, name, title=title, date=date, doc_type=kind)
        explicit = bool(title or kind or (opts is not None and getattr(opts, "force", False)))
        if not explicit and not looks_like_health_text(parsed.items[0].text or ""):
            raise ImportRejected(
                name,
                None,
                "this text does not look like a health record (none of the words a medical note uses); "
                "nothing imported. If it is one, import it with --title or --kind (in the app: Add > Note)",
            )
        return [parsed]
    raise ImportRejected(name, None, f"files of this kind ({fmt}) cannot be imported")


def _recognised(parsed: ParsedFile, data: bytes, opts: ImportOptions | None) -> ParsedFile:
    """Scans and photos get their text recognised (on this computer) unless ``opts.ocr`` is False."""
    if opts is None or getattr(opts, "ocr", True):
        from .scan import ocr_document

        ocr_document(parsed, data)
    elif parsed.decoded is not None:
        parsed.decoded.close()  # no recognition: the decoded picture is not kept
        parsed.decoded = None
    return parsed


# Words a medical note, letter or portal text uses: a plain text with fewer than three of them (a
# configuration file, a program's output) is not filed as a health record without being asked.
_HEALTH_WORDS = frozenset(
    """patient patients doctor dr physician nurse clinic clinical hospital visit appointment diagnosis
    diagnosed medication medications medicine prescription prescribed rx allergy allergies allergic lab labs
    laboratory result results blood pressure glucose cholesterol hemoglobin hba1c mg mcg ml mmol mmhg dose
    dosage tablet tablets capsule symptom symptoms pain fever cough rash vaccine vaccination immunization
    surgery surgical procedure discharge discharged admission admitted referral insurance health medical
    pharmacy xray x-ray mri ct ultrasound scan dob birth history exam examination treatment therapy care
    physiotherapy follow-up followup test tests specimen urine culture biopsy pathology radiology report
    heart lung kidney liver diabetes asthma hypertension infection injection antibiotic daily twice
    weight height temperature pulse bmi pediatric paediatric dental dentist eye vision hearing""".split()
)


def looks_like_health_text(text: str) -> bool:
    import re

    words = set(re.findall(r"[a-z][a-z0-9-]*", text[:50_000].lower()))
    return len(words & _HEALTH_WORDS) >= 3
