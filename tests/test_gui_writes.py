"""Every write from the GUI goes through an op (gui/ops.py): none runs on the GUI thread.

Read from the source (AST), so it holds for code no test drives:

1. The write methods: a service or vault method (or a service module's function) that opens a
   transaction, audits, adds a person, puts a blob, imports, rekeys, grants..., or calls one of its own
   that does (to a fixpoint). A GUI helper function that calls one is a write too.
2. Every call of one of them in gui/ must sit inside the work function of an op: a function or lambda
   handed to ``Op(parent, fn)`` or ``ops.write(parent, fn)``, or handed to a GUI method that itself runs
   its argument inside such a work function (an "op runner", like ``AccessView._run``).

The finder is checked against a planted GUI module too, so this test can fail.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "medrecords_desktop"

WRITE_MARKS = (
    "transaction(",
    ".add_person(",
    ".audit(",
    "change_passphrase(",
    ".rekey(",
    "blobs.put(",
    ".put(",
    "import_paths(",
    "import_bytes(",
    "write_parsed(",
    "rotate_",
    "grant(",
    "revoke(",
    "remove_user(",
    "add_user(",
    "confirm_results(",
)
# Receivers (the last name before the method) that are services, the session or the vault: not a
# QPainter's restore(), a set's add() or a list widget's item().
SERVICE_RECEIVER = re.compile(
    r"_*(svc|\w*service|session|editing|importing|exporting|portals|missing|people|claims|"
    r"immunizations|vault|records|access|mod|edits)",
    re.IGNORECASE,
)
# Reads that leave a trace: opening an item appends an "item.view" line to the audit log. They are
# what the user asked to see, on the GUI thread; the append is one small insert (docs/design.md, Layers).
READS_THAT_AUDIT: set[str] = set()  # none: opening a record audits through ops.note_viewed on the worker
OP_MAKERS = {"Op", "write"}


SQL_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b")


def repo_writes(pkg: Path) -> dict[str, set[str]]:
    """vault/repos modules -> their functions that write (a transaction, or SQL that changes rows)."""
    out: dict[str, set[str]] = {}
    for f in sorted((pkg / "vault" / "repos").glob("*.py")):
        src = f.read_text("utf-8")
        fns = [n for n in ast.parse(src).body if isinstance(n, ast.FunctionDef)]
        out[f.stem] = {
            fn.name
            for fn in fns
            if "transaction(" in (seg := ast.get_source_segment(src, fn) or "") or SQL_WRITE.search(seg)
        }
    return out


def _repo_marks(tree: ast.AST, repos: dict[str, set[str]]) -> tuple[str, ...]:
    """The calls in one services module that reach a writing repository function, as source text marks
    (``edits_repo.correct(``), from the module's own imports of vault/repos."""
    marks: list[str] = []
    for n in ast.walk(tree):
        if not isinstance(n, ast.ImportFrom) or not (n.module or "").lstrip(".").startswith("vault.repos"):
            continue
        mod = (n.module or "").lstrip(".").removeprefix("vault.repos").lstrip(".")
        for a in n.names:
            if not mod:  # from ..vault.repos import edits as edits_repo
                marks += [f"{a.asname or a.name}.{fn}(" for fn in repos.get(a.name, ())]
            elif a.name in repos.get(mod, ()):  # from ..vault.repos.edits import correct
                marks.append(f"{a.asname or a.name}(")
    return tuple(marks)


def write_methods(pkg: Path) -> set[str]:
    """Names of public service/vault methods and service functions that write (fixpoint over own calls)."""
    names: set[str] = set()
    repos = repo_writes(pkg)
    files = sorted((pkg / "services").rglob("*.py")) + [pkg / "vault" / "vault.py", pkg / "vault" / "signed.py"]
    for f in files:
        src = f.read_text("utf-8")
        tree = ast.parse(src)
        marks = WRITE_MARKS + _repo_marks(tree, repos)
        for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))]:
            funcs = {n.name: n for n in scope.body if isinstance(n, ast.FunctionDef)}
            writes = {n: any(m in (ast.get_source_segment(src, fn) or "") for m in marks) for n, fn in funcs.items()}
            grew = True
            while grew:
                grew = False
                for n, fn in funcs.items():
                    if writes[n]:
                        continue
                    called = {
                        c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")
                        for c in ast.walk(fn)
                        if isinstance(c, ast.Call)
                    }
                    if any(writes.get(c) for c in called):
                        writes[n] = grew = True
            names |= {n for n, w in writes.items() if (w or f".{n}(" in WRITE_MARKS) and not n.startswith("_")}
    return names - READS_THAT_AUDIT


def _call_name(c: ast.Call) -> str:
    f = c.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {ch: p for p in ast.walk(tree) for ch in ast.iter_child_nodes(p)}


def _work_functions(tree: ast.AST, makers: set[str]) -> tuple[set[str], set[ast.Lambda]]:
    """Functions (by name) and lambdas handed to an op maker (or runner) anywhere in the module."""
    names: set[str] = set()
    lambdas: set[ast.Lambda] = set()
    for c in ast.walk(tree):
        if isinstance(c, ast.Call) and _call_name(c) in makers:
            for a in [*c.args, *(k.value for k in c.keywords)]:
                if isinstance(a, ast.Name):
                    names.add(a.id)
                elif isinstance(a, ast.Attribute):
                    names.add(a.attr)
                elif isinstance(a, ast.Lambda):
                    lambdas.add(a)
    return names, lambdas


def _op_runners(tree: ast.AST) -> set[str]:
    """Functions that run one of their parameters inside an op's work function (``_run(label, work, done)``)."""
    runners: set[str] = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        params = {a.arg for a in fn.args.args}
        names, lambdas = _work_functions(fn, OP_MAKERS)
        if names & params:  # Op(self, work) with work its own parameter
            runners.add(fn.name)
            continue
        bodies: list[ast.AST] = [
            *lambdas,
            *(n for n in ast.walk(fn) if isinstance(n, ast.FunctionDef) and n.name in names),
        ]
        for body in bodies:
            if any(
                isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id in params for c in ast.walk(body)
            ):
                runners.add(fn.name)
    return runners


def _is_service(receiver: str) -> bool:
    """``self.session.editing`` -> editing; ``EditingService(self.vault)`` -> EditingService."""
    return bool(SERVICE_RECEIVER.fullmatch(receiver.split("(")[0].split(".")[-1]))


def find_writes_outside_ops(gui: Path, writes: set[str]) -> list[str]:
    """``file:line receiver.method()`` for every service write in ``gui`` not inside an op's work."""
    trees = {f: (f.read_text("utf-8"), ast.parse(f.read_text("utf-8"))) for f in sorted(gui.rglob("*.py"))}
    # GUI helpers (module-level functions) that write are writes too: their callers need an op
    helpers: set[str] = set()
    for src, tree in trees.values():
        for fn in tree.body:
            if isinstance(fn, ast.FunctionDef) and any(
                isinstance(c, ast.Call)
                and isinstance(c.func, ast.Attribute)
                and c.func.attr in writes
                and _is_service(ast.get_source_segment(src, c.func.value) or "")
                for c in ast.walk(fn)
            ):
                helpers.add(fn.name)
    out: list[str] = []
    for f, (src, tree) in trees.items():
        parents = _parents(tree)
        fns, lambdas = _work_functions(tree, OP_MAKERS | _op_runners(tree))
        for c in ast.walk(tree):
            if not isinstance(c, ast.Call):
                continue
            if isinstance(c.func, ast.Attribute) and c.func.attr in writes:
                recv = ast.get_source_segment(src, c.func.value) or ""
                if not _is_service(recv):
                    continue
                what = f"{recv}.{c.func.attr}()"
            elif isinstance(c.func, ast.Name) and c.func.id in helpers:
                what = f"{c.func.id}()"
            else:
                continue
            p, inside = parents.get(c), False
            while p is not None:
                if p in lambdas or (isinstance(p, ast.FunctionDef) and (p.name in fns or p.name in helpers)):
                    inside = True
                    break
                p = parents.get(p)
            if not inside:
                out.append(f"{f.relative_to(gui.parent)}:{c.lineno} {what}")
    return sorted(out, key=lambda s: (s.split(":")[0], int(s.split(":")[1].split()[0])))


def test_the_write_methods_are_found() -> None:
    writes = write_methods(PKG)
    # one of each road: editing, trash, marks, portals, people, access, imports, the vault itself
    assert {
        "add",
        "correct",
        "delete",
        "restore",
        "empty_trash",
        "mark",
        "unmark",
        "request_records",
        "mark_checked",
        "update_request",
        "merge",
        "move_items",
        "grant",
        "import_paths",
        "add_person",
        "audit",
    } <= writes
    assert not {"timeline", "entry", "persons", "accounts", "expectations", "trash"} & writes  # reads
    repos = repo_writes(PKG)  # SQL lives in vault/repos: a service writes by calling one of these
    assert {"to_trash", "correct"} <= repos["edits"] and "corrections" not in repos["edits"]


def test_no_service_write_from_the_gui_outside_an_op() -> None:
    found = find_writes_outside_ops(PKG / "gui", write_methods(PKG))
    assert found == [], "service writes on the GUI thread (wrap them in ops.write):\n" + "\n".join(found)


def test_the_finder_finds_a_write_outside_an_op(tmp_path: Path) -> None:
    gui = tmp_path / "gui"
    gui.mkdir()
    (gui / "planted.py").write_text(
        "from . import ops\n"
        "class V:\n"
        "    def bad(self):\n"
        "        self.session.editing.delete('x')\n"  # line 4: on the GUI thread
        "    def good(self):\n"
        "        svc = self.session.editing\n"
        "        def work(ctx):\n"
        "            svc.delete('y')\n"
        "            return ops.Changed.of('records')\n"
        "        ops.write(self, work).run()\n"
        "    def also_good(self):\n"
        "        ops.Op(self, lambda ctx: self.session.people.merge('a', 'b')).run()\n"
        "    def _run(self, label, work):\n"
        "        def write(ctx):\n"
        "            return work(ctx)\n"
        "        ops.write(self, write).run()\n"
        "    def through_a_runner(self):\n"
        "        self._run('x', lambda ctx: self.session.editing.restore('z'))\n"
        "    def painter(self, p):\n"
        "        p.restore()\n"  # a QPainter: not a service
        "def helper(session):\n"
        "    return session.editing.correct('i', {})\n"  # a GUI helper that writes...
        "def uses_helper(session):\n"
        "    helper(session)\n",  # line 24: ...called on the GUI thread
        "utf-8",
    )
    found = find_writes_outside_ops(gui, {"delete", "merge", "restore", "correct"})
    assert found == ["gui/planted.py:4 self.session.editing.delete()", "gui/planted.py:24 helper()"]
