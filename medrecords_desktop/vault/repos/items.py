"""Read queries over one person's record items beyond the timeline pages of ``vault/store.py``: counts for the
timeline's scroll bar, a test's results for a trend chart, the numeric tests for the Labs list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..db import Db
from ..store import ROW_COLUMNS, Row


@dataclass(frozen=True, slots=True)
class LabGroup:
    """Numeric results of one test in one unit and category, and how many there are."""

    title: str
    code: str | None
    unit: str | None
    category: str | None
    count: int


def count_items(
    db: Db, kinds: Sequence[str] | None = None, date_from: str | None = None, date_to: str | None = None,
    before: tuple[str, int] | None = None,
) -> int:
    """How many live items match; ``before`` = (date, rowid): only those strictly older in timeline order."""
    where, params = ["deleted_at IS NULL"], list[Any]()
    if kinds:
        where.append(f"kind IN ({','.join('?' * len(kinds))})")
        params += list(kinds)
    if date_from:
        where.append("date >= ?")
        params.append(date_from)
    if date_to:
        where.append("date <= ?")
        params.append(date_to + "\uffff")
    if before is not None:
        where.append("(date, id) < (?, ?)")
        params += [before[0], before[1]]
    row = db.one(f"SELECT count(*) FROM items WHERE {' AND '.join(where)}", params)
    return int(row[0]) if row else 0


def lab_series(db: Db, code: str | None = None, title: str | None = None) -> list[Row]:
    """Live observations with this code (or, without a code, this title), oldest first."""
    column, value = ("code", code) if code else ("title", title)
    rows = db.query(f"SELECT {ROW_COLUMNS} FROM items WHERE {column}=? AND kind='observation'"
                    " AND deleted_at IS NULL ORDER BY date", (value,))
    return [Row.from_tuple(t) for t in rows]


def lab_groups(db: Db) -> list[LabGroup]:
    """Live numeric observations grouped by (code, title, unit, category)."""
    rows = db.query(
        "SELECT title, code, unit, json_extract(data, '$.category'), count(*) FROM items"
        " WHERE kind='observation' AND value_num IS NOT NULL AND deleted_at IS NULL"
        " GROUP BY code, title, unit, json_extract(data, '$.category')"
    )
    return [LabGroup(t, c, u, cat, int(n)) for t, c, u, cat, n in rows]


def lab_test_counts(db: Db) -> list[tuple[str, str | None, int]]:
    """(title, code, count) of live numeric observations grouped by code and title."""
    rows = db.query(
        "SELECT title, code, count(*) FROM items WHERE kind='observation' AND value_num IS NOT NULL"
        " AND deleted_at IS NULL GROUP BY code, title"
    )
    return [(t, c, int(n)) for t, c, n in rows]
