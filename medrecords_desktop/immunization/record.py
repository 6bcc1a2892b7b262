"""From a person's record to the evaluator's input: every immunization from every source, with a
CVX code, de-duplicated; and the conditions CDSi knows, mapped from SNOMED CT / ICD-10.

- CVX: the item's own code when it is CVX; else a CVX coding among its translations; else the name
  (title, display, or an NDC coding's display) looked up among the names the supporting data spells
  out (short descriptions, vaccine types, trade names). A dose that still has no CVX is reported as
  "not recognised", never dropped silently.
- Doses that were not given (status not-done / entered-in-error, a "not given" note) do not count.
- The same dose from two sources counts once: same vaccine group (or same CVX) on the same date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .data import Supporting, norm_cvx, norm_name
from .model import Dose

CVX_SYSTEMS = ("http://hl7.org/fhir/sid/cvx", "urn:oid:2.16.840.1.113883.12.292", "2.16.840.1.113883.12.292", "cvx")
MVX_SYSTEMS = ("http://hl7.org/fhir/sid/mvx", "urn:oid:2.16.840.1.113883.12.227", "2.16.840.1.113883.12.227", "mvx")
NDC_SYSTEMS = ("http://hl7.org/fhir/sid/ndc", "urn:oid:2.16.840.1.113883.6.69", "2.16.840.1.113883.6.69", "ndc")
SNOMED_SYSTEMS = ("http://snomed.info/sct", "urn:oid:2.16.840.1.113883.6.96", "2.16.840.1.113883.6.96", "snomed")
ICD10_SYSTEMS = (
    "http://hl7.org/fhir/sid/icd-10-cm",
    "http://hl7.org/fhir/sid/icd-10",
    "urn:oid:2.16.840.1.113883.6.90",
    "2.16.840.1.113883.6.90",
    "icd-10-cm",
    "icd10",
)
NOT_GIVEN_STATUS = {"not-done", "entered-in-error", "notdone", "cancelled", "aborted", "nullified"}

# NDC labeler (first 5 digits) -> MVX, for the vaccine makers whose NDCs a US record carries
NDC_LABELER_MVX = {
    "58160": "SKB",
    "49281": "PMC",
    "00006": "MSD",
    "00005": "PFR",
    "59267": "PFR",
    "66019": "MED",
    "33332": "SEQ",
    "70461": "SEQ",
    "80777": "MOD",
    "80631": "NVX",
}

# ICD-10-CM code prefixes -> CDSi observation codes (only codes the supporting data defines are used)
ICD10_OBSERVATIONS = (
    (("O0", "O1", "O2", "O3", "O4", "O6", "O7", "O9", "Z33.1", "Z34"), "007"),  # pregnant
    (("D73.0", "Q89.01", "Z90.81"), "160"),  # anatomical or functional asplenia
    (("D57",), "259"),  # sickle cell disease
    (("B20", "Z21"), "186"),  # HIV infection
    (("D80", "D81", "D82", "D83", "D84"), "003"),  # immunocompromised
    (("E10", "E11", "E13"), "014"),  # diabetes
    (("K70", "K72", "K73", "K74", "K76"), "015"),  # chronic liver disease
    (("Z94",), "269"),  # transplantation
    (("Z99.2", "N18.6"), "032"),  # dialysis
)
# US trade names -> CVX (the supporting data carries few trade names). Entries whose CVX the data does
# not know are ignored.
TRADE_NAMES = {
    "pediarix": "110",
    "pentacel": "120",
    "kinrix": "130",
    "quadracel": "130",
    "vaxelis": "146",
    "infanrix": "20",
    "daptacel": "106",
    "boostrix": "115",
    "adacel": "115",
    "tenivac": "113",
    "tdvax": "09",
    "ipol": "10",
    "acthib": "48",
    "hiberix": "48",
    "pedvaxhib": "49",
    "engerix b": "08",
    "recombivax hb": "08",
    "heplisav b": "189",
    "prehevbrio": "220",
    "havrix": "83",
    "vaqta": "83",
    "twinrix": "104",
    "m m r ii": "03",
    "mmr ii": "03",
    "priorix": "03",
    "proquad": "94",
    "varivax": "21",
    "rotateq": "116",
    "rotarix": "119",
    "gardasil 9": "165",
    "gardasil": "62",
    "cervarix": "118",
    "menactra": "114",
    "menveo": "136",
    "menquadfi": "203",
    "bexsero": "163",
    "trumenba": "162",
    "penbraya": "328",
    "prevnar 13": "133",
    "prevnar 20": "216",
    "vaxneuvance": "215",
    "pneumovax 23": "33",
    "capvaxive": "327",
    "shingrix": "187",
    "zostavax": "121",
    "arexvy": "303",
    "abrysvo": "305",
    "mresvia": "326",
    "beyfortus": "306",
    "enflonsia": "315",
    "fluzone high dose": "197",
    "fluad": "205",
    "flumist": "111",
    "flublok": "185",
    "flucelvax": "171",
    "fluzone": "150",
    "fluarix": "150",
    "flulaval": "150",
    "afluria": "150",
    "comirnaty": "309",
    "spikevax": "312",
    "novavax": "313",
}
# a generic word in a name -> the data's "unspecified formulation" CVX for that vaccine
GENERIC_WORDS = (
    (("dtap",), "107"),
    (("tdap",), "115"),
    (("td",), "139"),
    (("tetanus",), "112"),
    (("ipv", "polio"), "89"),
    (("hib", "haemophilus"), "17"),
    (("hepatitis b", "hep b", "hepb"), "45"),
    (("hepatitis a", "hep a", "hepa"), "85"),
    (("mmrv",), "94"),
    (("mmr", "measles"), "03"),
    (("varicella", "chickenpox"), "21"),
    (("rotavirus",), "122"),
    (("hpv", "papilloma"), "137"),
    (("meningococcal b", "menb"), "164"),
    (("meningococcal", "menacwy", "mcv4"), "147"),
    (("pneumococcal conjugate", "pcv"), "152"),
    (("pneumococcal", "pneumonia"), "109"),
    (("zoster", "shingles"), "188"),
    (("rsv",), "304"),
    (("covid", "sars cov 2"), "213"),
    (("influenza", "flu"), "88"),
)
INACTIVE = {"inactive", "resolved", "remission", "refuted", "entered-in-error"}


@dataclass
class RecordDoses:
    doses: list[Dose] = field(default_factory=list)
    duplicates: list[tuple[Dose, Dose]] = field(default_factory=list)  # (dropped, kept)
    unrecognised: list[str] = field(default_factory=list)  # item titles without a CVX
    not_given: int = 0


def _in(system: str | None, systems: tuple[str, ...]) -> bool:
    s = (system or "").lower()
    return any(s == x or s.endswith(x) for x in systems)


def _codings(item) -> list[tuple[str | None, str | None, str | None]]:
    out = [(item.code_system, item.code, item.display)]
    out += [(c.system, c.code, c.display) for c in (item.codes or [])]
    return out


def cvx_of(item, sup: Supporting) -> tuple[str, str]:
    """(CVX, MVX) for an immunization item; CVX "" when unknown."""
    mvx = ""
    names = [item.title, item.display]
    cvx = ""
    for system, code, display in _codings(item):
        if not code:
            names.append(display)
            continue
        if _in(system, CVX_SYSTEMS) and not cvx:
            cvx = norm_cvx(code)
        elif _in(system, MVX_SYSTEMS):
            mvx = code.strip().upper()
        elif _in(system, NDC_SYSTEMS):
            digits = re.sub(r"\D", "", code)
            mvx = mvx or NDC_LABELER_MVX.get(digits[:5], "")
            names.append(display)
        else:
            names.append(display)
    if cvx:
        return cvx, mvx
    for name in names:
        key = norm_name(name or "")
        if not key:
            continue
        if key in sup.name_to_cvx:
            return sup.name_to_cvx[key], mvx
        # "Pediarix (DTaP-HepB-IPV) 0.5 mL": try each bracketed or leading part
        for part in re.split(r"[()\[\],;]| - ", name or ""):
            k = norm_name(part)
            if k in sup.name_to_cvx:
                return sup.name_to_cvx[k], mvx
        k = norm_name(
            re.sub(r"\b(vaccine|vaccination|injection|shot|dose|im|intramuscular)\b", " ", name or "", flags=re.I)
        )
        if k in sup.name_to_cvx:
            return sup.name_to_cvx[k], mvx
    for name in names:
        key = f" {norm_name(name or '')} "
        for trade, code in TRADE_NAMES.items():
            if f" {trade} " in key and code in sup.cvx_antigens:
                return code, mvx
    for name in names:
        key = f" {norm_name(name or '')} "
        for words, code in GENERIC_WORDS:
            if any(f" {w} " in key for w in words) and code in sup.cvx_antigens:
                return code, mvx
    return "", mvx


def _was_given(item) -> bool:
    if (item.status or "").lower() in NOT_GIVEN_STATUS:
        return False
    note = (item.note or "").lower()
    return not any(line.strip().startswith("not given") for line in note.splitlines())


def _groups_of(cvx: str, sup: Supporting) -> frozenset[str]:
    return frozenset(sup.antigen_group.get(a, a) for a, _b, _e in sup.cvx_antigens.get(cvx, ()))


def _specificity(cvx: str, sup: Supporting) -> int:
    """Prefer a specific product over an 'unspecified formulation' code when two sources differ."""
    return 0 if "unspecified" in sup.cvx_names.get(cvx, "").lower() else 1


def doses_from_items(items, sup: Supporting) -> RecordDoses:
    """Immunization items (any source, hand-entered and scanned included) -> de-duplicated doses."""
    out = RecordDoses()
    kept: dict[tuple, Dose] = {}
    order: list[tuple] = []
    for item in items:
        if getattr(item, "kind", "") != "immunization" or getattr(item, "deleted", False):
            continue
        if not _was_given(item):
            out.not_given += 1
            continue
        try:
            date = dt.date.fromisoformat((item.date or "")[:10])
        except ValueError:
            out.unrecognised.append(f"{item.title or 'immunization'} (no date)")
            continue
        cvx, mvx = cvx_of(item, sup)
        if not cvx:
            out.unrecognised.append(item.title or item.display or "immunization")
            continue
        dose = Dose(date, cvx, mvx, ref=item.id or "", name=item.title or sup.cvx_names.get(cvx, ""))
        groups = _groups_of(cvx, sup) or frozenset({cvx})
        key = (date, groups)
        prev = kept.get(key)
        if prev is None:
            kept[key] = dose
            order.append(key)
        elif _specificity(cvx, sup) > _specificity(prev.cvx, sup) or (not prev.mvx and mvx and prev.cvx == cvx):
            kept[key] = dose
            out.duplicates.append((prev, dose))
        else:
            out.duplicates.append((dose, prev))
    out.doses = sorted((kept[k] for k in order), key=lambda d: (d.date, d.cvx))
    return out


def observations_from_items(items, sup: Supporting, on: dt.date) -> frozenset[str]:
    """CDSi observation codes from the record's active conditions (SNOMED CT or ICD-10-CM)."""
    codes: set[str] = set()
    for item in items:
        if getattr(item, "kind", "") != "condition" or getattr(item, "deleted", False):
            continue
        if (getattr(item, "clinical_status", None) or "").lower() in INACTIVE:
            continue
        if (getattr(item, "verification_status", None) or "").lower() in INACTIVE:
            continue
        if getattr(item, "date_end", None) and item.date_end[:10] < on.isoformat():
            continue
        for system, code, _display in _codings(item):
            if not code:
                continue
            if _in(system, SNOMED_SYSTEMS):
                codes |= sup.code_to_observation.get(("SNOMED", code.strip()), set())
            elif _in(system, ICD10_SYSTEMS):
                c = code.strip().upper()
                for prefixes, obs in ICD10_OBSERVATIONS:
                    if obs in sup.observations and any(c.startswith(p) for p in prefixes):
                        codes.add(obs)
    return frozenset(codes)
