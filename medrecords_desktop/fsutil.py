"""File-system helpers shared by the vault, the exporters and both faces (no Qt, no health data)."""

from __future__ import annotations

import os
from pathlib import Path


def default_vault_dir() -> Path:
    """Where the vault lives when no --vault is given: $MEDRECORDS_VAULT, else the user data folder.

    Here, not in cli/, so that both faces (CLI and GUI) reach it without importing each other.
    """
    env = os.environ.get("MEDRECORDS_VAULT")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("MedRecords", appauthor=False)) / "vault"


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
