"""The document header: the patient, the document date and the encompassing encounter."""

from __future__ import annotations

from lxml import etree

from ...model.records import (
    Encounter,
)
from ..base import PatientInfo
from .context import _Doc
from .datatypes import _entity_name, _first_id, _norm, _org_name, ts_to_iso
from .vocab import _SEX, _V, CODE_SYSTEMS, PATIENT_REF

# --- header ---------------------------------------------------------------------------------------


def _header(doc: _Doc) -> None:
    root = doc.root
    et = root.find(_V + "effectiveTime")
    doc.doc_date, doc.doc_date_est = ts_to_iso(et.get("value") if et is not None else None)
    if doc.doc_date is None:
        # No document time: when it was authored is the next best thing (flagged as a guess).
        at = root.find(f"{_V}author/{_V}time")
        doc.doc_date = ts_to_iso(at.get("value") if at is not None else None)[0]
        doc.doc_date_est = doc.doc_date is not None
    cust = root.find(f"{_V}custodian/{_V}assignedCustodian/{_V}representedCustodianOrganization")
    doc.custodian = _org_name(cust)

    pr = root.find(f"{_V}recordTarget/{_V}patientRole")
    if pr is not None:
        pat = pr.find(_V + "patient")
        p = PatientInfo(ref=PATIENT_REF, raw=etree.tostring(pr, with_tail=False).decode())
        if pat is not None:
            names = list(pat.iterchildren(_V + "name"))
            legal = [n for n in names if (n.get("use") or "").upper() == "L"]
            name = (legal or names or [None])[0]
            if name is not None:
                given = [g for g in (_norm(x.text) for x in name.iterchildren(_V + "given")) if g]
                families = [_norm(f.text) for f in name.iterchildren(_V + "family")]
                family = next((f for f in families if f), None)
                p.given = " ".join(given) or None
                p.family = family
                p.name = " ".join(x for x in (p.given, p.family) if x) or _norm("".join(name.itertext()))
            bt = pat.find(_V + "birthTime")
            if bt is not None:
                iso, _ = ts_to_iso(bt.get("value"))
                p.birth_date = iso[:10] if iso else None
            g = pat.find(_V + "administrativeGenderCode")
            if g is not None and g.get("code"):
                p.sex = _SEX.get(g.get("code", "").upper(), "unknown")
        for i in pr.iterchildren(_V + "id"):
            root_oid, ext = i.get("root"), i.get("extension")
            # The social security number is not an identifier the vault needs to spread further.
            if root_oid and ext and root_oid != "2.16.840.1.113883.4.1" and not i.get("nullFlavor"):
                p.identifiers.append((f"urn:oid:{root_oid}", ext))
        doc.out.patients.append(p)

    ee = root.find(f"{_V}componentOf/{_V}encompassingEncounter")
    if ee is not None:
        _encompassing(doc, ee)


def _encompassing(doc: _Doc, ee: etree._Element) -> None:
    c = doc.cd(ee.find(_V + "code"))
    prov = doc.provenance(ee, "encounter")
    if prov is None:
        return
    enc = Encounter(provenance=prov)
    enc.date, enc.date_end, enc.date_estimated = doc.times(ee.find(_V + "effectiveTime"))
    if not enc.date and doc.doc_date:
        enc.date, enc.date_estimated = doc.doc_date, True
    enc.code_system, enc.code, enc.display, enc.codes = c.system, c.code, c.display, c.codes
    enc.encounter_type = c.display
    if c.system == CODE_SYSTEMS["2.16.840.1.113883.5.4"]:
        enc.encounter_class = c.code
    rp = ee.find(f"{_V}responsibleParty/{_V}assignedEntity")
    enc.practitioner = _entity_name(rp)
    if not enc.practitioner:
        for ep in ee.iterchildren(_V + "encounterParticipant"):
            enc.practitioner = _entity_name(ep.find(_V + "assignedEntity"))
            if enc.practitioner:
                break
    hcf = ee.find(f"{_V}location/{_V}healthCareFacility")
    if hcf is not None:
        enc.location = _org_name(hcf.find(_V + "location")) or _org_name(hcf.find(_V + "serviceProviderOrganization"))
        enc.provider = _org_name(hcf.find(_V + "serviceProviderOrganization"))
    enc.provider = enc.provider or doc.custodian
    dd = ee.find(_V + "dischargeDispositionCode")
    if dd is not None:
        enc.discharge_disposition = doc.cd(dd).display or dd.get("code")
    doc_title_el = doc.root.find(_V + "title")
    doc_title = _norm("".join(doc_title_el.itertext())) if doc_title_el is not None else None
    enc.title = enc.encounter_type or (f"Visit: {doc_title}" if doc_title else "Visit")
    if enc.provider:
        enc.title = f"{enc.title} — {enc.provider}"
    doc.add(enc)
    doc.encompassing = enc
    eid = _first_id(ee)
    if eid:
        doc.encounters_by_id[eid] = enc
