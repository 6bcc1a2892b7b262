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
