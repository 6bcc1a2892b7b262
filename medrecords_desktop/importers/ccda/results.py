"""Results, vital signs and social history: observations and result organizers."""

from __future__ import annotations

from lxml import etree

from ...model.records import (
    DiagnosticReport,
    Observation,
)
from ..base import coded_value_text, is_kind_word
from .common import _kept_entry, _placeholder, _set_code, _status
from .context import _Code, _Doc
from .datatypes import _entity_name, _norm, _num, _templates, _xsi_type, ts_to_iso
from .vocab import (
    _SMOKING_CODES,
    _T,
    _V,
    PATIENT_REF,
)


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
            obs.components.append({"value_code": c.code, "value_system": c.system, "value_display": c.display})
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


def _title_from_the_value(
    obs: Observation, c: _Code, entry_text: str | None, el: etree._Element, category: str
) -> None:
    """Observations whose code only says what kind of statement they are, or that are the finding itself:
    the title from what they say (smoking status, social history)."""
    value_code = next((x.get("value_code") for x in obs.components if x.get("value_code")), None)
    smoking = _T + "4.78" in _templates(el) or value_code in _SMOKING_CODES or c.code == "72166-2"
    if c.code == "ASSERTION" or is_kind_word(obs.title) or (smoking and obs.title == c.code):
        # C-CDA R1.1 smoking status and similar: the code only says "this is asserted", the
        # meaning is in the value.
        obs.title = (
            "Tobacco smoking status"
            if smoking
            else (entry_text if entry_text and not is_kind_word(entry_text) else obs.value_text or "")
        )
    elif obs.value is None and not obs.value_text and not obs.components and category == "social-history":
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


def _reference_range(doc: _Doc, obs: Observation, el: etree._Element) -> None:
    """The observation's reference range: low and high, else its text."""
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
    _title_from_the_value(obs, c, entry_text, el, category)
    ic = el.find(_V + "interpretationCode")
    if ic is not None:
        obs.interpretation = ic.get("code") or doc.cd(ic).display
    _reference_range(doc, obs, el)
    perf = el.find(f"{_V}performer/{_V}assignedEntity")
    obs.performer = _entity_name(perf)
    obs.note = doc.comment(el)
    if (
        obs.value is None
        and not obs.value_text
        and not obs.components
        and (obs.interpretation or "N").upper() in ("N", "NORMAL")
        and not obs.note
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
                o = _observation(doc, c, "laboratory", organizer=org, report_ref=report_ref, null_context=null_context)
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
