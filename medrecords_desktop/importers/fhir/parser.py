"""The mapping of FHIR resources to model items: the parser, its reference resolution and one handler
per resource type.
"""

from __future__ import annotations

import binascii
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from ...model.records import (
    Allergy,
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
from ...model.units import display_unit
from ..base import (
    ParsedFile,
    PatientInfo,
    coded_value_text,
    is_kind_word,
    none_statement,
)
from .bundle import Entry
from .care import care_handlers
from .datatypes import (
    _BP_DIASTOLIC,
    _BP_SYSTOLIC,
    _TAIL,
    Resource,
    _cc,
    _cc_code,
    _cc_text,
    _d,
    _date,
    _doc_text,
    _first,
    _fmt_num,
    _human_name,
    _l,
    _narrative,
    _notes,
    _num,
    _obs_category,
    _period,
    _quantity,
    _s,
    _texts,
)

# One encoder for every raw fragment: json.dumps() with options builds a new encoder per call.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# --------------------------------------------------------------------------------------------------
# The mapping


class _Parser:
    def __init__(
        self, source_name: str, fmt: str, source_kind: str, sources: dict[int, str] | None = None
    ) -> None:
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
        self.handlers: dict[str, Callable[[object, Resource], None]] = {
            "Patient": self._patient,
            "Encounter": self._encounter,
            "Observation": self._observation,
            "DiagnosticReport": self._diagnostic_report,
            "DocumentReference": self._document_reference,
            "Binary": self._binary,
            "MedicationRequest": self._medication,
            "MedicationStatement": self._medication,
            "Immunization": self._immunization,
            "AllergyIntolerance": self._allergy,
            "Condition": self._condition,
            "Procedure": self._procedure,
        }
        self.handlers.update(care_handlers(self))  # care plans, orders, appointments, claims (care.py)

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
                isinstance(it, Observation) and it.value is None and not it.value_text and not it.components
                and not it.note and not it.interpretation
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

    # ---- per resource type ---------------------------------------------------------------------

    def _patient(self, where: object, res: Resource) -> None:
        full, given, family = _human_name(res.get("name"), prefix=False)
        ids = []
        for ident in _l(res.get("identifier")):
            ident = _d(ident)
            value = _s(ident.get("value"))
            if value:
                ids.append((_s(ident.get("system")) or "", value))
        bd = _s(res.get("birthDate"))
        key = self.keys.get(id(res)) or f"Patient@{where}"
        self.out.patients.append(
            PatientInfo(
                ref=key,
                name=full,
                given=given,
                family=family,
                birth_date=bd[:10] if bd else None,
                sex=_s(res.get("gender")),
                identifiers=ids,
                raw=self._raw(res),
            )
        )

    def _encounter(self, where: object, res: Resource) -> None:
        start, end = _period(res.get("period"))
        date, est = _date(start)
        date_end = _date(end)[0]
        cls = _d(res.get("class"))
        etype = _cc_text(_first(res.get("type")))
        title = etype or _cc_text(res.get("serviceType")) or _s(cls.get("display")) or _s(cls.get("code"))
        title = title or "Encounter"
        practitioner = None
        for p in _l(res.get("participant")):
            practitioner = self._ref_name(_d(p).get("individual"), res)
            if practitioner:
                break
        location = None
        for loc in _l(res.get("location")):
            location = self._ref_name(_d(loc).get("location"), res)
            if location:
                break
        reason = self._reason(res)
        hosp = _d(res.get("hospitalization"))
        enc = Encounter(
            title=title,
            date=date,
            date_end=date_end,
            date_estimated=est,
            status=_s(res.get("status")),
            code_system=None,
            note=None,
            text=_narrative(res),
            patient_ref=self._patient_ref(res),
            provenance=self._prov(res),
            encounter_class=_s(cls.get("code")),
            encounter_type=etype,
            provider=self._ref_name(res.get("serviceProvider"), res),
            practitioner=practitioner,
            location=location,
            reason=reason,
            discharge_disposition=_cc_text(hosp.get("dischargeDisposition")),
        )
        _, enc.code_system, enc.code, enc.display, enc.codes = _cc(_first(res.get("type")))
        key = enc.provenance.source_id
        if key and date:
            self.encounter_dates[key] = date
        self.out.items.append(enc)

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

    def _value(self, src: Resource) -> tuple[float | None, str | None, str | None]:
        """(number, text, unit) of a value[x]."""
        if "valueQuantity" in src:
            v, unit = _quantity(src["valueQuantity"])
            comp = _s(_d(src["valueQuantity"]).get("comparator"))
            if comp and v is not None:
                return None, f"{comp}{_fmt_num(v)}", unit
            return v, None, unit
        if "valueString" in src:
            return None, _s(src["valueString"]), None
        if "valueCodeableConcept" in src:
            text, system, code, display, _more = _cc(src["valueCodeableConcept"])
            if text is not None and text == code and not display:
                text = coded_value_text(code, system, None)  # a bare code: its known name, or said to be a code
            return None, text, None
        if "valueBoolean" in src:
            b = src["valueBoolean"]
            return None, ("Yes" if b else "No") if isinstance(b, bool) else None, None
        if "valueInteger" in src:
            return _num(src["valueInteger"]), None, None
        if "valueRange" in src:
            r = _d(src["valueRange"])
            lo, u1 = _quantity(r.get("low"))
            hi, u2 = _quantity(r.get("high"))
            txt = f"{_fmt_num(lo) if lo is not None else ''}-{_fmt_num(hi) if hi is not None else ''}"
            return None, txt, u1 or u2
        if "valueRatio" in src:
            r = _d(src["valueRatio"])
            n, u1 = _quantity(r.get("numerator"))
            d, u2 = _quantity(r.get("denominator"))
            if n is not None and d is not None:
                return (
                    None,
                    f"{_fmt_num(n)}{(' ' + u1) if u1 else ''}/{_fmt_num(d)}{(' ' + u2) if u2 else ''}",
                    None,
                )
            return None, None, None
        for k in ("valueDateTime", "valueTime"):
            if k in src:
                return None, _s(src[k]), None
        if "valuePeriod" in src:
            s, e = _period(src["valuePeriod"])
            return None, f"{s or ''} - {e or ''}", None
        if "valueSampledData" in src:
            return None, "(sampled data)", _s(_d(_d(src["valueSampledData"]).get("origin")).get("unit"))
        if "dataAbsentReason" in src:
            reason = _cc_text(src["dataAbsentReason"])
            return None, f"(no value: {reason})" if reason else None, None
        return None, None, None

    def _range(self, src: Resource) -> tuple[float | None, float | None, str | None]:
        ranges = [r for r in _l(src.get("referenceRange")) if isinstance(r, dict)]
        if not ranges:
            return None, None, None
        r = ranges[0]
        lo = _quantity(r.get("low"))[0]
        hi = _quantity(r.get("high"))[0]
        return lo, hi, _s(r.get("text"))

    def _component(self, c: Resource) -> dict[str, Any]:
        title, system, code, display, _more = _cc(c.get("code"))
        value, value_text, unit = self._value(c)
        lo, hi, rtext = self._range(c)
        interp = _cc_code(_first(c.get("interpretation")))
        out = {
            "title": title,
            "code_system": system,
            "code": code,
            "display": display,
            "value": value,
            "value_text": value_text,
            "unit": unit,
            "ref_low": lo,
            "ref_high": hi,
            "ref_text": rtext,
            "interpretation": interp,
        }
        return {k: v for k, v in out.items() if v is not None}

    def _observation(self, where: object, res: Resource) -> None:
        date, date_end, est = self._effective(res, "issued")
        value, value_text, unit = self._value(res)
        lo, hi, rtext = self._range(res)
        category = _obs_category(res.get("category"))
        title, system, code, display, more = _cc(res.get("code"))
        title = title or "Observation"
        components: list[dict[str, Any]] = []
        comps = res.get("component")
        if isinstance(comps, list) and comps:
            components = [self._component(c) for c in comps if isinstance(c, dict)]
            bp = self._blood_pressure(components)
            if bp is not None:
                title = self._bp_title(bp)
                if value is None and value_text is None:
                    value_text, unit = bp
            elif value is None and value_text is None and components:
                parts = []
                for c in components:
                    v = _fmt_num(c["value"]) if "value" in c else c.get("value_text")
                    if v is not None:
                        name = c.get("title") or c.get("code") or "?"
                        parts.append(f"{name}: {v} {display_unit(c.get('unit')) or ''}".rstrip())
                value_text = "; ".join(parts) or None
        performer = None
        for p in _l(res.get("performer")):
            performer = self._ref_name(p, res)
            if performer:
                break
        if value is None and value_text is None and not components:
            # A result reported only as its interpretation ("Positive", "Detected"): that is its value.
            interp = _first(res.get("interpretation"))
            value_text = _s(_d(interp).get("text")) or next(
                (_s(_d(c).get("display")) for c in _l(_d(interp).get("coding")) if _s(_d(c).get("display"))), None
            )
        self.out.items.append(
            Observation(
                date=date,
                date_end=date_end,
                date_estimated=est,
                status=_s(res.get("status")),
                **self._common(res),
                category=category,
                value=value,
                value_text=value_text,
                unit=unit,
                ref_low=lo,
                ref_high=hi,
                ref_text=rtext,
                interpretation=_cc_code(_first(res.get("interpretation"))),
                components=components,
                performer=performer,
                title=title,
                code_system=system,
                code=code,
                display=display,
                codes=more,
            )
        )

    @staticmethod
    def _blood_pressure(components: list[dict[str, Any]]) -> tuple[str, str] | None:
        sys_c = next((c for c in components if c.get("code") == _BP_SYSTOLIC), None)
        dia_c = next((c for c in components if c.get("code") == _BP_DIASTOLIC), None)
        if sys_c is None or dia_c is None:
            return None

        def part(c: dict[str, Any]) -> str:
            if "value" in c:
                return _fmt_num(c["value"])
            return "?"

        if "value" not in sys_c and "value" not in dia_c:
            return None
        unit = sys_c.get("unit") or dia_c.get("unit") or ""
        return f"{part(sys_c)}/{part(dia_c)}", unit

    @staticmethod
    def _bp_title(bp: tuple[str, str]) -> str:
        return f"Blood pressure {bp[0]} {display_unit(bp[1]) or ''}".rstrip()

    def _attachment_doc(
        self,
        res: Resource,
        att: dict[str, Any],
        where: object,
        *,
        title: str,
        date: str | None,
        date_est: bool,
        suffix: str,
        raw_obj: Resource,
        doc_type: str | None,
        author: str | None,
        encounter_ref: str | None,
        patient_ref: str | None,
        status: str | None,
    ) -> tuple[Document, bool]:
        """A Document for one attachment; the flag says whether its bytes were decoded."""
        content_type = _s(att.get("contentType"))
        content: bytes | None = None
        data = att.get("data")
        key = self.keys.get(id(res), res.get("resourceType"))
        if isinstance(data, str):
            content = self._b64(data, where, key)
        elif _s(att.get("url")):
            url = att["url"]
            _k, target = self._resolve_str(url, res)
            if target is not None and target.get("resourceType") == "Binary":
                bdata = target.get("data")
                if isinstance(bdata, str):
                    content = self._b64(bdata, where, key)
                    if content is not None:
                        self.consumed[id(target)] = content
                content_type = content_type or _s(target.get("contentType"))
            else:
                self.out.warnings.append(
                    f"{where} ({key}): attachment {suffix.lstrip('#') or 'content'} points outside this "
                    "file; the document is listed without its content"
                )
        mime = content_type.split(";", 1)[0].strip().lower() if content_type else None
        att_title = _s(att.get("title"))
        is_filename = _looks_like_filename(att_title)
        doc = Document(
            title=att_title if att_title and not is_filename else title,
            date=date,
            date_estimated=date_est,
            status=status,
            encounter_ref=encounter_ref,
            patient_ref=patient_ref,
            provenance=self._prov(res, raw_obj, suffix),
            doc_type=doc_type,
            mime=mime,
            filename=att_title if is_filename else None,
            author=author,
        )
        if att.get("creation") and date is None:
            doc.date, _ = _date(att.get("creation"))
        if content is not None:
            doc.content = content
            doc.size = len(content)
            doc.sha256 = hashlib.sha256(content).hexdigest()
            doc.text = _doc_text(content, mime, content_type)
            h = _s(att.get("hash"))
            if h:
                try:
                    expected = binascii.a2b_base64(h)
                except (binascii.Error, ValueError):
                    expected = b""
                if len(expected) == 20 and hashlib.sha1(content).digest() != expected:  # noqa: S324
                    self.out.warnings.append(f"{where} ({key}): attachment bytes do not match its SHA-1 hash")
        return doc, content is not None

    def _b64(self, data: str, where: object, key: Any) -> bytes | None:
        try:
            return binascii.a2b_base64(data)
        except (binascii.Error, ValueError):
            self.out.warnings.append(
                f"{where} ({key}): attachment data is not valid base64; content not imported"
            )
            return None

    def _diagnostic_report(self, where: object, res: Resource) -> None:
        date, date_end, est = self._effective(res, "issued")
        fields = self._code_fields(res.get("code"), "Diagnostic report")
        category = None
        for cat in _l(res.get("category")):
            category = _cc_code(cat)
            if category:
                break
        performer = None
        for p in _l(res.get("performer")):
            performer = self._ref_name(p, res)
            if performer:
                break
        result_refs = [k for k in (self._ref_key(r, res) for r in _l(res.get("result"))) if k]
        enc_ref = self._encounter_ref(res)
        pat_ref = self._patient_ref(res)
        forms = [a for a in _l(res.get("presentedForm")) if isinstance(a, dict)]
        docs: list[Document] = []
        raw_obj = res
        if forms:
            decoded = []
            for i, att in enumerate(forms):
                doc, ok = self._attachment_doc(
                    res,
                    att,
                    where,
                    title=fields["title"],
                    date=date,
                    date_est=est,
                    suffix=f"#presentedForm[{i}]",
                    raw_obj=res,
                    doc_type="report",
                    author=performer,
                    encounter_ref=enc_ref,
                    patient_ref=pat_ref,
                    status=_s(res.get("status")),
                )
                docs.append(doc)
                decoded.append(ok)
            if any(decoded):
                raw_obj = dict(res)
                raw_obj["presentedForm"] = [
                    {k: v for k, v in a.items() if k != "data"} if ok else a
                    for a, ok in zip(forms, decoded, strict=True)
                ]
                raw = _dumps(raw_obj)
                for d in docs:
                    d.provenance.raw = raw
        self.out.items.append(
            DiagnosticReport(
                date=date,
                date_end=date_end,
                date_estimated=est,
                status=_s(res.get("status")),
                text=_narrative(res, always=True),
                encounter_ref=enc_ref,
                patient_ref=pat_ref,
                provenance=self._prov(res, raw_obj),
                category=category,
                conclusion=_s(res.get("conclusion")),
                result_refs=result_refs,
                performer=performer,
                **fields,
            )
        )
        self.out.items.extend(docs)

    def _document_reference(self, where: object, res: Resource) -> None:
        ctx = _d(res.get("context"))
        start, _end = _period(ctx.get("period"))
        date, est = _date(start)
        if date is None:
            date, est = _date(res.get("date"))
        type_name = _cc_text(res.get("type"))
        title = _s(res.get("description")) or type_name or _cc_text(_first(res.get("category"))) or "Document"
        encs = _l(ctx.get("encounter"))
        enc_ref = self._ref_key(_first(encs), res) if encs else None
        pat_ref = self._patient_ref(res)
        authors = [n for n in (self._ref_name(a, res) for a in _l(res.get("author"))) if n]
        contents = [_d(c) for c in _l(res.get("content"))]
        status = _s(res.get("docStatus")) or _s(res.get("status"))
        if not contents:
            self.out.warnings.append(
                f"{where} ({self.keys.get(id(res))}): a document reference without content"
            )
            contents = [{}]
        docs: list[Document] = []
        decoded: list[bool] = []
        for i, c in enumerate(contents):
            doc, ok = self._attachment_doc(
                res,
                _d(c.get("attachment")),
                where,
                title=title,
                date=date,
                date_est=est,
                suffix=f"#content[{i}]" if i else "",
                raw_obj=res,
                doc_type=type_name,
                author="; ".join(authors) or None,
                encounter_ref=enc_ref,
                patient_ref=pat_ref,
                status=status,
            )
            _, doc.code_system, doc.code, doc.display, doc.codes = _cc(res.get("type"))
            note = _narrative(res)
            if note and doc.text is None:
                doc.text = note
            docs.append(doc)
            decoded.append(ok)
        if any(decoded):
            raw_obj = dict(res)
            raw_obj["content"] = [
                {**c, "attachment": {k: v for k, v in _d(c.get("attachment")).items() if k != "data"}}
                if ok
                else c
                for c, ok in zip(contents, decoded, strict=True)
            ]
            raw = _dumps(raw_obj)
            for d in docs:
                d.provenance.raw = raw
        self.out.items.extend(docs)

    def _binary(self, where: object, res: Resource) -> None:
        if id(res) in self.consumed:
            # Its bytes are a Document's content already: keep the resource (without the bytes when
            # they were decoded) so that the file is accounted for in full.
            self._keep("Binary", res)
            return
        ct = _s(res.get("contentType"))
        att = {"contentType": ct, "data": res.get("data")}
        sec_key, sec = self._ref(res.get("securityContext"), res)
        pat_ref = sec_key if sec_key and sec_key.startswith("Patient/") else None
        doc, ok = self._attachment_doc(
            res,
            att,
            where,
            title=f"Attachment ({ct or 'unknown type'})",
            date=None,
            date_est=False,
            suffix="",
            raw_obj=res,
            doc_type=None,
            author=None,
            encounter_ref=None,
            patient_ref=pat_ref,
            status=None,
        )
        if ok:
            doc.provenance.raw = _dumps({k: v for k, v in res.items() if k != "data"})
        self.out.items.append(doc)

    def _medication_name(self, res: Resource) -> dict[str, Any]:
        """Title and code of the medication: inline, or a Medication found by reference/contained."""
        cc = res.get("medicationCodeableConcept")
        if cc is not None:
            return self._code_fields(cc, "Medication (no name given)")
        ref = res.get("medicationReference")
        display = _s(ref.get("display")) if isinstance(ref, dict) else None
        _k, med = self._ref(ref, res)
        if med is not None and isinstance(med.get("code"), dict):
            return self._code_fields(med["code"], display or "Medication (no name given)")
        if med is not None:
            # A compounded or uncoded product: name it by its ingredients.
            parts = []
            for ing in _l(med.get("ingredient")):
                ing = _d(ing)
                name = _cc_text(ing.get("itemCodeableConcept")) or self._ref_name(
                    ing.get("itemReference"), med
                )
                if name:
                    parts.append(name)
            if parts and display is None:
                display = " + ".join(parts)
        return {"title": display or "Medication (no name given)"}

    def _dosage(self, dosage: Any) -> tuple[str | None, str | None, str | None]:
        """(dose, route, frequency) of the first Dosage."""
        d = _first(dosage)
        if not d:
            return None, None, None
        dose = None
        dr = _first(d.get("doseAndRate"))
        if "doseQuantity" in dr:
            v, unit = _quantity(dr["doseQuantity"])
            if v is not None:
                dose = f"{_fmt_num(v)} {unit or ''}".strip()
        elif "doseRange" in dr:
            lo, u = _quantity(_d(dr["doseRange"]).get("low"))
            hi, _u = _quantity(_d(dr["doseRange"]).get("high"))
            lo_s = _fmt_num(lo) if lo is not None else ""
            hi_s = _fmt_num(hi) if hi is not None else ""
            dose = f"{lo_s}-{hi_s} {u or ''}".strip()
        text = _s(d.get("text"))
        if dose is None:
            dose = text
        timing = _d(d.get("timing"))
        freq = _cc_text(timing.get("code"))
        rep = _d(timing.get("repeat"))
        if freq is None and rep:
            f, p, unit = rep.get("frequency"), rep.get("period"), _s(rep.get("periodUnit"))
            if isinstance(f, int) and _num(p) is not None and unit:
                freq = f"{f} per {_fmt_num(_num(p) or 0)} {unit}"
        if d.get("asNeededBoolean") is True:
            freq = f"{freq}, as needed" if freq else "as needed"
        elif "asNeededCodeableConcept" in d:
            why = _cc_text(d["asNeededCodeableConcept"])
            freq = f"{freq or ''} as needed{' for ' + why if why else ''}".strip()
        return dose, _cc_text(d.get("route")), freq

    def _medication(self, where: object, res: Resource) -> None:
        rt = res["resourceType"]
        fields = self._medication_name(res)
        if rt == "MedicationRequest":
            date, est = _date(res.get("authoredOn"))
            date_end = None
            dose, route, freq = self._dosage(res.get("dosageInstruction"))
            prescriber = self._ref_name(res.get("requester"), res)
            if date is None:
                s, _e = _period(_d(res.get("dispenseRequest")).get("validityPeriod"))
                date, _ = _date(s)
                est = date is not None
        else:
            date, date_end, est = self._effective(res, "dateAsserted")
            dose, route, freq = self._dosage(res.get("dosage"))
            prescriber = None
        reason = self._reason(res)
        self.out.items.append(
            Medication(
                date=date,
                date_end=date_end,
                date_estimated=est,
                status=_s(res.get("status")),
                **self._common(res),
                dose=dose,
                route=route,
                frequency=freq,
                reason=reason,
                prescriber=prescriber,
                **fields,
            )
        )

    def _immunization(self, where: object, res: Resource) -> None:
        date, est = _date(res.get("occurrenceDateTime"))
        if date is None:
            date, _ = _date(res.get("recorded"))
            est = date is not None
        performer = None
        for p in _l(res.get("performer")):
            performer = self._ref_name(_d(p).get("actor"), res)
            if performer:
                break
        pa = _first(res.get("protocolApplied"))
        dn = pa.get("doseNumberPositiveInt", pa.get("doseNumberString"))
        self.out.items.append(
            Immunization(
                date=date,
                date_estimated=est,
                status=_s(res.get("status")),
                **self._common(res),
                lot=_s(res.get("lotNumber")),
                site=_cc_text(res.get("site")),
                route=_cc_text(res.get("route")),
                performer=performer,
                dose_number=str(dn) if isinstance(dn, int | str) and not isinstance(dn, bool) else None,
                **self._code_fields(res.get("vaccineCode"), "Immunization"),
            )
        )

    def _onset(self, res: Resource) -> tuple[str | None, bool]:
        v = res.get("onsetDateTime")
        if v is None and "onsetPeriod" in res:
            v = _period(res["onsetPeriod"])[0]
        date, est = _date(v)
        if date is None:
            date, _ = _date(res.get("recordedDate"))
            est = date is not None
        return date, est

    def _allergy(self, where: object, res: Resource) -> None:
        date, est = self._onset(res)
        reactions = [_d(r) for r in _l(res.get("reaction"))]
        manif = [t for r in reactions for t in (_cc_text(m) for m in _l(r.get("manifestation"))) if t]
        severity = next((_s(r.get("severity")) for r in reactions if _s(r.get("severity"))), None)
        cats = [c for c in _l(res.get("category")) if isinstance(c, str)]
        self.out.items.append(
            Allergy(
                date=date,
                date_estimated=est,
                status=_cc_code(res.get("clinicalStatus")),
                **self._common(res),
                reaction="; ".join(dict.fromkeys(manif)) or None,
                severity=severity,
                criticality=_s(res.get("criticality")),
                category=cats[0] if cats else None,
                **self._code_fields(res.get("code"), "Allergy"),
            )
        )

    def _condition(self, where: object, res: Resource) -> None:
        date, est = self._onset(res)
        end = res.get("abatementDateTime")
        if end is None and "abatementPeriod" in res:
            end = _period(res["abatementPeriod"])[0]
        clinical = _cc_code(res.get("clinicalStatus"))
        self.out.items.append(
            Condition(
                date=date,
                date_end=_date(end)[0],
                date_estimated=est,
                status=clinical,
                **self._common(res),
                clinical_status=clinical,
                verification_status=_cc_code(res.get("verificationStatus")),
                category=_cc_code(_first(res.get("category"))),
                severity=_cc_text(res.get("severity")),
                **self._code_fields(res.get("code"), "Condition"),
            )
        )

    def _procedure(self, where: object, res: Resource) -> None:
        v = res.get("performedDateTime")
        end = None
        if v is None and "performedPeriod" in res:
            v, end = _period(res["performedPeriod"])
        date, est = _date(v)
        performers = [
            n for n in (self._ref_name(_d(p).get("actor"), res) for p in _l(res.get("performer"))) if n
        ]
        reason = self._reason(res)
        self.out.items.append(
            Procedure(
                date=date,
                date_end=_date(end)[0] if end is not None else None,
                date_estimated=est,
                status=_s(res.get("status")),
                **self._common(res),
                performer="; ".join(performers) or None,
                body_site=_texts(res.get("bodySite")),
                reason=reason,
                **self._code_fields(res.get("code"), "Procedure"),
            )
        )


_FILENAME = re.compile(r"^[^/\\]{1,200}\.[A-Za-z0-9]{1,5}$")


def _looks_like_filename(v: Any) -> bool:
    return isinstance(v, str) and bool(_FILENAME.match(v))
