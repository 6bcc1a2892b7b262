"""Small pieces the vault's modules share: the standard key-derivation settings and the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .crypto import KdfParams, new_salt

# A new keyslot uses the roster's parameters (tuned when the vault was created, signed by the owner),
# never parameters copied from another entry; these when the roster's are weaker: 256 MiB, 3 passes.
STANDARD_MEMORY_KIB = 256 * 1024
STANDARD_ITERATIONS = 3


def standard_kdf() -> KdfParams:
    return KdfParams(salt=new_salt(), memory_kib=STANDARD_MEMORY_KIB, iterations=STANDARD_ITERATIONS, lanes=2)


def is_standard(p: KdfParams) -> bool:
    return p.memory_kib >= STANDARD_MEMORY_KIB and p.iterations >= 2 and p.lanes >= 1


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class User:
    """Who unlocked the vault."""

    id: str
    name: str
    role: str  # owner | proxy
