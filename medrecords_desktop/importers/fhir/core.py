"""The FHIR parser's core: the driver (index, one resource at a time, clinical sense, links made
at the end), reference resolution and the helpers every resource handler uses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ...model.records import (
    DiagnosticReport,
    Item,
    Observation,
    Provenance,
    RawResource,
)
from ..base import (
    ParsedFile,
    is_kind_word,
    none_statement,
)
from .bundle import Entry
from .datatypes import (
    _TAIL,
    Resource,
    _cc,
    _cc_text,
    _d,
    _date,
    _first,
    _human_name,
    _l,
    _narrative,
    _notes,
    _period,
    _s,
    _texts,
)

# One encoder for every raw fragment: json.dumps() with options builds a new encoder per call.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _ParserCore:
    """State of one parse and what every handler uses; the handlers come from the mixins."""

    def __init__(self, source_name: str, fmt: str, source_kind: str, sources: dict[int, str] | None = None) -> None:
        self.sources = sources if sources is not None else {}  # id(resource) -> compact source text
        self.source_name = source_name
        self.source_kind = source_kind
        self.out = ParsedFile(source_name=source_name, format=fmt)
        self.by_url: dict[str, Resource] = {}
        self.by_key: dict[str, Resource] = {}
        self.keys: dict[int, str] = {}  # id(resource) -> key
        self.bases: dict[int, str] = {}  # id(resource) -> fullUrl base ("http://x/fhir/")
        self.consumed: dict[int, bytes] = {}  # Binaries whose bytes went into a Document
        self.encounter_dates: dict[str, str] = {}
        self.tail_cache: dict[str, tuple[str, Resource | None]] = {}  # relative ref -> resolution
        self.resolved: dict[str, tuple[str, Resource | None]] = {}  # fullUrl -> (key, resource)
        self.names: dict[int, str | None] = {}  # id(resource) -> readable name
        # resourceType -> handler, filled by the parser (parser.py) from the mixins and care.py
        self.handlers: dict[str, Callable[[object, Resource], None]] = {}

    # ---- driver ------------------------------------------------------------------------------

    def run(self, flat: list[Entry]) -> ParsedFile:
        try:
            self._index(flat)
            self._find_consumed_binaries(flat)
            consumed = self.consumed
            later = []
            for entry in flat:
                if consumed and id(entry[2]) in consumed:
                    later.append(entry)  # after the documents that take its bytes: see _keep
                else:
                    self._one(entry[0], entry[2])
            for where, _full, res in later:
                self._one(where, res)
            self._finish()
            if self.out.statements:
                self.out.warnings.append(
                    f"{len(self.out.statements)} statements that there is none or entries in error "
                    f"(e.g. '{self.out.statements[0]}'): kept verbatim, not as records"
                )
            empty = self.out.set_aside["observation"]
            if empty:
                self.out.warnings.append(f"{empty} observations without a value or a statement: kept verbatim")
            return self.out
        finally:
            # self.handlers holds bound methods of self: a reference cycle that would keep every decoded
            # resource (the indexes point at them all) alive until the cyclic collector walks them -
            # 400k objects, half a second and 70 MB for a 50 MB bundle.  Breaking it lets reference
            # counting free the decoded JSON the moment the parse is done.
            self.handlers.clear()
            for name in ("by_url", "by_key", "keys", "bases", "resolved", "consumed"):
                index = getattr(self, name, None)
                if isinstance(index, dict):
                    index.clear()

    def _index(self, flat: list[Entry]) -> None:
        by_url, by_key, keys, bases = self.by_url, self.by_key, self.keys, self.bases
        for _where, full, res in flat:
            rt = res.get("resourceType")
            rid = res.get("id")
            key: str | None = None
            if isinstance(rid, str) and rid and isinstance(rt, str):
                key = f"{rt}/{rid}"
                by_key.setdefault(key, res)
            if full:
                by_url.setdefault(full, res)
                if key is None:
                    key = full
                elif full.endswith("/" + key):
                    bases[id(res)] = full[: -len(key)]
            if key is not None:
                keys[id(res)] = key
        # Exact fullUrl matches answered in one lookup (the common case in bundles).
        self.resolved = {url: (keys.get(id(r), url), r) for url, r in by_url.items()}

    def _find_consumed_binaries(self, flat: list[Entry]) -> None:
        for _where, _full, res in flat:
            rt = res.get("resourceType")
            if rt == "DocumentReference":
                atts = [_d(c).get("attachment") for c in _l(res.get("content"))]
            elif rt == "DiagnosticReport":
                atts = _l(res.get("presentedForm"))
            else:
                continue
            for a in atts:
                url = _s(_d(a).get("url"))
                if url and "data" not in _d(a):
                    _key, target = self._resolve_str(url, res)
                    if target is not None and target.get("resourceType") == "Binary":
                        self.consumed.setdefault(id(target), b"")

    def _one(self, where: object, res: Resource) -> None:
        rt = res.get("resourceType")
        if not isinstance(rt, str) or not rt:
            self.out.warnings.append(f"{where}: an entry without resourceType was kept as is")
            self._keep("Unknown", res)
            return
        handler = self.handlers.get(rt)
        if handler is None:
            self._keep(rt, res)
            return
        n_items, n_pat = len(self.out.items), len(self.out.patients)
        try:
            handler(where, res)
            if len(self.out.items) > n_items:
                self._clinical_sense(rt, res, n_items)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError) as e:
            # A resource shaped against the specification: keep it verbatim rather than lose it.
            del self.out.items[n_items:]
            del self.out.patients[n_pat:]
            key = self.keys.get(id(res), rt)
            self.out.warnings.append(f"{where} ({key}): could not be read ({type(e).__name__}); kept as is")
            self._keep(rt, res)

    def _clinical_sense(self, rt: str, res: Resource, start: int) -> None:
        """Items this resource made that are not records: a statement that there is none (kept in the
        report and verbatim), an empty result (kept verbatim), a name that only says the kind."""
        new = self.out.items[start:]
        keep: list[Item] = []
        for it in new:
            statement = none_statement(it)
            empty = (
                isinstance(it, Observation)
                and it.value is None
                and not it.value_text
                and not it.components
                and not it.note
                and not it.interpretation
            )
            if statement is not None or empty:
                if statement is not None and statement not in self.out.statements:
                    self.out.statements.append(statement)
                self.out.set_aside[it.kind] += 1
                continue
            if is_kind_word(it.title) and it.text:
                # No name but the narrative: its first line is what the author called it.
                first = it.text.strip().splitlines()[0].strip()
                it.title = first[:97] + "…" if len(first) > 98 else first
            keep.append(it)
        if len(keep) != len(new):
            del self.out.items[start:]
            self.out.items.extend(keep)
            self._keep(rt, res)

    def _finish(self) -> None:
        """Links known only once everything is read: results to their report, and dates of
        undated items from their report, else their encounter (marked as estimated)."""
        items = self.out.items
        report_of: dict[str, DiagnosticReport] = {}
        for it in items:
            if isinstance(it, DiagnosticReport) and it.provenance.source_id:
                for r in it.result_refs:
                    report_of.setdefault(r, it)
        dates = self.encounter_dates
        for it in items:
            report = report_of.get(it.provenance.source_id or "") if report_of else None
            if report is not None and isinstance(it, Observation):
                if it.report_ref is None:
                    it.report_ref = report.provenance.source_id
                if it.date is None and report.date is not None:
                    it.date, it.date_estimated = report.date, True
                if it.encounter_ref is None:
                    it.encounter_ref = report.encounter_ref
            if it.date is None and it.encounter_ref and it.encounter_ref in dates:
                it.date = dates[it.encounter_ref]
                it.date_estimated = True

    # ---- references ------------------------------------------------------------------------

    def _resolve_str(self, ref: str, owner: Resource) -> tuple[str, Resource | None]:
        hit = self.resolved.get(ref)
        if hit is not None:
            return hit
        if ref.startswith("#"):
            cid = ref[1:]
            for c in _l(owner.get("contained")):
                if isinstance(c, dict) and c.get("id") == cid:
                    return f"{self.keys.get(id(owner), '')}{ref}", c
            return f"{self.keys.get(id(owner), '')}{ref}", None
        target = self.by_url.get(ref)
        if target is not None:
            return self.keys.get(id(target), ref), target
        if ref.startswith("urn:"):
            return ref, None
        if "://" not in ref:
            base = self.bases.get(id(owner))
            if base:
                target = self.by_url.get(base + ref)
                if target is not None:
                    return self.keys.get(id(target), ref), target
        hit = self.tail_cache.get(ref)
        if hit is None:
            m = _TAIL.search(ref)
            if m:
                k = f"{m.group(1)}/{m.group(2)}"
                target = self.by_key.get(k)
                hit = (self.keys.get(id(target), k), target) if target is not None else (k, None)
            else:
                hit = (ref, None)  # a conditional or logical reference: kept as written
            self.tail_cache[ref] = hit
        return hit

    def _ref(self, v: Any, owner: Resource) -> tuple[str | None, Resource | None]:
        """(key, resolved resource) of a Reference element."""
        if not isinstance(v, dict):
            return None, None
        r = v.get("reference")
        if not isinstance(r, str) or not r:
            return None, None
        return self._resolve_str(r, owner)

    def _ref_key(self, v: Any, owner: Resource) -> str | None:
        return self._ref(v, owner)[0]

    def _ref_name(self, v: Any, owner: Resource) -> str | None:
        """A readable name for a reference: the resolved resource's name, else the display."""
        if not isinstance(v, dict):
            return None
        _key, target = self._ref(v, owner)
        if target is not None:
            tid = id(target)
            if tid in self.names:
                name = self.names[tid]
            else:
                name = self.names[tid] = self._name_of(target, owner)
            if name:
                return name
        return _s(v.get("display"))

    def _name_of(self, res: Resource, owner: Resource) -> str | None:
        rt = res.get("resourceType")
        if rt in ("Organization", "Location", "HealthcareService", "Device"):
            return _s(res.get("name")) if rt != "Device" else _cc_text(_first(res.get("type")))
        if rt in ("Practitioner", "Patient", "RelatedPerson"):
            return _human_name(res.get("name"))[0]
        if rt == "PractitionerRole":
            who = res.get("practitioner")
            return self._ref_name(who, res) if who is not owner else None
        if rt == "Medication":
            return _cc_text(res.get("code"))
        if rt == "Condition":
            return _cc_text(res.get("code"))
        return None

    def _patient_ref(self, res: Resource) -> str | None:
        subj = res.get("subject")
        if subj is None:
            subj = res.get("patient")
        return self._ref_key(subj, res)

    def _common(self, res: Resource) -> dict[str, Any]:
        """Fields every clinical resource maps the same way: notes, narrative, links, provenance."""
        return {
            "note": _notes(res.get("note")),
            "text": _narrative(res),
            "encounter_ref": self._encounter_ref(res),
            "patient_ref": self._patient_ref(res),
            "provenance": self._prov(res),
        }

    def _reason(self, res: Resource) -> str | None:
        """reasonCode as text, else the names of what reasonReference points at."""
        reason = _texts(res.get("reasonCode"))
        if reason is None:
            names = [n for n in (self._ref_name(r, res) for r in _l(res.get("reasonReference"))) if n]
            reason = "; ".join(names) if names else None
        return reason

    def _encounter_ref(self, res: Resource) -> str | None:
        enc = res.get("encounter")
        if enc is None:
            enc = res.get("context")  # MedicationStatement (R4), older resources
        if isinstance(enc, list):
            enc = _first(enc)
        return self._ref_key(enc, res)

    # ---- output helpers ----------------------------------------------------------------------

    def _prov(self, res: Resource, raw_obj: Resource | None = None, suffix: str = "") -> Provenance:
        key = self.keys.get(id(res))
        raw = self._raw(res) if raw_obj is None or raw_obj is res else _dumps(raw_obj)
        return Provenance(
            source_kind=self.source_kind,
            source_name=self.source_name,
            source_id=(key + suffix) if key else None,
            raw=raw,
            raw_format="fhir+json",
        )

    def _raw(self, res: Resource) -> str:
        raw = self.sources.get(id(res))
        return raw if raw is not None else _dumps(res)

    def _keep(self, rt: str, res: Resource) -> None:
        obj = res
        if rt == "Binary" and id(res) in self.consumed and self.consumed[id(res)]:
            obj = {k: v for k, v in res.items() if k != "data"}
        patient_ref = None
        try:
            patient_ref = self._patient_ref(res)
        except (TypeError, AttributeError):
            patient_ref = None
        self.out.kept.append(
            RawResource(
                resource_type=rt,
                source_id=self.keys.get(id(res)),
                raw=self._raw(obj),
                patient_ref=patient_ref,
            )
        )

    def _code_fields(self, cc: Any, fallback: str) -> dict[str, Any]:
        title, system, code, display, more = _cc(cc)
        return {
            "title": title or fallback,
            "code_system": system,
            "code": code,
            "display": display,
            "codes": more,
        }

    def _effective(self, res: Resource, *fallbacks: str) -> tuple[str | None, str | None, bool]:
        """(date, date_end, estimated) from effective[x], then the named fallback fields."""
        v = res.get("effectiveDateTime")
        end = None
        if v is None:
            v = res.get("effectiveInstant")
        if v is None and "effectivePeriod" in res:
            v, end = _period(res.get("effectivePeriod"))
        date, est = _date(v)
        if date is None:
            for f in fallbacks:
                date, _ = _date(res.get(f))
                if date is not None:
                    return date, None, True
        return date, _date(end)[0] if end is not None else None, est
