"""Independent expected item counts for a C-CDA file, for the corpus test and the benchmark.

Written with the standard library's ElementTree and plain templateId rules, on purpose sharing no code
with the parser (which walks the document structurally with lxml), so a disagreement means one of the
two is wrong about a real file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - only our own corpus and fixtures, never user input
from collections import Counter
from typing import IO

V = "{urn:hl7-org:v3}"
T = "2.16.840.1.113883.10.20.22."

RESULTS = {T + "2.3", T + "2.3.1"}
VITALS = {T + "2.4", T + "2.4.1"}
SOCIAL = {T + "2.17"}
MEDS = {T + "2.1", T + "2.1.1", T + "2.11", T + "2.11.1", T + "2.38", T + "2.25"}
IMMS = {T + "2.2", T + "2.2.1"}
ALLERGIES = {T + "2.6", T + "2.6.1"}
PROBLEMS = {T + "2.5", T + "2.5.1", T + "2.20", T + "2.24", T + "2.43"}
PROBLEM_LIST = {T + "2.5", T + "2.5.1"}
PROCS = {T + "2.7", T + "2.7.1"}
ANESTHESIA = {T + "2.25"}
ENCOUNTERS = {T + "2.22", T + "2.22.1"}


def _tids(el: ET.Element) -> set[str]:
    return {t.get("root", "") for t in el.findall(V + "templateId")}


def _first_id(el: ET.Element) -> str | None:
    for i in el.findall(V + "id"):
        if i.get("nullFlavor"):
            continue
        root, ext = i.get("root", "").strip(), (i.get("extension") or "").strip()
        if root or ext:
            return f"{root}^{ext}" if ext else root
    return None


def _sections(body: ET.Element) -> list[ET.Element]:
    out: list[ET.Element] = []
    stack = [s for c in body.findall(V + "component") for s in c.findall(V + "section")]
    while stack:
        s = stack.pop()
        out.append(s)
        stack.extend(x for c in s.findall(V + "component") for x in c.findall(V + "section"))
    return out


def _in_entries(sec: ET.Element) -> list[ET.Element]:
    """Every element inside the section's own entries (not inside its subsections)."""
    return [d for e in sec.findall(V + "entry") for d in e.iter()]


def _says_something(el: ET.Element | None, ids: dict[str, ET.Element]) -> bool:
    """A code, a name, a number, or text (inline or referenced into the narrative)."""
    if el is None:
        return False
    if any(el.get(a) for a in ("code", "displayName", "value")):
        return True
    for sub in el.iter():
        if sub is not el and sub.tag in (V + "translation", V + "low", V + "high", V + "center"):
            if sub.get("code") or sub.get("value"):
                return True
        if sub.tag == V + "reference":
            target = ids.get((sub.get("value") or "").lstrip("#"))
            if target is not None and "".join(target.itertext()).strip():
                return True
    own = (el.text or "") + "".join(c.tail or "" for c in el)
    ot = el.find(V + "originalText")
    return bool(own.strip() or (ot is not None and "".join(ot.itertext()).strip()))


def _value_code(obs: ET.Element) -> str | None:
    v = obs.find(V + "value")
    if v is None or v.get("nullFlavor") or not v.get("code"):
        tr = v.find(V + "translation") if v is not None else None
        return tr.get("code") if tr is not None and tr.get("code") else None
    return v.get("code")


def _says_something_code(code: ET.Element | None) -> bool:
    return code is not None and bool(code.get("code") or code.get("displayName"))


def _xml_without_tail(el: ET.Element) -> bytes:
    tail, el.tail = el.tail, None
    try:
        return ET.tostring(el)
    finally:
        el.tail = tail


def expected_counts(path: str | IO[bytes]) -> Counter[str]:
    root = ET.parse(path).getroot()  # noqa: S314 - trusted corpus files
    picked: dict[str, list[ET.Element]] = {}
    parent = {c: p for p in root.iter() for c in p}
    ids = {e.get("ID", ""): e for e in root.iter() if e.get("ID")}

    def null_context(el: ET.Element) -> bool:
        """The statement or any statement holding it (up to its entry) is nullFlavored."""
        while el is not None and el.tag != V + "entry":
            if el.get("nullFlavor") and el.tag not in (V + "entryRelationship", V + "component"):
                return True
            el = parent.get(el)
        return False

    def content(kind: str, el: ET.Element) -> list[ET.Element | None]:
        if kind in ("observation", "condition"):
            return [el.find(V + "value")]
        if kind == "allergy":
            pe = el.find(f"{V}participant/{V}participantRole/{V}playingEntity")
            subst = [pe.find(V + "code"), pe.find(V + "name")] if pe is not None else []
            return [el.find(V + "value"), *subst]
        if kind in ("medication", "immunization"):
            mm = el.find(f"{V}consumable/{V}manufacturedProduct/{V}manufacturedMaterial")
            return [mm.find(V + "code"), mm.find(V + "name")] if mm is not None else []
        return [el.find(V + "code")]

    def placeholder(kind: str, el: ET.Element) -> bool:
        # Entries that stand for "no information" (vendors' "No data" rows) are not records: a
        # nullFlavored statement, or one inside a nullFlavored organizer/concern, with nothing coded.
        return null_context(el) and not any(_says_something(c, ids) for c in content(kind, el))

    def take(kind: str, el: ET.Element) -> None:
        if kind == "diagnostic_report":
            labs = [o for o in el.iter() if T + "4.2" in _tids(o) and not placeholder("observation", o)]
            if el.get("nullFlavor") and not labs and not _says_something_code(el.find(V + "code")):
                return
        elif placeholder(kind, el):
            return
        picked.setdefault(kind, []).append(el)

    activity_ids: set[str] = set()
    encounter_dx: list[ET.Element] = []
    problem_list: list[ET.Element] = []
    body = root.find(f"{V}component/{V}structuredBody")
    for sec in _sections(body) if body is not None else []:
        st = _tids(sec)
        elements = _in_entries(sec)
        for el in elements:
            tids = _tids(el)
            if st & RESULTS:
                if T + "4.1" in tids:
                    take("diagnostic_report", el)
                if T + "4.2" in tids:
                    take("observation", el)
            if st & VITALS and T + "4.27" in tids:
                take("observation", el)
            if st & MEDS and T + "4.16" in tids:
                take("medication", el)
            if st & IMMS and T + "4.52" in tids:
                take("immunization", el)
            if st & ALLERGIES and T + "4.7" in tids:
                take("allergy", el)
            if st & PROBLEMS and T + "4.4" in tids:
                take("condition", el)
                if st & PROBLEM_LIST:
                    problem_list.append(el)
            if st & PROCS and tids & {T + "4.12", T + "4.13", T + "4.14"}:
                take("procedure", el)
            if st & ANESTHESIA and T + "4.14" in tids:
                take("procedure", el)
            if st & ENCOUNTERS and T + "4.49" in tids:
                take("encounter", el)
                if _first_id(el):
                    activity_ids.add(_first_id(el) or "")
                # encounter diagnoses: problem observations inside 4.80 acts of this encounter
                for act in el.iter():
                    if T + "4.80" in _tids(act):
                        for o in act.iter():
                            if T + "4.4" in _tids(o):
                                encounter_dx.append(o)
        if st & SOCIAL:
            # every observation entry of social history, whatever its templateId: two vendors
            # misspell the smoking-status template (2.16.840.1.113883.10.22.4.78)
            for e in sec.findall(V + "entry"):
                for o in e.findall(V + "observation"):
                    take("observation", o)

    # An encounter diagnosis repeating the one problem-list entry with its id (and no other code)
    # is the same condition: the parser links that problem to the visit instead of adding a second.
    problem_list = [p for p in problem_list if p in picked.get("condition", [])]
    for o in encounter_dx:
        oid = _first_id(o)
        same = [p for p in problem_list if oid is not None and _first_id(p) == oid]
        if len(same) == 1 and _value_code(o) in (None, _value_code(same[0])) and not placeholder("condition", o):
            continue
        take("condition", o)

    counts: Counter[str] = Counter()
    for kind, els in picked.items():
        # The same statement repeated verbatim counts once (the parser takes it once).
        counts[kind] = len({_xml_without_tail(e) for e in els})
    ee = root.find(f"{V}componentOf/{V}encompassingEncounter")
    if ee is not None and (_first_id(ee) is None or _first_id(ee) not in activity_ids):
        counts["encounter"] += 1
    counts["document"] = 1
    return +counts
