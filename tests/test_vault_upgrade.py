"""Vaults written before the owner-signed roster (vault.json version 1) open and are upgraded.

tests/fixtures/vaults/v1 was written by the last release with header version 1 (see make_v1.py there):
household schema 3, person schema 5, an HMAC audit log, portal tokens as plain JSON.  Schema versions of
the databases are covered one by one in test_migrations.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, PASSPHRASE
from factories import one_of_each, write_items

from medrecords_desktop.errors import AccessDenied
from medrecords_desktop.services import access
from medrecords_desktop.services.portals import PortalService
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.header import Header
from medrecords_desktop.vault.schema import HOUSEHOLD, PERSON
from medrecords_desktop.vault.vault import Vault
from tests.attacks.harness import ProxyHarness, _connect

SAM, RITA = "sibling passphrase 42", "cousin passphrase 77"


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    dest = tmp_path / "v1"
    shutil.copytree(FIXTURES / "vaults" / "v1", dest)
    assert json.loads((dest / "vault.json").read_text())["version"] == 1
    return dest


def test_a_proxy_first_only_reads_until_the_owner_upgrades(v1: Path) -> None:
    with Vault.open(v1, SAM) as v:
        assert not v.is_owner() and any("earlier version" in w for w in v.warnings)
        assert [p.name for p in v.persons()] == ["Alice Example"]
        assert RecordService(v).stats()["Alice Example"]
        with pytest.raises(AccessDenied):
            access.add_user(v, "Mallory", "mallory passphrase 1")
    assert not Header.read(v1).roster


def test_the_owner_upgrades_and_everything_still_works(v1: Path) -> None:
    with Vault.open(v1, PASSPHRASE) as v:
        assert v.is_owner() and v.roster is not None and not v.warnings, v.warnings
        assert v.household.pragma("user_version") == len(HOUSEHOLD)
        assert all(db.pragma("user_version") == len(PERSON) for db in v.open_person_dbs().values())
        assert {u.name: u.grants for u in access.list_users(v)} == {
            "Pat Owner": {"Alice Example": "owner", "Bobby Example": "owner"},
            "Sam": {"Alice Example": "view"},
            "Rita": {"Bobby Example": "manage"},
        }
        assert v.verify().ok
        upgrade = v.audit_entries(action="vault.upgrade")
        assert len(upgrade) == 1 and upgrade[0].detail["legacy_audit_head"]
        legacy_actions = {r[0] for r in v.household.query("SELECT action FROM audit WHERE sig IS NULL")}
        assert {"grant", "user.add", "import"} <= legacy_actions  # kept, still HMAC-checked
    assert Header.read(v1).roster
    # the plain-JSON portal tokens are now sealed to Alice's managers (the owner only)
    sam = ProxyHarness(v1, SAM)
    alice = next(
        p for p in Header.read(v1).persons if sam.opens(f"persons/{p}.db", sam.keys().get(f"person:{p}", b"\0" * 32))
    )
    conn = _connect(v1 / "persons" / f"{alice}.db", sam.keys()[f"person:{alice}"])
    assert conn is not None
    (value,) = conn.execute("SELECT value FROM meta WHERE key LIKE 'portal:%'").fetchone()
    conn.close()
    assert "RT-legacy" not in value
    # the portal account moved out of household.db into Alice's database: Rita (Bobby only) cannot read it
    rita = ProxyHarness(v1, RITA)
    conn = rita.household()
    assert conn.execute("SELECT count(*) FROM portal_accounts").fetchone()[0] == 0
    conn.close()
    assert not ProxyHarness(v1, RITA).reads_person(alice)
    with Vault.open(v1, SAM) as v:  # the proxy pins the owner's key and their own signing key
        assert not v.warnings and v.roster is not None and not v.is_owner()
        assert not Header.read(v1).user(v.user.id).inbox
        v.audit("item.view", person_id=alice)
    with Vault.open(v1, RITA) as v:
        write_items(v, v.persons()[0].id, one_of_each("by-rita", day="2026-09-09"))
    with Vault.open(v1, PASSPHRASE) as v:
        assert not v.warnings, v.warnings
        assert PortalService(v)._load_tokens(PortalService(v).account("Clinic"))[1].refresh_token == "RT-legacy"
        access.revoke(v, "Sam", "Alice Example")
        access.remove_user(v, "Rita")
        assert v.verify().ok
    with Vault.open(v1, SAM) as v:
        assert v.persons() == []


def test_a_legacy_entry_changed_after_the_upgrade_is_named(v1: Path) -> None:
    Vault.open(v1, PASSPHRASE).close()
    sam = ProxyHarness(v1, SAM)
    conn = sam.household()
    first = conn.execute("SELECT min(id) FROM audit WHERE action='grant'").fetchone()[0]
    conn.execute("UPDATE audit SET detail='{}' WHERE id=?", (first,))
    conn.close()
    with Vault.open(v1, PASSPHRASE) as v:
        assert any(f"entry {first}" in w for w in v.warnings), v.warnings
