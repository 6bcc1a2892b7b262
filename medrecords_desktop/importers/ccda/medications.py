"""Medications (and administrations, anesthesia) and immunizations: substance administrations."""

from __future__ import annotations

from lxml import etree

from ...model.records import (
    Immunization,
    Medication,
)
from .common import _kept_entry, _null, _placeholder, _set_code, _status
from .context import _Code, _Doc
from .datatypes import _entity_name, _norm, _org_name, _related, _xsi_type
from .problems import _procedure
from .vocab import (
    _V,
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
    imm.title = c.display or name or doc.text_of(sa.find(_V + "text")) or c.code or "Vaccine (no name given)"
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
