"""The shipped catalogue of common lab tests (``data/lab_tests.json``), read once, in one shape.

Every user goes through here: manual entry (services/editing.py) and the reading of paper lab reports.
Each test has its LOINC code and names (the name, abbreviations printed on reports, older codes), its
usual units (the first is the most common) with the LOINC code of each unit where it differs (a molar
unit has a substance-concentration code), a typical adult range, its precision, specimen and panel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .units import to_ucum


@dataclass(frozen=True, slots=True)
class LabTest:
    name: str
    loinc: str
    synonyms: tuple[str, ...]
    units: tuple[str, ...]  # the usual units, the most common first
    low: float | None  # a typical adult reference range (None: no bound)
    high: float | None
    decimals: int  # reporting precision
    specimen: str
    panel: str
    kind: str  # quantity | text
    normal: str | None = None  # the normal answer of a text result ("Negative")
    unit_codes: tuple[tuple[str, str], ...] = field(default=())  # (unit, LOINC code) where not ``loinc``
    also_codes: tuple[str, ...] = ()  # older LOINC codes of the same test

    @classmethod
    def from_entry(cls, t: dict[str, Any]) -> LabTest:
        """A test from its entry in the JSON file."""
        units = t.get("units", ())
        return cls(
            name=t["name"],
            loinc=t["loinc"],
            synonyms=tuple(t.get("synonyms", ())),
            units=(units,) if isinstance(units, str) else tuple(units),
            low=t.get("low"),
            high=t.get("high"),
            decimals=int(t.get("decimals", 1)),
            specimen=t.get("specimen", ""),
            panel=t.get("panel", ""),
            kind=t.get("kind", "quantity"),
            normal=t.get("normal"),
            unit_codes=tuple((str(u), str(c)) for u, c in (t.get("unit_codes") or {}).items()),
            also_codes=tuple(str(c) for c in t.get("also_codes", ())),
        )

    def names(self) -> tuple[str, ...]:
        """The name and the abbreviations printed on reports."""
        return (self.name, *self.synonyms)

    def code_for(self, unit: str | None) -> str:
        """The LOINC code for the unit a result is given in: glucose in mmol/L is 14749-6 (substance
        concentration), in mg/dL 2345-7 (mass concentration)."""
        if unit:
            want = norm_unit(unit)
            for u, code in self.unit_codes:
                if norm_unit(u) == want:
                    return code
        return self.loinc

    def fits(self, unit: str) -> bool:
        """Whether ``unit`` is one of the test's usual units (spelled any way UCUM or reports spell it)."""
        want = norm_unit(unit)
        return any(norm_unit(u) == want for u in self.units)

    def as_dict(self) -> dict[str, Any]:
        """The catalogue entry as written in the JSON file (for callers that still read entries as dicts)."""
        d: dict[str, Any] = {
            "name": self.name,
            "loinc": self.loinc,
            "synonyms": list(self.synonyms),
            "units": list(self.units),
            "low": self.low,
            "high": self.high,
            "decimals": self.decimals,
            "specimen": self.specimen,
            "panel": self.panel,
            "kind": self.kind,
        }
        if self.normal is not None:
            d["normal"] = self.normal
        if self.unit_codes:
            d["unit_codes"] = dict(self.unit_codes)
        if self.also_codes:
            d["also_codes"] = list(self.also_codes)
        return d


def norm_unit(u: str) -> str:
    """A unit compared spelling-blind: its UCUM form, without spaces, case-folded."""
    return (to_ucum(u) or u).replace(" ", "").casefold()


@cache
def lab_tests() -> tuple[LabTest, ...]:
    """The catalogue, read from the shipped file on first use and kept."""
    text = resources.files("medrecords_desktop.data").joinpath("lab_tests.json").read_text("utf-8")
    data = json.loads(text)
    return tuple(LabTest.from_entry(t) for t in (data["tests"] if isinstance(data, dict) else data))


@cache
def _by_key() -> dict[str, LabTest]:
    out: dict[str, LabTest] = {}
    for t in lab_tests():
        for key in (t.name, *t.synonyms, t.loinc, *t.also_codes):
            out.setdefault(key.casefold(), t)
    return out


def find_lab_test(name: str) -> LabTest | None:
    """The test called ``name`` (its name, an abbreviation or a LOINC code, current or older; any case)."""
    return _by_key().get(name.casefold().strip())
