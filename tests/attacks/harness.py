"""What a hostile family member (or anyone who can write the vault folder) can do with the files alone.

``ProxyHarness`` opens the vault the way a small program of a proxy's own would: vault.json read as
JSON, the proxy's private key unwrapped with their passphrase, every data key sealed to them opened,
household.db and the person databases opened with raw sqlcipher3 and written directly.  It never
calls the app's Vault class, so the app's own checks do not protect anything here.

``OutsiderHarness`` has no passphrase at all: it edits vault.json and copies files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import sqlcipher3

from medrecords_desktop.vault.crypto import (
    KdfParams,
    b64d,
    b64e,
    derive_kek,
    new_keypair,
    open_sealed,
    seal,
    subkey,
    unwrap,
)


def _connect(db: Path, key: bytes) -> sqlcipher3.Connection | None:
    conn = sqlcipher3.connect(str(db), isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{subkey(key, 'sqlcipher').hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlcipher3.DatabaseError:
        conn.close()
        return None


class OutsiderHarness:
    """Write access to the folder, no passphrase."""

    def __init__(self, vault_dir: Path) -> None:
        self.dir = Path(vault_dir)

    @property
    def header_path(self) -> Path:
        return self.dir / "vault.json"

    def header(self) -> dict[str, Any]:
        return json.loads(self.header_path.read_text("utf-8"))

    def write_header(self, h: dict[str, Any]) -> None:
        self.header_path.write_text(json.dumps(h, indent=1), "utf-8")

    def copy_files(self, dest: Path, *names: str) -> None:
        dest.mkdir(parents=True, exist_ok=True)
        for n in names:
            src = self.dir / n
            if src.is_dir():
                shutil.copytree(src, dest / n, dirs_exist_ok=True)
            else:
                shutil.copy2(src, dest / n)

    def put_back(self, saved: Path, *names: str) -> None:
        for n in names:
            for suffix in ("-wal", "-shm"):
                (self.dir / (n + suffix)).unlink(missing_ok=True)
            src = saved / n
            if src.is_dir():
                shutil.rmtree(self.dir / n, ignore_errors=True)
                shutil.copytree(src, self.dir / n)
            else:
                shutil.copy2(src, self.dir / n)

    def plant_user(self, key_names: list[str]) -> tuple[str, bytes]:
        """A user entry of our own with a fresh key pair that claims ``key_names``; (user id, private key)."""
        h = self.header()
        private, public = new_keypair()
        uid = "u" + "0a" * 6
        h["users"].append(
            {
                "id": uid,
                "public_key": b64e(public),
                "slots": [],
                "keys": {n: seal(public, b"\x00" * 32, "planted") for n in key_names},
            }
        )
        self.write_header(h)
        return uid, private

    def keys_for(self, uid: str, private: bytes) -> dict[str, bytes]:
        """Every data key sealed to the entry ``uid`` that ``private`` opens."""
        h = self.header()
        out: dict[str, bytes] = {}
        for u in h["users"]:
            if u["id"] != uid:
                continue
            for name, sealed in u["keys"].items():
                key = open_sealed(private, sealed, f"{h['vault_id']}:seal:{uid}:{name}")
                if key:
                    out[name] = key
        return out


class ProxyHarness(OutsiderHarness):
    """A proxy's passphrase and the files: nothing else."""

    def __init__(self, vault_dir: Path, passphrase: str) -> None:
        super().__init__(vault_dir)
        h = self.header()
        for u in h["users"]:
            for s in u["slots"]:
                kek = derive_kek(passphrase, KdfParams.from_json(s["kdf"]))
                private = unwrap(kek, s["wrapped_private"], f"{h['vault_id']}:{u['id']}:{s['id']}")
                if private is not None:
                    self.uid, self.private = u["id"], private
                    return
        raise ValueError("the passphrase opens no keyslot")

    def keys(self) -> dict[str, bytes]:
        """Every data key the proxy can open from vault.json now (sealed to their entry or any other)."""
        h = self.header()
        out: dict[str, bytes] = {}
        for u in h["users"]:
            for name, sealed in u["keys"].items():
                key = open_sealed(self.private, sealed, f"{h['vault_id']}:seal:{u['id']}:{name}")
                if key:
                    out[name] = key
        return out

    def public_key(self) -> str:
        return next(u["public_key"] for u in self.header()["users"] if u["id"] == self.uid)

    def household(self, key: bytes | None = None) -> sqlcipher3.Connection:
        conn = _connect(self.dir / "household.db", key or self.keys()["household"])
        assert conn is not None, "the proxy's household key does not open household.db"
        return conn

    def opens(self, rel: str, key: bytes) -> bool:
        conn = _connect(self.dir / rel, key)
        if conn is None:
            return False
        conn.close()
        return True

    def reads_person(self, pid: str, saved_keys: list[bytes] | None = None) -> bool:
        """Can any key the proxy holds now (or saved earlier) open ``persons/<pid>.db``?"""
        keys = list(self.keys().values()) + list(saved_keys or [])
        return any(self.opens(f"persons/{pid}.db", k) for k in keys)

    def plant_key_name(self, name: str) -> None:
        """Claim a key in their own header entry (any bytes: only the name matters to a rotation)."""
        h = self.header()
        me = next(u for u in h["users"] if u["id"] == self.uid)
        me["keys"][name] = seal(b64d(me["public_key"]), b"\x00" * 32, "planted")
        self.write_header(h)

    def swap_public_key(self, victim_uid: str) -> None:
        h = self.header()
        victim = next(u for u in h["users"] if u["id"] == victim_uid)
        victim["public_key"] = self.public_key()
        self.write_header(h)
