"""Units: UCUM conversions against published factors, human display forms, one test over several codes."""

from __future__ import annotations

import pytest

from medrecords_desktop.model.units import (
    analyte_of,
    codes_of_group,
    convert,
    display_unit,
    show_value,
    to_ucum,
    unit_property,
)
from medrecords_desktop.model.units import (
    test_group as group_of,
)


@pytest.mark.parametrize(
    ("value", "src", "dst", "code", "want", "rel"),
    [
        # glucose: 1 mmol/L = 18.016 mg/dL (molar mass 180.16 g/mol)
        (1.0, "mmol/L", "mg/dL", "14749-6", 18.016, 1e-3),
        (5.4, "mmol/L", "mg/dL", "2345-7", 97.29, 1e-3),
        (99.0, "mg/dL", "mmol/L", "2345-7", 5.495, 1e-3),
        # cholesterol: 1 mmol/L = 38.67 mg/dL
        (1.0, "mmol/L", "mg/dL", "2093-3", 38.67, 1e-3),
        (200.0, "mg/dL", "mmol/L", "14647-2", 5.172, 1e-3),
        # creatinine: 1 mg/dL = 88.42 umol/L
        (1.0, "mg/dL", "umol/L", "2160-0", 88.42, 1e-3),
        (88.42, "umol/L", "mg/dL", "14682-9", 1.0, 1e-3),
        # HbA1c: the IFCC-NGSP master equation, NGSP % = 0.09148 x IFCC + 2.152
        (7.0, "%", "mmol/mol", "4548-4", 53.0, 5e-3),
        (6.5, "%", "mmol/mol", "4548-4", 47.5, 5e-3),
        (48.0, "mmol/mol", "%", "59261-8", 6.543, 1e-3),
        # thyroid and vitamins: T4 12.87 nmol/L per ug/dL, free T3 1.536 pmol/L per pg/mL, B12 0.738 pmol/L
        # per pg/mL, folate 2.266 nmol/L per ng/mL
        (1.0, "ug/dL", "nmol/L", "3026-2", 12.87, 1e-3),
        (1.0, "pg/mL", "pmol/L", "3051-0", 1.536, 1e-3),
        (1.0, "pg/mL", "pmol/L", "2132-9", 0.738, 1e-3),
        (1.0, "ng/mL", "nmol/L", "14732-2", 2.266, 1e-3),
        # weight, height, temperature
        (150.0, "[lb_av]", "kg", None, 68.0389, 1e-5),
        (1.0, "kg", "[lb_av]", None, 2.20462, 1e-5),
        (70.0, "[in_i]", "cm", None, 177.8, 1e-6),
        (70.0, "in", "cm", None, 177.8, 1e-6),
        (98.6, "[degF]", "Cel", None, 37.0, 1e-6),
        (37.0, "Cel", "[degF]", None, 98.6, 1e-6),
        (-40.0, "[degF]", "Cel", None, -40.0, 1e-9),
        # pure unit changes of one quantity
        (1.0, "mg/dL", "g/L", "2345-7", 0.01, 1e-9),
        (4.5, "10*3/uL", "10*9/L", "6690-2", 4.5, 1e-9),
        (140.0, "mEq/L", "mmol/L", "2951-2", 140.0, 1e-9),
    ],
)
def test_conversion_factors(value, src, dst, code, want, rel):
    got = convert(value, src, dst, code)
    assert got == pytest.approx(want, rel=rel)


def test_what_cannot_be_converted_says_so():
    assert convert(5.0, "mmol/L", "mg/dL", None) is None  # no analyte: no molar mass
    assert convert(5.0, "mmol/L", "mg/dL", "718-7") is None  # hemoglobin has no molar pair here
    assert convert(5.0, "%", "mg/dL", "4548-4") is None
    assert convert(5.0, "kg", "Cel") is None
    assert convert(5.0, "not a unit", "mg/dL", "2345-7") is None


@pytest.mark.parametrize(
    ("unit", "shown"),
    [
        ("[lb_av]", "lb"),
        ("[in_i]", "in"),
        ("[in_us]", "in"),
        ("[degF]", "°F"),
        ("Cel", "°C"),
        ("mm[Hg]", "mmHg"),
        ("10*3/uL", "×10³/µL"),
        ("10*9/L", "×10⁹/L"),
        ("{score}", ""),
        ("mL/min/{1.73_m2}", "mL/min/1.73 m²"),
        ("ug/dL", "µg/dL"),
        ("umol/L", "µmol/L"),
        ("kg/m2", "kg/m²"),
        ("%{HemoglobinA1C}", "%"),
        ("{cells}/uL", "cells/µL"),
        ("meq/L", "mEq/L"),
        ("mg/dL", "mg/dL"),
    ],
)
def test_display_forms(unit, shown):
    assert display_unit(unit) == shown
    assert "[" not in shown and "{" not in shown


def test_what_sources_write_becomes_ucum():
    assert to_ucum("lbs") == "[lb_av]" and to_ucum("°F") == "[degF]" and to_ucum("mmHg") == "mm[Hg]"
    assert to_ucum("K/uL") == to_ucum("x10^3/uL") == to_ucum("X_10-3/uL") == "10*3/uL"
    assert to_ucum("CELLS/MCL") == "{cells}/uL"
    assert to_ucum("mg/dL") == "mg/dL" and to_ucum("1") is None
    assert show_value(98.6, None, "[degF]") == "98.6°F" and show_value(150, None, "[lb_av]") == "150 lb"


def test_equivalent_codes_are_one_test():
    assert group_of("2345-7") == group_of("14749-6") is not None
    assert group_of("2160-0") == group_of("14682-9")
    assert group_of("2093-3") == group_of("14647-2")
    assert group_of("4548-4") == group_of("17856-6") == group_of("59261-8")
    assert group_of("2345-7") != group_of("2093-3")
    assert group_of("718-7") is None
    assert set(codes_of_group("14749-6")) == {"14749-6", "2345-7"}
    assert analyte_of("98979-8") is analyte_of("33914-3")  # eGFR: MDRD and CKD-EPI 2021 one series


def test_unit_property():
    assert unit_property("mg/dL") == "MCnc" and unit_property("mmol/L") == "SCnc"
    assert unit_property("umol/L") == "SCnc" and unit_property("ug/dL") == "MCnc"
    assert unit_property("%") == "MFr" and unit_property("mmol/mol") == "SFr"
    assert unit_property("x10^3/uL") == "NCnc" and unit_property("mEq/L") == "SCnc"
