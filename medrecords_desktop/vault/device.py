"""What this device has seen of each vault, kept outside the vault, to notice a rollback.

A copy of an older household.db (or of the whole vault folder) put back by someone who can write the
folder is a valid, correctly signed vault: only memory of something newer can tell.  Each device keeps,
in the platform's user data folder (platformdirs), one small JSON file per vault::

    devices/<vault id>.json = {"roster_serial": 7, "chains": {"household": [41, "<hash hex>"],
                                                              "<person id>": [12, "<hash hex>"]}}

No health data and no names: the vault's id, the roster's version number, and for each audit chain the
id and hash of the newest entry verified.  ``MEDRECORDS_DEVICE_DIR`` moves the folder (tests).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .header import check_id


def state_dir() -> Path:
    env = os.environ.get("MEDRECORDS_DEVICE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("medrecords-desktop", appauthor=False)) / "devices"


def _path(vault_id: str) -> Path:
    return state_dir() / f"{check_id(vault_id, 'vault')}.json"


def load(vault_id: str) -> dict[str, Any]:
    try:
        d = json.loads(_path(vault_id).read_text("utf-8"))
        return d if isinstance(d, dict) else {}
    except (OSError, ValueError):
        return {}


def save(vault_id: str, state: dict[str, Any]) -> None:
    p = _path(vault_id)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.{os.urandom(3).hex()}.tmp")
        tmp.write_text(json.dumps(state, sort_keys=True), "utf-8")
        os.replace(tmp, p)
    except OSError:
        pass  # a read-only home folder: rollback detection is lost on this device, nothing else


def seen_chain(state: dict[str, Any], chain: str) -> tuple[int, str] | None:
    v = (state.get("chains") or {}).get(chain)
    if isinstance(v, list) and len(v) == 2:
        return int(v[0]), str(v[1])
    return None


def forget(vault_id: str) -> None:
    """After the user restored a backup on purpose: what this device saw before no longer applies."""
    try:
        _path(vault_id).unlink(missing_ok=True)
    except OSError:
        pass
