"""The document item: the original bytes and the plain text of every section narrative."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os

from lxml import etree

from ...model.records import (
    Document,
    Provenance,
)
from .common import _set_code
from .context import _Doc
from .datatypes import _entity_name, _first_id, _norm
from .vocab import _EXTENSIONS, _V, CDA_MIME, RAW_FORMAT

# --- the document item ----------------------------------------------------------------------------


def _document_item(doc: _Doc, texts: list[str]) -> None:
    root = doc.root
    code = doc.cd(root.find(_V + "code"))
    title_el = root.find(_V + "title")
    title = _norm("".join(title_el.itertext())) if title_el is not None else None
    header = b"".join(
        etree.tostring(c, with_tail=False) for c in root if isinstance(c.tag, str) and c.tag != _V + "component"
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
    d.statements = list(doc.out.statements)
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
            doc.out.warnings.append(f"the embedded {mt} body is not valid base64: kept only in the original file")
            return
        if text.get("compression"):
            doc.out.warnings.append(
                f"the embedded {mt} body is compressed ({text.get('compression')}): kept only in the original file"
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
