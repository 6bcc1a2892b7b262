"""Portal accounts and sync: the portals package (SMART on FHIR) wired to the vault.

The account (name, brand, official website, FHIR base, person, status) lives in the household
database; its tokens live in the *person's* database, so a proxy who may not see that person cannot
read (or use) the portal tokens either.  Each page a sync fetches goes through the ordinary import
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
from ..vault.vault import Vault, now_iso
from .access import require_manage
from .importing import ImportOptions, ImportService

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
    seconds: float = 0.0


_COLUMNS = ("id, name, brand, website, fhir_base, client_id, person_id, username, notes, status, last_sync, "
            "last_checked, high_water, patient_id")


class PortalService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # ------------------------------------------------------------------ accounts
    def accounts(self) -> list[PortalAccount]:
        names = {p.id: p.name for p in self.vault.persons()}
        out = []
        for r in self.vault.household.query(f"SELECT {_COLUMNS} FROM portal_accounts ORDER BY name"):
            if r[6] is not None and r[6] not in names:
                continue  # another person's portal: not shown to this user
            out.append(PortalAccount(r[0], r[1], r[2], r[3], r[4], r[5], r[6], names.get(r[6]), *r[7:]))
        return out

    def account(self, name: str) -> PortalAccount:
        for a in self.accounts():
            if a.name.casefold() == name.casefold():
                return a
        raise NotFound(f"No portal called {name!r}. See: medrecords portal list")

    def add(self, name: str, person: str, fhir_base: str | None = None, website: str | None = None,
            brand: str | None = None, client_id: str | None = None, username: str | None = None,
            notes: str | None = None) -> PortalAccount:
        p = self.vault.person(person)
        assert p.id
        require_manage(self.vault, p.id, "add portals")
        for url, what in ((fhir_base, "FHIR base URL"), (website, "website")):
            if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
                raise InvalidInput(f"The {what} must start with https:// ({url}).")
        if not (fhir_base or website):
            raise InvalidInput("Give the portal's FHIR base URL (for sync) or its official website (or both).")
        if self.vault.household.one("SELECT 1 FROM portal_accounts WHERE name=? COLLATE NOCASE", (name,)):
            raise InvalidInput(f"There is already a portal called {name!r}.")
        with self.vault.household.transaction() as conn:
            conn.execute(
                "INSERT INTO portal_accounts(name,brand,website,fhir_base,client_id,person_id,username,notes,status,"
                "created) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (name, brand, website, fhir_base.rstrip("/") if fhir_base else None,
                 client_id or (DEFAULT_CLIENT_ID if fhir_base else None), p.id, username, notes,
                 "not connected" if fhir_base else "no API: visit the website", now_iso()))
        self.vault.audit("portal.add", person_id=p.id, detail={"portal": name})
        return self.account(name)

    def remove(self, name: str) -> None:
        a = self.account(name)
        if a.person_id:
            require_manage(self.vault, a.person_id, "remove portals")
            self._save_tokens(a, None)
        with self.vault.household.transaction() as conn:
            conn.execute("DELETE FROM portal_accounts WHERE id=?", (a.id,))
        self.vault.audit("portal.remove", person_id=a.person_id, detail={"portal": name})

    def mark_checked(self, name: str) -> None:
        a = self.account(name)
        with self.vault.household.transaction() as conn:
            conn.execute("UPDATE portal_accounts SET last_checked=? WHERE id=?", (now_iso(), a.id))

    def _set(self, a: PortalAccount, **cols: Any) -> None:
        sets = ", ".join(f"{k}=?" for k in cols)
        with self.vault.household.transaction() as conn:
            conn.execute(f"UPDATE portal_accounts SET {sets} WHERE id=?", (*cols.values(), a.id))

    # ------------------------------------------------------------------ tokens (in the person's database)
    def _token_key(self, a: PortalAccount) -> str:
        return f"portal:{a.id}"

    def _save_tokens(self, a: PortalAccount, payload: dict[str, Any] | None) -> None:
        assert a.person_id
        db = self.vault.person_db(a.person_id)
        with db.transaction() as conn:
            if payload is None:
                conn.execute("DELETE FROM meta WHERE key=?", (self._token_key(a),))
            else:
                conn.execute("INSERT OR REPLACE INTO meta(key,value) VALUES (?,?)",
                             (self._token_key(a), json.dumps(payload)))

    def _load_tokens(self, a: PortalAccount) -> tuple[SmartConfiguration, TokenSet]:
        assert a.person_id
        row = self.vault.person_db(a.person_id).one("SELECT value FROM meta WHERE key=?", (self._token_key(a),))
        if not row:
            raise NeedsSignIn(a.fhir_base or a.name, "this portal is not connected yet: connect it first")
        d = json.loads(row[0])
        return SmartConfiguration.from_dict(d["config"]), TokenSet.from_dict(d["tokens"])

    # ------------------------------------------------------------------ connect and sync
    def connect(self, name: str, opener: BrowserOpener, timeout: float = 300.0,
                cancel: threading.Event | None = None) -> PortalAccount:
        """Discovery, then the browser sign-in (PKCE, loopback redirect); tokens saved encrypted."""
        a = self.account(name)
        if not a.fhir_base or not a.person_id:
            raise InvalidInput(f"{name} has no FHIR base URL: it cannot be connected, only visited.")
        require_manage(self.vault, a.person_id, "connect portals")
        config = discover(a.fhir_base)
        tokens = sign_in(config, a.client_id or DEFAULT_CLIENT_ID, opener, timeout=timeout, cancel=cancel)
        self._save_tokens(a, {"config": config.to_dict(), "tokens": tokens.to_dict()})
        self._set(a, status="connected", patient_id=tokens.patient)
        self.vault.audit("portal.connect", person_id=a.person_id, detail={"portal": name})
        return self.account(name)

    def sync(self, name: str, progress: Callable[[SyncProgress], None] | None = None,
             cancel: threading.Event | None = None, retry: RetryPolicy | None = None,
             page_size: int = 1000) -> SyncOutcome:
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
            with FhirClient(config, tokens, a.client_id or DEFAULT_CLIENT_ID, on_tokens=save, retry=retry,
                            cancel=cancel) as client:
                result = sync_patient(client, patient, a.high_water, sink, progress, cancel, page_size=page_size)
        except NeedsSignIn:
            self._set(a, status="needs sign-in again")
            self.vault.audit("portal.sync", person_id=a.person_id, detail={"portal": name, "status": "needs sign-in"})
            raise
        except PortalUnavailable as e:
            self._set(a, status=f"unavailable: {str(e)[:120]}")
            raise
        out.pages, out.errors, out.seconds = result.pages, result.errors, result.seconds
        out.status = "ok" if not result.errors else "ok, with problems"
        self._set(a, status=out.status, last_sync=now_iso(), high_water=result.high_water_mark or a.high_water)
        self.vault.audit("portal.sync", person_id=a.person_id, detail={
            "portal": name, "added": sum(out.added.values()), "updated": out.updated, "fetched": out.fetched,
            "incremental": bool(a.high_water)})
        return out
