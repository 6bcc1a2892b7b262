"""The lab catalogue: every entry's units fit the property of the LOINC code they are stored under, and
manual entry picks the code by the unit entered."""

from __future__ import annotations

import dataclasses
import json

import pytest

from medrecords_desktop.model.lab_catalogue import LabTest, find_lab_test, lab_tests
from medrecords_desktop.model.units import code_for_unit, to_ucum, unit_property
from medrecords_desktop.services.editing import catalogue_code, find_test, lab_catalog

# The LOINC property of each code the catalogue uses, from the LOINC long common names (written here,
# apart from the catalogue, so that a wrong pairing in either shows): MCnc mass/volume, SCnc
# substance/volume, CCnc/ACnc enzyme or arbitrary units/volume, NCnc count/volume, MFr/NFr/VFr
# fractions, MRto/SRto/Ratio ratios, EntVol/EntMass per cell, Time, Vel, ArVRat eGFR, Rden/LsCnc/Prid/
# PrThr for unitless and ordinal tests.
PROPERTY: dict[str, str] = {
    "2345-7": "MCnc",
    "14749-6": "SCnc",
    "1558-6": "MCnc",
    "14771-0": "SCnc",
    "3094-0": "MCnc",
    "14937-7": "SCnc",
    "2160-0": "MCnc",
    "14682-9": "SCnc",
    "3097-3": "MRto",
    "98979-8": "ArVRat",
    "2951-2": "SCnc",
    "2823-3": "SCnc",
    "2075-0": "SCnc",
    "2028-9": "SCnc",
    "33037-3": "SCnc",
    "17861-6": "MCnc",
    "2000-8": "SCnc",
    "19123-9": "MCnc",
    "2601-3": "SCnc",
    "2777-1": "MCnc",
    "14879-1": "SCnc",
    "3084-1": "MCnc",
    "14933-6": "SCnc",
    "2885-2": "MCnc",
    "1751-7": "MCnc",
    "10834-0": "MCnc",
    "1759-0": "MRto",
    "1975-2": "MCnc",
    "14631-6": "SCnc",
    "1968-7": "MCnc",
    "14629-0": "SCnc",
    "6768-6": "CCnc",
    "1742-6": "CCnc",
    "1920-8": "CCnc",
    "2324-2": "CCnc",
    "2532-0": "CCnc",
    "2157-6": "CCnc",
    "3040-3": "CCnc",
    "1798-8": "CCnc",
    "2524-7": "SCnc",
    "2093-3": "MCnc",
    "14647-2": "SCnc",
    "2085-9": "MCnc",
    "14646-4": "SCnc",
    "13457-7": "MCnc",
    "18262-6": "MCnc",
    "22748-8": "SCnc",
    "2571-8": "MCnc",
    "14927-8": "SCnc",
    "43396-1": "MCnc",
    "9830-1": "MRto",
    "4548-4": "MFr",
    "59261-8": "SFr",
    "27353-2": "MCnc",
    "20448-7": "ACnc",
    "14959-1": "MRto",
    "6690-2": "NCnc",
    "789-8": "NCnc",
    "718-7": "MCnc",
    "4544-3": "VFr",
    "787-2": "EntVol",
    "785-6": "EntMass",
    "786-4": "MCnc",
    "788-0": "Ratio",
    "777-3": "NCnc",
    "32623-1": "EntVol",
    "770-8": "NFr",
    "736-9": "NFr",
    "5905-5": "NFr",
    "713-8": "NFr",
    "706-2": "NFr",
    "751-8": "NCnc",
    "731-0": "NCnc",
    "3016-3": "ACnc",
    "3024-7": "MCnc",
    "14920-3": "SCnc",
    "3051-0": "MCnc",
    "3026-2": "MCnc",
    "3053-6": "MCnc",
    "2498-4": "MCnc",
    "14798-3": "SCnc",
    "2276-4": "MCnc",
    "2500-7": "MCnc",
    "2502-3": "MFr",
    "2132-9": "MCnc",
    "2284-8": "MCnc",
    "14928-6": "SCnc",
    "14921-1": "SCnc",
    "14930-2": "SCnc",
    "14796-7": "SCnc",
    "14800-7": "SCnc",
    "14685-2": "SCnc",
    "14732-2": "SCnc",
    "62292-8": "MCnc",
    "1988-5": "MCnc",
    "30522-7": "MCnc",
    "4537-7": "Vel",
    "10839-9": "MCnc",
    "30934-4": "MCnc",
    "33762-6": "MCnc",
    "5902-2": "Time",
    "6301-6": "RelTime",
    "3173-2": "Time",
    "3255-7": "MCnc",
    "48065-7": "MCnc",
    "2857-1": "MCnc",
    "2143-6": "MCnc",
    "14675-3": "SCnc",
    "2986-8": "MCnc",
    "14913-8": "SCnc",
    "2161-8": "MCnc",
    "14683-7": "SCnc",
    "5811-5": "Rden",
    "5803-2": "LsCnc",
    "20454-5": "PrThr",
    "25428-4": "PrThr",
    "2514-8": "PrThr",
    "5794-3": "PrThr",
    "5802-4": "PrThr",
    "5799-2": "PrThr",
}
# What a unit can measure: a % is a mass, count or volume fraction or a ratio; fL a cell's volume...
FITS: dict[str | None, set[str]] = {
    "MFr": {"MFr", "NFr", "VFr", "Ratio"},
    "MCnc": {"MCnc"},
    "SCnc": {"SCnc"},
    "SFr": {"SFr"},
    "VFr": {"VFr"},
    "NCnc": {"NCnc"},
    "CCnc": {"CCnc"},
    # IU/L of an enzyme is its catalytic unit (1 IU = 1 umol/min = 1 U): labs print U/L and IU/L alike
    "ACnc": {"ACnc", "CCnc"},
    "ArVRat": {"ArVRat"},
}
OTHER_UNITS = {"fL": "EntVol", "pg": "EntMass", "s": "Time", "mm/h": "Vel", "mg/g": "MRto"}


def _unit_props(unit: str) -> set[str]:
    if unit in OTHER_UNITS:
        return {OTHER_UNITS[unit]}
    base = unit.split(" ")[0]  # "ug/mL FEU": fibrinogen-equivalent units, a mass concentration
    prop = unit_property(base)
    assert prop is not None, f"unit {unit!r} has no known property"
    return FITS.get(prop, {prop})


def test_every_unit_fits_the_property_of_its_code():
    mismatches = []
    for t in lab_catalog():
        for unit in t.units:
            code = catalogue_code(t, unit)
            assert code in PROPERTY, f"{t.name}: code {code} has no property in this table"
            if PROPERTY[code] not in _unit_props(unit):
                mismatches.append(f"{t.name}: {unit} under {code} ({PROPERTY[code]})")
        if not t.units:
            assert PROPERTY[t.loinc] in {"MRto", "Ratio", "RelTime", "Rden", "LsCnc", "PrThr"}, t.name
    assert not mismatches, "\n".join(mismatches)
    assert len(lab_catalog()) >= 90


def test_a_mass_code_paired_with_a_molar_unit_is_caught():
    found = find_test("Glucose")
    assert found is not None
    glucose = dataclasses.replace(found, unit_codes=())  # the molar unit's own code forgotten
    code = catalogue_code(glucose, "mmol/L")
    assert PROPERTY[code] not in _unit_props("mmol/L")


@pytest.mark.parametrize(
    ("name", "unit", "code"),
    [
        ("Glucose", "mg/dL", "2345-7"),
        ("Glucose", "mmol/L", "14749-6"),
        ("Creatinine", "umol/L", "14682-9"),
        ("Cholesterol, total", "mmol/L", "14647-2"),
        ("HbA1c", "mmol/mol", "59261-8"),
        ("HbA1c", "%", "4548-4"),
        ("eGFR", "mL/min/1.73m2", "98979-8"),
    ],
)
def test_code_chosen_by_the_unit_entered(name, unit, code):
    t = find_test(name)
    assert t is not None
    assert catalogue_code(t, unit) == code
    assert code_for_unit(t.loinc, unit) == code


def test_old_egfr_code_finds_the_current_entry():
    t = find_test("33914-3")
    assert t is not None and t.loinc == "98979-8"
    assert to_ucum(t.units[0]) == "mL/min/{1.73_m2}"


def test_manual_lab_in_molar_units_is_stored_under_the_molar_code(vault):
    from medrecords_desktop.services.editing import EditingService
    from medrecords_desktop.services.records import RecordService

    pid = vault.person("Alice Example").id
    ed = EditingService(vault)
    ed.add(pid, "lab", {"name": "Glucose", "value": "5.4", "unit": "mmol/L", "date": "2025-01-02"})
    rows = RecordService(vault).lab_series(pid, code="14749-6")
    assert [(r.row.value_num, r.row.unit) for r in rows] == [(5.4, "mmol/L")]


# ------------------------------------------------------------------------------------------------
# One loader: the catalogue is read once, in one shape, by model/lab_catalogue.py.


def _raw_entries() -> list[dict]:
    from importlib import resources

    return json.loads(resources.files("medrecords_desktop.data").joinpath("lab_tests.json").read_text("utf-8"))["tests"]


def test_the_catalogue_is_read_once_and_kept() -> None:
    assert lab_tests() is lab_tests()
    assert len(lab_tests()) == len(_raw_entries()) >= 90
    assert all(isinstance(t, LabTest) for t in lab_tests())
    # what the entry form reads is the same tests, not a second read in another shape
    assert lab_catalog() is lab_tests()
    assert [LabTest.from_entry(d) for d in _raw_entries()] == list(lab_tests())


def test_every_entry_of_the_file_is_in_the_loaded_catalogue() -> None:
    for raw, t in zip(_raw_entries(), lab_tests(), strict=True):
        assert t.name == raw["name"] and t.loinc == raw["loinc"]
        assert list(t.synonyms) == raw["synonyms"] and list(t.units) == raw["units"]
        assert (t.low, t.high, t.normal) == (raw.get("low"), raw.get("high"), raw.get("normal"))
        assert dict(t.unit_codes) == raw.get("unit_codes", {})
        assert list(t.also_codes) == raw.get("also_codes", [])


def test_find_by_name_abbreviation_or_code_any_case() -> None:
    for t in lab_tests():
        for key in (t.name, *t.synonyms, t.loinc, *t.also_codes):
            found = find_lab_test(f"  {key.upper()} ")
            assert found is not None and key.casefold() in {
                k.casefold() for k in (found.name, *found.synonyms, found.loinc, *found.also_codes)
            }
    assert find_lab_test("33914-3").loinc == "98979-8"  # an older eGFR code finds the current entry
    assert find_lab_test("hba1c") is find_test("HbA1c")
    assert find_lab_test("not a lab test") is None and find_test("not a lab test") is None


def test_units_fit_spelled_any_way() -> None:
    glucose = find_lab_test("Glucose")
    assert glucose.fits("mg/dL") and glucose.fits("MG/DL") and glucose.fits("mmol/L")
    assert not glucose.fits("g/L") and not glucose.fits("%")


def test_paper_reports_and_manual_entry_read_the_same_tests() -> None:
    """The paper-report reader matches printed names against the one loader's tests (the same objects),
    not a copy read in its own shape."""
    from medrecords_desktop.importers.labreport import names

    assert names.catalogue() is lab_tests()
    glucose = next(t for t in lab_tests() if t.name.casefold().startswith("glucose"))
    best = names.match_test(glucose.name)[0][0]
    assert best is glucose
