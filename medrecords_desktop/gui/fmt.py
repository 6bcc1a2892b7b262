"""Readable dates, values and one-line summaries for rows (plain Python; no Qt)."""

from __future__ import annotations

from datetime import date as _date
from typing import Any

from ..model.units import display_unit
from ..vault.store import Row

_UNITS_NO_SPACE = {"%", "°F", "°C"}


def parse_day(iso: str | None) -> _date | None:
    if not iso or len(iso) < 10:
        return None
    try:
        return _date.fromisoformat(iso[:10])
    except ValueError:
        return None


def fmt_day(iso: str | None) -> str:
    """'2026-04-12' -> 'Sun 12 Apr 2026'; an unknown date says so."""
    d = parse_day(iso)
    if d is None:
        return "Date unknown" if not iso else iso
    return f"{d:%a} {d.day} {d:%b %Y}"


def fmt_short(iso: str | None) -> str:
    d = parse_day(iso)
    return f"{d.day} {d:%b %Y}" if d else (iso or "")


def fmt_time(iso: str | None) -> str:
    return iso[11:16] if iso and len(iso) >= 16 and iso[10] == "T" else ""


def fmt_num(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def fmt_value(value: float | None, unit: str | None, text: str | None = None) -> str:
    if value is None:
        return text or ""
    unit = display_unit(unit)
    if not unit:
        return fmt_num(value)
    return f"{fmt_num(value)}{'' if unit in _UNITS_NO_SPACE else ' '}{unit}"


def fmt_range(data: dict[str, Any], unit: str | None = None) -> str:
    lo, hi = data.get("ref_low"), data.get("ref_high")
    if lo is None and hi is None:
        return str(data.get("ref_text") or "")
    if lo is None:
        return f"≤ {fmt_num(hi)}"
    if hi is None:
        return f"≥ {fmt_num(lo)}"
    return f"{fmt_num(lo)}–{fmt_num(hi)}"


def flag_of(row: Row) -> str:
    """'H', 'L', another interpretation code, or '' for a normal or unflagged result."""
    if row.kind != "observation":
        return ""
    d = row.data
    interp = (d.get("interpretation") or "").upper()
    v = row.value_num
    if v is not None:
        if d.get("ref_high") is not None and v > d["ref_high"]:
            return "H"
        if d.get("ref_low") is not None and v < d["ref_low"]:
            return "L"
    if interp and interp not in ("N", "NORMAL"):
        return interp[:2]
    return "A" if row.abnormal else ""


def subtitle(row: Row) -> str:
    """The grey second line of a row: the kind-specific facts a person scans for."""
    d = row.data
    k = row.kind
    bits: list[Any] = []
    if k == "encounter":
        bits = [d.get("provider"), d.get("practitioner"), d.get("reason")]
    elif k == "observation":
        rng = fmt_range(d)
        bits = [
            d.get("category", "").replace("-", " ").capitalize() or None,
            f"reference {rng}" if rng else None,
        ]
    elif k == "diagnostic_report":
        bits = [d.get("performer"), d.get("conclusion")]
    elif k == "document":
        bits = [d.get("doc_type"), d.get("author")]
    elif k == "medication":
        bits = [d.get("dose"), d.get("route"), d.get("reason")]
    elif k == "immunization":
        bits = [f"lot {d['lot']}" if d.get("lot") else None, d.get("performer")]
    elif k == "allergy":
        bits = [d.get("reaction"), d.get("severity"), d.get("category")]
    elif k == "condition":
        bits = [d.get("clinical_status"), d.get("severity")]
    elif k == "procedure":
        bits = [d.get("performer"), d.get("body_site"), d.get("reason")]
    out = [str(b) for b in bits if b]
    return " · ".join(out)


def value_text(row: Row) -> str:
    if row.kind != "observation":
        return ""
    return fmt_value(row.value_num, row.unit, row.data.get("value_text"))
