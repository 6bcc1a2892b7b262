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


def rows_of_kinds(
    db: Db, kinds: Sequence[str], date_from: str | None = None, date_to: str | None = None,
) -> list[Row]:
    """Live items of these kinds, oldest first (date, then row id), optionally within dates."""
    if not kinds:
        return []
    where, params = ["deleted_at IS NULL", f"kind IN ({','.join('?' * len(kinds))})"], list[Any](kinds)
    if date_from:
        where.append("date >= ?")
        params.append(date_from)
    if date_to:
        where.append("date <= ?")
        params.append(date_to + "\uffff")
    rows = db.query(f"SELECT {ROW_COLUMNS} FROM items WHERE {' AND '.join(where)} ORDER BY date, id", params)
    return [Row.from_tuple(t) for t in rows]


# ---------------------------------------------------------------- visit links (inside an import's transaction)
@dataclass(frozen=True, slots=True)
class Unlinked:
    """A result, report or document with a full date and no visit."""

    rowid: int
    day: str  # YYYY-MM-DD
    source_name: str | None
    performer: Any  # as the source gave it (a name, or a structure)
    author: Any


@dataclass(frozen=True, slots=True)
class VisitSpan:
    """A visit: the days it starts and ends, where it came from, who and where."""

    rowid: int
    start: str  # YYYY-MM-DD
    end: str
    source_name: str | None
    provider: Any
    location: Any


def unlinked_results(conn: Any) -> list[Unlinked]:
    rows = conn.execute(
        "SELECT id, substr(date,1,10), source_name, json_extract(data,'$.performer'), json_extract(data,'$.author')"
        " FROM items WHERE kind IN ('observation','diagnostic_report','document') AND encounter_id IS NULL"
        " AND deleted_at IS NULL AND length(date) >= 10"
    ).fetchall()
    return [Unlinked(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]


def visits_starting_on(conn: Any, days: Sequence[str]) -> list[VisitSpan]:
    """Live visits that start on one of these days (asked in chunks: SQLite limits parameters)."""
    out: list[VisitSpan] = []
    for i in range(0, len(days), 400):
        chunk = list(days[i : i + 400])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT id, substr(date,1,10), substr(coalesce(nullif(date_end,''), date),1,10), source_name,"
            " json_extract(data,'$.provider'), json_extract(data,'$.location')"
            f" FROM items WHERE kind='encounter' AND deleted_at IS NULL AND substr(date,1,10) IN ({marks})",
            chunk,
        ).fetchall()
        out += [VisitSpan(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]
    return out


def multi_day_visits(conn: Any) -> list[VisitSpan]:
    """Live visits that end on a later day than they start (hospital stays)."""
    rows = conn.execute(
        "SELECT id, substr(date,1,10), substr(date_end,1,10), source_name, json_extract(data,'$.provider'),"
        " json_extract(data,'$.location') FROM items WHERE kind='encounter' AND deleted_at IS NULL"
        " AND date_end IS NOT NULL AND substr(date_end,1,10) > substr(date,1,10)"
    ).fetchall()
    return [VisitSpan(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]


def link_same_day_visits(conn: Any, links: Sequence[tuple[int, int]]) -> None:
    """Set (visit rowid, item rowid) links the app made, marking them 'same day'."""
    conn.executemany(
        "UPDATE items SET encounter_id=?, data=json_set(data, '$.visit_link', 'same day') WHERE id=?", links
    )
