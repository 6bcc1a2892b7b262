"""Records requests (``record_requests``, in the person's own database) and the marks a user put on a visit's
expected records (``expectation_marks``): what services/missing.py tracks."""

from __future__ import annotations

from dataclasses import dataclass

from ..db import Db


@dataclass(frozen=True, slots=True)
class StoredRequest:
    id: int
    person_id: str
    provider: str
    what: str
    asked_on: str
    due_on: str | None
    status: str
    notes: str | None


def all_in(db: Db) -> list[StoredRequest]:
    return [
        StoredRequest(*r)
        for r in db.query("SELECT id, person_id, provider, what, asked_on, due_on, status, notes FROM record_requests")
    ]


def exists(db: Db, request_id: int) -> bool:
    return db.one("SELECT 1 FROM record_requests WHERE id=?", (request_id,)) is not None


def insert(db: Db, req: StoredRequest, created: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO record_requests(id,person_id,provider,what,asked_on,due_on,status,notes,created)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (req.id, req.person_id, req.provider, req.what, req.asked_on, req.due_on, req.status, req.notes, created),
        )


def set_status(db: Db, request_id: int, status: str, notes: str | None = None) -> None:
    """A new status; ``notes`` replace the old ones when given."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE record_requests SET status=?, notes=coalesce(?, notes) WHERE id=?", (status, notes, request_id)
        )


# ---------------------------------------------------------------- marks on expected records
def marks(db: Db) -> dict[tuple[int, str], tuple[str, str | None]]:
    """(visit rowid, rule id) -> (status, note)."""
    return {
        (int(r[0]), str(r[1])): (r[2], r[3])
        for r in db.query("SELECT encounter_id, rule_id, status, note FROM expectation_marks")
    }


def set_mark(
    db: Db, encounter_rowid: int, rule_id: str, status: str, note: str | None, user_name: str, created: str
) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO expectation_marks(encounter_id,rule_id,status,note,user_name,created)"
            " VALUES (?,?,?,?,?,?)",
            (encounter_rowid, rule_id, status, note, user_name, created),
        )


def clear_mark(db: Db, encounter_rowid: int, rule_id: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM expectation_marks WHERE encounter_id=? AND rule_id=?", (encounter_rowid, rule_id))
