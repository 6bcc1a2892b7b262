"""File-system helpers shared by the vault and the exporters (no Qt, no health data)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a rename (or a new file) in ``path`` survive a crash: fsync the folder itself.

    POSIX only; Windows cannot open a folder this way, and its renames are durable on return.
    """
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
