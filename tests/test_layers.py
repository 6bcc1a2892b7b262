"""The architecture holds: the import-linter contracts (pyproject.toml) pass and no module imports itself
round a cycle.  `make check` runs the same contracts in CI before the tests; this keeps them in `pytest`.
"""

from __future__ import annotations

import subprocess
import sys

import grimp

from tests.conftest import ROOT

PACKAGE = "medrecords_desktop"


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.find_modules_directly_imported_by(w) & modules))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_no_import_cycle_between_modules() -> None:
    """Imports that run (TYPE_CHECKING-only imports are types, not dependencies) form no cycle."""
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=True, cache_dir=None)
    assert _cycles(graph, set(graph.modules)) == []


def test_no_cycle_between_the_packages_even_counting_type_imports() -> None:
    """cli, gui, services, importers, vault, ... (and the top-level modules) depend on each other one way."""
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=False, cache_dir=None)
    top = {m for m in graph.modules if m.count(".") == 1}
    collapsed = grimp.ImportGraph()
    for m in top:
        collapsed.add_module(m)
    for m in graph.modules:
        for imported in graph.find_modules_directly_imported_by(m):
            a, b = ".".join(m.split(".")[:2]), ".".join(imported.split(".")[:2])
            if a != b and a in top and b in top:
                collapsed.add_import(importer=a, imported=b)
    assert _cycles(collapsed, top) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    g = grimp.ImportGraph()
    for m in ("a", "b", "c"):
        g.add_module(m)
    g.add_import(importer="a", imported="b")
    g.add_import(importer="b", imported="c")
    g.add_import(importer="c", imported="a")
    assert _cycles(g, {"a", "b", "c"}) == [["a", "b", "c"]]


def test_import_linter_contracts_are_kept() -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.argv = ['lint-imports', '--no-cache']; lint_imports_command()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "Contracts: 3 kept, 0 broken." in r.stdout
