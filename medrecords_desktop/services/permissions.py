"""What the signed-in user may do with one person: see, manage, or nothing (from the owner-signed roster).

Its own small module so that every service can check a permission without importing the access
service, which in turn uses the portal service to sign a revoked user out of the portals.
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
    if vault.roster is None:
        return "view"  # no verified roster: read only
    return vault.roster.scope(vault.user.id, person_id)


def require_manage(vault: Vault, person_id: str, action: str) -> None:
    if scope_of(vault, person_id) not in ("owner", "manage"):
        if vault.can_see(person_id):
            vault.audit("refused", person_id=person_id, detail={"what": action})
        raise AccessDenied(f"Your access to this person is view-only: you cannot {action}.")
