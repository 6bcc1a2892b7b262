"""Lab results as CSV (RFC 4180) for a spreadsheet, safe against formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or a line feed)
would be run as a formula by Excel, LibreOffice or Google Sheets, and lab names, units and notes come
from outside sources. Such cells get a leading apostrophe, which spreadsheets show as text. Numbers
that we format ourselves from the model's floats (values, reference limits) are written as plain
numbers: they cannot carry a formula, and ``-0.5`` must stay a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from medrecords_desktop.model.records import Observation

COLUMNS = (
    "date",
    "test",
    "code_system",
    "code",
    "value",
    "value_text",
    "unit",
    "ref_low",
    "ref_high",
    "ref_text",
    "flag",
    "interpretation",
    "category",
    "performer",
    "note",
)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(cell: str) -> str:
    """``cell`` made inert for spreadsheets (a leading apostrophe before a formula trigger)."""
    return "'" + cell if cell.startswith(_DANGEROUS) else cell


def flag(obs: Observation) -> str:
    """H, L or A (abnormal without a direction), or empty."""
    if not obs.is_abnormal():
        return ""
    interp = (obs.interpretation or "").upper()
    if interp in ("H", "HH", "HU", ">") or (
        obs.value is not None and obs.ref_high is not None and obs.value > obs.ref_high
    ):
        return "H"
    if interp in ("L", "LL", "LU", "<") or (
        obs.value is not None and obs.ref_low is not None and obs.value < obs.ref_low
    ):
        return "L"
    return "A"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.15g}"


def _text(value: str | None) -> str:
    return neutralise(value) if value else ""


def labs_to_csv(observations: Iterable[Observation]) -> str:
    """CSV text (header + one row per result, oldest first); the caller writes it as UTF-8."""
    rows = sorted((o for o in observations if not o.deleted), key=lambda o: (o.date or "", o.title or ""))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for o in rows:
        writer.writerow(
            [
                _text(o.date),
                _text(o.title or o.display),
                _text(o.code_system),
                _text(o.code),
                _num(o.value),
                _text(o.value_text),
                _text(o.unit),
                _num(o.ref_low),
                _num(o.ref_high),
                _text(o.ref_text),
                flag(o),
                _text(o.interpretation),
                _text(o.category),
                _text(o.performer),
                _text(o.note),
            ]
        )
    return buf.getvalue()
