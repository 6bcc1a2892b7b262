"""What every parser returns, and the limits every parser enforces.

A parser is a pure function ``parse(data: bytes, source_name: str, **opts) -> ParsedFile``: no vault,
no I/O beyond the bytes it is given, no Qt.  The import service (services/importing.py) detects the
format, calls the parser, matches patients to people, de-duplicates and writes one transaction.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import ImportRejected
from ..model.records import Condition, Item, Observation, RawResource

# Hostile-input limits (documented in README "Importing").
MAX_FILE_BYTES = 512 * 1024 * 1024  # one file
MAX_JSON_BYTES = 256 * 1024 * 1024  # one JSON document (NDJSON: per line 64 MiB)
MAX_NDJSON_LINE = 64 * 1024 * 1024
MAX_JSON_DEPTH = 100
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL = 2 * 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100  # uncompressed / compressed per member
MAX_XML_BYTES = 200 * 1024 * 1024


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one bulk parse or import.

    A parse makes millions of containers (decoded JSON, then records) and no reference cycles: every
    automatic collection would walk them all, a third of a 50 MB bundle's parse time and more again
    while its rows are written.  Reference counting still frees everything; the collector resumes
    (if it was on) when the work ends, and then collects whatever cycles it left.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class PatientInfo:
    """The patient as the source describes them; matched to a vault person by the service."""

    ref: str  # the key items use in patient_ref (e.g. "Patient/123" or "cda-patient")
    name: str | None = None
    given: str | None = None
    family: str | None = None
    birth_date: str | None = None  # YYYY-MM-DD
    sex: str | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (system, value)
    raw: str | None = None


@dataclass
class ParsedFile:
    source_name: str
    format: str  # fhir-json, fhir-ndjson, ccda, xdm, pdf, image, csv, text, packet
    patients: list[PatientInfo] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    kept: list[RawResource] = field(default_factory=list)  # "kept, not shown"
    warnings: list[str] = field(default_factory=list)
    # Statements that there is none ("No known allergy", "No problems indicated", a vaccine not given):
    # kept with the document (and in the import report), never items.
    statements: list[str] = field(default_factory=list)
    # Entries the clinical rules set aside, per kind (statements, empty results, exact repeats): with
    # the items they account for every entry of the source.
    set_aside: Counter[str] = field(default_factory=Counter)
    # Parts that could not be read (a zip's damaged document): the import reports them as failures.
    failures: list[str] = field(default_factory=list)
    # An image's first page as the importer's own check decoded it (photos: at the size recognition
    # reads), handed on so that recognition does not decode the picture a second time.  Memory only:
    # never stored; dropped once recognised (or when recognition is off).
    decoded: Any = field(default=None, repr=False, compare=False)
    # Organisations, practitioners, locations: name lookups the parser already applied to items;
    # kept raw as well through ``kept``.

    def counts(self) -> Counter[str]:
        return Counter(i.kind for i in self.items)


def reject(file: str, where: str | None, why: str) -> ImportRejected:
    return ImportRejected(file, where, why)


# --- clinical sense: what is a statement that there is none, not a record ---------------------------

# SNOMED CT situations saying there is none (the "no known ..." value and substance codes).
NO_KNOWN_CODES: frozenset[str] = frozenset(
    {
        "716186003",  # No known allergy
        "409137002",  # No known drug allergy
        "429625007",  # No known food allergy
        "428607008",  # No known environmental allergy
        "428197003",  # No known insect allergy
        "1150996004",  # No known adverse reaction
        "160245001",  # No current problems or disability
        "787481004",  # No known medication
        "275367005",  # No relevant past medical history
        "408350003",  # Patient not on medication
        "182904002",  # Drug treatment unknown
        "1156257007",  # No known allergy to latex
    }
)
_NONE_SAID = re.compile(
    r"^\s*(?:no|none|nil)\b[\w\s,/()-]{0,60}?\b(?:known|indicated|applicable|data|information|recorded|"
    r"reported|documented|available|on\s+file|administered|to\s+report)\b"
    r"|^\s*(?:nka|nkda|nkfa|none|nil|n/a|not\s+applicable|no\s+\w+(?:\s+\w+)?\s+(?:history|entries))\s*\.?\s*$"
    r"|\bnot\s+applicable\b",
    re.I,
)
_NOT_DONE = {
    "immunization": "Not given",
    "procedure": "Not done",
    "medication": "Not taken",
    "observation": "Not found",
    "condition": "Ruled out",
    "allergy": "No allergy",
    "encounter": "Did not take place",
}
_ERROR_STATUSES = frozenset({"entered-in-error"})
_NEGATED_STATUSES = frozenset({"not-done", "not-taken", "refuted", "not-given"})


def says_none(text: str | None) -> bool:
    """Whether a name or value only says that there is nothing ("No known allergies", "None")."""
    return bool(text) and _NONE_SAID.search(text or "") is not None


def none_statement(item: Item) -> str | None:
    """The statement an item really is when it records that there is none (negation, "no known"
    code, "No ... indicated" text) or a record entered in error; None for a real record."""
    if item.kind == "document":
        return None
    name = item.title or item.display or item.code or item.kind
    status = (item.status or "").lower()
    ver = (item.verification_status or "").lower() if isinstance(item, Condition) else ""
    if status in _ERROR_STATUSES or ver in _ERROR_STATUSES:
        return f"Entered in error (not shown): {name}"
    codes = {item.code, *(c.code for c in item.codes)}
    if isinstance(item, Observation):
        codes |= {c.get("value_code") for c in item.components}
    if codes & NO_KNOWN_CODES:
        return name
    if status in _NEGATED_STATUSES or ver == "refuted":
        prefix = _NOT_DONE.get(item.kind, "Not")
        if name.lower().startswith(("no ", "not ")):
            return name
        return f"{prefix}: {name}"
    # Only names: a result's value "None seen" or a social-history answer "None" is a real finding.
    for t in (item.title, item.display):
        if says_none(t):
            return t
    return None


# Names that only say what kind of thing an item is: never a name when the source has a better one.
KIND_WORDS: frozenset[str] = frozenset(
    {
        "observation",
        "observations",
        "procedure",
        "procedures",
        "result",
        "results",
        "problem",
        "problems",
        "condition",
        "conditions",
        "allergy",
        "allergies",
        "medication",
        "medications",
        "immunization",
        "immunizations",
        "encounter",
        "encounters",
        "assertion",
        "diagnostic report",
        "document",
        "finding",
        "unknown",
        "unk",
        "other",
        "test",
        "lab",
        "labs",
        "visit",
    }
)


def is_kind_word(name: str | None) -> bool:
    return not name or " ".join(name.lower().split()) in KIND_WORDS


def drop_exact_repeats(items: list[Item]) -> Counter[str]:
    """Remove items that repeat an earlier one exactly (same kind, name, time, value, codes, every
    detail) in place; returns how many went.  Documents are compared by their content hash."""
    from ..model.records import dumps

    seen: set[tuple[object, ...]] = set()
    keep: list[Item] = []
    gone: Counter[str] = Counter()
    for it in items:
        if it.kind == "document":
            keep.append(it)
            continue
        key = (
            it.kind,
            it.title,
            it.date,
            it.date_end,
            it.status,
            it.code_system,
            it.code,
            it.display,
            it.note,
            it.encounter_ref,
            dumps(it.data()),
        )
        if key in seen:
            gone[it.kind] += 1
            continue
        seen.add(key)
        keep.append(it)
    if gone:
        items[:] = keep
    return gone


# Displays of answer codes sources send without a name (smoking status, LOINC 72166-2's answers, and a
# few common findings): shown instead of the bare code, the code kept.
CODE_DISPLAYS: dict[str, str] = {
    "449868002": "Current every day smoker",
    "428041000124106": "Current some day smoker",
    "8517006": "Former smoker",
    "266919005": "Never smoker",
    "77176002": "Smoker, current status unknown",
    "266927001": "Unknown if ever smoked",
    "428071000124103": "Current heavy tobacco smoker",
    "428061000124105": "Current light tobacco smoker",
    "110483000": "Tobacco user",
    "373066001": "Yes",
    "373067005": "No",
    "260385009": "Negative",
    "10828004": "Positive",
    "260373001": "Detected",
    "260415000": "Not detected",
}
_SYSTEM_NAMES = {
    "http://snomed.info/sct": "SNOMED CT",
    "http://loinc.org": "LOINC",
    "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
}


def coded_value_text(code: str | None, system: str | None, display: str | None) -> str | None:
    """What a coded value shows: its display, a known display for the code, else the code said to be
    one ("code 1234 (SNOMED CT)"), never a bare number that reads like a result."""
    if display:
        return display
    if not code:
        return None
    if code in CODE_DISPLAYS:
        return CODE_DISPLAYS[code]
    name = _SYSTEM_NAMES.get(system or "", "")
    return f"code {code}" + (f" ({name})" if name else "")
