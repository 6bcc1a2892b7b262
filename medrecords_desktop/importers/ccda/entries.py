"""Entry handlers, one per section kind: results, vital signs, social history, medications,
immunizations, allergies, problems, procedures and encounters.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from ...model.records import (
    Allergy,
    Condition,
    DiagnosticReport,
    Encounter,
    Immunization,
    Item,
    Medication,
    Observation,
    Procedure,
    RawResource,
)
from ..base import coded_value_text, is_kind_word
from .context import _Code, _Doc
from .datatypes import _entity_name, _first_id, _norm, _num, _org_name, _related, _templates, _xsi_type, ts_to_iso
from .vocab import (
    _ALLERGY_CATEGORY,
    _MOOD_PLANNED,
    _SDTC,
    _SMOKING_CODES,
    _T,
    _V,
    CODE_SYSTEMS,
    PATIENT_REF,
    RAW_FORMAT,
)

# --- entry handlers -------------------------------------------------------------------------------


def _status(el: etree._Element) -> str | None:
    if el.get("negationInd") == "true":
        return "not-done"
    mood = el.get("moodCode") or ""
    if mood in _MOOD_PLANNED:
        return "planned"
    sc = el.find(_V + "statusCode")
    return sc.get("code") if sc is not None and sc.get("code") else None


def _has_content(doc: _Doc, el: etree._Element | None) -> bool:
    """Whether a coded or quantity element says anything (a code, a name, a number or some text)."""
    if el is None:
        return False
    if el.get("code") or el.get("displayName") or el.get("value"):
        return True
    if any(t.get("code") for t in el.iterchildren(_V + "translation")):
        return True
    if any(x.get("value") for x in el if x.tag in (_V + "low", _V + "high", _V + "center")):
        return True
    return bool(doc.text_of(el.find(_V + "originalText")) or doc.text_of(el))


def _placeholder(
    doc: _Doc, el: etree._Element, *content: etree._Element | None, inherited: bool = False
) -> bool:
    """An entry that stands for "no information": the statement (or the organizer or concern holding
    it) is nullFlavored and the parts that would carry the information are empty.  Vendors emit
    these for empty lists ("No data"); they are not records, so they are counted, not imported."""
    if not (inherited or el.get("nullFlavor")):
        return False
    if any(_has_content(doc, c) for c in content):
        return False
    doc.placeholders += 1
    return True


def _set_code(item: Item, c: _Code) -> None:
    item.code_system, item.code, item.display, item.codes = c.system, c.code, c.display, c.codes


def _value(doc: _Doc, obs: Observation, v: etree._Element) -> None:
    """Fill value / value_text / unit from an observation's <value> of any common type."""
    t = _xsi_type(v)
    if v.get("nullFlavor") and not len(v):
        return
    if t in ("PQ", "") and v.get("value") is not None:
        obs.value = _num(v.get("value"))
        unit = (v.get("unit") or "").strip()
        obs.unit = unit if unit and unit != "1" else None
        if obs.value is None:
            obs.value_text = _norm(v.get("value"))
    elif t in ("INT", "REAL", "MO"):
        obs.value = _num(v.get("value"))
        if t == "MO":
            obs.unit = v.get("currency")
    elif t == "IVL_PQ":
        lo, hi = v.find(_V + "low"), v.find(_V + "high")
        lo_v = _num(lo.get("value")) if lo is not None else None
        hi_v = _num(hi.get("value")) if hi is not None else None
        unit = next(
            (
                u
                for u in (
                    (lo.get("unit") if lo is not None else None),
                    (hi.get("unit") if hi is not None else None),
                )
                if u and u != "1"
            ),
            None,
        )
        obs.unit = unit
        if lo_v is not None and hi_v is not None and lo_v == hi_v:
            obs.value = lo_v
        elif lo_v is not None and hi_v is not None:
            obs.value_text = f"{lo_v:g}–{hi_v:g}"
        elif lo_v is not None:
            obs.value_text = f">={lo_v:g}"
        elif hi_v is not None:
            obs.value_text = f"<={hi_v:g}"
    elif t == "BL":
        obs.value_text = v.get("value")
    elif t in ("CD", "CE", "CV", "CO", "CS"):
        c = doc.cd(v)
        # A coded ordinal (CO) is its own value ("2"); any other code is shown by its name, never bare.
        obs.value_text = (c.display or c.code) if t == "CO" else coded_value_text(c.code, c.system, c.display)
        if c.code:
            obs.components.append(
                {"value_code": c.code, "value_system": c.system, "value_display": c.display}
            )
    elif t in ("TS",):
        obs.value_text = ts_to_iso(v.get("value"))[0] or v.get("value")
    elif t == "RTO_PQ_PQ" or t == "RTO":
        n, d = v.find(_V + "numerator"), v.find(_V + "denominator")
        if n is not None and d is not None:
            obs.value_text = f"{n.get('value')}{n.get('unit') or ''}/{d.get('value')}{d.get('unit') or ''}"
    else:  # ST, ED, and untyped text
        obs.value_text = doc.text_of(v)
        if obs.value_text is None and v.get("value") is not None:
            obs.value = _num(v.get("value"))
            obs.value_text = None if obs.value is not None else _norm(v.get("value"))


def _observation(
    doc: _Doc,
    el: etree._Element,
    category: str,
    *,
    organizer: etree._Element | None = None,
    report_ref: str | None = None,
    null_context: bool = False,
) -> Observation | None:
    if _placeholder(doc, el, el.find(_V + "value"), inherited=null_context):
        return None
    prov = doc.provenance(el, "observation")
    if prov is None:
        return None
    obs = Observation(provenance=prov, category=category, report_ref=report_ref)
    c = doc.cd(el.find(_V + "code"))
    _set_code(obs, c)
    entry_text = doc.text_of(el.find(_V + "text"))
    obs.title = c.display or entry_text or c.code or ""
    obs.status = _status(el)
    for v in el.iterchildren(_V + "value"):
        _value(doc, obs, v)
        break
    value_code = next((x.get("value_code") for x in obs.components if x.get("value_code")), None)
    smoking = _T + "4.78" in _templates(el) or value_code in _SMOKING_CODES or c.code == "72166-2"
    if c.code == "ASSERTION" or is_kind_word(obs.title) or (smoking and obs.title == c.code):
        # C-CDA R1.1 smoking status and similar: the code only says "this is asserted", the
        # meaning is in the value.
        obs.title = "Tobacco smoking status" if smoking else (
            entry_text if entry_text and not is_kind_word(entry_text) else obs.value_text or ""
        )
    elif (
        obs.value is None and not obs.value_text and not obs.components and category == "social-history"
    ):
        # A finding coded as the observation itself ("Never smoker", "Smokes 1 pack per day"): the
        # finding is the answer to the question its section asks.
        obs.value_text = obs.title
        if c.code:
            obs.components.append({"value_code": c.code, "value_system": c.system, "value_display": c.display})
        low = (obs.title or "").lower()
        obs.title = (
            "Tobacco smoking status"
            if c.code in _SMOKING_CODES or "smok" in low or "tobacco" in low
            else "Social history"
        )
    ic = el.find(_V + "interpretationCode")
    if ic is not None:
        obs.interpretation = ic.get("code") or doc.cd(ic).display
    rr = el.find(f"{_V}referenceRange/{_V}observationRange")
    if rr is not None:
        rv = rr.find(_V + "value")
        if rv is not None:
            lo, hi = rv.find(_V + "low"), rv.find(_V + "high")
            obs.ref_low = _num(lo.get("value")) if lo is not None else None
            obs.ref_high = _num(hi.get("value")) if hi is not None else None
        obs.ref_text = doc.text_of(rr.find(_V + "text"))
        if obs.ref_text is None and rv is not None and (obs.ref_low is None and obs.ref_high is None):
            obs.ref_text = doc.text_of(rv)
    perf = el.find(f"{_V}performer/{_V}assignedEntity")
    obs.performer = _entity_name(perf)
    obs.note = doc.comment(el)
    if (
        obs.value is None and not obs.value_text and not obs.components
        and (obs.interpretation or "N").upper() in ("N", "NORMAL") and not obs.note
        and (category != "social-history" or not obs.title)
    ):
        # No value, nothing said about it: an empty row of the source's table, not a result.  The
        # entry stays in the original document.
        doc.empty_results += 1
        doc.out.set_aside["observation"] += 1
        return None
    if entry_text and entry_text != obs.title:
        obs.text = entry_text
    doc.dated(obs, el, organizer)
    obs.encounter_ref = doc.linked_encounter(el, organizer)
    return obs if doc.add(obs) else None


def _results(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag == _V + "organizer":
        _result_organizer(doc, el)
    elif el.tag == _V + "observation":
        _observation(doc, el, "laboratory")
    else:
        _kept_entry(doc, el, "results")


def _result_organizer(doc: _Doc, org: etree._Element) -> None:
    prov = doc.provenance(org, "diagnostic_report")
    if prov is None:
        return
    rep = DiagnosticReport(provenance=prov, category="LAB")
    c = doc.cd(org.find(_V + "code"))
    _set_code(rep, c)
    rep.title = c.display or doc.text_of(org.find(_V + "text")) or c.code or ""
    rep.status = _status(org)
    perf = org.find(f"{_V}performer/{_V}assignedEntity")
    rep.performer = _entity_name(perf)
    at = len(doc.out.items)
    members: list[Observation] = []
    null_org = bool(org.get("nullFlavor"))
    _organizer_members(doc, org, org, prov.source_id, members, null_org)
    if null_org and not members and not (c.code or c.display):
        doc.placeholders += 1
        return
    if not members and not (c.code or c.display) and not rep.title:
        doc.out.set_aside["diagnostic_report"] += 1
        return  # an organizer whose every result was empty or a statement: nothing to show
    if is_kind_word(rep.title):
        # No name for the panel ("Results", or a nullFlavored code): named by what it holds.
        names = list(dict.fromkeys(m.title for m in members if m.title))
        rep.title = names[0] if len(names) == 1 else ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        rep.title = rep.title or "Lab results"
    rep.patient_ref = PATIENT_REF
    doc.out.items.insert(at, rep)
    rep.result_refs = [m.provenance.source_id for m in members if m.provenance.source_id]
    start, end, est = doc.effective(org)
    if start:
        rep.date, rep.date_end, rep.date_estimated = start, end, est
    else:
        dates = sorted(m.date for m in members if m.date and not m.date_estimated)
        if dates:
            rep.date, rep.date_estimated = dates[0], True
        else:
            doc.dated(rep, org)
    rep.encounter_ref = doc.linked_encounter(org)


def _organizer_members(
    doc: _Doc,
    top: etree._Element,
    org: etree._Element,
    report_ref: str | None,
    out: list[Observation],
    null_context: bool,
) -> None:
    for comp in org.iterchildren(_V + "component"):
        for c in comp:
            if c.tag == _V + "observation":
                o = _observation(
                    doc, c, "laboratory", organizer=org, report_ref=report_ref, null_context=null_context
                )
                if o is not None:
                    out.append(o)
            elif c.tag == _V + "organizer":  # nested panels: flatten under the top report
                _organizer_members(doc, top, c, report_ref, out, null_context or bool(c.get("nullFlavor")))


def _vitals(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag == _V + "organizer":
        stack = [(el, bool(el.get("nullFlavor")))]
        while stack:
            org, null_org = stack.pop()
            for comp in org.iterchildren(_V + "component"):
                for c in comp:
                    if c.tag == _V + "observation":
                        _observation(doc, c, "vital-signs", organizer=org, null_context=null_org)
                    elif c.tag == _V + "organizer":
                        stack.append((c, null_org or bool(c.get("nullFlavor"))))
    elif el.tag == _V + "observation":
        _observation(doc, el, "vital-signs")
    else:
        _kept_entry(doc, el, "vital signs")


def _social(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag == _V + "observation":
        _observation(doc, el, "social-history")
    else:
        _kept_entry(doc, el, "social history")


def _kept_entry(doc: _Doc, el: etree._Element, section: str) -> None:
    doc.out.kept.append(
        RawResource(
            resource_type=f"cda:{etree.QName(el).localname}",
            source_id=_first_id(el),
            raw=etree.tostring(el, with_tail=False).decode(),
            raw_format=RAW_FORMAT,
            patient_ref=PATIENT_REF,
        )
    )
    doc.out.warnings.append(
        f"an entry <{etree.QName(el).localname}> in the {section} section was not understood: kept, not shown"
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


def _null(el: etree._Element | None) -> bool:
    return el is not None and bool(el.get("nullFlavor"))


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
        o
        for o in _related(el, "observation")
        if _T + "4.4" in _templates(o) or o.getparent().get("typeCode") == "SUBJ"
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


def _encounters(doc: _Doc, el: etree._Element, _kind: str) -> None:
    if el.tag != _V + "encounter":
        _kept_entry(doc, el, "encounters")
        return
    if _placeholder(doc, el, el.find(_V + "code")):
        return
    eid = _first_id(el)
    existing = doc.encounters_by_id.get(eid) if eid else None
    if existing is not None and existing is doc.encompassing and not doc.encompassing_merged:
        # The visit the whole document is about, listed again as an activity: one encounter.
        doc.encompassing_merged = True
        _fill_encounter(doc, existing, el)
        existing.provenance.raw = etree.tostring(el, with_tail=False).decode()
        _encounter_diagnoses(doc, el, existing)
        return
    prov = doc.provenance(el, "encounter")
    if prov is None:
        return
    enc = Encounter(provenance=prov)
    _fill_encounter(doc, enc, el)
    doc.add(enc)
    if eid and eid not in doc.encounters_by_id:
        doc.encounters_by_id[eid] = enc
    _encounter_diagnoses(doc, el, enc)


def _fill_encounter(doc: _Doc, enc: Encounter, el: etree._Element) -> None:
    c = doc.cd(el.find(_V + "code"))
    if c.code or c.display:
        _set_code(enc, c)
        enc.encounter_type = c.display or c.code
    if c.system == CODE_SYSTEMS["2.16.840.1.113883.5.4"]:
        enc.encounter_class = c.code
    start, end, est = doc.effective(el)
    if start:
        enc.date, enc.date_end, enc.date_estimated = start, end, est
    elif not enc.date:
        doc.dated(enc, el)
    enc.status = _status(el) or enc.status
    enc.practitioner = _entity_name(el.find(f"{_V}performer/{_V}assignedEntity")) or enc.practitioner
    for part in el.iterchildren(_V + "participant"):
        if part.get("typeCode") == "LOC":
            role = part.find(_V + "participantRole")
            if role is not None:
                enc.location = _org_name(role.find(_V + "playingEntity")) or enc.location
                enc.provider = enc.provider or _org_name(role.find(_V + "scopingEntity"))
    for ind in _related(el, "observation", "act", type_code="RSON"):
        rc = doc.cd(ind.find(_V + "value"))
        enc.reason = rc.display or rc.code or doc.text_of(ind.find(_V + "text"))
        if enc.reason:
            break
    dd = el.find(_SDTC + "dischargeDispositionCode")
    if dd is not None:
        enc.discharge_disposition = doc.cd(dd).display or dd.get("code")
    enc.provider = enc.provider or None
    title = enc.encounter_type or doc.text_of(el.find(_V + "text")) or enc.reason or "Visit"
    where = enc.location or enc.provider
    enc.title = f"{title} — {where}" if where and where not in title else title


def _merge_encounter_diagnoses(doc: _Doc) -> None:
    """An encounter diagnosis that repeats a problem-list entry (same id, no other or the same code)
    is that problem seen at the visit: one condition, linked to the visit, not two."""
    problems: dict[str, list[Condition]] = {}
    for i in doc.out.items:
        if isinstance(i, Condition) and i.category == "problem-list-item" and i.provenance.source_id:
            problems.setdefault(i.provenance.source_id.split("#")[0], []).append(i)
    drop: set[int] = set()
    for i in doc.out.items:
        if not (isinstance(i, Condition) and i.category == "encounter-diagnosis" and i.provenance.source_id):
            continue
        same = problems.get(i.provenance.source_id.split("#")[0], [])
        by_content = False
        if not same and i.code:
            # Another id, the same problem: same code, the same day.
            same = [p for ps in problems.values() for p in ps
                    if p.code == i.code and (p.date or "")[:10] == (i.date or "")[:10]][:1]
            by_content = bool(same)
        if len(same) == 1 and (i.code is None or i.code == same[0].code):
            same[0].encounter_ref = same[0].encounter_ref or i.encounter_ref
            drop.add(id(i))
            if by_content:
                doc.out.set_aside["condition"] += 1
    if drop:
        doc.out.items = [i for i in doc.out.items if id(i) not in drop]


def _encounter_diagnoses(doc: _Doc, el: etree._Element, enc: Encounter) -> None:
    """Encounter diagnoses (4.80 acts holding problem observations) are conditions of that visit."""
    for act in _related(el, "act"):
        if _T + "4.80" not in _templates(act):
            continue
        inner = [o for o in _related(act, "observation")]
        for obs in inner:
            _condition(
                doc,
                obs,
                act,
                "encounters",
                act if len(inner) == 1 else obs,
                encounter_ref=enc.provenance.source_id,
            )


_HANDLERS: dict[str, Callable[[_Doc, etree._Element, str], None]] = {
    "medications": _medications,
    "discharge-medications": _medications,
    "medications-administered": _medications,
    "anesthesia": _medications,
    "immunizations": _immunizations,
    "results": _results,
    "vital-signs": _vitals,
    "social-history": _social,
    "problems": _problems,
    "past-medical-history": _problems,
    "discharge-diagnosis": _problems,
    "admission-diagnosis": _problems,
    "allergies": _allergies,
    "procedures": _procedures,
    "encounters": _encounters,
}
