"""The parse of one document: its header facts, counters and the ParsedFile being filled, and the
readers that need them (codes, times, provenance, encounter links).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from lxml import etree

from ...model.records import (
    Coding,
    Document,
    Encounter,
    Item,
    Provenance,
)
from ..base import ParsedFile, is_kind_word, none_statement
from .datatypes import _first_id, _norm, _related, _templates, _xsi_type, code_system_uri, ts_to_iso
from .vocab import _NULLISH, _T, _V, PATIENT_REF, RAW_FORMAT

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
        self.empty_results = 0
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
        own_name = _norm(el.get("displayName"))
        if own_name and own_name.upper() in _NULLISH:  # vendors writing "UNK" as a name
            own_name = None
        if code and not el.get("nullFlavor") and code.strip().upper() not in _NULLISH:
            out.system, out.code = code_system_uri(el.get("codeSystem")), code.strip()
            out.display = own_name
        elif translations:
            # No code of its own (nullFlavor): the first translation is the code, but the name the
            # source gave (displayName, originalText) stays the name shown, never the translation's.
            first = translations.pop(0)
            out.system, out.code = first.system, first.code
            out.display = own_name or out.text or first.display
        else:
            out.display = own_name
        out.codes = translations
        if not out.display or is_kind_word(out.display):
            # A name that only says "Procedure" or "Observation": what was written, else a translation's.
            better = [out.text, *(t.display for t in translations)]
            out.display = next((n for n in better if n and not is_kind_word(n)), out.display or out.text)
        return out

    # provenance ---------------------------------------------------------------------------------

    def provenance(self, el: etree._Element, kind: str, raw_el: etree._Element | None = None) -> Provenance | None:
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

    def add(self, item: Item) -> bool:
        """Take an item; False when it is a statement that there is none (kept with the document)."""
        statement = none_statement(item)
        if statement is not None:
            if statement not in self.out.statements:
                self.out.statements.append(statement)
            self.out.set_aside[item.kind] += 1
            return False
        item.patient_ref = PATIENT_REF
        self.out.items.append(item)
        return True
