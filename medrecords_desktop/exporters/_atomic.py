"""Atomic writes of export files: a randomly named temporary file beside the destination, fsync, rename.

The temporary name carries no health information (the person's name may be in the final name the
user chose, never in ours), and the file is removed if anything fails, so a crash or a full disk
leaves either the old file or nothing, never half a packet. Only already-encrypted bytes ever go to
disk through here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..fsutil import fsync_dir


@contextlib.contextmanager
def atomic_output(out_path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file to write; on a clean exit it replaces ``out_path`` atomically."""
    out_path = Path(out_path)
    folder = out_path.parent if str(out_path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=".medrecords-", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # the export is written; a folder that refuses an fsync is not an error
        fsync_dir(folder)


def write_atomically(out_path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(fh)`` on a temporary file and move it into place (what ``write`` returns is ignored)."""
    with atomic_output(out_path) as fh:
        write(fh)
