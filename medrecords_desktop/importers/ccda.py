"""C-CDA R2.x (HL7 CDA R2 documents: CCD, summary of care, discharge summary, notes) to the record model.

One document becomes: the patient (``PatientInfo`` "cda-patient"), a ``Document`` item holding the
original bytes and the plain text of every section narrative (for search), the encompassing
encounter, and one item per coded entry of the sections we understand (results, vital signs,
medications, immunizations, allergies, problems, procedures, encounters, social history and the
diagnosis lists).  A section we do not understand never rejects the document: its narrative stays in
the document text, its entries are kept verbatim (``ParsedFile.kept``) and a warning names it.

Real vendor files are the yardstick: nullFlavor anywhere, missing times, codes given only as
original text pointing into the narrative, ids reused for different entries.  Every item carries the
entry's own XML as provenance so that a re-import is recognised and an export can be lossless.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..model.records import (
    Allergy,
    Coding,
    Condition,
    DiagnosticReport,
    Document,
    Encounter,
    Immunization,
    Item,
    Medication,
    Observation,
    Procedure,
    Provenance,
    RawResource,
)
from .base import ParsedFile, PatientInfo, reject
from .xmlsafe import parse_untrusted_xml

V3 = "urn:hl7-org:v3"
_V = "{urn:hl7-org:v3}"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_SDTC = "{urn:hl7-org:sdtc}"
PATIENT_REF = "cda-patient"
CDA_MIME = "application/xml+cda"
RAW_FORMAT = "cda+xml"

_T = "2.16.840.1.113883.10.20.22."

# Section templates (C-CDA R1.1 and R2.x; the ".1" variants are the "entries required" ones).
SECTION_KINDS: dict[str, str] = {
    _T + "2.1": "medications",
    _T + "2.1.1": "medications",
    _T + "2.11": "discharge-medications",
    _T + "2.11.1": "discharge-medications",
    _T + "2.38": "medications-administered",
    _T + "2.2": "immunizations",
    _T + "2.2.1": "immunizations",
    _T + "2.3": "results",
    _T + "2.3.1": "results",
    _T + "2.4": "vital-signs",
    _T + "2.4.1": "vital-signs",
    _T + "2.5": "problems",
    _T + "2.5.1": "problems",
    _T + "2.20": "past-medical-history",
    _T + "2.24": "discharge-diagnosis",
    _T + "2.43": "admission-diagnosis",
    _T + "2.6": "allergies",
    _T + "2.6.1": "allergies",
    _T + "2.7": "procedures",
    _T + "2.7.1": "procedures",
    _T + "2.25": "anesthesia",
    _T + "2.22": "encounters",
    _T + "2.22.1": "encounters",
    _T + "2.17": "social-history",
}

# Sections we know but do not map to items (yet): narrative in the document text, entries kept.
KNOWN_UNMAPPED: dict[str, str] = {
    _T + "2.10": "plan of care",
    "2.16.840.1.113883.10.20.21.2.3": "plan of care",
    _T + "2.14": "functional status",
    _T + "2.56": "mental status",
    _T + "2.15": "family history",
    _T + "2.23": "medical equipment",
    _T + "2.18": "payers",
    _T + "2.21": "advance directives",
    _T + "2.21.1": "advance directives",
    _T + "2.8": "assessment",
    _T + "2.9": "assessment and plan",
    _T + "2.12": "reason for visit",
    _T + "2.13": "chief complaint and reason for visit",
    _T + "2.41": "hospital discharge instructions",
    _T + "2.45": "instructions",
    _T + "2.16": "hospital discharge studies summary",
    _T + "2.27": "procedure description",
    _T + "2.28": "procedure findings",
    _T + "2.29": "procedure indications",
    _T + "2.30": "planned procedure",
    _T + "2.31": "procedure specimens taken",
    _T + "2.34": "preoperative diagnosis",
    _T + "2.35": "postoperative diagnosis",
    _T + "2.36": "postprocedure diagnosis",
    _T + "2.37": "complications",
    _T + "2.39": "medical history",
    _T + "2.40": "procedure implants",
    _T + "2.42": "hospital consultations",
    "1.3.6.1.4.1.19376.1.5.3.1.3.1": "reason for referral",
    "1.3.6.1.4.1.19376.1.5.3.1.3.4": "history of present illness",
    "1.3.6.1.4.1.19376.1.5.3.1.3.5": "hospital course",
    "1.3.6.1.4.1.19376.1.5.3.1.3.18": "review of systems",
    "1.3.6.1.4.1.19376.1.5.3.1.3.26": "chief complaint",
    "1.3.6.1.4.1.19376.1.5.3.1.3.33": "hospital discharge physical",
    "1.3.6.1.4.1.19376.1.5.3.1.1.13.2.1": "chief complaint",
    "1.3.6.1.4.1.19376.1.5.3.1.1.9.15.1": "physical exam (subsection)",
    "2.16.840.1.113883.10.20.2.10": "physical exam",
    "2.16.840.1.113883.10.20.2.5": "general status",
    "2.16.840.1.113883.10.20.21.2.1": "objective",
    "2.16.840.1.113883.10.20.21.2.2": "subjective",
    "2.16.840.1.113883.10.20.18.2.9": "interventions",
    "2.16.840.1.113883.10.20.18.2.12": "findings",
    "2.16.840.1.113883.10.20.7.12": "operative note fluids",
    "2.16.840.1.113883.10.20.7.13": "surgical drains",
    "2.16.840.1.113883.10.20.7.14": "operative note surgical procedure",
    "2.16.840.1.113883.10.20.6.1.1": "DICOM object catalog",
    "2.16.840.1.113883.10.20.6.1.2": "findings",
}

# Code systems by OID -> the URI FHIR uses.  Unknown OIDs become urn:oid:...
CODE_SYSTEMS: dict[str, str] = {
    "2.16.840.1.113883.6.1": "http://loinc.org",
    "2.16.840.1.113883.6.96": "http://snomed.info/sct",
    "2.16.840.1.113883.6.88": "http://www.nlm.nih.gov/research/umls/rxnorm",
    "2.16.840.1.113883.12.292": "http://hl7.org/fhir/sid/cvx",
    "2.16.840.1.113883.6.59": "http://hl7.org/fhir/sid/cvx",
    "2.16.840.1.113883.6.90": "http://hl7.org/fhir/sid/icd-10-cm",
    "2.16.840.1.113883.6.3": "http://hl7.org/fhir/sid/icd-10",
    "2.16.840.1.113883.6.103": "http://hl7.org/fhir/sid/icd-9-cm",
    "2.16.840.1.113883.6.104": "http://hl7.org/fhir/sid/icd-9-cm",
    "2.16.840.1.113883.6.4": "http://www.cms.gov/Medicare/Coding/ICD10",
    "2.16.840.1.113883.6.12": "http://www.ama-assn.org/go/cpt",
    "2.16.840.1.113883.6.285": "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
    "2.16.840.1.113883.6.69": "http://hl7.org/fhir/sid/ndc",
    "2.16.840.1.113883.6.8": "http://unitsofmeasure.org",
    "2.16.840.1.113883.4.9": "http://fdasis.nlm.nih.gov",
    "2.16.840.1.113883.3.26.1.1": "http://ncithesaurus-stage.nci.nih.gov",
    "2.16.840.1.113883.6.101": "http://nucc.org/provider-taxonomy",
    "2.16.840.1.113883.5.4": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
    "2.16.840.1.113883.5.83": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
    "2.16.840.1.113883.5.1": "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender",
    "2.16.840.1.113883.5.6": "http://terminology.hl7.org/CodeSystem/v3-ActClass",
    "2.16.840.1.113883.5.14": "http://terminology.hl7.org/CodeSystem/v3-ActStatus",
    "2.16.840.1.113883.5.112": "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration",
}

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/gif": ".gif",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/rtf": ".rtf",
    "application/msword": ".doc",
}
_NULLISH = frozenset({"UNK", "UNKNOWN", "NI", "NA", "NULL", "NONE", "N/A"})
_MOOD_PLANNED = {"INT", "RQO", "PRP", "ARQ", "APT", "PRMS"}
_ALLERGY_CATEGORY = {
    "416098002": "medication",
    "419511003": "medication",
    "59037007": "medication",
    "414285001": "food",
    "418471000": "food",
    "235719002": "food",
    "426232007": "environment",
    "419199007": None,
    "420134006": None,
    "418038007": None,
}
_SEX = {"M": "male", "F": "female", "UN": "other"}

_TS = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?(?:[+-]\d{1,4})?$")
_ISOISH = re.compile(r"[-:T ]")
_PRIVATE_SEP = "\ue000"  # cell separator while flattening narrative tables
# Narrative (section/text) to plain text: a cell separator before each cell, a line break after each
# block.  Our own stylesheet, run with every file and network access denied.
_NARRATIVE_XSLT = etree.XSLT(
    etree.XML(
        b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:v="urn:hl7-org:v3">
          <xsl:output method="text" encoding="UTF-8"/>
          <xsl:template match="v:td|v:th"><xsl:text>&#xE000;</xsl:text><xsl:apply-templates/></xsl:template>
          <xsl:template match="v:paragraph|v:tr|v:item|v:caption|v:list|v:table|v:thead|v:tbody|v:tfoot|
                               v:footnote|v:renderMultiMedia">
            <xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
          <xsl:template match="v:br"><xsl:text>&#10;</xsl:text></xsl:template>
        </xsl:stylesheet>"""
    ),
    access_control=etree.XSLTAccessControl.DENY_ALL,
)


def looks_like_ccda(head: bytes) -> bool:
    """True when the first bytes look like a CDA ClinicalDocument in the urn:hl7-org:v3 namespace."""
    text = _decode_head(head[:65536])
    m = re.search(r"<(?:([\w.-]+):)?ClinicalDocument[\s>/]", text)
    if m is None:
        return False
    prefix = m.group(1)
    decl = f"xmlns:{prefix}" if prefix else "xmlns"
    return re.search(re.escape(decl) + r"\s*=\s*[\"']urn:hl7-org:v3[\"']", text) is not None


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if head[:4] in (b"<\x00?\x00", b"<\x00<\x00"):
        return head.decode("utf-16-le", errors="ignore")
    if head[:4] in (b"\x00<\x00?", b"\x00<\x00<"):
        return head.decode("utf-16-be", errors="ignore")
    return head.decode("utf-8", errors="ignore")


# --- small helpers on HL7 data types -------------------------------------------------------------


def ts_to_iso(value: str | None) -> tuple[str | None, bool]:
    """HL7 TS (``20120806``, ``201208061030``, ``20120806103000-0500``) -> ISO without offset.

    Returns (iso, estimated): a year-only or year-month value is padded to the first day and flagged
    as estimated, since the model's dates are whole days.
    """
    if not value:
        return None, False
    v = value.strip()
    m = _TS.match(v)
    if m is None:
        # A few vendors write ISO-like values (2012-08-06T10:30:00); read them the same way.
        v2 = _ISOISH.sub("", v.split("+")[0])
        if v2.count("-") or not v2[:8].isdigit():
            return None, False
        m = _TS.match(v2)
        if m is None:
            return None, False
    y, mo, d, hh, mi, ss = m.groups()
    if mo is not None and not 1 <= int(mo) <= 12:
        return None, False
    if d is not None and not 1 <= int(d) <= 31:
        return None, False
    if mo is None:
        return f"{y}-01-01", True
    if d is None:
        return f"{y}-{mo}-01", True
    out = f"{y}-{mo}-{d}"
    if hh is not None and int(hh) <= 23:
        out += f"T{hh}:{mi if mi is not None and int(mi) <= 59 else '00'}"
        if ss is not None and mi is not None and int(ss) <= 59:
            out += f":{ss}"
    return out, False


def code_system_uri(oid: str | None) -> str | None:
    if not oid:
        return None
    oid = oid.strip()
    return CODE_SYSTEMS.get(oid) or (oid if ":" in oid else f"urn:oid:{oid}")


def _num(s: str | None) -> float | None:
    if s is None:
        return None
    try:
        f = float(s.strip())
    except ValueError:
        return None
    return f if f == f and f not in (float("inf"), float("-inf")) else None


def _xsi_type(el: etree._Element) -> str:
    t = el.get(_XSI_TYPE)
    return t.rsplit(":", 1)[-1].upper() if t else ""


def _norm(s: str | None) -> str | None:
    if s is None:
        return None
    s = " ".join(s.split())
    return s or None


def _ii(el: etree._Element | None) -> str | None:
    """An II as "root^extension" (or "root"), None when absent or nullFlavored."""
    if el is None or el.get("nullFlavor"):
        return None
    root, ext = (el.get("root") or "").strip(), (el.get("extension") or "").strip()
    if not root and not ext:
        return None
    return f"{root}^{ext}" if ext else root


def _first_id(el: etree._Element) -> str | None:
    for i in el.iterchildren(_V + "id"):
        sid = _ii(i)
        if sid:
            return sid
    return None


def _templates(el: etree._Element) -> list[str]:
    return [t.get("root") or "" for t in el.iterchildren(_V + "templateId")]


def _related(el: etree._Element, *tags: str, type_code: str | None = None) -> Iterator[etree._Element]:
    """The clinical statements under el's entryRelationship elements (optionally of one typeCode)."""
    want = {_V + t for t in tags}
    for er in el.iterchildren(_V + "entryRelationship"):
        if type_code is not None and er.get("typeCode") != type_code:
            continue
        for c in er:
            if c.tag in want:
                yield c


def _person_name(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    name = el.find(_V + "name")
    if name is None:
        return None
    given = [_norm(g.text) for g in name.iterchildren(_V + "given")]
    family = [_norm(f.text) for f in name.iterchildren(_V + "family")]
    parts = [p for p in (*given, *family) if p]
    if not parts:
        return _norm("".join(name.itertext()))
    prefix = [_norm(p.text) for p in name.iterchildren(_V + "prefix")]
    suffix = [_norm(s.text) for s in name.iterchildren(_V + "suffix")]
    return " ".join(p for p in (*prefix, *parts, *suffix) if p)


def _org_name(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    for n in el.iterchildren(_V + "name"):
        t = _norm("".join(n.itertext()))
        if t:
            return t
    return None


def _entity_name(assigned: etree._Element | None) -> str | None:
    """The person named by an assignedEntity/assignedAuthor, or its organisation."""
    if assigned is None:
        return None
    return _person_name(assigned.find(_V + "assignedPerson")) or _org_name(
        assigned.find(_V + "representedOrganization")
    )


# --- the parse ------------------------------------------------------------------------------------


@dataclass
class _Code:
    system: str | None = None
    code: str | None = None
    display: str | None = None
    codes: list[Coding] = field(default_factory=list)
    text: str | None = None  # originalText, resolved


class _Doc:
    """State of one document parse."""

    def __init__(self, data: bytes, source_name: str, root: etree._Element) -> None:
        self.data = data
        self.source_name = source_name
        self.root = root
        self.out = ParsedFile(source_name=source_name, format="ccda")
        self._ids: dict[str, etree._Element] | None = None
        self._seen: dict[tuple[str, str], list[bytes]] = {}
        self.duplicates = 0
        self.placeholders = 0
        self.shared_ids = 0
        self.encounters_by_id: dict[str, Encounter] = {}
        self.doc_date: str | None = None
        self.doc_date_est = False
        self.custodian: str | None = None
        self.encompassing: Encounter | None = None
        self.encompassing_merged = False
        self.document: Document | None = None

    # narrative references ----------------------------------------------------------------------

    def ref_text(self, ref: str | None) -> str | None:
        if not ref:
            return None
        if self._ids is None:
            self._ids = {e.get("ID"): e for e in self.root.iterfind(".//*[@ID]")}
        el = self._ids.get(ref.lstrip("#").strip())
        return _norm("".join(el.itertext())) if el is not None else None

    def text_of(self, el: etree._Element | None) -> str | None:
        """The text of an ED/originalText: the narrative it references, else its own content."""
        if el is None:
            return None
        ref = el.find(_V + "reference")
        if ref is not None:
            t = self.ref_text(ref.get("value"))
            if t:
                return t
        own = (el.text or "") + "".join((c.tail or "") for c in el)
        return _norm(own) or None

    def cd(self, el: etree._Element | None) -> _Code:
        out = _Code()
        if el is None:
            return out
        ot = el.find(_V + "originalText")
        out.text = self.text_of(ot) if ot is not None else None
        translations = [
            Coding(code_system_uri(t.get("codeSystem")), t.get("code"), _norm(t.get("displayName")))
            for t in el.iterchildren(_V + "translation")
            if t.get("code")
        ]
        code = el.get("code")
        if code and not el.get("nullFlavor"):
            out.system, out.code = code_system_uri(el.get("codeSystem")), code.strip()
            out.display = _norm(el.get("displayName"))
            if out.display and out.display.upper() in _NULLISH:  # vendors writing "UNK" as a name
                out.display = None
        elif translations:
            # No code of its own (nullFlavor): the first translation is the code, but what the
            # clinician wrote (originalText) stays the name shown.
            first = translations.pop(0)
            out.system, out.code = first.system, first.code
            out.display = out.text or first.display
        out.codes = translations
        if not out.display:
            out.display = out.text or next((t.display for t in translations if t.display), None)
        return out

    # provenance ---------------------------------------------------------------------------------

    def provenance(
        self, el: etree._Element, kind: str, raw_el: etree._Element | None = None
    ) -> Provenance | None:
        """Provenance for an item built from ``el``; None when ``el`` repeats an entry already taken."""
        key_bytes = etree.tostring(el, with_tail=False)
        base = _first_id(el) or "sha256:" + hashlib.sha256(key_bytes).hexdigest()[:32]
        seen = self._seen.setdefault((kind, base), [])
        if key_bytes in seen:
            self.duplicates += 1
            return None
        sid = base
        if seen:
            # Vendors reuse one id for different entries; keep them apart by their content.
            self.shared_ids += 1
            sid = f"{base}#{hashlib.sha256(key_bytes).hexdigest()[:16]}"
        seen.append(key_bytes)
        raw = etree.tostring(raw_el, with_tail=False) if raw_el is not None else key_bytes
        return Provenance(
            source_kind="file",
            source_name=self.source_name,
            source_id=sid,
            raw=raw.decode("utf-8"),
            raw_format=RAW_FORMAT,
        )

    # times --------------------------------------------------------------------------------------

    def times(self, el: etree._Element | None) -> tuple[str | None, str | None, bool]:
        """(start, end, estimated) from an effectiveTime (TS or IVL_TS)."""
        if el is None:
            return None, None, False
        v = el.get("value")
        if v:
            d, est = ts_to_iso(v)
            return d, None, est
        lo = el.find(_V + "low")
        hi = el.find(_V + "high")
        ce = el.find(_V + "center")
        start, est_s = ts_to_iso(lo.get("value") if lo is not None else None)
        end, _ = ts_to_iso(hi.get("value") if hi is not None else None)
        if start:
            return start, end, est_s
        center, est_c = ts_to_iso(ce.get("value") if ce is not None else None)
        if center:
            return center, end, est_c
        if end:
            return end, end, True  # only an end is known: it is the best date there is, but a guess
        return None, None, False

    def effective(self, el: etree._Element) -> tuple[str | None, str | None, bool]:
        """The first IVL_TS/TS effectiveTime of a statement (skipping PIVL_TS frequencies)."""
        for et in el.iterchildren(_V + "effectiveTime"):
            if _xsi_type(et) in ("PIVL_TS", "EIVL_TS", "SXPR_TS"):
                continue
            got = self.times(et)
            if got[0]:
                return got
        return None, None, False

    def dated(self, item: Item, el: etree._Element, *fallbacks: etree._Element | None) -> None:
        start, end, est = self.effective(el)
        if not start:
            for fb in fallbacks:
                if fb is None:
                    continue
                start, end2, _ = self.effective(fb)
                if start:
                    est, end = True, end or end2
                    break
        if not start:
            # author time says when it was recorded: a better guess than the document date
            at = el.find(_V + "author/" + _V + "time")
            start, _ = ts_to_iso(at.get("value") if at is not None else None)
            est = True
        if not start and self.doc_date:
            start, est = self.doc_date, True
        item.date, item.date_end, item.date_estimated = start, end, est or bool(start and est)

    # linking ------------------------------------------------------------------------------------

    def linked_encounter(self, *els: etree._Element | None) -> str | None:
        """The encounter the source links a statement to (entryRelationship/encounter/id)."""
        for el in els:
            if el is None:
                continue
            for enc in _related(el, "encounter"):
                eid = _first_id(enc)
                if eid and eid in self.encounters_by_id:
                    return self.encounters_by_id[eid].provenance.source_id
        return None

    def comment(self, el: etree._Element) -> str | None:
        notes = []
        for act in _related(el, "act"):
            if _T + "4.64" in _templates(act) or (
                act.find(_V + "code") is not None and act.find(_V + "code").get("code") == "48767-8"
            ):
                t = self.text_of(act.find(_V + "text"))
                if t:
                    notes.append(t)
        return "\n".join(notes) or None

    def add(self, item: Item) -> None:
        item.patient_ref = PATIENT_REF
        self.out.items.append(item)


def parse_ccda(data: bytes, source_name: str) -> ParsedFile:
    """Parse one C-CDA document.  Raises ImportRejected for unreadable or hostile input only."""
    root = parse_untrusted_xml(data, source_name)
    if root.tag != _V + "ClinicalDocument":
        q = etree.QName(root)
        ns = f" in namespace {q.namespace}" if q.namespace else " (no namespace)"
        raise reject(
            source_name,
            f"line {root.sourceline}",
            f"not a C-CDA document: the root element is <{q.localname}>{ns}, "
            f"expected <ClinicalDocument> in {V3}",
        )
    doc = _Doc(data, source_name, root)
    _header(doc)
    texts: list[str] = []
    body = root.find(_V + "component/" + _V + "structuredBody")
    if body is not None:
        sections: list[etree._Element] = []
        for comp in body.iterchildren(_V + "component"):
            for sec in comp.iterchildren(_V + "section"):
                _collect_sections(sec, sections)
        # Encounter activities first: entries anywhere link to them by id, and the encounters
        # section is often the last one of the document.
        kinds = [_section_kind(sec) for sec in sections]
        for sec, kind in zip(sections, kinds, strict=True):
            if kind == "encounters":
                _section(doc, sec, kind, None)
        for sec, kind in zip(sections, kinds, strict=True):
            _section(doc, sec, kind, texts)
    _merge_encounter_diagnoses(doc)
    _document_item(doc, texts)
    if body is None:
        nxb = root.find(_V + "component/" + _V + "nonXMLBody")
        if nxb is not None:
            _non_xml_body(doc, nxb)
    if doc.shared_ids:
        doc.out.warnings.append(
            f"{doc.shared_ids} entries reuse an id already used by a different entry: kept apart by content"
        )
    if doc.placeholders:
        doc.out.warnings.append(
            f"{doc.placeholders} placeholder statements saying 'no information' (nullFlavor, nothing coded): "
            "not imported"
        )
    if doc.duplicates:
        doc.out.warnings.append(f"{doc.duplicates} entries repeated verbatim in the document: taken once")
    return doc.out


# --- header ---------------------------------------------------------------------------------------


def _header(doc: _Doc) -> None:
    root = doc.root
    et = root.find(_V + "effectiveTime")
    doc.doc_date, doc.doc_date_est = ts_to_iso(et.get("value") if et is not None else None)
    if doc.doc_date is None:
        # No document time: when it was authored is the next best thing (flagged as a guess).
        at = root.find(f"{_V}author/{_V}time")
        doc.doc_date = ts_to_iso(at.get("value") if at is not None else None)[0]
        doc.doc_date_est = doc.doc_date is not None
    cust = root.find(f"{_V}custodian/{_V}assignedCustodian/{_V}representedCustodianOrganization")
    doc.custodian = _org_name(cust)

    pr = root.find(f"{_V}recordTarget/{_V}patientRole")
    if pr is not None:
        pat = pr.find(_V + "patient")
        p = PatientInfo(ref=PATIENT_REF, raw=etree.tostring(pr, with_tail=False).decode())
        if pat is not None:
            names = list(pat.iterchildren(_V + "name"))
            legal = [n for n in names if (n.get("use") or "").upper() == "L"]
            name = (legal or names or [None])[0]
            if name is not None:
                given = [g for g in (_norm(x.text) for x in name.iterchildren(_V + "given")) if g]
                families = [_norm(f.text) for f in name.iterchildren(_V + "family")]
                family = next((f for f in families if f), None)
                p.given = " ".join(given) or None
                p.family = family
                p.name = " ".join(x for x in (p.given, p.family) if x) or _norm("".join(name.itertext()))
            bt = pat.find(_V + "birthTime")
            if bt is not None:
                iso, _ = ts_to_iso(bt.get("value"))
                p.birth_date = iso[:10] if iso else None
            g = pat.find(_V + "administrativeGenderCode")
            if g is not None and g.get("code"):
                p.sex = _SEX.get(g.get("code", "").upper(), "unknown")
        for i in pr.iterchildren(_V + "id"):
            root_oid, ext = i.get("root"), i.get("extension")
            # The social security number is not an identifier the vault needs to spread further.
            if root_oid and ext and root_oid != "2.16.840.1.113883.4.1" and not i.get("nullFlavor"):
                p.identifiers.append((f"urn:oid:{root_oid}", ext))
        doc.out.patients.append(p)

    ee = root.find(f"{_V}componentOf/{_V}encompassingEncounter")
    if ee is not None:
        _encompassing(doc, ee)


def _encompassing(doc: _Doc, ee: etree._Element) -> None:
    c = doc.cd(ee.find(_V + "code"))
    prov = doc.provenance(ee, "encounter")
    if prov is None:
        return
    enc = Encounter(provenance=prov)
    enc.date, enc.date_end, enc.date_estimated = doc.times(ee.find(_V + "effectiveTime"))
    if not enc.date and doc.doc_date:
        enc.date, enc.date_estimated = doc.doc_date, True
    enc.code_system, enc.code, enc.display, enc.codes = c.system, c.code, c.display, c.codes
    enc.encounter_type = c.display
    if c.system == CODE_SYSTEMS["2.16.840.1.113883.5.4"]:
        enc.encounter_class = c.code
    rp = ee.find(f"{_V}responsibleParty/{_V}assignedEntity")
    enc.practitioner = _entity_name(rp)
    if not enc.practitioner:
        for ep in ee.iterchildren(_V + "encounterParticipant"):
            enc.practitioner = _entity_name(ep.find(_V + "assignedEntity"))
            if enc.practitioner:
                break
    hcf = ee.find(f"{_V}location/{_V}healthCareFacility")
    if hcf is not None:
        enc.location = _org_name(hcf.find(_V + "location")) or _org_name(
            hcf.find(_V + "serviceProviderOrganization")
        )
        enc.provider = _org_name(hcf.find(_V + "serviceProviderOrganization"))
    enc.provider = enc.provider or doc.custodian
    dd = ee.find(_V + "dischargeDispositionCode")
    if dd is not None:
        enc.discharge_disposition = doc.cd(dd).display or dd.get("code")
    enc.title = enc.encounter_type or "Encounter"
    if enc.provider:
        enc.title = f"{enc.title} — {enc.provider}"
    doc.add(enc)
    doc.encompassing = enc
    eid = _first_id(ee)
    if eid:
        doc.encounters_by_id[eid] = enc


# --- sections -------------------------------------------------------------------------------------


def _collect_sections(sec: etree._Element, out: list[etree._Element]) -> None:
    """The section and its subsections, in document order."""
    out.append(sec)
    for comp in sec.iterchildren(_V + "component"):
        for sub in comp.iterchildren(_V + "section"):
            _collect_sections(sub, out)


def _section_kind(sec: etree._Element) -> str | None:
    return next((SECTION_KINDS[t] for t in _templates(sec) if t in SECTION_KINDS), None)


def _section(doc: _Doc, sec: etree._Element, kind: str | None, texts: list[str] | None) -> None:
    """Map one section's entries.  ``texts`` None: entries only (encounters, done ahead of the rest);
    otherwise the narrative is collected too, and encounter entries, already done, are skipped."""
    title_el = sec.find(_V + "title")
    title = _norm("".join(title_el.itertext())) if title_el is not None else None
    code = sec.find(_V + "code")
    label = title or (code.get("displayName") if code is not None else None) or "untitled section"
    if texts is not None:
        narrative = narrative_text(sec.find(_V + "text"))
        texts.append(f"{label}\n{narrative}" if narrative else label)
        if kind == "encounters":
            return
    entries = [c for e in sec.iterchildren(_V + "entry") for c in e if isinstance(c.tag, str)]
    if kind is not None:
        handler = _HANDLERS[kind]
        for el in entries:
            handler(doc, el, kind)
        return
    tids = _templates(sec)
    known = next((KNOWN_UNMAPPED[t] for t in tids if t in KNOWN_UNMAPPED), None)
    tid_txt = ", ".join(t for t in tids if t) or "no templateId"
    for el in entries:
        doc.out.kept.append(
            RawResource(
                resource_type=f"cda:{etree.QName(el).localname}",
                source_id=_first_id(el),
                raw=etree.tostring(el, with_tail=False).decode(),
                raw_format=RAW_FORMAT,
                patient_ref=PATIENT_REF,
            )
        )
    if entries:
        doc.out.warnings.append(
            f"section '{label}' ({known or tid_txt}) kept as narrative; "
            f"{len(entries)} coded {'entry' if len(entries) == 1 else 'entries'} kept, not shown"
        )
    elif known is None:
        doc.out.warnings.append(f"section '{label}' ({tid_txt}) kept as narrative")


def narrative_text(el: etree._Element | None) -> str:
    """A section's human-readable narrative as plain text: one line per row/paragraph/item, cells split."""
    if el is None:
        return ""
    try:
        # libxslt walks the narrative in C: four times faster than a Python walk on vendor files.
        flat = str(_NARRATIVE_XSLT(el))
    except etree.XSLTApplyError:  # e.g. nesting deeper than libxslt allows: lose the layout only
        flat = " ".join(el.itertext())
    lines = []
    for line in flat.split("\n"):
        line = " ".join(line.split())
        if _PRIVATE_SEP in line:
            cells = [c.strip() for c in line.split(_PRIVATE_SEP)]
            line = " | ".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(lines)


# --- entry handlers -------------------------------------------------------------------------------


def _status(el: etree._Element) -> str | None:
    if el.get("negationInd") == "true":
        return "not-done"
    mood = el.get("moodCode") or ""
    if mood in _MOOD_PLANNED:
        return "planned"
    sc = el.find(_V + "statusCode")
    return sc.get("code") if sc is not None and sc.get("code") else None


def _has_content(doc: _Doc, el: etree._Element | None) -> bool:
    """Whether a coded or quantity element says anything (a code, a name, a number or some text)."""
    if el is None:
        return False
    if el.get("code") or el.get("displayName") or el.get("value"):
        return True
    if any(t.get("code") for t in el.iterchildren(_V + "translation")):
        return True
    if any(x.get("value") for x in el if x.tag in (_V + "low", _V + "high", _V + "center")):
        return True
    return bool(doc.text_of(el.find(_V + "originalText")) or doc.text_of(el))


def _placeholder(
    doc: _Doc, el: etree._Element, *content: etree._Element | None, inherited: bool = False
) -> bool:
    """An entry that stands for "no information": the statement (or the organizer or concern holding
    it) is nullFlavored and the parts that would carry the information are empty.  Vendors emit
    these for empty lists ("No data"); they are not records, so they are counted, not imported."""
    if not (inherited or el.get("nullFlavor")):
        return False
    if any(_has_content(doc, c) for c in content):
        return False
    doc.placeholders += 1
    return True


def _set_code(item: Item, c: _Code) -> None:
    item.code_system, item.code, item.display, item.codes = c.system, c.code, c.display, c.codes


def _value(doc: _Doc, obs: Observation, v: etree._Element) -> None:
    """Fill value / value_text / unit from an observation's <value> of any common type."""
    t = _xsi_type(v)
    if v.get("nullFlavor") and not len(v):
        return
    if t in ("PQ", "") and v.get("value") is not None:
        obs.value = _num(v.get("value"))
        unit = (v.get("unit") or "").strip()
        obs.unit = unit if unit and unit != "1" else None
        if obs.value is None:
            obs.value_text = _norm(v.get("value"))
    elif t in ("INT", "REAL", "MO"):
        obs.value = _num(v.get("value"))
        if t == "MO":
            obs.unit = v.get("currency")
    elif t == "IVL_PQ":
        lo, hi = v.find(_V + "low"), v.find(_V + "high")
        lo_v = _num(lo.get("value")) if lo is not None else None
        hi_v = _num(hi.get("value")) if hi is not None else None
        unit = next(
            (
                u
                for u in (
                    (lo.get("unit") if lo is not None else None),
                    (hi.get("unit") if hi is not None else None),
                )
                if u and u != "1"
            ),
            None,
        )
        obs.unit = unit
        if lo_v is not None and hi_v is not None and lo_v == hi_v:
            obs.value = lo_v
        elif lo_v is not None and hi_v is not None:
            obs.value_text = f"{lo_v:g}–{hi_v:g}"
        elif lo_v is not None:
            obs.value_text = f">={lo_v:g}"
        elif hi_v is not None:
            obs.value_text = f"<={hi_v:g}"
    elif t == "BL":
        obs.value_text = v.get("value")
    elif t in ("CD", "CE", "CV", "CO", "CS"):
        c = doc.cd(v)
        obs.value_text = c.display or c.code
        if c.code:
            obs.components.append(
                {"value_code": c.code, "value_system": c.system, "value_display": c.display}
            )
    elif t in ("TS",):
        obs.value_text = ts_to_iso(v.get("value"))[0] or v.get("value")
    elif t == "RTO_PQ_PQ" or t == "RTO":
        n, d = v.find(_V + "numerator"), v.find(_V + "denominator")
        if n is not None and d is not None:
            obs.value_text = f"{n.get('value')}{n.get('unit') or ''}/{d.get('value')}{d.get('unit') or ''}"
    else:  # ST, ED, and untyped text
        obs.value_text = doc.text_of(v)
        if obs.value_text is None and v.get("value") is not None:
            obs.value = _num(v.get("value"))
            obs.value_text = None if obs.value is not None else _norm(v.get("value"))


def _observation(
    doc: _Doc,
    el: etree._Element,
    category: str,
    *,
    organizer: etree._Element | None = None,
    report_ref: str | None = None,
    null_context: bool = False,
) -> Observation | None:
    if _placeholder(doc, el, el.find(_V + "value"), inherited=null_context):
        return None
    prov = doc.provenance(el, "observation")
    if prov is None:
        return None
    obs = Observation(provenance=prov, category=category, report_ref=report_ref)
    c = doc.cd(el.find(_V + "code"))
    _set_code(obs, c)
    entry_text = doc.text_of(el.find(_V + "text"))
    obs.title = c.display or entry_text or c.code or "Observation"
    if c.code == "ASSERTION":
        # C-CDA R1.1 smoking status and similar: the code only says "this is asserted", the
        # meaning is in the value.
        obs.title = "Tobacco smoking status" if _T + "4.78" in _templates(el) else entry_text or "Assertion"
    obs.status = _status(el)
    for v in el.iterchildren(_V + "value"):
        _value(doc, obs, v)
        break
    ic = el.find(_V + "interpretationCode")
    if ic is not None:
        obs.interpretation = ic.get("code") or doc.cd(ic).display
    rr = el.find(f"{_V}referenceRange/{_V}observationRange")
    if rr is not None:
        rv = rr.find(_V + "value")
        if rv is not None:
            lo, hi = rv.find(_V + "low"), rv.find(_V + "high")
            obs.ref_low = _num(lo.get("value")) if lo is not None else None
            obs.ref_high = _num(hi.get("value")) if hi is not None else None
        obs.ref_text = doc.text_of(rr.find(_V + "text"))
        if obs.ref_text is None and rv is not None and (obs.ref_low is None and obs.ref_high is None):
            obs.ref_text = doc.text_of(rv)
    perf = el.find(f"{_V}performer/{_V}assignedEntity")
    obs.performer = _entity_name(perf)
    obs.note = doc.comment(el)
    if entry_text and entry_text != obs.title:
        obs.text = entry_text
    doc.dated(obs, el, organizer)
    obs.encounter_ref = doc.linked_encounter(el, organizer)
    doc.add(obs)
    return obs


def _results(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag == _V + "organizer":
        _result_organizer(doc, el)
    elif el.tag == _V + "observation":
        _observation(doc, el, "laboratory")
    else:
        _kept_entry(doc, el, "results")


def _result_organizer(doc: _Doc, org: etree._Element) -> None:
    prov = doc.provenance(org, "diagnostic_report")
    if prov is None:
        return
    rep = DiagnosticReport(provenance=prov, category="LAB")
    c = doc.cd(org.find(_V + "code"))
    _set_code(rep, c)
    rep.title = c.display or doc.text_of(org.find(_V + "text")) or c.code or "Results"
    rep.status = _status(org)
    perf = org.find(f"{_V}performer/{_V}assignedEntity")
    rep.performer = _entity_name(perf)
    at = len(doc.out.items)
    members: list[Observation] = []
    null_org = bool(org.get("nullFlavor"))
    _organizer_members(doc, org, org, prov.source_id, members, null_org)
    if null_org and not members and not (c.code or c.display):
        doc.placeholders += 1
        return
    rep.patient_ref = PATIENT_REF
    doc.out.items.insert(at, rep)
    rep.result_refs = [m.provenance.source_id for m in members if m.provenance.source_id]
    start, end, est = doc.effective(org)
    if start:
        rep.date, rep.date_end, rep.date_estimated = start, end, est
    else:
        dates = sorted(m.date for m in members if m.date and not m.date_estimated)
        if dates:
            rep.date, rep.date_estimated = dates[0], True
        else:
            doc.dated(rep, org)
    rep.encounter_ref = doc.linked_encounter(org)


def _organizer_members(
    doc: _Doc,
    top: etree._Element,
    org: etree._Element,
    report_ref: str | None,
    out: list[Observation],
    null_context: bool,
) -> None:
    for comp in org.iterchildren(_V + "component"):
        for c in comp:
            if c.tag == _V + "observation":
                o = _observation(
                    doc, c, "laboratory", organizer=org, report_ref=report_ref, null_context=null_context
                )
                if o is not None:
                    out.append(o)
            elif c.tag == _V + "organizer":  # nested panels: flatten under the top report
                _organizer_members(doc, top, c, report_ref, out, null_context or bool(c.get("nullFlavor")))


def _vitals(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag == _V + "organizer":
        stack = [(el, bool(el.get("nullFlavor")))]
        while stack:
            org, null_org = stack.pop()
            for comp in org.iterchildren(_V + "component"):
                for c in comp:
                    if c.tag == _V + "observation":
                        _observation(doc, c, "vital-signs", organizer=org, null_context=null_org)
                    elif c.tag == _V + "organizer":
                        stack.append((c, null_org or bool(c.get("nullFlavor"))))
    elif el.tag == _V + "observation":
        _observation(doc, el, "vital-signs")
    else:
        _kept_entry(doc, el, "vital signs")


def _social(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag == _V + "observation":
        _observation(doc, el, "social-history")
    else:
        _kept_entry(doc, el, "social history")


def _kept_entry(doc: _Doc, el: etree._Element, section: str) -> None:
    doc.out.kept.append(
        RawResource(
            resource_type=f"cda:{etree.QName(el).localname}",
            source_id=_first_id(el),
            raw=etree.tostring(el, with_tail=False).decode(),
            raw_format=RAW_FORMAT,
            patient_ref=PATIENT_REF,
        )
    )
    doc.out.warnings.append(
        f"an entry <{etree.QName(el).localname}> in the {section} section was not understood: kept, not shown"
    )


def _product_name(doc: _Doc, sa: etree._Element) -> tuple[_Code, str | None, etree._Element | None]:
    mp = sa.find(f"{_V}consumable/{_V}manufacturedProduct")
    mm = mp.find(_V + "manufacturedMaterial") if mp is not None else None
    c = doc.cd(mm.find(_V + "code")) if mm is not None else _Code()
    name = _org_name(mm) if mm is not None else None
    return c, name, mm


def _product_elements(sa: etree._Element) -> tuple[etree._Element | None, etree._Element | None]:
    mm = sa.find(f"{_V}consumable/{_V}manufacturedProduct/{_V}manufacturedMaterial")
    if mm is None:
        return None, None
    return mm.find(_V + "code"), mm.find(_V + "name")


def _null(el: etree._Element | None) -> bool:
    return el is not None and bool(el.get("nullFlavor"))


def _medication(doc: _Doc, sa: etree._Element, kind: str, wrapper: etree._Element | None = None) -> None:
    if _placeholder(doc, sa, *_product_elements(sa), inherited=_null(wrapper)):
        return
    prov = doc.provenance(sa, "medication", raw_el=wrapper)
    if prov is None:
        return
    med = Medication(provenance=prov)
    c, name, _mm = _product_name(doc, sa)
    _set_code(med, c)
    entry_text = doc.text_of(sa.find(_V + "text"))
    med.title = c.display or name or entry_text or c.code or "Medication (no name given)"
    # A prescription is written in the "intended" mood; its statusCode (active, completed) is what a
    # reader wants, not "planned".
    sc = sa.find(_V + "statusCode")
    med.status = (
        "not-taken"
        if sa.get("negationInd") == "true"
        else (sc.get("code") if sc is not None and sc.get("code") else None)
    )
    dq = sa.find(_V + "doseQuantity")
    if dq is not None:
        if dq.get("value") is not None:
            unit = dq.get("unit") if dq.get("unit") != "1" else None
            med.dose = " ".join(x for x in (dq.get("value"), unit) if x)
        else:
            lo, hi = dq.find(_V + "low"), dq.find(_V + "high")
            vals = [x.get("value") for x in (lo, hi) if x is not None and x.get("value")]
            if vals:
                unit = next((x.get("unit") for x in (lo, hi) if x is not None and x.get("unit")), None)
                med.dose = "–".join(vals) + (f" {unit}" if unit and unit != "1" else "")
    rc = sa.find(_V + "routeCode")
    if rc is not None:
        rcd = doc.cd(rc)
        med.route = rcd.display or rcd.code
    for et in sa.iterchildren(_V + "effectiveTime"):
        if _xsi_type(et) == "PIVL_TS":
            period = et.find(_V + "period")
            if period is not None and period.get("value"):
                med.frequency = f"every {period.get('value')} {period.get('unit') or ''}".strip()
            elif et.find(_V + "phase") is not None:
                med.frequency = "periodic"
        elif _xsi_type(et) == "EIVL_TS":
            ev = et.find(_V + "event")
            if ev is not None and ev.get("code"):
                med.frequency = f"event {ev.get('code')}"
    for ind in _related(sa, "observation", type_code="RSON"):
        vc = doc.cd(ind.find(_V + "value"))
        med.reason = vc.display or vc.code or doc.text_of(ind.find(_V + "text"))
        if med.reason:
            break
    sup = next(_related(sa, "supply", type_code="REFR"), None)
    if sup is not None:
        med.prescriber = _entity_name(sup.find(f"{_V}author/{_V}assignedAuthor"))
    med.prescriber = med.prescriber or _entity_name(sa.find(f"{_V}author/{_V}assignedAuthor"))
    notes = [doc.comment(sa)]
    if kind == "discharge-medications":
        notes.append("discharge medication")
    elif kind == "medications-administered":
        notes.append("administered during the procedure/stay")
    elif kind == "anesthesia":
        notes.append("anaesthesia")
    sig = doc.text_of(sa.find(_V + "text"))
    if sig and sig != med.title:
        med.text = sig
    med.note = "\n".join(n for n in notes if n) or None
    doc.dated(med, sa, wrapper)
    med.encounter_ref = doc.linked_encounter(sa, wrapper)
    doc.add(med)


def _medications(doc: _Doc, el: etree._Element, kind: str) -> None:
    if el.tag == _V + "substanceAdministration":
        _medication(doc, el, kind)
        return
    inner = list(_related(el, "substanceAdministration"))
    if el.tag == _V + "act" and inner:
        for sa in inner:
            _medication(doc, sa, kind, wrapper=el if len(inner) == 1 else None)
    elif kind == "anesthesia" and el.tag in (_V + "procedure", _V + "act", _V + "observation"):
        _procedure(doc, el, kind)
    else:
        _kept_entry(doc, el, kind.replace("-", " "))


def _immunizations(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag != _V + "substanceAdministration":
        inner = list(_related(el, "substanceAdministration"))
        if not inner:
            _kept_entry(doc, el, "immunizations")
        for sa in inner:
            _immunization(doc, sa, el)
        return
    _immunization(doc, el, None)


def _immunization(doc: _Doc, sa: etree._Element, wrapper: etree._Element | None) -> None:
    if _placeholder(doc, sa, *_product_elements(sa), inherited=_null(wrapper)):
        return
    prov = doc.provenance(sa, "immunization")
    if prov is None:
        return
    imm = Immunization(provenance=prov)
    c, name, mm = _product_name(doc, sa)
    _set_code(imm, c)
    imm.title = c.display or name or doc.text_of(sa.find(_V + "text")) or c.code or "Immunization"
    imm.status = _status(sa)
    if mm is not None:
        lot = mm.find(_V + "lotNumberText")
        imm.lot = _norm(lot.text) if lot is not None else None
    rc = sa.find(_V + "routeCode")
    if rc is not None:
        imm.route = doc.cd(rc).display or rc.get("code")
    site = sa.find(_V + "approachSiteCode")
    if site is not None:
        imm.site = doc.cd(site).display or site.get("code")
    imm.performer = _entity_name(sa.find(f"{_V}performer/{_V}assignedEntity"))
    seq = sa.find(f"{_V}entryRelationship/{_V}sequenceNumber")
    if seq is not None and seq.get("value"):
        imm.dose_number = seq.get("value")
    refusal = next(_related(sa, "observation", type_code="RSON"), None)
    notes = [doc.comment(sa)]
    if refusal is not None and sa.get("negationInd") == "true":
        rc2 = doc.cd(refusal.find(_V + "code"))
        if rc2.display or rc2.code:
            notes.append(f"not given: {rc2.display or rc2.code}")
    imm.note = "\n".join(n for n in notes if n) or None
    doc.dated(imm, sa, wrapper)
    imm.encounter_ref = doc.linked_encounter(sa, wrapper)
    doc.add(imm)


def _allergies(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag == _V + "observation":
        _allergy(doc, el, None, el)
        return
    inner = list(_related(el, "observation", type_code="SUBJ")) or list(_related(el, "observation"))
    if not inner:
        _kept_entry(doc, el, "allergies")
    for obs in inner:
        _allergy(doc, obs, el, el if len(inner) == 1 else obs)


def _allergy(doc: _Doc, obs: etree._Element, concern: etree._Element | None, raw_el: etree._Element) -> None:
    pe = obs.find(f"{_V}participant/{_V}participantRole/{_V}playingEntity")
    substance = (pe.find(_V + "code"), pe.find(_V + "name")) if pe is not None else ()
    if _placeholder(doc, obs, obs.find(_V + "value"), *substance, inherited=_null(concern)):
        return
    prov = doc.provenance(obs, "allergy", raw_el=raw_el)
    if prov is None:
        return
    al = Allergy(provenance=prov)
    subst = doc.cd(pe.find(_V + "code")) if pe is not None else _Code()
    subst_name = _org_name(pe) if pe is not None else None
    kind_cd = doc.cd(obs.find(_V + "value"))
    if subst.code or subst.display or subst_name:
        _set_code(al, subst)
        al.display = subst.display or subst_name
    else:  # no substance given: the observation value says what it is (e.g. "No known allergies")
        _set_code(al, kind_cd)
    al.category = _ALLERGY_CATEGORY.get(kind_cd.code or "") if kind_cd.code else None
    negated = obs.get("negationInd") == "true"
    name = al.display or al.code or kind_cd.display or doc.text_of(obs.find(_V + "text")) or "Allergy"
    al.title = f"No known allergy: {name}" if negated and not name.lower().startswith("no ") else name
    reactions: list[str] = []
    severity: str | None = None
    for sub in _related(obs, "observation"):
        tids = _templates(sub)
        if _T + "4.9" in tids or sub.getparent().get("typeCode") == "MFST":
            rc = doc.cd(sub.find(_V + "value"))
            if rc.display or rc.code:
                reactions.append(rc.display or rc.code or "")
            for sev in _related(sub, "observation"):
                if _T + "4.8" in _templates(sev) and severity is None:
                    sc = doc.cd(sev.find(_V + "value"))
                    severity = sc.display or sc.code
        elif _T + "4.8" in tids:
            sc = doc.cd(sub.find(_V + "value"))
            severity = sc.display or sc.code
        elif _T + "4.28" in tids:
            st = doc.cd(sub.find(_V + "value"))
            al.status = st.display or st.code
        elif _T + "4.145" in tids:
            cr = doc.cd(sub.find(_V + "value"))
            al.criticality = cr.display or cr.code
    al.reaction = "; ".join(reactions) or None
    al.severity = severity
    if negated:
        al.status = "refuted"
    elif not al.status and concern is not None:
        al.status = _status(concern)
    al.note = doc.comment(obs) or (doc.comment(concern) if concern is not None else None)
    doc.dated(al, obs, concern)
    al.encounter_ref = doc.linked_encounter(obs, concern)
    doc.add(al)


_CONDITION_CATEGORY = {
    "problems": "problem-list-item",
    "past-medical-history": "past-medical-history",
    "discharge-diagnosis": "discharge-diagnosis",
    "admission-diagnosis": "admission-diagnosis",
    "encounters": "encounter-diagnosis",
}


def _problems(doc: _Doc, el: etree._Element, kind: str) -> None:
    if el.tag == _V + "observation":
        _condition(doc, el, None, kind, el)
        return
    inner = [
        o
        for o in _related(el, "observation")
        if _T + "4.4" in _templates(o) or o.getparent().get("typeCode") == "SUBJ"
    ]
    if not inner:
        _kept_entry(doc, el, kind.replace("-", " "))
    for obs in inner:
        _condition(doc, obs, el, kind, el if len(inner) == 1 else obs)


def _condition(
    doc: _Doc,
    obs: etree._Element,
    concern: etree._Element | None,
    kind: str,
    raw_el: etree._Element,
    encounter_ref: str | None = None,
) -> None:
    if _placeholder(doc, obs, obs.find(_V + "value"), inherited=_null(concern)):
        return
    prov = doc.provenance(obs, "condition", raw_el=raw_el)
    if prov is None:
        return
    cond = Condition(provenance=prov, category=_CONDITION_CATEGORY.get(kind, kind))
    vc = doc.cd(obs.find(_V + "value"))
    _set_code(cond, vc)
    entry_text = doc.text_of(obs.find(_V + "text"))
    cond.title = vc.display or entry_text or vc.code or "Problem"
    if entry_text and entry_text != cond.title:
        cond.text = entry_text
    if obs.get("negationInd") == "true":
        cond.verification_status = "refuted"
    for sub in _related(obs, "observation"):
        tids = _templates(sub)
        if _T + "4.6" in tids:
            sc = doc.cd(sub.find(_V + "value"))
            cond.clinical_status = sc.display or sc.code
        elif _T + "4.8" in tids:
            sv = doc.cd(sub.find(_V + "value"))
            cond.severity = sv.display or sv.code
    doc.dated(cond, obs, concern)
    if not cond.clinical_status:
        if cond.date_end:
            cond.clinical_status = "resolved"
        elif concern is not None and _status(concern) == "active":
            cond.clinical_status = "active"
    cond.status = _status(concern) if concern is not None else _status(obs)
    cond.note = doc.comment(obs) or (doc.comment(concern) if concern is not None else None)
    cond.encounter_ref = encounter_ref or doc.linked_encounter(obs, concern)
    doc.add(cond)


def _procedures(doc: _Doc, el: etree._Element, kind: str) -> None:
    if el.tag in (_V + "procedure", _V + "act", _V + "observation"):
        _procedure(doc, el, kind)
    else:
        _kept_entry(doc, el, "procedures")


def _procedure(doc: _Doc, el: etree._Element, kind: str) -> None:
    if _placeholder(doc, el, el.find(_V + "code")):
        return
    prov = doc.provenance(el, "procedure")
    if prov is None:
        return
    pr = Procedure(provenance=prov)
    c = doc.cd(el.find(_V + "code"))
    _set_code(pr, c)
    pr.title = c.display or doc.text_of(el.find(_V + "text")) or c.code or "Procedure"
    pr.status = _status(el)
    pr.performer = _entity_name(el.find(f"{_V}performer/{_V}assignedEntity"))
    ts = el.find(_V + "targetSiteCode")
    if ts is not None:
        pr.body_site = doc.cd(ts).display or ts.get("code")
    for ind in _related(el, "observation", "act", type_code="RSON"):
        rc = doc.cd(ind.find(_V + "value"))
        pr.reason = rc.display or rc.code or doc.text_of(ind.find(_V + "text"))
        if pr.reason:
            break
    pr.note = doc.comment(el)
    if kind == "anesthesia":
        pr.note = "\n".join(x for x in (pr.note, "anaesthesia") if x)
    doc.dated(pr, el)
    pr.encounter_ref = doc.linked_encounter(el)
    doc.add(pr)


def _encounters(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag != _V + "encounter":
        _kept_entry(doc, el, "encounters")
        return
    if _placeholder(doc, el, el.find(_V + "code")):
        return
    eid = _first_id(el)
    existing = doc.encounters_by_id.get(eid) if eid else None
    if existing is not None and existing is doc.encompassing and not doc.encompassing_merged:
        # The visit the whole document is about, listed again as an activity: one encounter.
        doc.encompassing_merged = True
        _fill_encounter(doc, existing, el)
        existing.provenance.raw = etree.tostring(el, with_tail=False).decode()
        _encounter_diagnoses(doc, el, existing)
        return
    prov = doc.provenance(el, "encounter")
    if prov is None:
        return
    enc = Encounter(provenance=prov)
    _fill_encounter(doc, enc, el)
    doc.add(enc)
    if eid and eid not in doc.encounters_by_id:
        doc.encounters_by_id[eid] = enc
    _encounter_diagnoses(doc, el, enc)


def _fill_encounter(doc: _Doc, enc: Encounter, el: etree._Element) -> None:
    c = doc.cd(el.find(_V + "code"))
    if c.code or c.display:
        _set_code(enc, c)
        enc.encounter_type = c.display or c.code
    if c.system == CODE_SYSTEMS["2.16.840.1.113883.5.4"]:
        enc.encounter_class = c.code
    start, end, est = doc.effective(el)
    if start:
        enc.date, enc.date_end, enc.date_estimated = start, end, est
    elif not enc.date:
        doc.dated(enc, el)
    enc.status = _status(el) or enc.status
    enc.practitioner = _entity_name(el.find(f"{_V}performer/{_V}assignedEntity")) or enc.practitioner
    for part in el.iterchildren(_V + "participant"):
        if part.get("typeCode") == "LOC":
            role = part.find(_V + "participantRole")
            if role is not None:
                enc.location = _org_name(role.find(_V + "playingEntity")) or enc.location
                enc.provider = enc.provider or _org_name(role.find(_V + "scopingEntity"))
    for ind in _related(el, "observation", "act", type_code="RSON"):
        rc = doc.cd(ind.find(_V + "value"))
        enc.reason = rc.display or rc.code or doc.text_of(ind.find(_V + "text"))
        if enc.reason:
            break
    dd = el.find(_SDTC + "dischargeDispositionCode")
    if dd is not None:
        enc.discharge_disposition = doc.cd(dd).display or dd.get("code")
    enc.provider = enc.provider or None
    title = enc.encounter_type or doc.text_of(el.find(_V + "text")) or "Encounter"
    where = enc.location or enc.provider
    enc.title = f"{title} — {where}" if where and where not in title else title


def _merge_encounter_diagnoses(doc: _Doc) -> None:
    """An encounter diagnosis that repeats a problem-list entry (same id, no other or the same code)
    is that problem seen at the visit: one condition, linked to the visit, not two."""
    problems: dict[str, list[Condition]] = {}
    for i in doc.out.items:
        if isinstance(i, Condition) and i.category == "problem-list-item" and i.provenance.source_id:
            problems.setdefault(i.provenance.source_id.split("#")[0], []).append(i)
    drop: set[int] = set()
    for i in doc.out.items:
        if not (isinstance(i, Condition) and i.category == "encounter-diagnosis" and i.provenance.source_id):
            continue
        same = problems.get(i.provenance.source_id.split("#")[0], [])
        if len(same) == 1 and (i.code is None or i.code == same[0].code):
            same[0].encounter_ref = same[0].encounter_ref or i.encounter_ref
            drop.add(id(i))
    if drop:
        doc.out.items = [i for i in doc.out.items if id(i) not in drop]


def _encounter_diagnoses(doc: _Doc, el: etree._Element, enc: Encounter) -> None:
    """Encounter diagnoses (4.80 acts holding problem observations) are conditions of that visit."""
    for act in _related(el, "act"):
        if _T + "4.80" not in _templates(act):
            continue
        inner = [o for o in _related(act, "observation")]
        for obs in inner:
            _condition(
                doc,
                obs,
                act,
                "encounters",
                act if len(inner) == 1 else obs,
                encounter_ref=enc.provenance.source_id,
            )


_HANDLERS: dict[str, Callable[[_Doc, etree._Element, str], None]] = {
    "medications": _medications,
    "discharge-medications": _medications,
    "medications-administered": _medications,
    "anesthesia": _medications,
    "immunizations": _immunizations,
    "results": _results,
    "vital-signs": _vitals,
    "social-history": _social,
    "problems": _problems,
    "past-medical-history": _problems,
    "discharge-diagnosis": _problems,
    "admission-diagnosis": _problems,
    "allergies": _allergies,
    "procedures": _procedures,
    "encounters": _encounters,
}


# --- the document item ----------------------------------------------------------------------------


def _document_item(doc: _Doc, texts: list[str]) -> None:
    root = doc.root
    code = doc.cd(root.find(_V + "code"))
    title_el = root.find(_V + "title")
    title = _norm("".join(title_el.itertext())) if title_el is not None else None
    header = b"".join(
        etree.tostring(c, with_tail=False)
        for c in root
        if isinstance(c.tag, str) and c.tag != _V + "component"
    )
    d = Document(
        provenance=Provenance(
            source_kind="file",
            source_name=doc.source_name,
            source_id=_first_id(root),
            raw=header.decode("utf-8"),
            raw_format=RAW_FORMAT,
        ),
        title=title or code.display or "Clinical document",
        doc_type=code.display or title,
        mime=CDA_MIME,
        filename=os.path.basename(doc.source_name.replace("\\", "/")) or None,
        size=len(doc.data),
        sha256=hashlib.sha256(doc.data).hexdigest(),
        content=doc.data,
        text="\n\n".join(t for t in texts if t) or None,
    )
    _set_code(d, code)
    d.date, d.date_estimated = doc.doc_date, doc.doc_date_est
    author = root.find(f"{_V}author/{_V}assignedAuthor")
    if author is not None:
        d.author = _entity_name(author) or _norm(
            "".join(author.find(f"{_V}assignedAuthoringDevice").itertext())
            if author.find(f"{_V}assignedAuthoringDevice") is not None
            else None
        )
    if doc.encompassing is not None:
        d.encounter_ref = doc.encompassing.provenance.source_id
    doc.add(d)
    doc.document = d


def _non_xml_body(doc: _Doc, nxb: etree._Element) -> None:
    """An unstructured document (C-CDA "Unstructured Document"): a PDF, image or text carried inside
    the XML as base64.  It becomes a document of its own, beside the CDA, so it can be viewed."""
    text = nxb.find(_V + "text")
    mt = (text.get("mediaType") if text is not None else None) or "application/octet-stream"
    ref = text.find(_V + "reference") if text is not None else None
    if text is None or (ref is not None and not (text.text or "").strip()):
        where = f" ({ref.get('value')})" if ref is not None and ref.get("value") else ""
        doc.out.warnings.append(f"the document body is a file outside this document{where}: not included")
        return
    raw = "".join(text.itertext())
    if (text.get("representation") or "TXT").upper() == "B64":
        try:
            content = base64.b64decode("".join(raw.split()), validate=True)
        except (binascii.Error, ValueError):
            doc.out.warnings.append(
                f"the embedded {mt} body is not valid base64: kept only in the original file"
            )
            return
        if text.get("compression"):
            doc.out.warnings.append(
                f"the embedded {mt} body is compressed ({text.get('compression')}): "
                "kept only in the original file"
            )
            return
    else:
        content = raw.encode("utf-8")
    parent = doc.document
    if parent is None:  # _document_item always runs first; this keeps mypy and readers sure
        return
    stem = os.path.splitext(parent.filename or "document")[0]
    att = Document(
        provenance=Provenance(
            source_kind="file",
            source_name=doc.source_name,
            source_id=f"{parent.provenance.source_id or ''}#body",
            raw_format=RAW_FORMAT,
        ),
        title=parent.title,
        doc_type=parent.doc_type,
        mime=mt,
        filename=stem + _EXTENSIONS.get(mt.lower(), ".bin"),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        text=_norm(raw) if mt.startswith("text/") else None,
        date=parent.date,
        date_estimated=parent.date_estimated,
        author=parent.author,
        encounter_ref=parent.encounter_ref,
    )
    att.code_system, att.code, att.display = parent.code_system, parent.code, parent.display
    doc.add(att)
