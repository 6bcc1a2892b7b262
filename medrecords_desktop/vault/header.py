"""The vault's plaintext header: format, vault id, keyslots.  No health data, no names of people.

Written atomically (temp file, fsync, rename) because losing it would lose every key.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import VaultDamaged, VaultNotFound
from ..fsutil import fsync_dir

FORMAT = "medrecords-vault"
VERSION = 2  # 2: the owner-signed roster, and each user's own secrets (see roster.py)
HEADER_NAME = "vault.json"
# Ids become file names (persons/<id>.db, blobs/<id>/): nothing but letters, digits, - and _.
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise VaultDamaged(HEADER_NAME, None, f"the {what} id {str(value)[:40]!r} is not a valid id")
    return value


@dataclass
class Keyslot:
    """One way for a user to open their private key: a passphrase or a recovery code."""

    id: str
    kind: str  # passphrase | recovery
    kdf: dict[str, Any]
    wrapped_private: str  # the user's X25519 private key, AES-GCM under the KEK

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.kind, "kdf": self.kdf, "wrapped_private": self.wrapped_private}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Keyslot:
        return cls(id=check_id(d["id"], "keyslot"), kind=d["type"], kdf=d["kdf"], wrapped_private=d["wrapped_private"])


@dataclass
class UserEntry:
    """A vault user's public key, keyslots and the data keys sealed to them (ids only, no names)."""

    id: str
    public_key: str
    slots: list[Keyslot] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # "household" / "person:<id>" -> sealed key
    # The user's own secrets (their Ed25519 signing key, the owner's verify key), AES-GCM under a key
    # derived from their private key: nobody else can write one that opens (roster.put_secret).
    secrets: dict[str, str] = field(default_factory=dict)
    # Secrets sealed to the user by the owner when an older vault was upgraded; moved into ``secrets``
    # on the user's next unlock (trust on first use, see docs/design.md).
    inbox: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "public_key": self.public_key,
            "slots": [s.to_json() for s in self.slots],
            "keys": self.keys,
            "secrets": self.secrets,
        }
        if self.inbox:
            d["inbox"] = self.inbox
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> UserEntry:
        return cls(
            id=check_id(d["id"], "user"),
            public_key=d["public_key"],
            slots=[Keyslot.from_json(s) for s in d["slots"]],
            keys=dict(d["keys"]),
            secrets=dict(d.get("secrets") or {}),
            inbox=dict(d.get("inbox") or {}),
        )


@dataclass
class Header:
    vault_id: str
    users: list[UserEntry] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)  # ids of person databases
    demo: bool = False
    pending: dict[str, Any] = field(default_factory=dict)  # in-flight key rotation (see access.py)
    roster: dict[str, Any] = field(default_factory=dict)  # {"body", "sig"}: see roster.py

    def user(self, user_id: str) -> UserEntry:
        for u in self.users:
            if u.id == user_id:
                return u
        raise KeyError(user_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "users": [u.to_json() for u in self.users],
            "persons": self.persons,
            "demo": self.demo,
            "pending": self.pending,
            "roster": self.roster,
        }

    @classmethod
    def read(cls, vault_dir: Path) -> Header:
        p = Path(vault_dir) / HEADER_NAME
        if not p.exists():
            raise VaultNotFound(f"No vault at {vault_dir} (no {HEADER_NAME}). Create one with 'medrecords init'.")
        return cls.read_file(p)

    @classmethod
    def read_file(cls, p: Path) -> Header:
        """A header from any file (a device's copy in a shared folder, see replica/)."""
        try:
            d = json.loads(p.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise VaultDamaged(HEADER_NAME, None, f"not readable JSON ({e})") from None
        if d.get("format") != FORMAT:
            raise VaultDamaged(HEADER_NAME, None, "not a MedRecords vault header")
        if int(d.get("version", 0)) > VERSION:
            raise VaultDamaged(HEADER_NAME, None, "made by a newer MedRecords; update the app")
        try:
            pending = dict(d.get("pending") or {})
            if "person" in pending:
                check_id(pending["person"], "pending person")
            return cls(
                vault_id=check_id(d["vault_id"], "vault"),
                users=[UserEntry.from_json(u) for u in d["users"]],
                persons=[check_id(p, "person") for p in d.get("persons", [])],
                demo=bool(d.get("demo", False)),
                pending=pending,
                roster=dict(d.get("roster") or {}),
            )
        except (KeyError, TypeError, AttributeError) as e:
            raise VaultDamaged(HEADER_NAME, None, f"a field is missing or of the wrong type ({e})") from None

    def write(self, vault_dir: Path) -> None:
        p = Path(vault_dir) / HEADER_NAME
        tmp = p.with_name(f".{HEADER_NAME}.{os.urandom(4).hex()}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
        fsync_dir(Path(vault_dir))
