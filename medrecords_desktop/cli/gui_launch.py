"""Start the desktop app (``medrecords`` with no command)."""

from __future__ import annotations

import argparse
from pathlib import Path


def launch_gui(args: argparse.Namespace, demo_path: Path | None = None) -> int:
    """Start the window.  ``demo_path``: open (or create) the demo vault there instead."""
    try:
        from ..gui.app import run
    except ImportError as e:  # the GUI needs PySide6; the CLI does not
        print(f"medrecords: the desktop app cannot start ({e}); the command line works: medrecords --help")
        return 2
    return run(args, demo_path=demo_path)
