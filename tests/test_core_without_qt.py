"""The core never imports Qt: import every module outside gui/ with PySide6 made unimportable."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

SCRIPT = textwrap.dedent("""
    import importlib, importlib.abc, pkgutil, sys

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
                raise ImportError(f"Qt is blocked in this test: {name}")
            return None

    sys.meta_path.insert(0, BlockQt())
    import medrecords_desktop
    done = []
    for mod in pkgutil.walk_packages(medrecords_desktop.__path__, "medrecords_desktop."):
        if mod.name.startswith("medrecords_desktop.gui") or mod.name.endswith(".__main__"):
            continue
        importlib.import_module(mod.name)
        done.append(mod.name)
    assert not any(m.startswith("PySide6") for m in sys.modules), "Qt was imported"
    print(len(done))
    print("\\n".join(done))
""")


def test_every_core_module_imports_without_qt() -> None:
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    names = out.stdout.split()
    assert int(names[0]) == len(names) - 1 >= 10
    for core in (
        "medrecords_desktop.vault.vault",
        "medrecords_desktop.services.records",
        "medrecords_desktop.services.importing",
        "medrecords_desktop.cli",
    ):
        assert core in names


def test_the_blocker_really_blocks() -> None:
    """Guard against a blocker that blocks nothing: importing the GUI under it must fail."""
    script = SCRIPT.split("import medrecords_desktop\n")[0] + "import medrecords_desktop.gui.app\n"
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode != 0 and "Qt is blocked" in out.stderr
