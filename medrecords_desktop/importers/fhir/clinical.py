"""Patient, Encounter, medications, Immunization, AllergyIntolerance, Condition and Procedure."""

from __future__ import annotations

from typing import Any

from ...model.records import (
    Allergy,
    Condition,
    Encounter,
    Immunization,
    Medication,
    Procedure,
)
from ..base import (
    PatientInfo,
)
from .core import _ParserCore
from .datatypes import (
    Resource,
    _cc,
    _cc_code,
    _cc_text,
    _d,
    _date,
    _first,
    _fmt_num,
    _human_name,
    _l,
    _narrative,
    _num,
    _period,
    _quantity,
    _s,
    _texts,
)


class _ClinicalMixin(_ParserCore):
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
                name = _cc_text(ing.get("itemCodeableConcept")) or self._ref_name(ing.get("itemReference"), med)
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
        performers = [n for n in (self._ref_name(_d(p).get("actor"), res) for p in _l(res.get("performer"))) if n]
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
