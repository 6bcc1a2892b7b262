"""Allergies, problems (and diagnosis lists) and procedures."""

from __future__ import annotations

from lxml import etree

from ...model.records import (
    Allergy,
    Condition,
    Procedure,
)
from .common import _kept_entry, _null, _placeholder, _set_code, _status
from .context import _Code, _Doc
from .datatypes import _entity_name, _org_name, _related, _templates
from .vocab import (
    _ALLERGY_CATEGORY,
    _T,
    _V,
)


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
        o for o in _related(el, "observation") if _T + "4.4" in _templates(o) or o.getparent().get("typeCode") == "SUBJ"
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
    cond.title = vc.display or entry_text or vc.code or "Problem (no name given)"
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
    pr.title = c.display or doc.text_of(el.find(_V + "text")) or c.code or "Procedure (no name given)"
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
