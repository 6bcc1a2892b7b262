"""The vault's signed parts, as a mixin of :class:`vault.Vault`: the owner-signed roster (reading, committing,
upgrading a vault that had none), users' and people's names kept in it, the secrets only a person's managers
may open, and the audit chains (writing an entry, checking every chain this user can read).

Split from vault.py, which keeps creating, unlocking, keys, people and integrity; the attributes and
methods declared under TYPE_CHECKING below are the Vault's own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import AccessDenied
from . import audit as audit_log
from . import device
from .common import User, is_standard, now_iso, standard_kdf
from .crypto import (
    KdfParams,
    b64d,
    b64e,
    new_key,
    open_sealed,
    seal,
    subkey,
    unwrap,
    wrap,
)
from .db import Db
from .header import Header
from .roster import Roster, RosterUser, new_signing_key, put_secret


class SignedPartsMixin:
    """Roster, names, managers' secrets and audit of an unlocked :class:`Vault` (mixed into it)."""

    if TYPE_CHECKING:
        path: Path
        header: Header
        household: Db
        user: User
        roster: Roster | None
        roster_problem: str | None
        warnings: list[str]
        audit_reports: list[Any]
        audit_problem: int | None
        audit_key: bytes
        _private: bytes
        _sign_private: bytes | None
        _keys: dict[str, bytes]

        def can_see(self, person_id: str) -> bool: ...
        def person_db(self, person_id: str) -> Db: ...
        def person_ids(self) -> list[str]: ...
        def state_id(self) -> str: ...
        def _aad(self, user_id: str, name: str) -> str: ...
        def require_owner(self, what: str) -> None: ...
        def is_owner(self) -> bool: ...

    # ------------------------------------------------------------------ the roster
    def roster_copy(self) -> Roster:
        if self.roster is None:
            raise AccessDenied(
                f"The vault's roster did not verify ({self.roster_problem}): sharing changes are "
                "refused until vault.json is restored from a backup."
            )
        return Roster.from_body(self.roster.body())

    def commit_roster(self, roster: Roster) -> None:
        """Sign ``roster`` as the next version and put it in the header (the caller writes the header)."""
        if not self.is_owner() or self._sign_private is None:
            raise AccessDenied("Only the vault's owner can change who may see what.")
        self.header.roster = roster.signed(self._sign_private)
        self.roster = roster

    def _upgrade_to_roster(self) -> None:
        """A vault from before the signed roster (header version 1), opened by its owner: write one.

        The owner is the user household.db calls owner, and is trusted to be that once, now; each
        proxy's public key, role and grants are taken as they are.  Each proxy receives a signing key
        and the owner's verify key sealed to their public key and keeps them under their own key on
        their next unlock (trust on first use).  Opened by a proxy first: they only read until then."""
        row = self.household.one("SELECT role FROM users WHERE id=?", (self.user.id,))
        if not row or row[0] != "owner":
            self.warnings.append(
                "This vault was made by an earlier version: its owner must unlock it once to sign its list of "
                "users. Until then you can only read."
            )
            return
        uid, vid = self.user.id, self.header.vault_id
        sign_private, sign_public = new_signing_key()
        me = self.header.user(uid)
        put_secret(me.secrets, self._private, vid, uid, "sign", sign_private)
        put_secret(me.secrets, self._private, vid, uid, "owner_key", sign_public)
        own = next((s for s in me.slots if s.kind == "passphrase"), me.slots[0])
        params = KdfParams.from_json(own.kdf)
        if not is_standard(params):
            params = standard_kdf()
        roster = Roster(
            vault_id=vid, owner=uid, kdf={**params.to_json(), "test": False}, persons=[p for p in self.header.persons]
        )
        roster.users[uid] = RosterUser("owner", me.public_key, b64e(sign_public))
        in_header = {u.id: u for u in self.header.users}
        for (pid_user,) in self.household.query("SELECT id FROM users WHERE removed IS NULL"):
            if pid_user == uid or pid_user not in in_header:
                continue
            u = in_header[pid_user]
            priv, pub = new_signing_key()
            box = b64d(u.public_key)
            u.inbox["sign"] = seal(box, priv, f"{vid}:inbox:{u.id}:sign")
            u.inbox["owner_key"] = seal(box, sign_public, f"{vid}:inbox:{u.id}:owner_key")
            grants = {
                p: sc
                for p, sc in self.household.query("SELECT person_id, scope FROM grants WHERE user_id=?", (u.id,))
                if p in roster.persons
            }
            roster.users[u.id] = RosterUser("proxy", u.public_key, b64e(pub), grants)
        for uid_, name_ in self.household.query("SELECT id, name FROM users"):
            if uid_ in roster.users:
                roster.users[uid_].name = self.name_box(uid_, name_)
        for pid_, name_ in self.household.query("SELECT id, name FROM persons"):
            if pid_ in roster.persons:
                roster.person_names[pid_] = self.name_box(f"person:{pid_}", name_)
        self._sign_private = sign_private
        self.user = User(uid, self.user.name, "owner")
        self.roster = roster
        self.header.roster = roster.signed(sign_private)
        self.header.write(self.path)
        self._protect_legacy_portal_tokens()
        self.audit("vault.upgrade", detail={"roster": roster.serial, "legacy_audit_head": self._legacy_head()})

    PRIVATE_TABLES = ("portal_accounts", "record_requests")

    def _move_private_rows(self) -> None:
        """Rows about one person still in household.db (vaults from before person schema 7): into that
        person's database, where only users who may see them can read them.  Idempotent (same ids), so a
        crash between the two commits leaves at worst a copy to move again."""
        for table in self.PRIVATE_TABLES:
            pids = [
                r[0]
                for r in self.household.query(f"SELECT DISTINCT person_id FROM {table}")
                if r[0] is not None and self.can_see(r[0])
            ]
            for pid in pids:
                rows = self.household.query(f"SELECT * FROM {table} WHERE person_id=?", (pid,))
                cols = [r[1] for r in self.household.query(f"PRAGMA table_info({table})")]
                marks = ",".join("?" * len(cols))
                with self.person_db(pid).transaction() as conn:
                    conn.executemany(f"INSERT OR REPLACE INTO {table}({','.join(cols)}) VALUES ({marks})", rows)
                with self.household.transaction() as conn:
                    conn.execute(f"DELETE FROM {table} WHERE person_id=?", (pid,))

    def next_id(self, table: str) -> int:
        """An id for a new portal account or records request, unique across every database this user can
        read (ids are what the CLI and the app name them by); household.db keeps the highest handed out."""
        assert table in self.PRIVATE_TABLES
        top = int(self.household.one(f"SELECT coalesce(max(id), 0) FROM {table}")[0])  # type: ignore[index]
        row = self.household.one("SELECT value FROM meta WHERE key=?", (f"next_id:{table}",))
        top = max(top, int(row[0]) if row else 0)
        for _, db in self._chains()[1:]:
            top = max(top, int(db.one(f"SELECT coalesce(max(id), 0) FROM {table}")[0]))  # type: ignore[index]
        with self.household.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key,value) VALUES (?,?)", (f"next_id:{table}", str(top + 1)))
        return top + 1

    def private_db(self, person_id: str | None) -> Db:
        """Where a portal account or records request of ``person_id`` lives: their database, else household.db."""
        return self.person_db(person_id) if person_id and self.can_see(person_id) else self.household

    def _legacy_head(self) -> str | None:
        row = self.household.one("SELECT value FROM meta WHERE key='audit_head'")
        return str(row[0]) if row else None

    def _finish_user_removals(self) -> None:
        """A user whose header entry is gone was removed; a crash may have come before the household
        database said so (rotation.rotate_household_key drops the entry at its commit point)."""
        in_header = {u.id for u in self.header.users}
        if self.roster is not None:
            in_header = set(self.roster.active())
        gone = [
            (uid, name)
            for uid, name in self.household.query("SELECT id, name FROM users WHERE removed IS NULL")
            if uid not in in_header
        ]
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
        """Seal a data key to a user: only to the public key the signed roster gives, and only a key the
        roster says they may hold."""
        if self.roster is None or name not in self.roster.key_names(user_id):
            raise AccessDenied(f"The signed roster gives user {user_id} no {name.split(':')[0]} key.")
        entry = self.header.user(user_id)
        box = self.roster.users[user_id].box
        entry.keys[name] = seal(b64d(box), key, self._aad(user_id, name))

    # ------------------------------------------------------------------ users' names (in the roster)
    def name_box(self, user_id: str, name: str, household_key: bytes | None = None) -> str:
        key = subkey(household_key or self._keys["household"], "roster-name")
        return wrap(key, name.encode("utf-8"), f"{self.header.vault_id}:name:{user_id}")

    def name_open(self, user_id: str, boxed: str, household_key: bytes | None = None) -> str | None:
        if not boxed:
            return None
        key = subkey(household_key or self._keys["household"], "roster-name")
        try:
            raw = unwrap(key, boxed, f"{self.header.vault_id}:name:{user_id}")
        except ValueError:
            return None
        return raw.decode("utf-8") if raw is not None else None

    def user_names(self) -> dict[str, str]:
        """User id -> name: the signed roster's where it has one, else household.db's (display only)."""
        names = {str(uid): str(n) for uid, n in self.household.query("SELECT id, name FROM users")}
        if self.roster is not None:
            for uid, u in self.roster.users.items():
                n = self.name_open(uid, u.name)
                if n is not None:
                    names[uid] = n
        return names

    def rebox_names(self, roster: Roster, new_household_key: bytes) -> None:
        """Before the household key changes: the roster's names under the new key."""
        for uid, u in roster.users.items():
            n = self.name_open(uid, u.name)
            if n is not None:
                u.name = self.name_box(uid, n, new_household_key)
        for pid, boxed in list(roster.person_names.items()):
            n = self.name_open(f"person:{pid}", boxed)
            if n is not None:
                roster.person_names[pid] = self.name_box(f"person:{pid}", n, new_household_key)

    def signed_person_name(self, person_id: str) -> str | None:
        """The person's name as the owner signed it (household.db's copy is what the app shows)."""
        if self.roster is None:
            return None
        return self.name_open(f"person:{person_id}", self.roster.person_names.get(person_id, ""))

    def set_person_name(self, person_id: str, name: str) -> None:
        """Owner: rename a person in household.db and in the signed roster together (for the editing
        service: a rename only in household.db is reported as tampering and blocks grants)."""
        self.require_owner("rename people")
        roster = self.roster_copy()
        roster.person_names[person_id] = self.name_box(f"person:{person_id}", name)
        self.commit_roster(roster)
        self.header.write(self.path)
        with self.household.transaction() as conn:
            conn.execute("UPDATE persons SET name=? WHERE id=?", (name, person_id))

    def renamed_outside(self) -> list[tuple[str, str, str]]:
        """(person id, name in household.db, signed name) where they differ."""
        out = []
        for pid, name in self.household.query("SELECT id, name FROM persons"):
            signed = self.signed_person_name(pid)
            if signed is not None and signed != name and self.can_see(pid):
                out.append((pid, name, signed))
        return out

    # ------------------------------------------------------------------ secrets only managers may read
    def managers(self, person_id: str) -> list[str]:
        """Users the signed roster lets manage ``person_id`` (the owner included)."""
        if self.roster is None:
            return []
        return [
            uid
            for uid in self.roster.holders(f"person:{person_id}")
            if self.roster.scope(uid, person_id) in ("owner", "manage")
        ]

    def seal_managed(self, person_id: str, value: bytes, label: str) -> str:
        """``value`` (a portal's tokens) encrypted so only the person's managers can open it: a view-only
        proxy holds the person's key, so the person's database alone is not enough protection."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = new_key()
        nonce = os.urandom(12)
        aad = f"{self.header.vault_id}:managed:{person_id}:{label}"
        to = {
            uid: seal(b64d(self.roster.users[uid].box), key, f"{aad}:{uid}")  # type: ignore[union-attr]
            for uid in self.managers(person_id)
        }
        if not to:
            raise AccessDenied("Only the owner or a manager of this person can keep a portal sign-in.")
        return json.dumps({"v": 2, "ct": b64e(nonce + AESGCM(key).encrypt(nonce, value, aad.encode())), "to": to})

    def open_managed(self, person_id: str, stored: str, label: str) -> bytes | None:
        """The value sealed by :meth:`seal_managed`, or None when this user is not one it was sealed to."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        d = json.loads(stored)
        aad = f"{self.header.vault_id}:managed:{person_id}:{label}"
        sealed = d.get("to", {}).get(self.user.id) if isinstance(d, dict) and d.get("v") == 2 else None
        if sealed is None:
            return None
        key = open_sealed(self._private, sealed, f"{aad}:{self.user.id}")
        if key is None:
            return None
        raw = b64d(d["ct"])
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], aad.encode())
        except InvalidTag:
            return None

    def _protect_legacy_portal_tokens(self) -> None:
        """Older vaults kept portal tokens as plain JSON in the person's database: seal them (owner)."""
        for pid in self.person_ids():
            if not self.can_see(pid):
                continue
            db = self.person_db(pid)
            rows = db.query("SELECT key, value FROM meta WHERE key LIKE 'portal:%'")
            for k, v in rows:
                try:
                    legacy = json.loads(v).get("v") != 2
                except (ValueError, AttributeError):
                    continue
                if legacy:
                    with db.transaction() as conn:
                        conn.execute("UPDATE meta SET value=? WHERE key=?", (self.seal_managed(pid, v.encode(), k), k))

    # ------------------------------------------------------------------ audit
    def audit(
        self,
        action: str,
        person_id: str | None = None,
        item_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append an entry, signed by the signed-in user, to the chain of the person it is about (their
        database: only users who may see them read it) or, about nobody in particular, household.db's."""
        if self._sign_private is None:  # a vault from before the signed log, not yet upgraded by its owner
            audit_log.append(self.household, self.audit_key, self.user.id, action, person_id, item_id, detail)
            return
        if person_id is not None and self.can_see(person_id):
            db, chain = self.person_db(person_id), person_id
        else:
            db, chain = self.household, "household"
        audit_log.append_signed(
            db, self.header.vault_id, chain, self._sign_private, self.user.id, action, person_id, item_id, detail
        )

    def _chains(self) -> list[tuple[str, Db]]:
        out: list[tuple[str, Db]] = [("household", self.household)]
        out += [(pid, self.person_db(pid)) for pid in self.person_ids() if self.can_see(pid)]
        return out

    def chain_label(self, chain: str) -> str:
        if chain == "household":
            return "the household log"
        row = self.household.one("SELECT name FROM persons WHERE id=?", (chain,))
        return f"{row[0] if row else chain}'s log"

    def check_audit(self, full: bool = False) -> list[audit_log.ChainReport]:
        """Verify every audit chain this user can read; put what is wrong in ``warnings``.

        Signatures are checked from the newest entry this device had already verified (``full``: all);
        any change to an older entry changes the hash at that entry, which is compared too."""
        state = device.load(self.state_id())
        told = len(self.warnings)
        keys = {uid: b64d(u.sign) for uid, u in self.roster.users.items()} if self.roster is not None else None
        reports = []
        for chain, db in self._chains():
            seen = device.seen_chain(state, chain)
            rep = audit_log.verify_chain(
                db,
                self.header.vault_id,
                chain,
                keys,
                None if full else seen,
                legacy_key=self.audit_key if chain == "household" else None,
            )
            if full and seen is not None and rep.bad is None:
                rep2 = audit_log.verify_chain(db, self.header.vault_id, chain, keys, seen)
                rep.bad, rep.reason, rep.rolled_back = rep2.bad, rep2.reason, rep2.rolled_back
            reports.append(rep)
            if rep.bad is not None:
                if chain == "household":
                    self.audit_problem = rep.bad
                self.warnings.append(
                    f"The audit log was tampered with: in {self.chain_label(chain)}, entry {rep.bad} fails its "
                    f"check ({rep.reason}). Entries from it on cannot be trusted."
                )
            elif rep.rolled_back:
                self.warnings.append(
                    f"{self.chain_label(chain).capitalize()} is older than this device has seen ({rep.rolled_back}): "
                    "the vault, or part of it, was rolled back to an earlier copy."
                )
        serial = int(state.get("roster_serial", 0))
        if self.roster is not None and self.roster.serial < serial:
            self.warnings.append(
                f"The vault's roster is older (version {self.roster.serial}) than the one this device has seen "
                f"(version {serial}): the vault was rolled back to an earlier copy. Grants or removals made "
                "since may be undone: check the Sharing page."
            )
        new = self.warnings[told:]
        del self.warnings[told:]
        self.warnings += [w for w in new if w not in self.warnings]
        self.audit_reports = reports
        return reports

    def _remember(self) -> None:
        """Record on this device the newest roster version and chain positions now verified."""
        state = device.load(self.state_id())
        chains = dict(state.get("chains") or {})
        bad = {r.chain for r in self.audit_reports if r.bad is not None or r.rolled_back}
        for chain, db in self._chains():
            if chain in bad:
                continue  # keep the newer position: the warning repeats until someone looks into it
            row = db.one("SELECT id, hash FROM audit WHERE sig IS NOT NULL ORDER BY id DESC LIMIT 1")
            if row:
                chains[chain] = [int(row[0]), bytes(row[1]).hex()]
        serial = max(int(state.get("roster_serial", 0)), self.roster.serial if self.roster else 0)
        device.save(self.state_id(), {"roster_serial": serial, "chains": chains})

    def audit_entries(
        self,
        *,
        user_id: str | None = None,
        person_id: str | None = None,
        action: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 500,
    ) -> list[audit_log.AuditEntry]:
        """Entries from every chain this user can read (the household's and their people's), newest first."""
        out: list[audit_log.AuditEntry] = []
        for chain, db in self._chains():
            if person_id is not None and chain not in ("household", person_id):
                continue
            out += audit_log.entries(
                db,
                user_id=user_id,
                person_id=person_id,
                action=action,
                since=since,
                until=until,
                limit=limit,
                chain=chain,
            )
        out = [e for e in out if e.person_id is None or self.can_see(e.person_id)]
        out.sort(key=lambda e: (e.ts, e.chain == "household", e.id), reverse=True)
        return out[:limit]
