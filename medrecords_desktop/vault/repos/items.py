"""Read queries over one person's record items beyond the timeline pages of ``vault/store.py``: counts for the
timeline's scroll bar, a test's results for a trend chart, the numeric tests for the Labs list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..db import Db
from ..store import ROW_COLUMNS, Row, unpack_raw


@dataclass(frozen=True, slots=True)
class LabGroup:
    """Numeric results of one test in one unit and category, and how many there are."""

    title: str
    code: str | None
    unit: str | None
    category: str | None
    count: int


def count_items(
    db: Db,
    kinds: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
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
    rows = db.query(
        f"SELECT {ROW_COLUMNS} FROM items WHERE {column}=? AND kind='observation' AND deleted_at IS NULL ORDER BY date",
        (value,),
    )
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
    db: Db,
    kinds: Sequence[str],
    date_from: str | None = None,
    date_to: str | None = None,
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


# ---------------------------------------------------------------- light rows (what matching a visit's records needs)
_LITE_COLUMNS = (
    "id, kind, date, date_end, title, status, display, encounter_id, report_id,"
    " json_extract(data, '$.doc_type'), json_extract(data, '$.conclusion'),"
    " json_extract(data, '$.performer'), code"
)
LITE_KINDS = ("document", "observation", "diagnostic_report")


@dataclass(slots=True)
class LiteRow:
    """The columns of ``Row`` that matching results to visits reads, without building full rows (a visit can
    have hundreds of results).  ``data`` holds only doc_type, conclusion and performer."""

    rowid: int
    kind: str
    date: str
    date_end: str | None
    title: str
    status: str | None
    display: str | None
    encounter_id: int | None
    report_id: int | None
    data: dict[str, Any]
    code: str | None = None


def _lite(t: Sequence[Any]) -> LiteRow:
    return LiteRow(
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
        t[5],
        t[6],
        t[7],
        t[8],
        {"doc_type": t[9], "conclusion": t[10], "performer": t[11]},
        t[12],
    )


def lite_linked(db: Db, encounter_rowids: Sequence[int]) -> list[LiteRow]:
    """Live documents, results and reports linked to these visits."""
    out: list[LiteRow] = []
    ids = list(encounter_rowids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        out += [
            _lite(t)
            for t in db.query(
                f"SELECT {_LITE_COLUMNS} FROM items INDEXED BY items_encounter"
                f" WHERE encounter_id IS NOT NULL AND encounter_id IN ({','.join('?' * len(chunk))})"
                " AND kind IN ('document','observation','diagnostic_report') AND deleted_at IS NULL",
                chunk,
            )
        ]
    return out


def lite_unlinked(db: Db, kind: str, since: str | None = None) -> list[LiteRow]:
    """Live items of ``kind`` linked to no visit (dated ``since`` or later, when given)."""
    extra, args = (" AND date >= ?", (kind, since)) if since else ("", (kind,))
    return [
        _lite(t)
        for t in db.query(
            f"SELECT {_LITE_COLUMNS} FROM items INDEXED BY items_unlinked WHERE kind=?"
            f" AND encounter_id IS NULL AND deleted_at IS NULL{extra}",
            args,
        )
    ]


def kept_of_type(db: Db, resource_type: str) -> list[tuple[str | None, str | None]]:
    """(source id, source text) of the resources kept as received (not shown as items) of one FHIR type."""
    return [
        (sid, unpack_raw(raw) if raw is not None else None)
        for sid, raw in db.query("SELECT source_id, raw FROM kept WHERE resource_type=?", (resource_type,))
    ]


def live_rowids(db: Db) -> list[int]:
    """Row ids of the items not in the Trash, in order."""
    return [int(r[0]) for r in db.query("SELECT id FROM items WHERE deleted_at IS NULL ORDER BY id")]


def live_counts_by_kind(db: Db) -> dict[str, int]:
    """kind -> how many live items (kinds with none are left out)."""
    return {
        str(k): int(n) for k, n in db.query("SELECT kind, count(*) FROM items WHERE deleted_at IS NULL GROUP BY kind")
    }


def live_fingerprints(db: Db) -> list[str]:
    """The content fingerprints of the live items (one per item; items without one left out)."""
    return [str(r[0]) for r in db.query("SELECT fingerprint FROM items WHERE deleted_at IS NULL") if r[0]]


def live_rowids_of_import(db: Db, import_id: int) -> list[int]:
    """Row ids of one import's items not in the Trash, in order."""
    return [
        int(r[0])
        for r in db.query("SELECT id FROM items WHERE import_id=? AND deleted_at IS NULL ORDER BY id", (import_id,))
    ]


def live_kinds(db: Db) -> dict[int, str]:
    """rowid -> kind of every live item."""
    return {int(r[0]): str(r[1]) for r in db.query("SELECT id, kind FROM items WHERE deleted_at IS NULL")}


def live_attached_to(db: Db, rowid: int) -> list[int]:
    """Live items linked to this visit or report."""
    return [
        int(r[0])
        for r in db.query(
            "SELECT id FROM items WHERE (encounter_id=? OR report_id=?) AND deleted_at IS NULL", (rowid, rowid)
        )
    ]


def live_count(db: Db) -> int:
    """How many records the person has, not counting the Trash."""
    row = db.one("SELECT count(*) FROM items WHERE deleted_at IS NULL")
    return int(row[0]) if row else 0


def total_changes(db: Db) -> int:
    """SQLite's count of rows written through this connection since it opened (a cheap change fingerprint)."""
    row = db.one("SELECT total_changes()")
    return int(row[0]) if row else 0
