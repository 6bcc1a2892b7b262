"""Independent expected item counts for a C-CDA file, for the corpus test and the benchmark.

Written with the standard library's ElementTree and plain templateId rules, on purpose sharing no code
with the parser (which walks the document structurally with lxml), so a disagreement means one of the
two is wrong about a real file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - only our own corpus and fixtures, never user input
from collections import Counter

V = "{urn:hl7-org:v3}"
T = "2.16.840.1.113883.10.20.22."

RESULTS = {T + "2.3", T + "2.3.1"}
VITALS = {T + "2.4", T + "2.4.1"}
SOCIAL = {T + "2.17"}
MEDS = {T + "2.1", T + "2.1.1", T + "2.11", T + "2.11.1", T + "2.38", T + "2.25"}
IMMS = {T + "2.2", T + "2.2.1"}
ALLERGIES = {T + "2.6", T + "2.6.1"}
PROBLEMS = {T + "2.5", T + "2.5.1", T + "2.20", T + "2.24", T + "2.43"}
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


def _xml_without_tail(el: ET.Element) -> bytes:
    tail, el.tail = el.tail, None
    try:
        return ET.tostring(el)
    finally:
        el.tail = tail


def expected_counts(path: str) -> Counter[str]:
    root = ET.parse(path).getroot()  # noqa: S314 - trusted corpus files
    picked: dict[str, list[ET.Element]] = {}

    def take(kind: str, el: ET.Element) -> None:
        picked.setdefault(kind, []).append(el)

    activity_ids: set[str] = set()
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
                                take("condition", o)
        if st & SOCIAL:
            # every observation entry of social history, whatever its templateId: two vendors
            # misspell the smoking-status template (2.16.840.1.113883.10.22.4.78)
            for e in sec.findall(V + "entry"):
                for o in e.findall(V + "observation"):
                    take("observation", o)

    counts: Counter[str] = Counter()
    for kind, els in picked.items():
        # The same statement repeated verbatim counts once (the parser takes it once).
        counts[kind] = len({_xml_without_tail(e) for e in els})
    ee = root.find(f"{V}componentOf/{V}encompassingEncounter")
    if ee is not None and (_first_id(ee) is None or _first_id(ee) not in activity_ids):
        counts["encounter"] += 1
    counts["document"] = 1
    return +counts
