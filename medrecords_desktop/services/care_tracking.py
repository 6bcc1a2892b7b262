"""What portals and payers tell us to expect: results of pending orders, records of upcoming and past
appointments, and visits a payer was billed for that the family has no records of at all.

``care_expectations`` adds these to the missing-records tracker (services/missing.py calls it for each
person); ``claim_matches`` pairs each claim with the visit it billed (same day, give or take one, and the
same provider where both name one) for the Claims view.  Only index ranges on ``items(kind, date)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..vault.repos import items as items_repo
from ..vault.store import Row

ORDER_OPEN = frozenset({"active", "on-hold", "draft", "requested", "ordered"})
APPOINTMENT_OPEN = frozenset({"booked", "pending", "proposed", "arrived", "checked-in", "waitlist", "fulfilled"})
ORDER_DELAY_DAYS = 14  # results usually arrive within two weeks of the order
ORDER_WINDOW_DAYS = 120  # a result this long after the order is still taken as its answer
APPOINTMENT_DELAY_DAYS = 7  # a visit summary is usually released within a week
CLAIM_DELAY_DAYS = 30  # a billed visit with no record a month on is worth chasing
LOOKBACK_DAYS = 365
RESULT_KINDS = ("observation", "diagnostic_report", "document")
VISIT_KINDS = ("encounter", "document", "procedure", "diagnostic_report", "observation", "immunization")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {
        "the",
        "of",
        "and",
        "at",
        "for",
        "a",
        "an",
        "inc",
        "llc",
        "center",
        "centre",
        "group",
        "medical",
        "health",
        "clinic",
        "hospital",
        "services",
        "associates",
        "pc",
        "md",
    }
)


def _day(s: str) -> date:
    return date.fromisoformat(s[:10])


def _words(s: str | None) -> set[str]:
    return {w for w in _WORD.findall((s or "").casefold()) if w not in _STOP and len(w) > 1}


def _rows(db: Any, kinds: tuple[str, ...], since: str | None) -> list[Row]:
    out: list[Row] = []
    for kind in kinds:
        out += items_repo.rows_of_kinds(db, (kind,), since)
    return out


def same_provider(a: str | None, b: str | None) -> bool | None:
    """Whether two provider names denote the same place: None when one is unknown."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return None
    return bool(wa & wb)


@dataclass
class ClaimMatch:
    claim: Row
    encounter: Row | None  # the visit the claim billed, where the vault has it
    other_records: int  # items of that day (documents, results...) besides an encounter

    @property
    def has_records(self) -> bool:
        return self.encounter is not None or self.other_records > 0


def claim_matches(db: Any, since: str | None = None) -> list[ClaimMatch]:
    claims = _rows(db, ("claim",), since)
    if not claims:
        return []
    first = min(_day(c.date) for c in claims if c.date) if any(c.date for c in claims) else None
    start = (first - timedelta(days=2)).isoformat() if first else None
    by_day: dict[date, list[Row]] = {}
    for r in _rows(db, VISIT_KINDS, start):
        if r.date:
            by_day.setdefault(_day(r.date), []).append(r)
    out = []
    for c in claims:
        if not c.date:
            out.append(ClaimMatch(c, None, 0))
            continue
        d = _day(c.date)
        near = [r for k in (0, -1, 1) for r in by_day.get(d + timedelta(days=k), [])]
        encs = [r for r in near if r.kind == "encounter"]
        provider = c.data.get("provider")
        best = next(
            (e for e in encs if same_provider(provider, e.data.get("provider") or e.data.get("location")) is True), None
        )
        if best is None:
            # Same day, and the visit names no provider (or the claim does not): still that visit.
            best = next(
                (e for e in encs if same_provider(provider, e.data.get("provider")) is None and _day(e.date) == d), None
            )
        others = [r for r in near if r.kind != "encounter" and _day(r.date) == d]
        out.append(ClaimMatch(c, best, len(others)))
    return out


def care_expectations(
    pid: str,
    name: str,
    db: Any,
    marks: dict[tuple[int, str], tuple[str, str | None]],
    today: date,
    portals: list[str],
    make_expectation: Any,
    make_id: Any,
) -> list[Any]:
    """Expectations from pending orders, appointments and billed visits (see module docstring)."""
    since = (today - timedelta(days=LOOKBACK_DAYS + ORDER_WINDOW_DAYS)).isoformat()
    steps = [f"sync portal: {p}" for p in portals] + ["start a records request"]
    out = []

    def add(row: Row, rule: str, label: str, due: date, provider: str | None, met: Row | None) -> None:
        e = make_expectation(
            pid,
            name,
            make_id(pid, row.rowid),
            row.title,
            row.date[:10],
            provider,
            f"{rule}:{row.rowid}",
            label,
            due.isoformat(),
            "waiting",
        )
        mark = marks.get((row.rowid, e.rule_id))
        if mark:
            e.status, e.note = mark[0], mark[1]
        elif met is not None:
            e.status, e.met_by = "met", make_id(pid, met.rowid)
        elif today > due:
            e.status, e.days_overdue, e.next_steps = "overdue", (today - due).days, steps
            if e.days_overdue > LOOKBACK_DAYS:
                e.status = "old"
        out.append(e)

    results = _rows(db, RESULT_KINDS, since)
    for o in _rows(db, ("order",), since):
        if not o.date or (o.status or "").lower() not in ORDER_OPEN or o.data.get("intent") in ("plan", "proposal"):
            continue
        start = _day(o.date)
        words = _words(o.title)
        hit = next(
            (
                r
                for r in results
                if r.date
                and start <= _day(r.date) <= start + timedelta(ORDER_WINDOW_DAYS)
                and ((o.code and r.code == o.code) or (words and words <= _words(r.title)))
            ),
            None,
        )
        add(
            o,
            "order-results",
            f"Results of the order from {o.date[:10]} ({o.title}) not yet received",
            start + timedelta(days=ORDER_DELAY_DAYS),
            o.data.get("performer") or o.data.get("requester"),
            hit,
        )

    visits: dict[date, list[Row]] = {}
    for r in _rows(db, ("encounter",), since):
        if r.date:
            visits.setdefault(_day(r.date), []).append(r)
    for a in _rows(db, ("appointment",), since):
        if not a.date or (a.status or "").lower() not in APPOINTMENT_OPEN:
            continue
        d = _day(a.date)
        where = a.data.get("location") or a.data.get("practitioner")
        hit = next(iter(visits.get(d, [])), None)
        if d >= today:
            at = f" at {where}" if where else ""
            label = f"Upcoming visit on {d.isoformat()}{at}: its records are expected after it"
        else:
            label = f"Records of the visit on {d.isoformat()}{' at ' + where if where else ''}"
        add(a, "appointment-records", label, d + timedelta(days=APPOINTMENT_DELAY_DAYS), where, hit)

    for m in claim_matches(db, since):
        c = m.claim
        if not c.date or m.has_records:
            continue
        where = c.data.get("provider")
        add(
            c,
            "billed-visit",
            f"A visit on {c.date[:10]}{' at ' + where if where else ''} was billed; no records",
            _day(c.date) + timedelta(days=CLAIM_DELAY_DAYS),
            where,
            None,
        )
    return out
