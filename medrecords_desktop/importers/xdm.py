"""IHE XDM media (the "download / transmit my records" zip of US portals and Direct messages).

Layout (IHE ITI TF-1 §16): ``IHE_XDM/<SUBSET>/METADATA.XML`` describes each document of the subset
as an ebXML ``ExtrinsicObject`` (URI of the file in the subset folder, mimeType, creationTime,
title, patient id and demographics); the documents sit beside it; ``INDEX.HTM`` and ``README.TXT`` at
the top are for people, and stylesheets (``.xsl``) for browsers.

We read every document the metadata lists through ``parse_member`` (the service's dispatcher, so a
PDF or an image in the zip goes to its own parser), fill in what the metadata knows and the document
does not (title, date, patient), and also import C-CDA documents that are in the zip but missing from
the metadata.  The zip itself is opened with :mod:`safezip`; a member that cannot be parsed becomes a
warning, not the end of the whole import.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..errors import ImportRejected
from .base import ParsedFile, PatientInfo, reject
from .ccda import looks_like_ccda, ts_to_iso
from .safezip import ZipMember, open_zip_safely, zip_names
from .xmlsafe import parse_untrusted_xml

ParseMember = Callable[[bytes, str], "ParsedFile | None"]

XDM_PATIENT_REF = "xdm-patient"
# XDSDocumentEntry identification schemes (ITI TF-3 4.2.3.2)
_SCHEME_PATIENT_ID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
_SCHEME_UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
_SCHEME_CLASS_CODE = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
_SCHEME_TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
_METADATA = re.compile(r"^IHE_XDM/([^/]+)/METADATA\.XML$", re.IGNORECASE)
_PEOPLE_FILES = {"INDEX.HTM", "INDEX.HTML", "README.TXT"}
_STYLESHEETS = (".XSL", ".XSLT", ".CSS")


@dataclass
class XdmEntry:
    """One document as METADATA.XML describes it."""

    uri: str
    path: str  # member path in the zip
    mime: str | None = None
    title: str | None = None
    creation_time: str | None = None  # ISO
    patient_id: tuple[str, str] | None = None  # (system, value)
    patient: PatientInfo | None = None
    unique_id: str | None = None
    class_code: str | None = None
    type_code: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def looks_like_xdm(data: bytes) -> bool:
    """A zip holding IHE_XDM/<subset>/METADATA.XML (checked from the central directory only)."""
    if not data.startswith(b"PK"):
        return False
    try:
        names = zip_names(data, "(sniffing)")
    except ImportRejected:
        return False
    return any(_METADATA.match(n.replace("\\", "/")) for n in names)


def parse_xdm(data: bytes, source_name: str, parse_member: ParseMember) -> list[ParsedFile]:
    """The summary of the zip (format "xdm": its notes and warnings) followed by one ParsedFile per
    imported document, in the order of the metadata."""
    members = open_zip_safely(data, source_name)
    by_key = {m.name.replace("\\", "/").casefold(): m for m in members}
    summary = ParsedFile(source_name=source_name, format="xdm")
    out: list[ParsedFile] = [summary]
    used: set[str] = set()

    meta_members = [m for m in members if _METADATA.match(m.name.replace("\\", "/"))]
    if not meta_members:
        summary.warnings.append("no IHE_XDM/<subset>/METADATA.XML in the zip: documents imported by content")
    entries: list[XdmEntry] = []
    for mm in meta_members:
        used.add(mm.name.replace("\\", "/").casefold())
        try:
            entries.extend(_read_metadata(mm, source_name))
        except ImportRejected as exc:
            summary.warnings.append(f"{mm.name}: metadata not readable ({exc.why}); documents imported by content")

    for entry in entries:
        m = by_key.get(entry.path.casefold())
        if m is None:
            summary.warnings.append(f"METADATA lists {entry.uri!r} but the zip has no {entry.path}")
            continue
        key = m.name.replace("\\", "/").casefold()
        if key in used:
            continue
        used.add(key)
        pf = _parse_one(m, source_name, parse_member, summary)
        if pf is not None:
            _apply_metadata(pf, entry)
            out.append(pf)

    for m in members:
        key = m.name.replace("\\", "/").casefold()
        if key in used:
            continue
        base = posixpath.basename(m.name.replace("\\", "/")).upper()
        if base.endswith(_STYLESHEETS):
            summary.warnings.append(f"{m.name}: stylesheet skipped")
            continue
        if base in _PEOPLE_FILES:
            summary.warnings.append(f"{m.name}: index for people, skipped")
            continue
        if looks_like_ccda(m.data[:65536]):
            summary.warnings.append(f"{m.name}: C-CDA document not listed in METADATA, imported")
            pf = _parse_one(m, source_name, parse_member, summary)
            if pf is not None:
                out.append(pf)
            continue
        if entries:
            summary.warnings.append(f"{m.name}: not listed in METADATA and not a C-CDA document, skipped")
            continue
        # No usable metadata at all: offer every file to the dispatcher.
        pf = _parse_one(m, source_name, parse_member, summary)
        if pf is not None:
            out.append(pf)
        else:
            summary.warnings.append(f"{m.name}: not a format we import, skipped")
    return out


def _parse_one(m: ZipMember, source_name: str, parse_member: ParseMember, summary: ParsedFile) -> ParsedFile | None:
    name = f"{source_name}/{m.name}"
    try:
        return parse_member(m.data, name)
    except ImportRejected as exc:
        # One bad document must not cost the others: say which and why.
        summary.warnings.append(f"{m.name}: not imported: {exc}")
        where = f" at {exc.where}" if exc.where else ""
        summary.failures.append(f"{m.name}{where}: {exc.why}")
        return None


# --- METADATA.XML ---------------------------------------------------------------------------------


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _slot_values(eo: etree._Element) -> dict[str, list[str]]:
    slots: dict[str, list[str]] = {}
    for slot in eo:
        if _local(slot) != "Slot":
            continue
        vals = [(v.text or "").strip() for v in slot.iter() if _local(v) == "Value"]
        slots.setdefault(slot.get("name") or "", []).extend(vals)
    return slots


def _localized(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    for ls in el.iter():
        if _local(ls) == "LocalizedString" and ls.get("value"):
            return " ".join((ls.get("value") or "").split()) or None
    return None


def _child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if _local(c) == name), None)


def _cx(value: str) -> tuple[str, str] | None:
    """An HL7 v2 CX ("123^^^&1.2.3&ISO") as (urn:oid:1.2.3, 123)."""
    parts = value.split("^")
    if not parts[0]:
        return None
    system = ""
    if len(parts) >= 4:
        auth = parts[3].split("&")
        system = auth[1] if len(auth) > 1 and auth[1] else auth[0]
    return (f"urn:oid:{system}" if system and ":" not in system else system or "urn:xdm:unknown", parts[0])


def _uri(slots: dict[str, list[str]]) -> str | None:
    vals = slots.get("URI") or []
    if not vals:
        return None
    if len(vals) > 1 and all(re.match(r"^\d+\|", v) for v in vals):
        # Long URIs are split over several values "1|...", "2|..." (ITI TF-3 4.2.3.2.24)
        vals = [v.split("|", 1)[1] for v in sorted(vals, key=lambda v: int(v.split("|", 1)[0]))]
        return "".join(vals)
    return vals[0]


def _read_metadata(mm: ZipMember, source_name: str) -> list[XdmEntry]:
    name = f"{source_name}/{mm.name}"
    root = parse_untrusted_xml(mm.data, name)
    subset_dir = posixpath.dirname(mm.name.replace("\\", "/"))
    entries: list[XdmEntry] = []
    for eo in root.iter():
        if _local(eo) != "ExtrinsicObject":
            continue
        slots = _slot_values(eo)
        uri = _uri(slots)
        if not uri:
            continue
        path = posixpath.normpath(posixpath.join(subset_dir, uri.replace("\\", "/")))
        if path.startswith("../") or path.startswith("/") or path == "..":
            raise reject(name, f"ExtrinsicObject {eo.get('id') or ''}".strip(), f"URI {uri!r} leaves the subset")
        e = XdmEntry(uri=uri, path=path, mime=eo.get("mimeType"))
        e.title = _localized(_child(eo, "Name"))
        ct = next(iter(slots.get("creationTime") or []), None)
        e.creation_time = ts_to_iso(ct)[0] if ct else None
        for ext in eo:
            if _local(ext) == "ExternalIdentifier":
                scheme, value = ext.get("identificationScheme"), ext.get("value") or ""
                if scheme == _SCHEME_PATIENT_ID and value:
                    e.patient_id = _cx(value)
                elif scheme == _SCHEME_UNIQUE_ID and value:
                    e.unique_id = value
            elif _local(ext) == "Classification":
                scheme = ext.get("classificationScheme")
                disp = _localized(_child(ext, "Name")) or ext.get("nodeRepresentation")
                if scheme == _SCHEME_CLASS_CODE:
                    e.class_code = disp
                elif scheme == _SCHEME_TYPE_CODE:
                    e.type_code = disp
        src_pid = next(iter(slots.get("sourcePatientId") or []), None)
        if e.patient_id is None and src_pid:
            e.patient_id = _cx(src_pid)
        e.patient = _patient(slots.get("sourcePatientInfo") or [], e.patient_id)
        entries.append(e)
    return entries


def _patient(info: list[str], pid: tuple[str, str] | None) -> PatientInfo | None:
    """Demographics from sourcePatientInfo (PID-5 name, PID-7 birth date, PID-8 sex)."""
    p = PatientInfo(ref=XDM_PATIENT_REF)
    for line in info:
        field_, _, value = line.partition("|")
        field_ = field_.strip().upper()
        if field_ == "PID-5" and value:
            parts = value.split("^")
            p.family = parts[0] or None
            p.given = " ".join(x for x in parts[1:3] if x) or None
            p.name = " ".join(x for x in (p.given, p.family) if x) or None
        elif field_ == "PID-7" and value:
            iso, _ = ts_to_iso(value.strip())
            p.birth_date = iso[:10] if iso else None
        elif field_ == "PID-8" and value:
            p.sex = {"M": "male", "F": "female", "O": "other", "U": "unknown"}.get(value.strip().upper())
    if pid:
        p.identifiers.append(pid)
    if not (p.name or p.birth_date or p.identifiers):
        return None
    return p


def _apply_metadata(pf: ParsedFile, e: XdmEntry) -> None:
    """What the metadata knows and the document itself did not say."""
    for item in pf.items:
        if item.kind != "document":
            continue
        if e.title and (not item.title or item.title == getattr(item, "filename", None)):
            item.title = e.title
        if e.creation_time and not item.date:
            item.date, item.date_estimated = e.creation_time, False
        if not getattr(item, "doc_type", None) and (e.type_code or e.class_code):
            item.doc_type = e.type_code or e.class_code  # type: ignore[attr-defined]
        if not getattr(item, "mime", None) and e.mime:
            item.mime = e.mime  # type: ignore[attr-defined]
    if pf.patients:
        if e.patient_id:
            for p in pf.patients:
                if e.patient_id not in p.identifiers:
                    p.identifiers.append(e.patient_id)
    elif e.patient is not None:
        # A PDF or an image knows no patient; the metadata does.
        pf.patients.append(e.patient)
        for item in pf.items:
            if item.patient_ref is None:
                item.patient_ref = e.patient.ref
