"""Same-day linking: results, reports and documents that no file linked to a visit, linked to the visit
of the same day and organization.

A file often leaves the link out: a blood count drawn at the visit, the report signed at 15:43, the
after-visit summary.  Each such item (not linked, dated) is linked to the one visit that

- took place that day (the visit's day, or a stay that covers it), and
- was at the same organization: the item's performer or author and the visit's provider name the same
  organization, or, where either is not named, both came from the same source (one file, one portal).

When two visits fit, nothing is linked (a guess between two visits is worse than none).  A link made
here is marked ``"visit_link": "same day"`` in the item's data, so views say so; a link the file made
is never changed.  Runs in the import's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from typing import Any

from ..vault.repos import items as items_repo

LINKABLE = ("observation", "diagnostic_report", "document")


def _org(s: Any) -> str:
    return " ".join(str(s or "").casefold().replace(",", " ").replace(".", " ").split())


def _same_org(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or (len(a) >= 6 and a in b) or (len(b) >= 6 and b in a))


def link_same_day(conn: sqlite3.Connection | Any) -> int:
    """Link unlinked results, reports and documents to the visit of their day and organization.
    Returns how many items gained a visit."""
    orphans = items_repo.unlinked_results(conn)
    if not orphans:
        return 0
    days = sorted({o.day for o in orphans})
    visits: dict[str, list[tuple[int, str, str]]] = {}
    for v in items_repo.visits_starting_on(conn, days):
        visits.setdefault(v.start, []).append((v.rowid, v.source_name or "", _org(v.provider) or _org(v.location)))
    # Stays over several days: each day they cover (bounded; a stay has few days).
    wanted = set(days)
    for v in items_repo.multi_day_visits(conn):
        try:
            d0, d1 = date.fromisoformat(v.start), date.fromisoformat(v.end)
        except ValueError:
            continue
        if (d1 - d0).days > 120:
            continue
        d = d0 + timedelta(days=1)
        while d <= d1:
            day = d.isoformat()
            if day in wanted:
                visits.setdefault(day, []).append((v.rowid, v.source_name or "", _org(v.provider) or _org(v.location)))
            d += timedelta(days=1)
    links: list[tuple[int, int]] = []
    for o in orphans:
        cands = visits.get(o.day)
        if not cands:
            continue
        org = _org(o.performer) or _org(o.author)
        # One organization: the same source (one file, one portal account), or the names agree.
        fit = {vid for vid, vsrc, vorg in cands if (o.source_name or "") == vsrc or _same_org(org, vorg)}
        if len(fit) == 1:
            links.append((next(iter(fit)), o.rowid))
    if links:
        items_repo.link_same_day_visits(conn, links)
    return len(links)


def visit_link(data: str | dict[str, Any] | None) -> str | None:
    """'same day' when the app made the link (the file did not say), else None."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return None
    return (data or {}).get("visit_link") if isinstance(data, dict) else None
