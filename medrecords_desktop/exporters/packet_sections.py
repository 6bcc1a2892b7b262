"""The appointment packet's summary sections: medications, allergies, conditions, immunizations, care
plans, lab results with trends, encounters and the index of documents.  Each builder takes the packet's
data and returns reportlab flowables; the words go through :mod:`packet_i18n`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect
from reportlab.lib import colors
from reportlab.platypus import (
    Flowable,
    Paragraph,
)

from medrecords_desktop.exporters.labs_csv import flag as lab_flag
from medrecords_desktop.exporters.packet_i18n import code, note_words, num, t, tn, type_words, words
from medrecords_desktop.exporters.packet_style import (
    _ABNORMAL,
    _BAND,
    _BASE,
    _BOLD,
    _FRAME_WIDTH,
    _NOTE,
    _esc,
    _FormRef,
    _none,
    _p,
    _table,
    short_date,
)
from medrecords_desktop.model.records import (
    Allergy,
    Condition,
    Medication,
    Observation,
)
from medrecords_desktop.model.units import analyte_of, convert, show_value, test_group

if TYPE_CHECKING:
    from medrecords_desktop.exporters.packet_data import DocumentEntry, PacketData


def _active_medication(m: Medication, today: str) -> bool:
    status = (m.status or "").lower()
    if status in ("stopped", "completed", "entered-in-error", "cancelled", "inactive", "ended", "not-taken"):
        return False
    return not (m.date_end and m.date_end[:10] < today)


def _medications(data: PacketData) -> list[Flowable]:
    today = data.prepared_on.isoformat()
    meds = [m for m in data.medications if not m.deleted]
    active = sorted((m for m in meds if _active_medication(m, today)), key=lambda m: (m.title or "").lower())
    if not active:
        out: list[Flowable] = [_none()]
    else:
        rows = []
        for m in active:
            how = ", ".join(p for p in (m.route, m.frequency) if p)
            name = m.title or m.display or ""
            if m.otc:
                name += t(" (over the counter)")
            if m.status and m.status.lower() not in ("active",):
                name += f" [{code(m.status)}]"
            rows.append([_p(name, _BOLD), _p(m.dose), _p(how), _p(m.reason), _p(short_date(m.date)), _p(m.prescriber)])
        out = [
            _table(
                words("Medication", "Dose", "Route / frequency", "Reason", "Since", "Prescriber"),
                rows,
                (25, 9, 16, 14, 12, 24),
            )
        ]
    past = len(meds) - len(active)
    if past:
        out.append(
            Paragraph(
                tn(
                    "{n} stopped or completed medication not listed.",
                    "{n} stopped or completed medications not listed.",
                    past,
                ),
                _NOTE,
            )
        )
    return out


def _allergies(data: PacketData) -> list[Flowable]:
    allergies = sorted((a for a in data.allergies if not a.deleted), key=lambda a: (a.title or "").lower())
    if not allergies:
        return [_none()]
    rows = []
    for a in allergies:
        critical = t("criticality {value}", value=code(a.criticality)) if a.criticality else None
        severity = " / ".join(p for p in (code(a.severity), critical) if p)
        if _serious(a):
            sev: Paragraph = Paragraph(f"<font color='#b00020'><b>{_esc(severity)}</b></font>", _BASE)
        else:
            sev = _p(severity)
        rows.append(
            [
                _p(a.title or a.display, _BOLD),
                _p(a.reaction),
                sev,
                _p(code(a.category)),
                _p(code(a.status)),
                _p(short_date(a.date)),
            ]
        )
    return [
        _table(
            words("Substance", "Reaction", "Severity", "Category", "Status", "Recorded"),
            rows,
            (22, 24, 18, 12, 10, 14),
        )
    ]


def _conditions(data: PacketData) -> list[Flowable]:
    conds = [c for c in data.conditions if not c.deleted]
    if not conds:
        return [_none()]

    conds.sort(
        key=lambda c: (
            not _active_condition(c),
            "" if not c.date else _invert(c.date),
            (c.title or "").lower(),
        )
    )
    rows = [
        [
            _p(c.title or c.display, _BOLD if _active_condition(c) else _BASE),
            _p(code(c.clinical_status or c.status)),
            _p(short_date(c.date)),
            _p(short_date(c.date_end)),
            _p(code(c.severity)),
            _p(c.note),
        ]
        for c in conds
    ]
    return [
        _table(words("Condition", "Status", "Since", "Resolved", "Severity", "Note"), rows, (30, 10, 12, 12, 10, 26))
    ]


def _active_condition(c: Condition) -> bool:
    return (c.clinical_status or c.status or "active").lower() in ("active", "recurrence", "relapse")


def _invert(value: str) -> str:
    # Sort newest first inside an ascending sort.
    return "".join(chr(0x10FFFF - ord(ch)) for ch in value)


def _immunizations(data: PacketData) -> list[Flowable]:
    imms = sorted((i for i in data.immunizations if not i.deleted), key=lambda i: i.date or "", reverse=True)
    if not imms:
        return [_none()]
    rows = [
        [
            _p(i.title or i.display, _BOLD),
            _p(short_date(i.date)),
            _p(i.dose_number),
            _p(i.lot),
            _p(i.performer),
        ]
        for i in imms
    ]
    return [_table(words("Vaccine", "Date", "Dose", "Lot", "Given by"), rows, (40, 12, 8, 14, 26))]


_CLOSED = ("completed", "revoked", "entered-in-error", "cancelled", "rejected", "ended", "inactive")


def _care(data: PacketData) -> list[Flowable]:
    """Active care plans, current goals and the visits still to come: what the next doctor plans around."""
    today = data.prepared_on.isoformat()
    plans = [c for c in data.care_plans if not c.deleted and (c.status or "active").lower() not in _CLOSED]
    goals = [g for g in data.goals if not g.deleted and (g.status or "active").lower() not in _CLOSED]
    visits = sorted(
        (
            a
            for a in data.appointments
            if not a.deleted
            and a.date
            and a.date[:10] >= today
            and (a.status or "").lower() not in ("cancelled", "noshow", "entered-in-error")
        ),
        key=lambda a: a.date or "",
    )
    if not (plans or goals or visits):
        return [_none()]
    out: list[Flowable] = []
    if plans:
        rows = [
            [_p(c.title, _BOLD), _p(short_date(c.date)), _p("; ".join(c.activities) or c.description), _p(c.author)]
            for c in sorted(plans, key=lambda c: c.date or "", reverse=True)
        ]
        out.append(_table(words("Care plan", "Since", "Activities", "By"), rows, (30, 12, 40, 18)))
    if goals:
        rows = [
            [_p(g.title, _BOLD), _p(g.target), _p(short_date(g.target_date)), _p(code(g.achievement or g.status))]
            for g in goals
        ]
        out.append(_table(words("Goal", "Target", "Target date", "Progress"), rows, (40, 24, 12, 24)))
    if visits:
        rows = [
            [_p(short_date(a.date), _BOLD), _p(a.title), _p(a.location or a.practitioner), _p(code(a.status))]
            for a in visits
        ]
        out.append(_table(words("Upcoming visit", "What", "Where / with", "Status"), rows, (16, 36, 34, 14)))
    return out


def _lab_key(o: Observation) -> str:
    group = test_group(o.code)
    if group:  # mass and molar codes of one analyte, HbA1c's variants: one test
        return group
    if o.code:
        return f"{(o.code_system or '').lower()}|{o.code.lower()}"
    return " ".join((o.title or o.display or "").lower().split())


def _value_text(o: Observation) -> str:
    """The value with its unit; a number written with the packet language's decimal mark (units as recorded)."""
    if o.value is None:
        return show_value(None, o.value_text, o.unit)
    return show_value(None, num(f"{o.value:g}"), o.unit)  # the number localised, the unit as recorded


def _in_unit_of(latest: Observation, group: list[Observation]) -> list[Observation]:
    """The numeric results of a test in the latest result's unit (each with its own range, converted);
    a result that cannot be converted is left out of the trend (it keeps its own row value)."""
    out = []
    for o in group:
        if o.value is None or not math.isfinite(o.value):
            continue
        v = convert(o.value, o.unit, latest.unit, o.code)
        if v is None:
            continue
        lo = convert(o.ref_low, o.unit, latest.unit, o.code) if o.ref_low is not None else None
        hi = convert(o.ref_high, o.unit, latest.unit, o.code) if o.ref_high is not None else None
        out.append(dataclasses.replace(o, value=v, unit=latest.unit, ref_low=lo, ref_high=hi))
    return out


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _ref_text(o: Observation) -> str:
    return num(_ref_numbers(o)) if o.ref_low is not None or o.ref_high is not None else _ref_numbers(o)


def _ref_numbers(o: Observation) -> str:
    low, high = _finite(o.ref_low), _finite(o.ref_high)
    if low is not None and high is not None:
        return f"{low:g}\u2013{high:g}"
    if low is not None:
        return f"\u2265 {low:g}"
    if high is not None:
        return f"\u2264 {high:g}"
    return o.ref_text or ""


def _trend(points: list[Observation], width: float, height: float = 24) -> Drawing:
    """A sparkline of numeric results, each result's own reference range a green band around it."""
    values = [p.value for p in points if p.value is not None]
    lo = [v for p in points for v in (_finite(p.ref_low), _finite(p.ref_high)) if v is not None]
    vmin, vmax = min(values + lo), max(values + lo)
    span = (vmax - vmin) or abs(vmax) or 1.0
    vmin, vmax = vmin - span * 0.12, vmax + span * 0.12
    pad = 3.0
    drawing = Drawing(width, height)

    def y(v: float) -> float:
        return pad + (v - vmin) / (vmax - vmin) * (height - 2 * pad)

    n = len(points)
    xs = [pad + (width - 2 * pad) * (i / (n - 1)) for i in range(n)]
    for i, p in enumerate(points):
        ref_low, ref_high = _finite(p.ref_low), _finite(p.ref_high)
        if ref_low is None and ref_high is None:
            continue
        left = 0.0 if i == 0 else (xs[i - 1] + xs[i]) / 2
        right = width if i == n - 1 else (xs[i] + xs[i + 1]) / 2
        y0 = y(ref_low) if ref_low is not None else pad
        y1 = y(ref_high) if ref_high is not None else height - pad
        drawing.add(Rect(left, y0, right - left, max(y1 - y0, 0.8), fillColor=_BAND, strokeColor=None))
    drawing.add(Line(0, 0.3, width, 0.3, strokeColor=colors.HexColor("#c8ced6"), strokeWidth=0.4))
    coords: list[float] = []
    for x, p in zip(xs, points, strict=True):
        coords.extend((x, y(p.value or 0.0)))
    drawing.add(PolyLine(coords, strokeColor=colors.HexColor("#33526e"), strokeWidth=0.9))
    for x, p in zip(xs, points, strict=True):
        colour = _ABNORMAL if p.is_abnormal() else colors.HexColor("#33526e")
        drawing.add(Circle(x, y(p.value or 0.0), 1.5, fillColor=colour, strokeColor=colour, strokeWidth=0.3))
    return drawing


def _labs(data: PacketData) -> list[Flowable]:
    groups: dict[str, list[Observation]] = {}
    for o in data.observations:
        if o.deleted or (o.status or "").lower() in ("entered-in-error", "cancelled"):
            continue
        groups.setdefault(_lab_key(o), []).append(o)
    if not groups:
        return [_none()]
    ordered = sorted(groups.values(), key=lambda g: (max(g, key=lambda o: o.date or "").title or "").lower())
    widths = (23, 18, 7, 10, 12, 30)  # flag fits "Marca"; dates of 12% fit '22 sept 2026'
    trend_width = widths[-1] / sum(widths) * _FRAME_WIDTH - 8
    rows, extra = [], []
    for r, group in enumerate(ordered, start=1):
        group.sort(key=lambda o: o.date or "")
        latest = group[-1]
        numeric = _in_unit_of(latest, group)[-data.trend_points :]
        flag = lab_flag(latest)
        value = _esc(_value_text(latest))
        if flag:
            value = f"<font color='#b00020'><b>{value}</b></font>"
            extra.append(("TEXTCOLOR", (2, r), (2, r), _ABNORMAL))
        if len(group) > 1:
            prev = group[-2]
            conv = convert(prev.value, prev.unit, latest.unit, prev.code) if prev.value is not None else None
            if conv is not None and latest.value is not None:
                shown = f"{latest.value:g}"
                decimals = min(len(shown.split(".")[1]) if "." in shown else 0, 3)
                before = num(f"{conv:.{decimals}f}")  # converted: as precise as the latest result
            else:
                before = _value_text(prev)
            when = t(" on {date}", date=short_date(prev.date)) if prev.date else ""
            prev_text = t("prev. {value}", value=before + when)
            value += f"<br/><font size='7' color='#555555'>{_esc(prev_text, 80)}</font>"
        trend: Flowable
        if len(numeric) >= 2:
            trend = _trend(numeric, trend_width)
        else:
            trend = Paragraph("\u2014", _NOTE)
        history = tn("{n} result", "{n} results", len(group))
        analyte = analyte_of(latest.code)
        name = analyte.name if analyte is not None and len({o.code for o in group}) > 1 else None
        title = (
            f"<b>{_esc(name or latest.title or latest.display)}</b><br/><font size='7' color='#555555'>{history}</font>"
        )
        rows.append(
            [
                Paragraph(title, _BASE),
                Paragraph(value, _BASE),
                _p(flag, _BOLD),
                _p(_ref_text(latest)),
                _p(short_date(latest.date)),
                trend,
            ]
        )
    table = _table(
        words("Test", "Latest result", "Flag", "Reference", "Date", "Trend (green: reference range)"),
        rows,
        widths,
        extra,
    )
    return [
        table,
        Paragraph(
            escape(
                t("H = above, L = below the reference range, A = abnormal. Red points in a trend are abnormal results.")
            ),
            _NOTE,
        ),
    ]


def _encounters(data: PacketData) -> list[Flowable]:
    encs = sorted((e for e in data.encounters if not e.deleted), key=lambda e: e.date or "", reverse=True)
    if not encs:
        return [_none()]
    shown = encs[: data.max_encounters]
    rows = []
    for e in shown:
        where = " \u2014 ".join(p for p in (e.provider, e.location) if p)
        kind = e.encounter_type or e.title or e.encounter_class or ""
        rows.append([_p(short_date(e.date)), _p(kind, _BOLD), _p(where), _p(e.practitioner), _p(e.reason)])
    out: list[Flowable] = [_table(words("Date", "Visit", "Where", "Clinician", "Reason"), rows, (11, 24, 25, 17, 23))]
    if len(encs) > len(shown):
        out.append(
            Paragraph(
                tn("{n} older encounter not listed.", "{n} older encounters not listed.", len(encs) - len(shown)), _NOTE
            )
        )
    return out


def _index(entries: list[DocumentEntry]) -> list[Flowable]:
    if not entries:
        return [_none()]
    rows = []
    extra: list[tuple[Any, ...]] = []
    for n, e in enumerate(entries, start=1):
        where: Flowable
        if e.included:
            pages = t("{pages}, from page ", pages=tn("{n} page", "{n} pages", e.page_count))
            where = _FormRef(f"docpage{n - 1}", pages)
        else:
            where = Paragraph(f"<font color='#b00020'>{escape(note_words(e.note))}</font>", _BASE)
        rows.append([_p(str(n)), _p(e.title, _BOLD), _p(short_date(e.date)), _p(type_words(e.type_label)), where])
    return [_table(words("#", "Document", "Date", "Type", "In this packet"), rows, (4, 44, 11, 12, 29), extra)]


def _serious(a: Allergy) -> bool:
    return (a.criticality or "").lower() == "high" or (a.severity or "").lower() == "severe"
