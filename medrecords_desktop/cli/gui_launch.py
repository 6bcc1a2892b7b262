"""Start the desktop app (``medrecords`` with no command)."""

from __future__ import annotations

import argparse


def launch_gui(args: argparse.Namespace) -> int:
    try:
        from ..gui.app import run
    except ImportError as e:  # the GUI needs PySide6; the CLI does not
        print(f"medrecords: the desktop app cannot start ({e}); the command line works: medrecords --help")
        return 2
    return run(args)
