"""What every parser returns, and the limits every parser enforces.

A parser is a pure function ``parse(data: bytes, source_name: str, **opts) -> ParsedFile``: no vault,
no I/O beyond the bytes it is given, no Qt.  The import service (services/importing.py) detects the
format, calls the parser, matches patients to people, de-duplicates and writes one transaction.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..errors import ImportRejected
from ..model.records import Item, RawResource

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
    # Organisations, practitioners, locations: name lookups the parser already applied to items;
    # kept raw as well through ``kept``.

    def counts(self) -> Counter[str]:
        return Counter(i.kind for i in self.items)


def reject(file: str, where: str | None, why: str) -> ImportRejected:
    return ImportRejected(file, where, why)
