"""What the screenshot tools share: the ``OUTDIR`` command line with a temporary folder that is removed
afterwards, and letting Qt finish painting before a grab."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def settle(seconds: float = 0.4) -> None:
    """Run Qt's event loop for ``seconds``: layouts, lazy loads and worker callbacks land before a grab."""
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def run(argv: list[str] | None, tool: str, shoot: Callable[[Path, Path], int]) -> int:
    """``python -m medrecords_desktop.tools.TOOL OUTDIR``: ``shoot(out, tmp)`` with a fresh temporary folder
    (the demo vault and settings live there, never in the user's own folders)."""
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print(f"usage: python -m medrecords_desktop.tools.{tool} OUTDIR", file=sys.stderr)
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"mr-{tool}-"))
    try:
        return shoot(out, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def view_of[V](win: Any, name: str, cls: type[V]) -> V:
    """The main window's view ``name``, as the class the tool drives (checked, so a renamed view fails here)."""
    view = win.views[name]
    if not isinstance(view, cls):
        raise TypeError(f"view {name!r} is a {type(view).__name__}, not a {cls.__name__}")
    return view
