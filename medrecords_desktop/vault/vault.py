"""The vault: a folder with a plaintext header, encrypted databases and encrypted blobs.

Layout::

    vault.json            header: users' public keys, keyslots and sealed data keys (no names)
    vault.lock            held while open (one writer)
    household.db          SQLCipher: people's and users' names, portal accounts, the household audit chain
    persons/<pid>.db      SQLCipher, one per family member, under that person's own key; it also holds
                          the originals up to 256 KiB (see blobs.py)
    blobs/<pid>/ab/<name> the larger originals, encrypted files

Keys: passphrase --Argon2id--> KEK --AES-GCM--> the user's X25519 private key --opens--> the data
keys sealed to that user.  Sealing to a public key lets the owner grant a person to a proxy without
knowing the proxy's passphrase, and a proxy's header entry simply does not contain other people's keys.

Who holds which key, and every role, comes from the owner-signed roster (roster.py), never from the
unauthenticated parts of vault.json or household.db: see docs/design.md "Threat model and access".
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import AccessDenied, InvalidInput, NotFound, VaultDamaged, VaultInUse, WrongPassphrase
from ..model.records import Person
from . import device
from .blobs import BlobStore
from .changes import install_if_replicated
from .changes import replica_device as changes_config
from .common import STANDARD_ITERATIONS as STANDARD_ITERATIONS
from .common import STANDARD_MEMORY_KIB as STANDARD_MEMORY_KIB
from .common import User as User
from .common import is_standard as is_standard
from .common import now_iso as now_iso
from .common import standard_kdf as standard_kdf
from .crypto import (
    MIN_MEMORY_KIB,
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
from .roster import Roster, RosterInvalid, RosterUser, get_secret, new_signing_key, public_of, put_secret
from .roster import sign as sign_message
from .schema import HOUSEHOLD, PERSON, migrate
from .signed import SignedPartsMixin

_RECOVERY_RE = re.compile(r"^[A-Z2-9]{25}$")


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    databases: int = 0
    blobs: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class Vault(SignedPartsMixin):
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
        self.warnings: list[str] = []  # told to the user on unlock (CLI: stderr; GUI: a banner)
        self.roster: Roster | None = None
        self.roster_problem: str | None = None
        self.audit_reports: list[Any] = []
        entry = header.user(user_id)
        vid = header.vault_id
        self._pin_inbox(entry)
        self._sign_private = get_secret(entry.secrets, private_key, vid, user_id, "sign")
        owner_key = get_secret(entry.secrets, private_key, vid, user_id, "owner_key")
        if header.roster:
            try:
                if owner_key is None:
                    raise RosterInvalid("your keyslot holds no owner key")
                self.roster = Roster.verify(header.roster, owner_key, vid)
                if self.roster.role(user_id) is None:
                    raise AccessDenied("You are not a user of this vault (any more).")
            except RosterInvalid as e:
                self._roster_failed(str(e))
        elif owner_key is not None or any(u.secrets for u in header.users):
            # Only vaults written before the roster existed have none; this one had one.
            self._roster_failed("the signed roster was removed from vault.json")
        allowed = self.roster.key_names(user_id) if self.roster else None
        self._keys: dict[str, bytes] = {}
        for name, sealed in entry.keys.items():
            if allowed is not None and name not in allowed:
                continue  # not given by the signed roster: planted or stale, never used
            key = open_sealed(private_key, sealed, self._aad(user_id, name))
            if key is None:
                if name == "household":
                    raise VaultDamaged("vault.json", None, f"key {name} does not open")
                self.warnings.append(f"A key in your vault.json entry does not open ({name}); it was ignored.")
                continue
            self._keys[name] = key
        if "household" not in self._keys:
            raise VaultDamaged("vault.json", None, "the household key is missing from your entry")
        self.household: Db
        self.reopen_household(self._keys["household"])
        migrate(self.household, HOUSEHOLD)
        install_if_replicated(self.path, self.household, household=True)  # issue 20: change capture
        row = self.household.one("SELECT id, name, role FROM users WHERE id=?", (user_id,))
        if row is None and not creating:
            raise VaultDamaged("household.db", None, "the signed-in user is missing")
        name = row[1] if row else ""
        if self.roster is not None:
            role = self.roster.role(user_id) or "proxy"
            if role == "owner" and (self._sign_private is None or public_of(self._sign_private) != owner_key):
                role = "proxy"  # cannot happen without the owner's own keyslot; never trust it if it does
        else:
            role = "proxy"  # no verified roster: nobody is trusted as the owner (see open() for old vaults)
        if self.roster is not None and user_id in self.roster.users:
            name = self.name_open(user_id, self.roster.users[user_id].name) or name
        self.user = User(user_id, name, role)
        self.audit_problem: int | None = None
        if self.roster is not None:
            self._check_header_against_roster()
            for _pid, name, signed in self.renamed_outside():
                self.warnings.append(
                    f"A person's name was changed outside the app: household.db says {name!r}, the signed "
                    f"roster {signed!r}. Grants to them are refused until the owner renames them in the app."
                )

    def _roster_failed(self, why: str) -> None:
        self.roster_problem = why
        self.warnings.append(
            f"The vault's list of users and grants (its roster) failed its check: {why}. Someone changed "
            "vault.json outside the app. Sharing changes are refused and you can only read until the "
            "owner restores vault.json from a backup."
        )

    def _pin_inbox(self, entry: UserEntry) -> None:
        """Secrets the owner sealed to us when an older vault was upgraded: keep them under our own key."""
        if not entry.inbox:
            return
        for name, sealed in list(entry.inbox.items()):
            if name in entry.secrets:
                continue  # already pinned: a later delivery is never trusted over it
            value = open_sealed(self._private, sealed, f"{self.header.vault_id}:inbox:{entry.id}:{name}")
            if value is not None:
                put_secret(entry.secrets, self._private, self.header.vault_id, entry.id, name, value)
        entry.inbox = {}
        self.header.write(self.path)

    def repair_header(self) -> list[str]:
        """Owner: make vault.json agree with the signed roster (it was ignored anyway; this stops the
        warnings).  Entries the roster does not list go, keys it does not give go, public keys become the
        roster's (a key sealed to a swapped public key is dropped; the user is sealed their keys again).
        Recorded in the household audit chain, which every user reads."""
        self.require_owner("repair vault.json")
        assert self.roster is not None
        active = self.roster.active()
        done: list[str] = []
        kept = []
        for u in self.header.users:
            if u.id not in active:
                done.append(f"removed the unknown user entry {u.id}")
                continue
            allowed = self.roster.key_names(u.id)
            extra = sorted(set(u.keys) - allowed)
            for name in extra:
                u.keys.pop(name)
            if extra:
                done.append(f"dropped {len(extra)} key(s) the roster does not give {u.id}")
            if u.public_key != active[u.id].box:
                u.public_key = active[u.id].box
                u.keys = {}
                done.append(f"restored the public key of {u.id} from the roster")
            kept.append(u)
        self.header.users = kept
        for u in kept:  # anything missing (after a swapped key) is sealed again, to the roster's key
            for name in sorted(self.roster.key_names(u.id) - set(u.keys)):
                key = self._keys.get(name)
                if key is not None:
                    self.seal_for(u.id, name, key)
        if done:
            self.header.write(self.path)
            self.audit("vault.repair", detail={"fixed": done})
            self.warnings = [w for w in self.warnings if "vault.json" not in w]
        return done

    def _check_header_against_roster(self) -> None:
        """vault.json's unauthenticated parts, compared with the roster: tell the user what differs."""
        assert self.roster is not None
        active = self.roster.active()
        for u in self.header.users:
            ru = active.get(u.id)
            if ru is None:
                self.warnings.append(
                    f"vault.json lists a user ({u.id}) who is not in the signed roster: someone with write "
                    "access to the vault folder added it. It is ignored and receives no key."
                )
                continue
            if ru.box != u.public_key:
                self.warnings.append(
                    f"The public key of user {u.id} in vault.json differs from the signed roster: someone "
                    "changed it. The roster's key is used; the changed one receives nothing."
                )
            extra = set(u.keys) - self.roster.key_names(u.id)
            if extra:
                self.warnings.append(
                    f"User {u.id}'s entry in vault.json claims {len(extra)} key(s) the roster does not give "
                    "them: someone changed vault.json. They are ignored and never re-sealed."
                )

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
            # Tuned to about 0.6 s on this computer (256 MiB, at least 2 passes); signed into the roster,
            # every later keyslot of this vault uses the same parameters.
            params = kdf or tune_kdf()
            # Parameters below the standard ones (the test suites' fast KDF) mark a test vault, in the
            # signed roster, so nothing can later make a real vault's new keyslots weak.
            test = not is_standard(params)
            header = Header(vault_id=str(uuid.uuid4()), demo=demo)
            owner_id = "u" + os.urandom(6).hex()
            recovery = new_recovery_code()
            entry, private, sign_private = cls._new_user_entry(header, owner_id, params, passphrase, recovery)
            sign_public = public_of(sign_private)
            put_secret(entry.secrets, private, header.vault_id, owner_id, "owner_key", sign_public)
            hh_key = new_key()
            entry.keys["household"] = seal(b64d(entry.public_key), hh_key, cls._aad_for(header, owner_id, "household"))
            header.users.append(entry)
            roster = Roster(
                vault_id=header.vault_id,
                owner=owner_id,
                kdf={**params.to_json(), "test": test},
                users={owner_id: RosterUser("owner", entry.public_key, b64e(sign_public))},
            )
            roster.users[owner_id].name = wrap(
                subkey(hh_key, "roster-name"), owner_name.encode("utf-8"), f"{header.vault_id}:name:{owner_id}"
            )
            header.roster = roster.signed(sign_private)
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
    ) -> tuple[UserEntry, bytes, bytes]:
        """A new user's header entry: key pair, signing key (kept in their own secrets), two keyslots."""
        private, public = new_keypair()
        sign_private, _ = new_signing_key()
        entry = UserEntry(id=user_id, public_key=b64e(public))
        put_secret(entry.secrets, private, header.vault_id, user_id, "sign", sign_private)
        for kind, secret in (("passphrase", passphrase), ("recovery", recovery)):
            slot_id = "s" + os.urandom(6).hex()
            kek = derive_kek(secret, params)
            entry.slots.append(
                Keyslot(slot_id, kind, params.to_json(), wrap(kek, private, f"{header.vault_id}:{user_id}:{slot_id}"))
            )
        return entry, private, sign_private

    @classmethod
    def open(cls, path: Path | str, passphrase: str) -> Vault:
        path = Path(path)
        header = Header.read(path)
        lock = VaultLock(path)
        lock.acquire()
        try:
            user_id, private = cls._find_slot(header, passphrase)
            if header.pending:  # only after the passphrase is checked: pending names files to remove
                from .rotation import recover

                recover(path, header)  # a key rotation was interrupted: finish or undo it
            vault = cls(path, header, user_id, private, lock)
            if not header.roster and vault.roster_problem is None:
                vault._upgrade_to_roster()  # a vault from before the roster, never one whose roster was removed
            vault._finish_user_removals()
            vault._move_private_rows()
            vault.check_audit()
            vault.audit("vault.unlock")
            vault._remember()
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

    def person_ids(self) -> list[str]:
        """Every person of the vault: the signed roster's list (vault.json's own list is unauthenticated:
        a person dropped from it would otherwise be left out of verify and backup)."""
        if self.roster is not None:
            return list(self.roster.persons)
        return list(self.header.persons)

    def can_see(self, person_id: str) -> bool:
        return f"person:{person_id}" in self._keys

    def slot_kdf(self) -> KdfParams:
        """The parameters for a new keyslot: the signed roster's, or the standard ones.

        Never copied from another entry of vault.json (anyone who can write the folder could make those
        weak).  The roster's parameters are used only when they are at least the standard ones, or when
        the owner created the vault as a test vault (recorded, signed, in the roster)."""
        if self.roster is not None:
            d = {k: v for k, v in self.roster.kdf.items() if k != "test"}
            try:
                p = KdfParams.from_json(d)
            except (KeyError, ValueError):
                return standard_kdf()
            if is_standard(p) or (self.roster.test_kdf() and p.memory_kib >= MIN_MEMORY_KIB):
                return p
        return standard_kdf()

    shared_kdf = slot_kdf  # the old name

    # ------------------------------------------------------------------ replication (replica/)
    def state_id(self) -> str:
        """The name of what this device remembers of the vault (vault/device.py): a replica's own audit chains
        are its own, so each replica folder on one computer is remembered apart."""
        replica = changes_config(self.path)
        return self.header.vault_id + (f"_{replica}" if replica else "")

    def household_key(self) -> bytes:
        return self._keys["household"]

    def sign(self, message: bytes) -> bytes:
        """The signed-in user's Ed25519 signature (replication segments and heads)."""
        if self._sign_private is None:
            raise AccessDenied("Your keyslot holds no signing key; ask the owner to repair the vault.")
        return sign_message(self._sign_private, message)

    def adopt_header(self, newer: Header) -> list[str]:
        """Take another device's vault.json when its owner-signed roster is newer than ours: new grants,
        people and users.  This user's own keyslots and secrets stay (a passphrase changed here is kept).
        Returns the data keys this user gained.  A roster that does not verify raises RosterInvalid."""
        if self.roster is None:
            raise AccessDenied("This vault's roster did not verify; it cannot take another device's.")
        owner_key = b64d(self.roster.users[self.roster.owner].sign)
        roster = Roster.verify(newer.roster, owner_key, self.header.vault_id)
        if roster.serial <= self.roster.serial:
            return []
        uid = self.user.id
        if roster.role(uid) is None:
            raise AccessDenied("You are not a user of this vault any more (the owner removed you).")
        mine = self.header.user(uid)
        try:
            theirs = newer.user(uid)
        except KeyError:
            newer.users.append(mine)
            theirs = mine
        theirs.slots, theirs.secrets, theirs.public_key = mine.slots, mine.secrets, mine.public_key
        allowed = roster.key_names(uid)
        gained = []
        for name, sealed in theirs.keys.items():
            if name not in allowed:
                continue
            key = open_sealed(self._private, sealed, self._aad_for(newer, uid, name))
            if key is not None and self._keys.get(name) != key:
                if name in self._keys and name.startswith("person:"):
                    # the key was rotated while this device was away: the local database moves to it
                    self._rekey_person(name.removeprefix("person:"), key)
                self._keys[name] = key
                gained.append(name)
        for name in [n for n in self._keys if n not in allowed]:
            self._keys.pop(name)
            self.forget_person_db(name.removeprefix("person:"))
        self.header, self.roster = newer, roster
        self.header.pending = {}
        self.header.write(self.path)
        return gained

    def _rekey_person(self, pid: str, key: bytes) -> None:
        """Move this device's copy of a person to a key rotated elsewhere (database and original files)."""
        from .rotation import rekey_local

        rekey_local(self, pid, key)

    # ------------------------------------------------------------------ people
    def is_owner(self) -> bool:
        return self.user.role == "owner" and self.roster is not None

    def require_owner(self, what: str) -> None:
        if not self.is_owner():
            self.audit("refused", detail={"what": what})
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
        matches = [
            p
            for p in people
            if key
            and (
                " ".join(p.name.casefold().split()).startswith(key)
                or any(w.startswith(key) for w in p.name.casefold().split())
            )
        ] or [p for p in people if key and key in p.name.casefold()]
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
        roster = self.roster_copy()
        roster.persons.append(pid)
        roster.person_names[pid] = self.name_box(f"person:{pid}", name)
        self.commit_roster(roster)
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
        install_if_replicated(self.path, db, household=False)
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

    # ------------------------------------------------------------------ passphrases
    def change_passphrase(self, new_passphrase: str) -> None:
        """Rewrite the signed-in user's passphrase slot: instant, no data re-encrypted."""
        check_passphrase(new_passphrase)
        entry = self.header.user(self.user.id)
        params = self.slot_kdf()
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
        dbs += [(f"persons/{pid}.db", self.person_db(pid)) for pid in self.person_ids() if self.can_see(pid)]
        for label, db in dbs:
            report.databases += 1
            for p in db.integrity_problems():
                report.problems.append(f"{label}: {p}")
        for pid in self.person_ids():
            if not self.can_see(pid):
                continue
            store = self.blob_store(pid)
            for name, sha in self.person_db(pid).query("SELECT name, sha256 FROM blobs"):
                report.blobs += 1
                problem = store.check(name, sha)
                if problem:
                    report.problems.append(problem)
        for rep in self.check_audit(full=True):
            if rep.bad is not None:
                report.problems.append(
                    f"audit log ({self.chain_label(rep.chain)}): entry {rep.bad} fails its check ({rep.reason})"
                )
        if self.roster_problem:
            report.problems.append(f"roster: {self.roster_problem}")
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
        for pid in self.person_ids():
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
        """Copy a backup to ``dest`` (which must be new or empty), check the copy (unlock + verify) and
        only then put it in place.  The backup itself is only read: nothing is written into it."""
        src, dest = Path(src), Path(dest)
        if dest.exists() and any(p.name != "vault.lock" for p in dest.iterdir()):
            raise InvalidInput(f"{dest} is not empty: restore into a new folder (or move the old vault aside).")
        Header.read(src)  # a clear error when src is no vault
        tmp = dest.with_name(dest.name + f".restoring-{os.urandom(3).hex()}")
        shutil.copytree(src, tmp, ignore=shutil.ignore_patterns("vault.lock", ".tmp-*", "*.restoring-*"))
        try:
            # Restoring an older copy on purpose is a rollback this device must accept from now on.
            device.forget(Header.read(tmp).vault_id)
            v = Vault.open(tmp, passphrase)
            try:
                report = v.verify()
            finally:
                v.close()
            if not report.ok:
                raise VaultDamaged(str(src), None, "; ".join(report.problems[:3]))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if dest.exists():
            (dest / "vault.lock").unlink(missing_ok=True)
            dest.rmdir()
        os.replace(tmp, dest)
        v = Vault.open(dest, passphrase)
        try:
            v.audit("vault.restore", detail={"from": src.name})
            v._remember()
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
