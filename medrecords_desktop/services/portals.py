"""Portal accounts and sync: the portals package (SMART on FHIR) wired to the vault.

The account (name, brand, official website, FHIR base, username, notes, status) and its tokens live in
the *person's* database, so a proxy who may not see that person cannot read them (nor use the tokens);
the tokens are moreover sealed to the person's managers only
(Vault.seal_managed), so a view-only proxy cannot read them.  Removing a portal, or revoking a user's
access to the person, revokes the tokens at the portal too (RFC 7009) when it has an endpoint for it.
Each page a sync fetches goes through the ordinary import
path (FHIR parser, de-duplication, provenance = this portal) as one transaction, so an interrupted
sync resumes where it was and a re-sync adds nothing.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput, NotFound
from ..importers.fhir import parse_fhir_resources
from ..portals.client import FhirClient, RetryPolicy
from ..portals.errors import NeedsSignIn, PortalUnavailable
from ..portals.smart import BrowserOpener, SmartConfiguration, TokenSet, discover, sign_in
from ..portals.sync import PageInfo, SyncProgress, sync_patient
from ..vault.repos import meta as meta_repo
from ..vault.repos import portals as portals_repo
from ..vault.vault import Vault, now_iso
from .importing import ImportOptions, ImportService
from .permissions import require_manage

DEFAULT_CLIENT_ID = "medrecords-desktop"


@dataclass
class PortalAccount:
    id: int
    name: str
    brand: str | None
    website: str | None
    fhir_base: str | None
    client_id: str | None
    person_id: str | None
    person: str | None
    username: str | None
    notes: str | None
    status: str
    last_sync: str | None
    last_checked: str | None
    high_water: str | None
    patient_id: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @property
    def has_api(self) -> bool:
        return bool(self.fhir_base)


@dataclass
class SyncOutcome:
    account: str
    status: str
    added: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    updated: int = 0
    fetched: int = 0
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_offered: list[str] = field(default_factory=list)
    resumed: bool = False
    seconds: float = 0.0


def _build_client_id(brand: str | None, fhir_base: str | None) -> str | None:
    """This build's client id for the portal's vendor; the generic id for servers of no known vendor
    (test servers, small vendors that accept any public client); None where a known vendor needs a
    registration this build lacks (then connect registers dynamically where offered, or says so)."""
    from ..portals.registrations import for_portal

    if not fhir_base:
        return None
    reg = for_portal(brand, fhir_base)
    if reg is None:
        return DEFAULT_CLIENT_ID
    return reg.client_id or None


class PortalService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # ------------------------------------------------------------------ accounts
    def accounts(self) -> list[PortalAccount]:
        names = {p.id: p.name for p in self.vault.persons()}
        rows = [
            r for r in portals_repo.all_in(self.vault.household) if r.person_id is None
        ]  # a portal of nobody in particular (its person was removed)
        for pid in names:
            rows += portals_repo.all_in(self.vault.person_db(pid))
        rows.sort(key=lambda r: (str(r.name).casefold(), r.id))
        return [
            PortalAccount(
                r.id,
                r.name,
                r.brand,
                r.website,
                r.fhir_base,
                r.client_id,
                r.person_id,
                names.get(r.person_id) if r.person_id else None,
                r.username,
                r.notes,
                r.status,
                r.last_sync,
                r.last_checked,
                r.high_water,
                r.patient_id,
            )
            for r in rows
        ]

    def account(self, name: str) -> PortalAccount:
        for a in self.accounts():
            if a.name.casefold() == name.casefold():
                return a
        raise NotFound(f"No portal called {name!r}. See: medrecords portal list")

    def add(
        self,
        name: str,
        person: str,
        fhir_base: str | None = None,
        website: str | None = None,
        brand: str | None = None,
        client_id: str | None = None,
        username: str | None = None,
        notes: str | None = None,
    ) -> PortalAccount:
        p = self.vault.person(person)
        require_manage(self.vault, p.id, "add portals")
        for url, what in ((fhir_base, "FHIR base URL"), (website, "website")):
            if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
                raise InvalidInput(f"The {what} must start with https:// ({url}).")
        if not (fhir_base or website):
            raise InvalidInput("Give the portal's FHIR base URL (for sync) or its official website (or both).")
        if any(a.name.casefold() == name.casefold() for a in self.accounts()):
            raise InvalidInput(f"There is already a portal called {name!r}.")
        new_id = self.vault.next_id("portal_accounts")
        portals_repo.insert(
            self.vault.person_db(p.id),
            id=new_id,
            name=name,
            brand=brand,
            website=website,
            fhir_base=fhir_base.rstrip("/") if fhir_base else None,
            client_id=client_id or _build_client_id(brand, fhir_base),
            person_id=p.id,
            username=username,
            notes=notes,
            status="not connected" if fhir_base else "no API: visit the website",
            created=now_iso(),
        )
        self.vault.audit("portal.add", person_id=p.id, detail={"portal": name})
        return self.account(name)

    def add_from_directory(
        self,
        name: str | None,
        person: str,
        entry_id: int,
        client_id: str | None = None,
        username: str | None = None,
        notes: str | None = None,
    ) -> PortalAccount:
        """Add the organization picked in the provider directory: FHIR base, vendor and website filled in."""
        from ..portals.directory import load

        e = load().get(entry_id)
        return self.add(
            name or e.organization,
            person,
            fhir_base=e.fhir_base,
            website=e.website or None,
            brand=e.vendor,
            client_id=client_id,
            username=username,
            notes=notes,
        )

    def registration_status(self, name: str) -> str | None:
        """A plain sentence when this build lacks the app registration the portal's vendor needs."""
        from ..portals.registrations import for_portal

        a = self.account(name)
        if not a.fhir_base or (a.client_id and a.client_id != DEFAULT_CLIENT_ID):
            return None
        reg = for_portal(a.brand, a.fhir_base)
        if reg is not None and reg.client_id:
            return None
        who = reg.vendor if reg else (a.brand or "this portal's vendor")
        return (
            f"This copy of MedRecords has no app registration for {who}. Connecting works only if the "
            "portal offers automatic registration; otherwise enter the client id the portal gave you."
        )

    def remove(self, name: str) -> None:
        a = self.account(name)
        at_portal = None
        if a.person_id:
            require_manage(self.vault, a.person_id, "remove portals")
            at_portal = self._revoke_at_portal(a)
            self._save_tokens(a, None)
        portals_repo.delete(self.vault.private_db(a.person_id), a.id)
        self.vault.audit("portal.remove", person_id=a.person_id, detail={"portal": name, "tokens": at_portal})

    def _revoke_at_portal(self, a: PortalAccount) -> str | None:
        """RFC 7009 at the portal for the saved sign-in, if any: 'revoked', 'no endpoint' or 'failed: ...'."""
        from ..portals.revocation import revoke_tokens

        try:
            config, tokens = self._load_tokens(a)
        except NeedsSignIn:
            return None
        return revoke_tokens(config, tokens, a.client_id or DEFAULT_CLIENT_ID)

    def sign_out_person(self, person_id: str, why: str) -> list[tuple[str, str]]:
        """Revoke (at the portal) and forget every saved sign-in of ``person_id``'s portals: after a
        user's access to them was revoked, a token they may have copied stops working.  Owner only."""
        out = []
        for a in self.accounts():
            if a.person_id != person_id:
                continue
            res = self._revoke_at_portal(a)
            if res is None:
                continue
            self._save_tokens(a, None)
            self._set(a, status=f"not connected: {why}; connect again")
            out.append((a.name, res))
        return out

    def mark_checked(self, name: str) -> None:
        a = self.account(name)
        self._set(a, last_checked=now_iso())

    def _set(self, a: PortalAccount, **cols: Any) -> None:
        portals_repo.update(self.vault.private_db(a.person_id), a.id, **cols)

    # ------------------------------------------------------------------ tokens (in the person's database)
    def _token_key(self, a: PortalAccount) -> str:
        return f"portal:{a.id}"

    def _save_tokens(self, a: PortalAccount, payload: dict[str, Any] | None) -> None:
        assert a.person_id
        db = self.vault.person_db(a.person_id)
        key = self._token_key(a)
        stored = None if payload is None else self.vault.seal_managed(a.person_id, json.dumps(payload).encode(), key)
        if stored is None:
            meta_repo.delete(db, key)
        else:
            meta_repo.put(db, key, stored)

    def _resume_key(self, a: PortalAccount) -> str:
        return f"portal:{a.id}:resume"

    def _load_resume(self, a: PortalAccount) -> dict[str, Any] | None:
        assert a.person_id
        value = meta_repo.get(self.vault.person_db(a.person_id), self._resume_key(a))
        try:
            return json.loads(value) if value else None
        except ValueError:
            return None  # a damaged checkpoint only costs a full re-read

    def _save_resume(self, a: PortalAccount, state: dict[str, Any] | None) -> None:
        """Where an interrupted sync stopped: kept in the person's (encrypted) database, like the tokens."""
        assert a.person_id
        db = self.vault.person_db(a.person_id)
        if state is None:
            meta_repo.delete(db, self._resume_key(a))
        else:
            meta_repo.put(db, self._resume_key(a), json.dumps(state))

    def _load_tokens(self, a: PortalAccount) -> tuple[SmartConfiguration, TokenSet]:
        assert a.person_id
        stored = meta_repo.get(self.vault.person_db(a.person_id), self._token_key(a))
        if not stored:
            raise NeedsSignIn(a.fhir_base or a.name, "this portal is not connected yet: connect it first")
        d = json.loads(stored)
        if d.get("v") == 2:
            plain = self.vault.open_managed(a.person_id, stored, self._token_key(a))
            if plain is None:
                raise NeedsSignIn(a.fhir_base or a.name, "the saved sign-in is not yours to use: connect it again")
            d = json.loads(plain)
        return SmartConfiguration.from_dict(d["config"]), TokenSet.from_dict(d["tokens"])

    # ------------------------------------------------------------------ connect and sync
    def connect(
        self, name: str, opener: BrowserOpener, timeout: float = 300.0, cancel: threading.Event | None = None
    ) -> PortalAccount:
        """Discovery, then the browser sign-in (PKCE, loopback redirect); tokens saved encrypted.
        Without a client id (none per portal, none in this build's registrations), the app registers
        itself where the server offers RFC 7591 dynamic registration, and says plainly otherwise."""
        from ..portals.registrations import NoRegistration, for_portal, register_client

        a = self.account(name)
        if not a.fhir_base or not a.person_id:
            raise InvalidInput(f"{name} has no FHIR base URL: it cannot be connected, only visited.")
        require_manage(self.vault, a.person_id, "connect portals")
        config = discover(a.fhir_base)
        if not a.client_id:
            if not config.registration_endpoint:
                reg = for_portal(a.brand, a.fhir_base)
                raise NoRegistration(name, reg.vendor if reg else a.brand, reg.register_at if reg else None)
            client_id = register_client(config.registration_endpoint, config.scopes)
            self._set(a, client_id=client_id)
            self.vault.audit("portal.register", person_id=a.person_id, detail={"portal": name})
            a = self.account(name)
        tokens = sign_in(config, a.client_id or DEFAULT_CLIENT_ID, opener, timeout=timeout, cancel=cancel)
        self._save_tokens(a, {"config": config.to_dict(), "tokens": tokens.to_dict()})
        self._set(a, status="connected", patient_id=tokens.patient)
        self.vault.audit("portal.connect", person_id=a.person_id, detail={"portal": name})
        return self.account(name)

    def sync(
        self,
        name: str,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: threading.Event | None = None,
        retry: RetryPolicy | None = None,
        page_size: int = 1000,
    ) -> SyncOutcome:
        a = self.account(name)
        if not a.fhir_base or not a.person_id:
            raise InvalidInput(f"{name} has no FHIR API to sync; open its website instead.")
        require_manage(self.vault, a.person_id, "sync portals")
        config, tokens = self._load_tokens(a)
        patient = a.patient_id or tokens.patient
        if not patient:
            raise InvalidInput(f"{name} did not say which patient the sign-in is for; connect again.")
        importer = ImportService(self.vault)
        out = SyncOutcome(name, "running")
        # The account was linked to this person when it was connected: a name that differs is noted, not refused.
        opts = ImportOptions(person=a.person_id, force=True)

        def save(t: TokenSet) -> None:
            self._save_tokens(a, {"config": config.to_dict(), "tokens": t.to_dict()})

        def sink(resources: list[dict[str, Any]], info: PageInfo) -> None:
            parsed = parse_fhir_resources(resources, f"{name} ({info.resource_type})", source_kind="portal")
            outcome = importer.write_parsed(parsed, opts, source_kind="portal")
            out.added.update(outcome.added)
            out.duplicates += outcome.duplicates
            out.updated += outcome.updated
            out.fetched += len(resources)

        try:
            with FhirClient(
                config, tokens, a.client_id or DEFAULT_CLIENT_ID, on_tokens=save, retry=retry, cancel=cancel
            ) as client:
                result = sync_patient(
                    client,
                    patient,
                    a.high_water,
                    sink,
                    progress,
                    cancel,
                    page_size=page_size,
                    resume=self._load_resume(a),
                    on_checkpoint=lambda state: self._save_resume(a, state),
                )
        except NeedsSignIn:
            self._set(a, status="needs sign-in again")
            self.vault.audit("portal.sync", person_id=a.person_id, detail={"portal": name, "status": "needs sign-in"})
            raise
        except PortalUnavailable as e:
            self._set(a, status=f"unavailable: {str(e)[:120]}")
            raise PortalUnavailable(
                e.base,
                e.why + "; what arrived is saved and the next sync continues where this one stopped",
                e.retry_after,
            ) from None
        self._save_resume(a, None)
        out.pages, out.errors, out.seconds = result.pages, result.errors, result.seconds
        out.notes, out.not_offered, out.resumed = result.notes, result.not_offered, result.resumed
        out.status = "ok" if not result.errors else "ok, with problems"
        self._set(a, status=out.status, last_sync=now_iso(), high_water=result.high_water_mark or a.high_water)
        self.vault.audit(
            "portal.sync",
            person_id=a.person_id,
            detail={
                "portal": name,
                "added": sum(out.added.values()),
                "updated": out.updated,
                "fetched": out.fetched,
                "incremental": bool(a.high_water),
            },
        )
        return out
