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
from typing import Any

LINKABLE = ("observation", "diagnostic_report", "document")


def _org(s: Any) -> str:
    return " ".join(str(s or "").casefold().replace(",", " ").replace(".", " ").split())


def _same_org(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or (len(a) >= 6 and a in b) or (len(b) >= 6 and b in a))


def link_same_day(conn: sqlite3.Connection | Any) -> int:
    """Link unlinked results, reports and documents to the visit of their day and organization.
    Returns how many items gained a visit."""
    orphans = conn.execute(
        "SELECT id, substr(date,1,10), source_name, json_extract(data,'$.performer'), json_extract(data,'$.author')"
        " FROM items WHERE kind IN ('observation','diagnostic_report','document') AND encounter_id IS NULL"
        " AND deleted_at IS NULL AND length(date) >= 10"
    ).fetchall()
    if not orphans:
        return 0
    days = sorted({o[1] for o in orphans})
    visits: dict[str, list[tuple[int, str, str]]] = {}
    for i in range(0, len(days), 400):
        chunk = days[i : i + 400]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT id, substr(date,1,10), substr(coalesce(nullif(date_end,''), date),1,10), source_name,"
            " json_extract(data,'$.provider'), json_extract(data,'$.location')"
            f" FROM items WHERE kind='encounter' AND deleted_at IS NULL AND substr(date,1,10) IN ({marks})",
            chunk,
        ).fetchall()
        for rid, start, _end, src, provider, location in rows:
            visits.setdefault(start, []).append((int(rid), src or "", _org(provider) or _org(location)))
    # Stays over several days: each day they cover (bounded; a stay has few days).
    stays = conn.execute(
        "SELECT id, substr(date,1,10), substr(date_end,1,10), source_name, json_extract(data,'$.provider'),"
        " json_extract(data,'$.location') FROM items WHERE kind='encounter' AND deleted_at IS NULL"
        " AND date_end IS NOT NULL AND substr(date_end,1,10) > substr(date,1,10)"
    ).fetchall()
    wanted = set(days)
    for rid, start, end, src, provider, location in stays:
        from datetime import date, timedelta

        try:
            d0, d1 = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            continue
        if (d1 - d0).days > 120:
            continue
        d = d0 + timedelta(days=1)
        while d <= d1:
            day = d.isoformat()
            if day in wanted:
                visits.setdefault(day, []).append((int(rid), src or "", _org(provider) or _org(location)))
            d += timedelta(days=1)
    links: list[tuple[int, int]] = []
    for oid, day, src, performer, author in orphans:
        cands = visits.get(day)
        if not cands:
            continue
        org = _org(performer) or _org(author)
        # One organization: the same source (one file, one portal account), or the names agree.
        fit = {vid for vid, vsrc, vorg in cands if (src or "") == vsrc or _same_org(org, vorg)}
        if len(fit) == 1:
            links.append((next(iter(fit)), int(oid)))
    if links:
        conn.executemany(
            "UPDATE items SET encounter_id=?, data=json_set(data, '$.visit_link', 'same day') WHERE id=?", links
        )
    return len(links)


def visit_link(data: str | dict[str, Any] | None) -> str | None:
    """'same day' when the app made the link (the file did not say), else None."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return None
    return (data or {}).get("visit_link") if isinstance(data, dict) else None
