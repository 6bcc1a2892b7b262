"""Reads of a replica's bookkeeping tables (``rep_seen``, ``rep_ids``, ``rep_ver``) that the sync service
shows: what each device's newest segment is, which segments were refused, who wrote the version shown and
the conflicting versions kept. The replica package owns these tables; services ask here instead of running
SQL themselves."""

from __future__ import annotations

from typing import Any

from ..vault.db import Db


def newest_seq_by_device(db: Db) -> dict[str, int]:
    """device -> the highest segment number read from it, for this stream."""
    return {d: int(n) for d, n in db.query("SELECT dev, max(seq) FROM rep_seen GROUP BY dev")}


def refused_segments(db: Db, limit: int = 50) -> list[tuple[str, str, int, str | None]]:
    """(device, user, seq, reason) of the segments with refused changes, newest first."""
    return [
        (str(d), str(u), int(s), r)
        for d, u, s, r in db.query(
            "SELECT dev, user_id, seq, reason FROM rep_seen WHERE refused > 0 ORDER BY applied DESC LIMIT ?",
            (limit,),
        )
    ]


def writer_of(db: Db, gid: str) -> tuple[str, str] | None:
    """(device, user) that wrote the version of ``gid`` shown now."""
    row = db.one("SELECT dev, user_id FROM rep_ids WHERE gid=?", (gid,))
    return (str(row[0] or ""), str(row[1] or "")) if row else None


def kept_versions(conn: Any, gid: str) -> list[tuple[str, str]]:
    """(hlc, record JSON) of the versions of ``gid`` kept as conflicts, inside the caller's transaction."""
    return [
        (str(h), str(r))
        for h, r in conn.execute("SELECT hlc, rec FROM rep_ver WHERE gid=? AND rec IS NOT NULL", (gid,))
    ]
