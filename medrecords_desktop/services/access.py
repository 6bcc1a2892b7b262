"""Who may do what: the owner, and proxies with view or manage grants per person.

The cryptography already limits what a proxy can *read* (their keyslot holds only granted people's
keys); this module enforces what they may *change or export* on top of that.  Roles and grants come
from the owner-signed roster (vault/roster.py) only: household.db's ``users`` and ``grants`` tables
are kept for names and display, and nothing is decided from them.  Manage-proxies manage records,
never people: adding users, granting, revoking and removing are the owner's.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------- users and grants
import os  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from ..errors import AccessDenied, InvalidInput, NotFound  # noqa: E402
from ..progress import Progress  # noqa: E402
from ..vault.crypto import b64e, new_recovery_code  # noqa: E402
from ..vault.repos import meta as meta_repo  # noqa: E402
from ..vault.repos import users as users_repo  # noqa: E402
from ..vault.roster import RosterUser, public_of, put_secret  # noqa: E402
from ..vault.vault import Vault, check_passphrase, now_iso  # noqa: E402
from .permissions import require_manage as require_manage  # noqa: E402 - re-exported: callers import them from here
from .permissions import scope_of as scope_of  # noqa: E402


@dataclass
class UserInfo:
    id: str
    name: str
    role: str
    grants: dict[str, str]  # person name -> scope


def list_users(vault: Vault) -> list[UserInfo]:
    """The users and grants of the signed roster (names from household.db)."""
    people = {p.id: p.name for p in vault.persons()}
    names = vault.user_names()
    out = []
    if vault.roster is None:  # unverified: show only oneself
        return [UserInfo(vault.user.id, vault.user.name, vault.user.role, {})]
    for uid, u in vault.roster.active().items():
        if u.role == "owner":
            grants = dict.fromkeys(people.values(), "owner")
        else:
            grants = {people[pid]: scope for pid, scope in u.grants.items() if pid in people}
        out.append(UserInfo(uid, names.get(uid, uid), u.role, grants))
    out.sort(key=lambda u: (u.role != "owner", u.name.casefold()))
    return out


def _user_id(vault: Vault, name: str) -> str:
    active = vault.roster.active() if vault.roster is not None else {}
    names = vault.user_names()  # the roster's names: a name changed in household.db does not count
    for uid in active:
        if names.get(uid, "").casefold() == name.casefold():
            return uid
    if name in active:  # an id
        return name
    raise NotFound(f"No user called {name!r}.")


def add_user(vault: Vault, name: str, passphrase: str) -> str:
    """Add a proxy user who sees nobody until granted; return their recovery code (shown once)."""
    vault.require_owner("add users")
    name = name.strip()
    if not name:
        raise InvalidInput("A user needs a name.")
    check_passphrase(passphrase)
    names = vault.user_names()
    active = vault.roster.active() if vault.roster is not None else {}
    if any(names.get(uid, "").casefold() == name.casefold() for uid in active) or users_repo.name_in_use(
        vault.household, name
    ):
        raise InvalidInput(f"There is already a user called {name!r}.")
    uid = "u" + os.urandom(6).hex()
    recovery = new_recovery_code()
    entry, private, sign_private = vault._new_user_entry(vault.header, uid, vault.slot_kdf(), passphrase, recovery)
    owner_key = public_of(vault._sign_private or b"")
    put_secret(entry.secrets, private, vault.header.vault_id, uid, "owner_key", owner_key)
    roster = vault.roster_copy()
    roster.users[uid] = RosterUser(
        "proxy", entry.public_key, b64e(public_of(sign_private)), name=vault.name_box(uid, name)
    )
    vault.header.users = [u for u in vault.header.users if u.id != uid] + [entry]
    vault.commit_roster(roster)
    vault.seal_for(uid, "household", vault._keys["household"])
    vault.header.write(vault.path)
    users_repo.add(vault.household, uid, name, "proxy", now_iso())
    vault.audit("user.add", detail={"user": name})
    return recovery


def grant(vault: Vault, user: str, person: str, scope: str) -> None:
    vault.require_owner("grant access")
    if scope not in ("view", "manage"):
        raise InvalidInput("A grant is --view or --manage.")
    uid = _user_id(vault, user)
    p = vault.person(person)
    if uid == vault.user.id:
        raise InvalidInput("The owner already sees everyone.")
    signed = vault.signed_person_name(p.id)
    if signed is not None and signed != p.name:  # names in household.db can be swapped by anyone
        raise AccessDenied(
            f"{p.name!r} is called {signed!r} in the signed roster: someone renamed a person "
            "outside the app. Check who is who before granting."
        )
    roster = vault.roster_copy()
    roster.users[uid].grants[p.id] = scope
    vault.commit_roster(roster)
    vault.seal_for(uid, f"person:{p.id}", vault.person_key(p.id))  # to the roster's public key only
    vault.header.write(vault.path)
    if scope == "manage":  # a new manager can use the person's saved portal sign-ins
        db = vault.person_db(p.id)
        for k, v in meta_repo.with_prefix(db, "portal:"):
            plain = vault.open_managed(p.id, v, k)
            if plain is not None:
                meta_repo.put(db, k, vault.seal_managed(p.id, plain, k))
    users_repo.set_grant(vault.household, uid, p.id, scope, now_iso())
    vault.audit("grant", person_id=p.id, detail={"user": user, "scope": scope})


def revoke(vault: Vault, user: str, person: str, progress: Progress | None = None) -> None:
    """Remove the grant and rotate the person's key, so the key the user held opens nothing."""
    from ..vault.rotation import rotate_person_key

    vault.require_owner("revoke access")
    uid = _user_id(vault, user)
    p = vault.person(person)
    roster = vault.roster_copy()
    if p.id not in roster.users[uid].grants:  # the signed roster decides, not household.db
        raise InvalidInput(f"{user} has no access to {p.name}.")
    del roster.users[uid].grants[p.id]
    rotate_person_key(vault, p.id, drop_user=uid, progress=progress, roster=roster)
    from .portals import PortalService

    # A token the user may have copied stops working at the portal too (RFC 7009), then is forgotten.
    signed_out = PortalService(vault).sign_out_person(p.id, "access changed")
    users_repo.delete_grant(vault.household, uid, p.id)
    vault.audit("revoke", person_id=p.id, detail={"user": user, "portal_sign_ins": dict(signed_out)})


def remove_user(vault: Vault, user: str, progress: Progress | None = None) -> None:
    vault.require_owner("remove users")
    uid = _user_id(vault, user)
    if uid == vault.user.id:
        raise InvalidInput("The owner cannot be removed.")
    for pid in sorted(vault.roster_copy().users[uid].grants):  # every key the signed roster gave them
        revoke(vault, user, pid, progress)
    # Their header entry goes, and the household database gets a new key in the same step: with an
    # old copy of vault.json their passphrase would otherwise still open it (names, audit log).
    from ..vault.rotation import rotate_household_key

    roster = vault.roster_copy()
    roster.users[uid].removed = True  # kept, without grants, so their audit entries still verify
    roster.users[uid].grants = {}
    rotate_household_key(vault, uid, progress, roster=roster)
    users_repo.mark_removed(vault.household, uid, now_iso())
    vault.audit("user.remove", detail={"user": user})


class AccessService:
    """The functions above bound to one open vault, for the faces (the GUI gets it from its Session)."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    def list_users(self) -> list[UserInfo]:
        return list_users(self._vault)

    def scope_of(self, person_id: str) -> str | None:
        return scope_of(self._vault, person_id)

    def add_user(self, name: str, passphrase: str) -> str:
        return add_user(self._vault, name, passphrase)

    def grant(self, user: str, person: str, scope: str) -> None:
        grant(self._vault, user, person, scope)

    def revoke(self, user: str, person: str, progress: Progress | None = None) -> None:
        revoke(self._vault, user, person, progress)

    def remove_user(self, user: str, progress: Progress | None = None) -> None:
        remove_user(self._vault, user, progress)
