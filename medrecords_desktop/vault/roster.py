"""The owner-signed roster: who the vault's users are, their public keys, roles and grants.

Everything that decides *who receives a key* (a grant, the re-sealing after a revoke or a user's
removal), *what role a user has* and *which key derivation new keyslots use* is read from this one
document, and only after its Ed25519 signature by the owner has been checked.  vault.json and
household.db can be rewritten by anyone who can write the vault folder; the roster cannot be
rewritten without the owner's signing key, which exists only inside the owner's keyslots.

Stored format (vault.json, key ``"roster"``)::

    {"body": "<canonical JSON text>", "sig": "<base64 Ed25519 signature>"}

The signature covers ``b"medrecords-roster-v1\\x00" + body.encode("utf-8")``.  The body, version 1::

    {
      "format": "medrecords-roster", "version": 1,
      "vault_id": "<uuid of the vault: a roster cannot be moved to another vault>",
      "serial": 7,                     # +1 on every change; a device warns when it ever goes down
      "issued": "2026-12-02T09:00:00+00:00",
      "owner": "<user id>",
      "kdf": {"name": "argon2id", "salt": "...", "memory_kib": 262144, "iterations": 3, "lanes": 2,
              "test": false},          # the parameters every new keyslot uses (never copied from a slot)
      "persons": ["<person id>", ...],
      "person_names": {"<person id>": "<the person's name, AES-GCM under the household key>"},
      "users": {
        "<user id>": {"role": "owner" | "proxy",
                      "box": "<base64 X25519 public key: what data keys are sealed to>",
                      "sign": "<base64 Ed25519 public key: verifies the user's audit entries>",
                      "grants": {"<person id>": "view" | "manage"},
                      "name": "<the user's name, AES-GCM under the household key (see Vault.name_box)>",
                      "removed": false}
      }
    }

No names in plaintext (vault.json is plaintext): each user's name is in it encrypted under the household
key (every user can read it, only the owner can change it, so nobody can take another user's name to
receive a grant meant for them); people's names live in household.db.  A
removed user stays listed (``removed: true``, no grants) so their old audit entries still verify.

How each user knows the owner's verify key: it is kept in the user's own header entry encrypted
(AES-GCM) under a key derived from the user's private key (see :func:`put_secret`), so nobody without
that private key can swap it.  Issue 20 (replication) builds on this module; keep it free of Vault.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from .crypto import b64d, b64e, subkey, unwrap, wrap

FORMAT = "medrecords-roster"
VERSION = 1
_DOMAIN = b"medrecords-roster-v1\x00"
SCOPES = ("view", "manage")


class RosterInvalid(Exception):
    """The roster is missing, for another vault, or its signature does not verify."""


# ---------------------------------------------------------------------------- Ed25519 helpers
def new_signing_key() -> tuple[bytes, bytes]:
    """(private, public) raw Ed25519 keys."""
    k = Ed25519PrivateKey.generate()
    return (
        k.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )


def sign(private: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).sign(message)


def verify_sig(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def public_of(private: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


# ---------------------------------------------------------------------------- a user's own secrets
def put_secret(
    entry_secrets: dict[str, str], private: bytes, vault_id: str, user_id: str, name: str, value: bytes
) -> None:
    """Keep ``value`` in a header entry, AES-GCM under a key only the entry's private key gives."""
    entry_secrets[name] = wrap(subkey(private, "entry-secret"), value, f"{vault_id}:{user_id}:secret:{name}")


def get_secret(entry_secrets: dict[str, str], private: bytes, vault_id: str, user_id: str, name: str) -> bytes | None:
    wrapped = entry_secrets.get(name)
    if not wrapped:
        return None
    try:
        return unwrap(subkey(private, "entry-secret"), wrapped, f"{vault_id}:{user_id}:secret:{name}")
    except ValueError:
        return None


# ---------------------------------------------------------------------------- the document
@dataclass
class RosterUser:
    role: str
    box: str
    sign: str
    grants: dict[str, str] = field(default_factory=dict)
    removed: bool = False
    name: str = ""  # encrypted (see the module docstring); "" for vaults upgraded without one

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "box": self.box,
            "sign": self.sign,
            "grants": dict(sorted(self.grants.items())),
            "removed": self.removed,
            "name": self.name,
        }


@dataclass
class Roster:
    vault_id: str
    owner: str
    kdf: dict[str, Any]
    serial: int = 0
    issued: str = ""
    persons: list[str] = field(default_factory=list)
    users: dict[str, RosterUser] = field(default_factory=dict)
    person_names: dict[str, str] = field(default_factory=dict)  # encrypted, see the module docstring

    # -- reading
    def active(self) -> dict[str, RosterUser]:
        return {uid: u for uid, u in self.users.items() if not u.removed}

    def role(self, uid: str) -> str | None:
        u = self.users.get(uid)
        return None if u is None or u.removed else u.role

    def scope(self, uid: str, pid: str) -> str | None:
        """'owner', 'manage', 'view' or None."""
        u = self.users.get(uid)
        if u is None or u.removed or pid not in self.persons:
            return None
        if u.role == "owner":
            return "owner"
        return u.grants.get(pid)

    def holders(self, key_name: str) -> list[str]:
        """The users who must hold the data key ``key_name`` ("household" or "person:<id>")."""
        if key_name == "household":
            return sorted(self.active())
        pid = key_name.removeprefix("person:")
        return sorted(uid for uid in self.active() if self.scope(uid, pid))

    def key_names(self, uid: str) -> set[str]:
        """The data keys ``uid`` may hold."""
        if self.role(uid) is None:
            return set()
        return {"household"} | {f"person:{p}" for p in self.persons if self.scope(uid, p)}

    def test_kdf(self) -> bool:
        return bool(self.kdf.get("test"))

    # -- serialising and signing
    def body(self) -> str:
        d = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "serial": self.serial,
            "issued": self.issued,
            "owner": self.owner,
            "kdf": dict(sorted(self.kdf.items())),
            "persons": list(self.persons),
            "person_names": dict(sorted(self.person_names.items())),
            "users": {uid: u.to_json() for uid, u in sorted(self.users.items())},
        }
        return json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    def signed(self, owner_sign_private: bytes) -> dict[str, str]:
        """The next version: serial + 1, signed by the owner; returns the stored document."""
        self.serial += 1
        self.issued = datetime.now(UTC).isoformat(timespec="seconds")
        body = self.body()
        return {"body": body, "sig": b64e(sign(owner_sign_private, _DOMAIN + body.encode("utf-8")))}

    @classmethod
    def from_body(cls, body: str) -> Roster:
        d = json.loads(body)
        if d.get("format") != FORMAT or int(d.get("version", 0)) != VERSION:
            raise RosterInvalid("not a version 1 roster")
        users = {}
        for uid, u in d["users"].items():
            grants = {str(p): str(s) for p, s in u.get("grants", {}).items()}
            if any(s not in SCOPES for s in grants.values()) or u["role"] not in ("owner", "proxy"):
                raise RosterInvalid(f"bad role or grant for {uid}")
            users[str(uid)] = RosterUser(
                str(u["role"]), str(u["box"]), str(u["sign"]), grants, bool(u["removed"]), str(u.get("name") or "")
            )
        r = cls(
            vault_id=str(d["vault_id"]),
            owner=str(d["owner"]),
            kdf=dict(d["kdf"]),
            serial=int(d["serial"]),
            issued=str(d["issued"]),
            persons=[str(p) for p in d["persons"]],
            users=users,
            person_names={str(k): str(v) for k, v in (d.get("person_names") or {}).items()},
        )
        if r.role(r.owner) != "owner" or sum(1 for u in r.active().values() if u.role == "owner") != 1:
            raise RosterInvalid("the roster does not name exactly one owner")
        return r

    @classmethod
    def verify(cls, doc: dict[str, Any] | None, owner_verify_key: bytes, vault_id: str) -> Roster:
        """The roster, only if ``doc`` carries a valid signature by ``owner_verify_key`` for this vault."""
        if not doc or not isinstance(doc.get("body"), str) or not isinstance(doc.get("sig"), str):
            raise RosterInvalid("the vault has no signed roster")
        try:
            sig = b64d(doc["sig"])
        except ValueError:
            raise RosterInvalid("the roster's signature is not readable") from None
        if not verify_sig(owner_verify_key, sig, _DOMAIN + doc["body"].encode("utf-8")):
            raise RosterInvalid("the roster's signature does not verify with the owner's key")
        try:
            r = cls.from_body(doc["body"])
        except (KeyError, TypeError, ValueError) as e:
            raise RosterInvalid(f"the roster is not readable ({e})") from None
        if r.vault_id != vault_id:
            raise RosterInvalid("the roster belongs to another vault")
        if b64d(r.users[r.owner].sign) != owner_verify_key:
            raise RosterInvalid("the roster's owner key is not the key that signed it")
        return r
