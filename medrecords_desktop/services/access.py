"""Who may do what: the owner, and proxies with view or manage grants per person.

The cryptography already limits what a proxy can *read* (their keyslot holds only granted people's
keys); this module enforces what they may *change or export* on top of that.
"""

from __future__ import annotations

from ..errors import AccessDenied
from ..vault.vault import Vault


def scope_of(vault: Vault, person_id: str) -> str | None:
    """'owner', 'manage', 'view', or None when the user cannot see this person at all."""
    if not vault.can_see(person_id):
        return None
    if vault.is_owner():
        return "owner"
    row = vault.household.one("SELECT scope FROM grants WHERE user_id=? AND person_id=?", (vault.user.id, person_id))
    return str(row[0]) if row else None


def require_manage(vault: Vault, person_id: str, action: str) -> None:
    if scope_of(vault, person_id) not in ("owner", "manage"):
        raise AccessDenied(f"Your access to this person is view-only: you cannot {action}.")


# ---------------------------------------------------------------------------- users and grants
import os  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from ..errors import InvalidInput, NotFound  # noqa: E402
from ..vault.crypto import new_recovery_code  # noqa: E402
from ..vault.vault import check_passphrase, now_iso  # noqa: E402


@dataclass
class UserInfo:
    id: str
    name: str
    role: str
    grants: dict[str, str]  # person name -> scope


def list_users(vault: Vault) -> list[UserInfo]:
    people = {p.id: p.name for p in vault.persons()}
    out = []
    for uid, name, role in vault.household.query(
        "SELECT id, name, role FROM users WHERE removed IS NULL ORDER BY role DESC, name"
    ):
        grants = {people.get(pid, pid): scope for pid, scope in vault.household.query(
            "SELECT person_id, scope FROM grants WHERE user_id=?", (uid,))}
        if role == "owner":
            grants = dict.fromkeys(people.values(), "owner")
        out.append(UserInfo(uid, name, role, grants))
    return out


def _user_id(vault: Vault, name: str) -> str:
    row = vault.household.one("SELECT id FROM users WHERE name=? COLLATE NOCASE AND removed IS NULL", (name,))
    if not row:
        raise NotFound(f"No user called {name!r}.")
    return str(row[0])


def add_user(vault: Vault, name: str, passphrase: str) -> str:
    """Add a proxy user who sees nobody until granted; return their recovery code (shown once)."""
    vault.require_owner("add users")
    name = name.strip()
    if not name:
        raise InvalidInput("A user needs a name.")
    check_passphrase(passphrase)
    if vault.household.one("SELECT 1 FROM users WHERE name=? COLLATE NOCASE AND removed IS NULL", (name,)):
        raise InvalidInput(f"There is already a user called {name!r}.")
    uid = "u" + os.urandom(6).hex()
    recovery = new_recovery_code()
    entry, _private = vault._new_user_entry(vault.header, uid, vault.shared_kdf(), passphrase, recovery)
    vault.header.users.append(entry)
    vault.seal_for(uid, "household", vault._keys["household"])
    vault.header.write(vault.path)
    with vault.household.transaction() as conn:
        conn.execute("INSERT INTO users(id,name,role,created) VALUES (?,?,?,?)", (uid, name, "proxy", now_iso()))
    vault.audit("user.add", detail={"user": name})
    return recovery


def grant(vault: Vault, user: str, person: str, scope: str) -> None:
    vault.require_owner("grant access")
    if scope not in ("view", "manage"):
        raise InvalidInput("A grant is --view or --manage.")
    uid = _user_id(vault, user)
    p = vault.person(person)
    assert p.id
    if uid == vault.user.id:
        raise InvalidInput("The owner already sees everyone.")
    vault.seal_for(uid, f"person:{p.id}", vault.person_key(p.id))
    vault.header.write(vault.path)
    with vault.household.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO grants(user_id,person_id,scope,created) VALUES (?,?,?,?)",
                     (uid, p.id, scope, now_iso()))
    vault.audit("grant", person_id=p.id, detail={"user": user, "scope": scope})


def revoke(vault: Vault, user: str, person: str, progress=None) -> None:  # type: ignore[no-untyped-def]
    """Remove the grant and rotate the person's key, so the key the user held opens nothing."""
    from ..vault.rotation import rotate_person_key

    vault.require_owner("revoke access")
    uid = _user_id(vault, user)
    p = vault.person(person)
    assert p.id
    if not vault.household.one("SELECT 1 FROM grants WHERE user_id=? AND person_id=?", (uid, p.id)):
        raise InvalidInput(f"{user} has no access to {p.name}.")
    rotate_person_key(vault, p.id, drop_user=uid, progress=progress)
    with vault.household.transaction() as conn:
        conn.execute("DELETE FROM grants WHERE user_id=? AND person_id=?", (uid, p.id))
    vault.audit("revoke", person_id=p.id, detail={"user": user})


def remove_user(vault: Vault, user: str, progress=None) -> None:  # type: ignore[no-untyped-def]
    vault.require_owner("remove users")
    uid = _user_id(vault, user)
    if uid == vault.user.id:
        raise InvalidInput("The owner cannot be removed.")
    for (pid,) in vault.household.query("SELECT person_id FROM grants WHERE user_id=?", (uid,)):
        revoke(vault, user, pid, progress)
    # Their header entry goes, and the household database gets a new key in the same step: with an
    # old copy of vault.json their passphrase would otherwise still open it (names, audit log).
    from ..vault.rotation import rotate_household_key

    rotate_household_key(vault, uid, progress)
    with vault.household.transaction() as conn:
        conn.execute("UPDATE users SET removed=? WHERE id=?", (now_iso(), uid))
    vault.audit("user.remove", detail={"user": user})
