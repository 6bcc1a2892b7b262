"""Encounters and the diagnoses they carry."""

from __future__ import annotations

from lxml import etree

from ...model.records import (
    Condition,
    Encounter,
)
from .common import _kept_entry, _placeholder, _set_code, _status
from .context import _Doc
from .datatypes import _entity_name, _first_id, _org_name, _related, _templates
from .problems import _condition
from .vocab import (
    _SDTC,
    _T,
    _V,
    CODE_SYSTEMS,
)


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
            same = [
                p
                for ps in problems.values()
                for p in ps
                if p.code == i.code and (p.date or "")[:10] == (i.date or "")[:10]
            ][:1]
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
