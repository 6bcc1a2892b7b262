"""Units of measure: UCUM codes stored, human forms shown, conversions within one test.

- ``to_ucum`` turns what sources write ("mEq/L", "K/uL", "lbs", "°F", "CELLS/MCL") into a UCUM code,
  which is what the vault stores and what FHIR and C-CDA carry.
- ``display_unit`` shows a UCUM code as people read it: ``[lb_av]`` -> ``lb``, ``[degF]`` -> ``°F``,
  ``10*3/uL`` -> ``×10³/µL``, ``mm[Hg]`` -> ``mmHg``.  Annotations (``{score}``) are dropped.
- ``convert`` converts a value between two units of one test: a pure unit change through the UCUM
  grammar (the ucumvert parser on pint), a mass <-> substance change through the analyte's molar mass,
  and HbA1c's NGSP % <-> IFCC mmol/mol through the master equation.  None when it cannot be done:
  such a series is shown apart, never on one axis.
- ``test_group`` gathers LOINC codes that are one test (mass and molar codes of one analyte, HbA1c's
  variants) under one key.

Pure functions, no I/O, no Qt.  The UCUM registry loads lazily (about half a second) on the first
conversion that needs it.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

# --- what sources write -> UCUM ------------------------------------------------------------------

_TO_UCUM: dict[str, str] = {
    "meq/l": "meq/L",
    "mmhg": "mm[Hg]",
    "mm hg": "mm[Hg]",
    "lb": "[lb_av]",
    "lbs": "[lb_av]",
    "pound": "[lb_av]",
    "pounds": "[lb_av]",
    "oz": "[oz_av]",
    "in": "[in_i]",
    "inch": "[in_i]",
    "inches": "[in_i]",
    "ft": "[ft_i]",
    "°f": "[degF]",
    "degf": "[degF]",
    "deg f": "[degF]",
    "f": "[degF]",
    "°c": "Cel",
    "degc": "Cel",
    "deg c": "Cel",
    "c": "Cel",
    "cel": "Cel",
    "bpm": "/min",
    "beats/min": "/min",
    "breaths/min": "/min",
    "/min": "/min",
    "iu/l": "[IU]/L",
    "iu/ml": "[IU]/mL",
    "uiu/ml": "u[IU]/mL",
    "miu/l": "m[IU]/L",
    "miu/ml": "m[IU]/mL",
    "mcg/dl": "ug/dL",
    "mcg/l": "ug/L",
    "mcg/ml": "ug/mL",
    "µg/dl": "ug/dL",
    "µmol/l": "umol/L",
    "ml/min/1.73m2": "mL/min/{1.73_m2}",
    "ml/min/1.73 m2": "mL/min/{1.73_m2}",
    "ml/min/1.73m²": "mL/min/{1.73_m2}",
    "kg/m2": "kg/m2",
    "kg/m²": "kg/m2",
}
# Cell counts: "x10^3/uL", "10^3/uL", "K/uL", "thou/uL", "10*3/uL", "X_10-3/uL" (one vendor), "/mcL"...
_COUNT = re.compile(
    r"^\s*(?:x\s*|×\s*)?(?:10\s*[\^*]\s*|10e|x_?10-?|e)?(\d{1,2})?\s*(k|thou|m|mil)?\s*(?:cells?\s*)?"
    r"/\s*(u|µ|mc|n)?l\s*$",
    re.I,
)


def to_ucum(unit: str | None) -> str | None:
    """The UCUM code for a unit as written by a source (unchanged when it already is one or unknown)."""
    if unit is None:
        return None
    u = unit.strip()
    if not u or u == "1":
        return None
    low = " ".join(u.lower().split())
    if low in _TO_UCUM:
        return _TO_UCUM[low]
    m = _COUNT.match(u)
    if m and ("/" in u):
        power, word, vol = m.group(1), (m.group(2) or "").lower(), (m.group(3) or "").lower()
        per = "uL" if vol in ("u", "µ", "mc") else "nL" if vol == "n" else "L"
        if power is None and word:
            power = "3" if word in ("k", "thou") else "6"
        if power is None:
            return f"{{cells}}/{per}" if "cell" in low or "/" == low[0] or low.startswith(("/", "cells")) else u
        return f"10*{int(power)}/{per}"
    return u


# --- UCUM -> what people read -------------------------------------------------------------------

_DISPLAY: dict[str, str] = {
    "[lb_av]": "lb",
    "[oz_av]": "oz",
    "[in_i]": "in",
    "[in_us]": "in",
    "[ft_i]": "ft",
    "[ft_us]": "ft",
    "[degF]": "°F",
    "Cel": "°C",
    "mm[Hg]": "mmHg",
    "cm[H2O]": "cmH₂O",
    "kg/m2": "kg/m²",
    "m2": "m²",
    "mL/min/{1.73_m2}": "mL/min/1.73 m²",
    "/min": "/min",
    "{beats}/min": "beats/min",
    "{breaths}/min": "breaths/min",
    "meq/L": "mEq/L",
    "[IU]/L": "IU/L",
    "[iU]/L": "IU/L",
    "u[IU]/mL": "µIU/mL",
    "m[IU]/L": "mIU/L",
    "[pH]": "",
    "{score}": "",
    "{ratio}": "",
    "1": "",
}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def display_unit(unit: str | None) -> str | None:
    """A UCUM code (or a source's own unit) as people read it; '' for dimensionless annotations."""
    if unit is None:
        return None
    u = to_ucum(unit) or ""
    if u in _DISPLAY:
        return _DISPLAY[u]
    out = re.sub(r"10\*(-?\d+)", lambda m: "×10" + m.group(1).translate(_SUPERSCRIPT), u)
    out = re.sub(r"\[([A-Za-z]+)(?:_[A-Za-z0-9]+)?\]", r"\1", out)  # [lb_av] -> lb, [IU] -> IU
    # An annotation that is the whole numerator ({cells}/uL) is read aloud; one after a unit is dropped.
    out = re.sub(r"^\{([^}]*)\}(?=/|$)", r"\1", out)
    out = re.sub(r"\{[^}]*\}", "", out)
    out = re.sub(r"(?<![A-Za-z])u(?=[gLlm]|mol|IU)", "µ", out)  # ug, uL, umol -> µg, µL, µmol
    out = out.replace("m2", "m²").replace("m3", "m³")
    out = out.replace("_", " ").strip()
    return out


def show_value(value: float | None, value_text: str | None, unit: str | None) -> str:
    """'5.4 mmol/L', '98.6 °F', 'Negative': one value with its human unit."""
    if value is not None:
        v = f"{value:g}"
    else:
        v = value_text or ""
    du = display_unit(unit) or ""
    if not du:
        return v
    return f"{v}{du}" if du in ("%", "°F", "°C") else f"{v} {du}"


# --- one test, several codes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Analyte:
    key: str
    name: str
    mass: tuple[str, ...]  # LOINC codes of the mass-concentration (or % for HbA1c) form
    molar: tuple[str, ...]  # LOINC codes of the substance-concentration form
    molar_mass: float | None  # g/mol; None when the forms are not related by a molar mass
    mass_unit: str = "mg/dL"
    molar_unit: str = "mmol/L"


# Molar masses: glucose C6H12O6 180.156; cholesterol C27H46O 386.65; creatinine C4H7N3O 113.12;
# triglyceride as triolein 885.4 (the laboratory convention, 1 mmol/L = 88.5 mg/dL); urea nitrogen N2
# 28.014; urate 168.11; bilirubin 584.66; calcium 40.078; magnesium 24.305; phosphorus 30.974;
# iron 55.845; cortisol 362.46; testosterone 288.42; thyroxine 776.87.
ANALYTES: tuple[Analyte, ...] = (
    Analyte("glucose", "Glucose", ("2345-7",), ("14749-6",), 180.156),
    Analyte("glucose-fasting", "Glucose, fasting", ("1558-6",), ("14771-0",), 180.156),
    Analyte("glucose-blood", "Glucose, blood", ("2339-0",), ("15074-8",), 180.156),
    Analyte("creatinine", "Creatinine", ("2160-0", "38483-4"), ("14682-9",), 113.12, "mg/dL", "umol/L"),
    Analyte("creatinine-urine", "Creatinine, urine", ("2161-8",), ("14683-7",), 113.12),
    Analyte("cholesterol", "Cholesterol, total", ("2093-3",), ("14647-2",), 386.65),
    Analyte("hdl", "HDL cholesterol", ("2085-9",), ("14646-4",), 386.65),
    Analyte("ldl", "LDL cholesterol", ("13457-7", "18262-6", "2089-1"), ("22748-8", "39469-2"), 386.65),
    Analyte("triglycerides", "Triglycerides", ("2571-8",), ("14927-8",), 885.4),
    Analyte("bun", "Urea nitrogen (BUN)", ("3094-0",), ("14937-7",), 28.014),
    Analyte("urate", "Uric acid", ("3084-1",), ("14933-6",), 168.11, "mg/dL", "umol/L"),
    Analyte("bilirubin", "Bilirubin, total", ("1975-2",), ("14631-6",), 584.66, "mg/dL", "umol/L"),
    Analyte("bilirubin-direct", "Bilirubin, direct", ("1968-7",), ("14629-0",), 584.66, "mg/dL", "umol/L"),
    Analyte("calcium", "Calcium", ("17861-6",), ("2000-8",), 40.078),
    Analyte("magnesium", "Magnesium", ("19123-9",), ("2601-3",), 24.305),
    Analyte("phosphate", "Phosphorus", ("2777-1",), ("14879-1",), 30.974),
    Analyte("iron", "Iron", ("2498-4",), ("14798-3",), 55.845, "ug/dL", "umol/L"),
    Analyte("cortisol", "Cortisol", ("2143-6",), ("14675-3",), 362.46, "ug/dL", "nmol/L"),
    Analyte("testosterone", "Testosterone, total", ("2986-8",), ("14913-8",), 288.42, "ng/dL", "nmol/L"),
    Analyte("ft4", "Free T4", ("3024-7",), ("14920-3",), 776.87, "ng/dL", "pmol/L"),
    Analyte("t4", "T4, total", ("3026-2",), ("14921-1",), 776.87, "ug/dL", "nmol/L"),
    Analyte("ft3", "Free T3", ("3051-0",), ("14928-6",), 650.98, "pg/mL", "pmol/L"),
    Analyte("t3", "T3, total", ("3053-6",), ("14930-2",), 650.98, "ng/dL", "nmol/L"),
    Analyte("b12", "Vitamin B12", ("2132-9",), ("14685-2",), 1355.4, "pg/mL", "pmol/L"),
    Analyte("folate", "Folate", ("2284-8",), ("14732-2",), 441.4, "ng/mL", "nmol/L"),
    Analyte("tibc", "Iron binding capacity", ("2500-7",), ("14800-7",), 55.845, "ug/dL", "umol/L"),
    # Insulin: µIU/mL and pmol/L are related by a convention (6.0), not a molar mass: one test, no conversion.
    Analyte("insulin", "Insulin", ("20448-7",), ("14796-7",), None, "u[IU]/mL", "pmol/L"),
    # HbA1c: NGSP % (4548-4, and 17856-6 by HPLC) and IFCC mmol/mol (59261-8): the master equation.
    Analyte("hba1c", "Hemoglobin A1c", ("4548-4", "17856-6"), ("59261-8",), None, "%", "mmol/mol"),
    # eGFR: the MDRD code and the CKD-EPI codes report one quantity in one unit.
    Analyte("egfr", "eGFR", ("98979-8", "33914-3", "62238-1", "48642-3", "48643-1"), (), None, "mL/min/{1.73_m2}", ""),
)
_BY_CODE: dict[str, Analyte] = {c: a for a in ANALYTES for c in (*a.mass, *a.molar)}
# Vital signs as FHIR codes them; one code per measure, units converted within it.
VITAL_CODES = frozenset(
    {
        "8302-2",
        "3141-9",
        "29463-7",
        "8310-5",
        "8331-1",
        "8867-4",
        "9279-1",
        "2708-6",
        "59408-5",
        "39156-5",
        "8480-6",
        "8462-4",
        "85354-9",
        "55284-4",
        "8287-5",
        "9843-4",
        "8306-3",
        "8308-9",
        "3137-7",
        "8335-2",
        "8339-4",
    }
)


def analyte_of(code: str | None) -> Analyte | None:
    return _BY_CODE.get(code or "")


def test_group(code: str | None) -> str | None:
    """The key under which results of equivalent codes are one test (None: the code itself)."""
    a = analyte_of(code)
    return f"analyte:{a.key}" if a else None


def codes_of_group(code: str | None) -> list[str]:
    """Every LOINC code that is the same test as ``code`` (itself first)."""
    a = analyte_of(code)
    if a is None:
        return [code] if code else []
    rest = [c for c in (*a.mass, *a.molar) if c != code]
    return [code or "", *rest]


# --- conversion ----------------------------------------------------------------------------------


@functools.cache
def _registry() -> Any:
    from ucumvert import PintUcumRegistry

    return PintUcumRegistry()


@functools.lru_cache(maxsize=512)
def _quantity(unit: str) -> Any:
    ureg = _registry()
    q = ureg.from_ucum(unit)
    return q if hasattr(q, "units") else None


def _pure(value: float, src: str, dst: str) -> float | None:
    """A change of unit of one kind of quantity (mg/dL -> g/L, [lb_av] -> kg, [degF] -> Cel)."""
    if src == dst:
        return value
    try:
        qs, qd = _quantity(src), _quantity(dst)
    except Exception:  # noqa: BLE001 - an unknown or malformed unit simply does not convert
        return None
    if qs is None or qd is None:
        return None
    ureg = _registry()
    try:
        q = ureg.Quantity(value * qs.magnitude, qs.units).to(qd.units)
    except Exception:  # noqa: BLE001 - different dimensions
        return None
    out = float(q.magnitude) / float(qd.magnitude)
    return out if math.isfinite(out) else None


def _dimension(unit: str) -> str | None:
    """'mass', 'substance' or None: what a concentration unit measures per volume."""
    try:
        q = _quantity(unit)
    except Exception:  # noqa: BLE001
        return None
    if q is None:
        return None
    dim = dict(q.dimensionality)
    if dim.get("[length]") == -3 and len(dim) == 2:
        if dim.get("[mass]") == 1:
            return "mass"
        if dim.get("[substance]") == 1:
            return "substance"
    return None


def unit_property(unit: str | None) -> str | None:
    """The LOINC property a unit implies: MCnc (mass/volume), SCnc (substance/volume), MFr (%),
    SFr (mmol/mol), NCnc (count/volume), CCnc (enzyme units/volume), ArVRat (eGFR), ..."""
    u = to_ucum(unit)
    if not u:
        return None
    if not u.startswith("{"):
        u = re.sub(r"\{[^}]*\}", "", u) or u
    if u == "%":
        return "MFr"
    if u == "mmol/mol":
        return "SFr"
    if re.match(r"^[munp]?L/[munp]?L$", u):
        return "VFr"
    if u.startswith("mL/min/"):
        return "ArVRat"
    if re.match(r"^(10\*\d+|\{cells\})/(u|n)?L$", u):
        return "NCnc"
    if re.search(r"\[(IU|iU)\]|^U/|^u\[|^m\[", u):
        return "ACnc" if "IU" in u.upper() else "CCnc"
    if re.match(r"^m?eq/L$", u):
        return "SCnc"
    d = _dimension(u)
    return {"mass": "MCnc", "substance": "SCnc"}.get(d or "")


def hba1c_ngsp_to_ifcc(pct: float) -> float:
    """NGSP/DCCT % -> IFCC mmol/mol (the IFCC-NGSP master equation: NGSP = 0.09148 IFCC + 2.152)."""
    return (pct - 2.152) / 0.09148


def hba1c_ifcc_to_ngsp(mmol_mol: float) -> float:
    return 0.09148 * mmol_mol + 2.152


def convert(value: float, unit: str | None, to: str | None, code: str | None = None) -> float | None:
    """``value`` in ``unit`` expressed in ``to`` for the test ``code``; None when not convertible."""
    src, dst = to_ucum(unit) or "", to_ucum(to) or ""
    if src == dst:
        return value
    if not src or not dst:
        return None
    a = analyte_of(code)
    if a is not None and a.key == "hba1c":
        if src == "%" and dst == "mmol/mol":
            return hba1c_ngsp_to_ifcc(value)
        if src == "mmol/mol" and dst == "%":
            return hba1c_ifcc_to_ngsp(value)
    got = _pure(value, src, dst)
    if got is not None:
        return got
    if a is None or a.molar_mass is None:
        return None
    ds, dd = _dimension(src), _dimension(dst)
    if {ds, dd} != {"mass", "substance"}:
        return None
    # Through g/L and mol/L: mass = substance * molar mass.
    if ds == "substance":
        mol_l = _pure(value, src, "mol/L")
        return None if mol_l is None else _pure(mol_l * a.molar_mass, "g/L", dst)
    g_l = _pure(value, src, "g/L")
    return None if g_l is None else _pure(g_l / a.molar_mass, "mol/L", dst)


def preferred_unit(units: list[str | None], code: str | None = None, prefer: str | None = None) -> str | None:
    """The unit a series is drawn in: the user's preference when every value converts to it, else
    the unit of most results."""
    us = [to_ucum(u) or "" for u in units]
    if prefer and all(u == to_ucum(prefer) or convert(1.0, u, prefer, code) is not None for u in us):
        return to_ucum(prefer)
    counts: dict[str, int] = {}
    for u in us:
        counts[u] = counts.get(u, 0) + 1
    return max(counts, key=lambda u: (counts[u], u)) if counts else None


def code_for_unit(code: str | None, unit: str | None) -> str | None:
    """The LOINC code of ``code``'s test that fits ``unit``: a molar unit takes the analyte's
    substance-concentration code, a mass unit its mass-concentration code (glucose 5.4 mmol/L is
    14749-6, not 2345-7); HbA1c in mmol/mol is 59261-8.  Unchanged when nothing better is known."""
    a = analyte_of(code)
    if a is None or not unit or not a.molar:
        return code
    prop = unit_property(unit)
    if a.key == "hba1c":
        if prop == "SFr":
            return a.molar[0]
        if prop == "MFr":
            return code if code in a.mass else a.mass[0]
        return code
    if prop == "SCnc" and code not in a.molar:
        return a.molar[0]
    if prop == "MCnc" and code not in a.mass:
        return a.mass[0]
    return code
