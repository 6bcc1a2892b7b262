"""The core's one cancel token and one progress callback, for long work (import, export, OCR, key rotation).

A ``threading.Event`` is a :class:`CancelToken` (the GUI's ``ops.OpContext.cancel`` is one); work
checks it at safe points only, so a cancelled write is rolled back whole.  :data:`Progress` is
``(done, total, what)``: ``ops.OpContext.progress`` has that shape, so a service's progress argument
can be given the Op's directly.  Imports and portal syncs report a richer value of their own
(``ImportProgress``, ``SyncProgress``) that a face turns into these three numbers and words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class CancelToken(Protocol):
    def is_set(self) -> bool: ...


Progress = Callable[[int, int, str], None]  # done, total, what is being done ("" when nothing to say)
