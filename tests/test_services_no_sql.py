"""Services hold no SQL: they call the repositories in ``vault/repos/`` (and ``vault/store.py``), which return
dataclasses.  This test reads every module under ``services/`` and counts the calls that run SQL on a
database or connection (``.execute``, ``.executemany``, ``.executescript``, ``.query``, ``.one``) and the
string literals that look like SQL statements.  The allow-list names what is left to move; it may only
shrink: a module with more sites than allowed fails, and so does one with fewer (lower its number).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

SERVICES = ROOT / "medrecords_desktop" / "services"
SQL_METHODS = {"execute", "executemany", "executescript", "query", "one"}
# SQL as this project writes it (upper-case keywords), not English ("Delete trashed items ..."):
SQL_TEXT = re.compile(
    r"\b(SELECT\b.*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO"
    r"|(CREATE|DROP)\s+(TABLE|INDEX|VIEW|TRIGGER)|PRAGMA\s+\w+)\b",
    re.S,
)

# What is left to move, per module (sites = SQL calls + SQL string literals).  Only ever lower these.
ALLOWED: dict[str, int] = {}


def sql_sites(path: Path) -> list[tuple[int, str]]:
    """(line, what) of every SQL call, and of every SQL-looking string literal outside one, in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out: list[tuple[int, str]] = []
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_METHODS:
            out.append((node.lineno, f".{node.func.attr}()"))
            inside |= {id(n) for arg in node.args for n in ast.walk(arg)}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_TEXT.search(node.value)
            and id(node) not in inside
        ):
            out.append((node.lineno, repr(node.value[:40])))
    return sorted(out)


def test_the_counter_finds_sql(tmp_path: Path) -> None:
    """The counter itself: it sees a query call and an SQL string, and not English or ordinary calls."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        'def f(db):\n    x = "SELECT 1 FROM t"\n    return db.query(f"SELECT {x}"), "Delete from the list".upper()\n'
    )
    assert sql_sites(probe) == [(2, "'SELECT 1 FROM t'"), (3, ".query()")]


def test_services_run_no_sql_beyond_the_allow_list() -> None:
    found = {p.name: sql_sites(p) for p in sorted(SERVICES.glob("*.py"))}
    over = {name: sites for name, sites in found.items() if len(sites) > ALLOWED.get(name, 0)}
    assert not over, "SQL in services/ (put it in a vault/repos/ module): " + "; ".join(
        f"{name}: {len(sites)} sites, {ALLOWED.get(name, 0)} allowed, e.g. line {sites[-1][0]} {sites[-1][1]}"
        for name, sites in over.items()
    )
    stale = {name: n for name, n in ALLOWED.items() if name in found and len(found[name]) < n}
    assert not stale, "fewer SQL sites than allowed, lower ALLOWED: " + ", ".join(
        f"{k!r}: {len(found[k])}" for k in stale
    )
