"""The vault: a folder with a plaintext header, encrypted databases and encrypted blobs.

Layout::

    vault.json            header: users' public keys, keyslots and sealed data keys (no names)
    vault.lock            held while open (one writer)
    household.db          SQLCipher: people, users, grants, portal accounts, audit log
    persons/<pid>.db      SQLCipher, one per family member, under that person's own key; it also holds
                          the originals up to 256 KiB (see blobs.py)
    blobs/<pid>/ab/<name> the larger originals, encrypted files

Keys: passphrase --Argon2id--> KEK --AES-GCM--> the user's X25519 private key --opens--> the data
keys sealed to that user.  Sealing to a public key lets the owner grant a person to a proxy without
knowing the proxy's passphrase, and a proxy's header entry simply does not contain other people's keys.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import AccessDenied, InvalidInput, NotFound, VaultDamaged, VaultInUse, WrongPassphrase
from ..model.records import Person
from . import audit as audit_log
from .blobs import BlobStore
from .crypto import (
    KdfParams,
    b64d,
    b64e,
    derive_kek,
    new_key,
    new_keypair,
    new_recovery_code,
    normalise_recovery_code,
    open_sealed,
    seal,
    subkey,
    tune_kdf,
    unwrap,
    wrap,
)
from .db import Db
from .header import Header, Keyslot, UserEntry
from .lock import VaultLock
from .schema import HOUSEHOLD, PERSON, migrate

_RECOVERY_RE = re.compile(r"^[A-Z2-9]{25}$")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class User:
    id: str
    name: str
    role: str  # owner | proxy


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    databases: int = 0
    blobs: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class Vault:
    """An unlocked vault.  Create with :meth:`create` or :meth:`open`; close with :meth:`close`."""

    def __init__(
        self,
        path: Path,
        header: Header,
        user_id: str,
        private_key: bytes,
        lock: VaultLock,
        creating: bool = False,
    ) -> None:
        self.path = Path(path)
        self.header = header
        self._private = private_key
        self._lock = lock
        self._person_dbs: dict[str, Db] = {}
        entry = header.user(user_id)
        self._keys: dict[str, bytes] = {}
        for name, sealed in entry.keys.items():
            key = open_sealed(private_key, sealed, self._aad(user_id, name))
            if key is None:
                raise VaultDamaged("vault.json", None, f"key {name} does not open")
            self._keys[name] = key
        self.household: Db
        self.reopen_household(self._keys["household"])
        migrate(self.household, HOUSEHOLD)
        row = self.household.one("SELECT id, name, role FROM users WHERE id=?", (user_id,))
        if row is None and not creating:
            raise VaultDamaged("household.db", None, "the signed-in user is missing")
        self.user = User(*row) if row else User(user_id, "", "owner")
        self.audit_problem: int | None = None

    # ------------------------------------------------------------------ creation and unlocking
    @classmethod
    def create(
        cls,
        path: Path | str,
        passphrase: str,
        owner_name: str = "Owner",
        kdf: KdfParams | None = None,
        demo: bool = False,
    ) -> tuple[Vault, str]:
        """Create a vault; return it (unlocked, as the owner) and the recovery code to show once."""
        path = Path(path)
        check_passphrase(passphrase)
        if path.exists() and any(path.iterdir()):
            raise InvalidInput(f"{path} is not empty; choose a new folder for the vault.")
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
        lock = VaultLock(path)
        lock.acquire()
        try:
            params = kdf or tune_kdf()
            header = Header(vault_id=str(uuid.uuid4()), demo=demo)
            owner_id = "u" + os.urandom(6).hex()
            recovery = new_recovery_code()
            entry, private = cls._new_user_entry(header, owner_id, params, passphrase, recovery)
            hh_key = new_key()
            entry.keys["household"] = seal(b64d(entry.public_key), hh_key, cls._aad_for(header, owner_id, "household"))
            header.users.append(entry)
            header.write(path)
            vault = cls(path, header, owner_id, private, lock, creating=True)
            with vault.household.transaction() as conn:
                conn.execute(
                    "INSERT INTO users(id,name,role,created) VALUES (?,?,?,?)",
                    (owner_id, owner_name, "owner", now_iso()),
                )
                conn.execute("INSERT INTO meta(key,value) VALUES ('vault_id', ?)", (header.vault_id,))
            vault.user = User(owner_id, owner_name, "owner")
            vault.audit("vault.create")
            return vault, recovery
        except BaseException:
            lock.release()
            raise

    @staticmethod
    def _new_user_entry(
        header: Header, user_id: str, params: KdfParams, passphrase: str, recovery: str
    ) -> tuple[UserEntry, bytes]:
        private, public = new_keypair()
        entry = UserEntry(id=user_id, public_key=b64e(public))
        for kind, secret in (("passphrase", passphrase), ("recovery", recovery)):
            slot_id = "s" + os.urandom(6).hex()
            kek = derive_kek(secret, params)
            entry.slots.append(
                Keyslot(slot_id, kind, params.to_json(), wrap(kek, private, f"{header.vault_id}:{user_id}:{slot_id}"))
            )
        return entry, private

    @classmethod
    def open(cls, path: Path | str, passphrase: str) -> Vault:
        path = Path(path)
        header = Header.read(path)
        lock = VaultLock(path)
        lock.acquire()
        try:
            if header.pending:
                from .rotation import recover

                recover(path, header)  # a key rotation was interrupted: finish or undo it
            user_id, private = cls._find_slot(header, passphrase)
            vault = cls(path, header, user_id, private, lock)
            vault.audit_problem = audit_log.verify(vault.household, vault.audit_key)
            vault._finish_user_removals()
            vault.audit("vault.unlock")
            return vault
        except BaseException:
            lock.release()
            raise

    @staticmethod
    def _find_slot(header: Header, passphrase: str) -> tuple[str, bytes]:
        secrets = [passphrase]
        if _RECOVERY_RE.match("".join(ch for ch in passphrase.upper() if ch.isalnum())):
            secrets.append(normalise_recovery_code(passphrase))
        # Slots share KDF parameters, so one Argon2id run per secret tests every user's slots.
        groups: dict[str, list[tuple[UserEntry, Keyslot]]] = {}
        for u in header.users:
            for s in u.slots:
                groups.setdefault(repr(sorted(s.kdf.items())), []).append((u, s))
        for secret in secrets:
            for members in groups.values():
                kek = derive_kek(secret, KdfParams.from_json(members[0][1].kdf))
                for u, s in members:
                    private = unwrap(kek, s.wrapped_private, f"{header.vault_id}:{u.id}:{s.id}")
                    if private is not None:
                        return u.id, private
        raise WrongPassphrase()

    def close(self) -> None:
        for db in self._person_dbs.values():
            db.close()
        self._person_dbs.clear()
        self.household.close()
        self._keys.clear()
        self._private = b""
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ keys
    def _aad(self, user_id: str, name: str) -> str:
        return self._aad_for(self.header, user_id, name)

    @staticmethod
    def _aad_for(header: Header, user_id: str, name: str) -> str:
        return f"{header.vault_id}:seal:{user_id}:{name}"

    def person_key(self, person_id: str) -> bytes:
        try:
            return self._keys[f"person:{person_id}"]
        except KeyError:
            raise AccessDenied("You have no access to this person's records.") from None

    def can_see(self, person_id: str) -> bool:
        return f"person:{person_id}" in self._keys

    def shared_kdf(self) -> KdfParams:
        return KdfParams.from_json(self.header.users[0].slots[0].kdf)

    def _finish_user_removals(self) -> None:
        """A user whose header entry is gone was removed; a crash may have come before the household
        database said so (rotation.rotate_household_key drops the entry at its commit point)."""
        in_header = {u.id for u in self.header.users}
        gone = [(uid, name) for uid, name in self.household.query("SELECT id, name FROM users WHERE removed IS NULL")
                if uid not in in_header]
        if not gone:
            return
        with self.household.transaction() as conn:
            for uid, _ in gone:
                conn.execute("UPDATE users SET removed=? WHERE id=?", (now_iso(), uid))
                conn.execute("DELETE FROM grants WHERE user_id=?", (uid,))
        for _, name in gone:
            self.audit("user.remove", detail={"user": name, "finished": "on the next unlock, after an interruption"})

    def reopen_household(self, key: bytes) -> None:
        """Open household.db under ``key`` (on unlock, and after rotation.rotate_household_key)."""
        self._keys["household"] = key
        self.audit_key = subkey(key, "audit")
        self.household = Db(self.path / "household.db", subkey(key, "sqlcipher"), "household.db")

    def seal_for(self, user_id: str, name: str, key: bytes) -> None:
        entry = self.header.user(user_id)
        entry.keys[name] = seal(b64d(entry.public_key), key, self._aad(user_id, name))

    # ------------------------------------------------------------------ people
    def is_owner(self) -> bool:
        return self.user.role == "owner"

    def require_owner(self, what: str) -> None:
        if not self.is_owner():
            raise AccessDenied(f"Only the vault's owner can {what}.")

    def persons(self) -> list[Person]:
        """Visible people, without those in the Trash (services/people.py removes and restores them)."""
        rows = self.household.query(
            "SELECT id,name,birth_date,sex,is_demo,color FROM persons WHERE id NOT IN"
            " (SELECT substr(key, 14) FROM settings WHERE key LIKE 'trash.person:%') ORDER BY created, name"
        )
        return [
            Person(id=r[0], name=r[1], birth_date=r[2], sex=r[3], is_demo=bool(r[4]), color=r[5])
            for r in rows
            if self.can_see(r[0])
        ]

    def person(self, ref: str) -> Person:
        """A visible person by id, full name, or an unambiguous beginning of the name or of one of its words
        (case-insensitive); an ambiguous one names the matches."""
        people = self.persons()
        key = " ".join(ref.casefold().split())
        for p in people:
            if p.id == ref or " ".join(p.name.casefold().split()) == key:
                return p
        matches = [p for p in people if key and (
            " ".join(p.name.casefold().split()).startswith(key)
            or any(w.startswith(key) for w in p.name.casefold().split())
        )] or [p for p in people if key and key in p.name.casefold()]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(f"{p.name} ({p.birth_date or p.id})" for p in matches)
            raise InvalidInput(f"{ref!r} could be {len(matches)} people: {names}. Give more of the name.")
        raise NotFound(
            f"No person called {ref!r} in this vault" + (" (or not shared with you)." if not self.is_owner() else ".")
        )

    def add_person(
        self, name: str, birth_date: str | None = None, sex: str | None = None, is_demo: bool = False
    ) -> Person:
        self.require_owner("add people")
        name = name.strip()
        if not name:
            raise InvalidInput("A person needs a name.")
        if birth_date:
            _check_date(birth_date, "date of birth")
        pid = "p" + os.urandom(5).hex()
        key = new_key()
        self._keys[f"person:{pid}"] = key
        self._open_person_db(pid)  # creates the file and schema
        self.seal_for(self.user.id, f"person:{pid}", key)
        self.header.persons.append(pid)
        self.header.write(self.path)
        with self.household.transaction() as conn:
            conn.execute(
                "INSERT INTO persons(id,name,birth_date,sex,is_demo,created) VALUES (?,?,?,?,?,?)",
                (pid, name, birth_date, sex, int(is_demo), now_iso()),
            )
        self.audit("person.add", person_id=pid)
        return Person(id=pid, name=name, birth_date=birth_date, sex=sex, is_demo=is_demo)

    def person_db(self, person_id: str) -> Db:
        db = self._person_dbs.get(person_id)
        if db is None:
            db = self._open_person_db(person_id)
        return db

    def _open_person_db(self, person_id: str) -> Db:
        key = self.person_key(person_id)
        (self.path / "persons").mkdir(exist_ok=True)
        db = Db(self.path / "persons" / f"{person_id}.db", subkey(key, "sqlcipher"), f"persons/{person_id}.db")
        migrate(db, PERSON)
        self._person_dbs[person_id] = db
        return db

    def forget_person_db(self, person_id: str) -> None:
        db = self._person_dbs.pop(person_id, None)
        if db is not None:
            db.close()

    def blob_store(self, person_id: str) -> BlobStore:
        key = self.person_key(person_id)
        return BlobStore(
            self.path / "blobs" / person_id,
            subkey(key, "blob-aead"),
            subkey(key, "blob-name"),
            db=self.person_db(person_id),
        )

    def open_person_dbs(self) -> dict[str, Db]:
        return {p.id: self.person_db(p.id) for p in self.persons()}

    # ------------------------------------------------------------------ audit
    def audit(
        self,
        action: str,
        person_id: str | None = None,
        item_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        audit_log.append(self.household, self.audit_key, self.user.id, action, person_id, item_id, detail)

    # ------------------------------------------------------------------ passphrases
    def change_passphrase(self, new_passphrase: str) -> None:
        """Rewrite the signed-in user's passphrase slot: instant, no data re-encrypted."""
        check_passphrase(new_passphrase)
        entry = self.header.user(self.user.id)
        params = self.shared_kdf()
        kek = derive_kek(new_passphrase, params)
        for s in entry.slots:
            if s.kind == "passphrase":
                s.kdf = params.to_json()
                s.wrapped_private = wrap(kek, self._private, f"{self.header.vault_id}:{entry.id}:{s.id}")
        self.header.write(self.path)
        self.audit("user.passwd")

    # ------------------------------------------------------------------ integrity, backup
    def verify(self) -> VerifyReport:
        report = VerifyReport()
        dbs: list[tuple[str, Db]] = [("household.db", self.household)]
        dbs += [(f"persons/{pid}.db", self.person_db(pid)) for pid in self.header.persons if self.can_see(pid)]
        for label, db in dbs:
            report.databases += 1
            for p in db.integrity_problems():
                report.problems.append(f"{label}: {p}")
        for pid in self.header.persons:
            if not self.can_see(pid):
                continue
            store = self.blob_store(pid)
            for name, sha in self.person_db(pid).query("SELECT name, sha256 FROM blobs"):
                report.blobs += 1
                problem = store.check(name, sha)
                if problem:
                    report.problems.append(problem)
        bad = audit_log.verify(self.household, self.audit_key)
        if bad is not None:
            report.problems.append(f"audit log: entry {bad} was changed or removed")
        self.audit("vault.verify", detail={"ok": report.ok, "problems": len(report.problems)})
        return report

    def backup(self, dest: Path | str) -> Path:
        """A consistent encrypted copy, taken while the vault is open (SQLite backup API)."""
        dest = Path(dest)
        if dest.exists() and any(dest.iterdir()):
            raise InvalidInput(f"{dest} is not empty; back up into a new folder.")
        dest.mkdir(parents=True, exist_ok=True)
        (dest / "persons").mkdir()
        self.household.backup_to(dest / "household.db", subkey(self._keys["household"], "sqlcipher"))
        for pid in self.header.persons:
            if self.can_see(pid):
                self.person_db(pid).backup_to(dest / "persons" / f"{pid}.db", subkey(self.person_key(pid), "sqlcipher"))
            elif (self.path / "persons" / f"{pid}.db").exists():
                raise AccessDenied("Only a user who can open every person's records can back up the vault.")
        # Blobs are immutable once written and written before the rows that name them,
        # so copying them after the databases gives a copy where every named blob exists.
        if (self.path / "blobs").exists():
            shutil.copytree(self.path / "blobs", dest / "blobs", ignore=shutil.ignore_patterns(".tmp-*"))
        self.header.write(dest)
        self.audit("vault.backup", detail={"dest": dest.name})
        return dest

    @staticmethod
    def restore(src: Path | str, dest: Path | str, passphrase: str) -> VerifyReport:
        """Check a backup (unlock + verify) and copy it to ``dest`` (which must be new or empty)."""
        src, dest = Path(src), Path(dest)
        if dest.exists() and any(p.name != "vault.lock" for p in dest.iterdir()):
            raise InvalidInput(f"{dest} is not empty: restore into a new folder (or move the old vault aside).")
        v = Vault.open(src, passphrase)
        try:
            report = v.verify()
        finally:
            v.close()
        if not report.ok:
            raise VaultDamaged(str(src), None, "; ".join(report.problems[:3]))
        tmp = dest.with_name(dest.name + f".restoring-{os.urandom(3).hex()}")
        shutil.copytree(src, tmp, ignore=shutil.ignore_patterns("vault.lock", ".tmp-*", "*.restoring-*"))
        if dest.exists():
            (dest / "vault.lock").unlink(missing_ok=True)
            dest.rmdir()
        os.replace(tmp, dest)
        v = Vault.open(dest, passphrase)
        try:
            v.audit("vault.restore", detail={"from": src.name})
        finally:
            v.close()
        return report


def check_passphrase(p: str) -> None:
    if len(p) < 8:
        raise InvalidInput("The passphrase must be at least 8 characters; a few words are best.")


def _check_date(value: str, what: str) -> None:
    try:
        d = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"The {what} {value!r} is not a date like 1980-04-12.") from None
    if d > datetime.now().date():
        raise InvalidInput(f"The {what} {value} is in the future.")


__all__ = ["Vault", "User", "VerifyReport", "VaultInUse", "check_passphrase"]
