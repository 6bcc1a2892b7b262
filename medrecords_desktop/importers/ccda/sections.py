"""Sections: found in document order and handed to the entry handlers of their kind, or kept."""

from __future__ import annotations

from lxml import etree

from ...model.records import (
    RawResource,
)
from .context import _Doc
from .datatypes import _first_id, _norm, _templates
from .entries import _HANDLERS
from .narrative import narrative_text
from .vocab import _V, KNOWN_UNMAPPED, PATIENT_REF, RAW_FORMAT, SECTION_KINDS

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
