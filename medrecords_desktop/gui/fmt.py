"""Readable dates, values and one-line summaries for rows, in the language and locale in use.

Dates and numbers go through QLocale (``i18n.locale()``: the language chosen at start); the words
through Qt's translation (context "Fmt").  ``plain_num`` is the machine form for fields a person edits
and the service parses back.
"""

from __future__ import annotations

from datetime import date as _date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale

from ..model.units import display_unit
from ..services.session import Row

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls

_UNITS_NO_SPACE = {"%", "°F", "°C"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Fmt", text)


def _locale():  # noqa: ANN202 - QLocale
    from .i18n import locale

    return locale()


def parse_day(iso: str | None) -> _date | None:
    if not iso or len(iso) < 10:
        return None
    try:
        return _date.fromisoformat(iso[:10])
    except ValueError:
        return None


def fmt_day(iso: str | None) -> str:
    """'2026-04-12' -> 'Sun 12 Apr 2026' (Spanish: 'dom 12 abr 2026'); an unknown date says so."""
    d = parse_day(iso)
    if d is None:
        return translate("Fmt", "Date unknown") if not iso else iso
    # The pattern is translatable: a language may order day and month its own way.
    return _locale().toString(QDate(d.year, d.month, d.day), translate("Fmt", "ddd d MMM yyyy"))


def fmt_long(iso: str | None) -> str:
    """'2026-10-24' -> '24 October 2026' ('24 de octubre de 2026'): what a screen reader says."""
    d = parse_day(iso)
    if d is None:
        return translate("Fmt", "Date unknown") if not iso else iso
    return _locale().toString(QDate(d.year, d.month, d.day), translate("Fmt", "d MMMM yyyy"))


def fmt_short(iso: str | None) -> str:
    d = parse_day(iso)
    return _locale().toString(QDate(d.year, d.month, d.day), translate("Fmt", "d MMM yyyy")) if d else (iso or "")


def fmt_time(iso: str | None) -> str:
    return iso[11:16] if iso and len(iso) >= 16 and iso[10] == "T" else ""


def plain_num(v: float | None) -> str:
    """The machine form ('5.4') for a value a person edits and the service reads back."""
    return "" if v is None else f"{v:g}"


def fmt_num(v: float | None) -> str:
    """A number as the locale writes it ('5.4'; Spanish '5,4'), no thousands separators."""
    if v is None:
        return ""
    text = f"{v:g}"
    if "e" in text:
        return text
    return _locale().toString(float(v), "f", len(text.partition(".")[2]))


def fmt_count(n: int) -> str:
    """A whole count as the locale writes it, with its thousands separator ('1,234'; Spanish '1.234')."""
    loc = _locale()
    loc.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return loc.toString(int(n))


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


# FHIR codes shown as words ("vital-signs" -> "Vital signs"), marked for the translation files.
_CODE_WORDS = (
    QT_TRANSLATE_NOOP("Codes", "Laboratory"),
    QT_TRANSLATE_NOOP("Codes", "Vital signs"),
    QT_TRANSLATE_NOOP("Codes", "Imaging"),
    QT_TRANSLATE_NOOP("Codes", "Social history"),
    QT_TRANSLATE_NOOP("Codes", "Exam"),
    QT_TRANSLATE_NOOP("Codes", "Survey"),
    QT_TRANSLATE_NOOP("Codes", "Procedure"),
    QT_TRANSLATE_NOOP("Codes", "Therapy"),
    QT_TRANSLATE_NOOP("Codes", "Activity"),
    QT_TRANSLATE_NOOP("Codes", "Final"),
    QT_TRANSLATE_NOOP("Codes", "Preliminary"),
    QT_TRANSLATE_NOOP("Codes", "Amended"),
    QT_TRANSLATE_NOOP("Codes", "Corrected"),
    QT_TRANSLATE_NOOP("Codes", "Registered"),
    QT_TRANSLATE_NOOP("Codes", "Cancelled"),
    QT_TRANSLATE_NOOP("Codes", "Entered in error"),
    QT_TRANSLATE_NOOP("Codes", "Active"),
    QT_TRANSLATE_NOOP("Codes", "Inactive"),
    QT_TRANSLATE_NOOP("Codes", "Resolved"),
    QT_TRANSLATE_NOOP("Codes", "Confirmed"),
    QT_TRANSLATE_NOOP("Codes", "Unconfirmed"),
    QT_TRANSLATE_NOOP("Codes", "Completed"),
    QT_TRANSLATE_NOOP("Codes", "Stopped"),
    QT_TRANSLATE_NOOP("Codes", "On hold"),
    QT_TRANSLATE_NOOP("Codes", "Mild"),
    QT_TRANSLATE_NOOP("Codes", "Moderate"),
    QT_TRANSLATE_NOOP("Codes", "Severe"),
    QT_TRANSLATE_NOOP("Codes", "High"),
    QT_TRANSLATE_NOOP("Codes", "Low"),
    QT_TRANSLATE_NOOP("Codes", "Food"),
    QT_TRANSLATE_NOOP("Codes", "Medication"),
    QT_TRANSLATE_NOOP("Codes", "Environment"),
    QT_TRANSLATE_NOOP("Codes", "Biologic"),
)


def code_words(code: str) -> str:
    """A FHIR code as words in the current language: 'vital-signs' -> 'Vital signs' ('Signos vitales')."""
    if not code:
        return ""
    return QCoreApplication.translate("Codes", code.replace("-", " ").replace("_", " ").capitalize())


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
            code_words(d.get("category") or "") or None,
            translate("Fmt", "reference {range}").format(range=rng) if rng else None,
        ]
    elif k == "diagnostic_report":
        bits = [d.get("performer"), d.get("conclusion")]
    elif k == "document":
        bits = [d.get("doc_type"), d.get("author")]
    elif k == "medication":
        bits = [d.get("dose"), d.get("route"), d.get("reason")]
    elif k == "immunization":
        bits = [translate("Fmt", "lot {lot}").format(lot=d["lot"]) if d.get("lot") else None, d.get("performer")]
    elif k == "allergy":
        bits = [d.get("reaction"), d.get("severity"), d.get("category")]
    elif k == "condition":
        bits = [d.get("clinical_status"), d.get("severity")]
    elif k == "procedure":
        bits = [d.get("performer"), d.get("body_site"), d.get("reason")]
    else:
        bits = care_line(k, d)
    out = [str(b) for b in bits if b]
    return " · ".join(out)


def care_line(k: str, d: dict[str, Any]) -> list[Any]:
    """Second-line facts of the care, scheduling and payer kinds."""
    if k == "care_plan":
        return [d.get("category"), d.get("description")]
    if k == "goal":
        return [d.get("target"), f"by {d['target_date']}" if d.get("target_date") else None, d.get("achievement")]
    if k == "care_team":
        return [", ".join(d.get("members") or []) or None]
    if k == "order":
        return [d.get("category"), f"ordered by {d['requester']}" if d.get("requester") else None]
    if k == "appointment":
        return [d.get("service_type"), d.get("location"), d.get("practitioner")]
    if k == "coverage":
        return [d.get("plan"), f"member {d['subscriber_id']}" if d.get("subscriber_id") else None]
    if k == "dispense":
        return [d.get("quantity"), f"{d['days_supply']} supply" if d.get("days_supply") else None, d.get("pharmacy")]
    if k == "device":
        return [d.get("manufacturer"), f"UDI {d['udi']}" if d.get("udi") else None]
    if k == "provenance":
        return [d.get("activity")]
    if k == "questionnaire":
        return [f"score {d['score']}" if d.get("score") else None, f"{len(d.get('answers') or [])} answers"]
    if k == "family_history":
        return ["deceased" if d.get("deceased") else None]
    if k == "specimen":
        return [d.get("body_site"), d.get("collector")]
    if k == "claim":
        billed = d.get("billed")
        return [
            d.get("provider"),
            f"billed {billed:,.2f} {d.get('currency') or ''}".strip() if isinstance(billed, int | float) else None,
            d.get("insurer"),
        ]
    return []


def value_text(row: Row) -> str:
    if row.kind != "observation":
        return ""
    return fmt_value(row.value_num, row.unit, row.data.get("value_text"))
