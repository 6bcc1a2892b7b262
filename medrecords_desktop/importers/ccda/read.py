"""The C-CDA entry points: the sniff and ``parse_ccda``."""

from __future__ import annotations

import re

from lxml import etree

from ..base import ParsedFile, drop_exact_repeats, reject
from ..xmlsafe import parse_untrusted_xml
from .context import _Doc
from .document_item import _document_item, _non_xml_body
from .encounters import _merge_encounter_diagnoses
from .header import _header
from .sections import _collect_sections, _section, _section_kind
from .vocab import _V, V3


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


def parse_ccda(data: bytes, source_name: str) -> ParsedFile:
    """Parse one C-CDA document.  Raises ImportRejected for unreadable or hostile input only."""
    root = parse_untrusted_xml(data, source_name)
    if root.tag != _V + "ClinicalDocument":
        q = etree.QName(root)
        ns = f" in namespace {q.namespace}" if q.namespace else " (no namespace)"
        raise reject(
            source_name,
            f"line {root.sourceline}",
            f"not a C-CDA document: the root element is <{q.localname}>{ns}, expected <ClinicalDocument> in {V3}",
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
    repeated = drop_exact_repeats(doc.out.items)
    doc.out.set_aside.update(repeated)
    repeats = sum(repeated.values())
    _document_item(doc, texts)
    if body is None:
        nxb = root.find(_V + "component/" + _V + "nonXMLBody")
        if nxb is not None:
            _non_xml_body(doc, nxb)
    _report(doc, repeats)
    return doc.out


def _report(doc: _Doc, repeats: int) -> None:
    """What the import report says about entries not imported as records."""
    if doc.shared_ids:
        doc.out.warnings.append(
            f"{doc.shared_ids} entries reuse an id already used by a different entry: kept apart by content"
        )
    if doc.placeholders:
        doc.out.warnings.append(
            f"{doc.placeholders} placeholder statements saying 'no information' (nullFlavor, nothing coded): "
            "not imported"
        )
    if doc.duplicates or repeats:
        doc.out.warnings.append(f"{doc.duplicates + repeats} entries repeated in the document: taken once")
    if doc.empty_results:
        doc.out.warnings.append(
            f"{doc.empty_results} results with no value and nothing said about them: not imported "
            "(they stay in the original document)"
        )
    if doc.out.statements:
        doc.out.warnings.append(
            f"{len(doc.out.statements)} statements that there is none (e.g. '{doc.out.statements[0]}'): "
            "kept with the document, not as records"
        )
