"""Observation and DiagnosticReport: results, vital signs, components and reports."""

from __future__ import annotations

from typing import Any

from ...model.records import (
    DiagnosticReport,
    Document,
    Observation,
)
from ...model.units import display_unit
from ..base import (
    coded_value_text,
)
from .core import _dumps
from .datatypes import (
    _BP_DIASTOLIC,
    _BP_SYSTOLIC,
    Resource,
    _cc,
    _cc_code,
    _cc_text,
    _d,
    _first,
    _fmt_num,
    _l,
    _narrative,
    _num,
    _obs_category,
    _period,
    _quantity,
    _s,
)
from .documents import _DocumentsMixin


class _ResultsMixin(_DocumentsMixin):
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
        docs, raw_obj = self._presented_forms(res, where, fields["title"], date, est, performer, enc_ref, pat_ref)
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

    def _presented_forms(
        self,
        res: Resource,
        where: object,
        title: str,
        date: str | None,
        est: bool,
        performer: str | None,
        enc_ref: str | None,
        pat_ref: str | None,
    ) -> tuple[list[Document], Resource]:
        """A report's presentedForm attachments as Documents, and the raw report without their decoded data."""
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
                    title=title,
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
        return docs, raw_obj
