"""One test per attack of issue 16, each run with nothing but the files and a proxy's passphrase
(or no passphrase at all).  Each passes only when the attack is refused, or when every other user is
told on their next unlock, with no key, role or reading gained."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from factories import one_of_each, write_items

from medrecords_desktop.errors import AccessDenied
from medrecords_desktop.services import access
from medrecords_desktop.vault.crypto import subkey
from medrecords_desktop.vault.vault import Vault

from .conftest import RITA_PW, SAM_PW
from .harness import OutsiderHarness, ProxyHarness


def _warnings(v: Vault) -> list[str]:
    return list(getattr(v, "warnings", []))


# --------------------------------------------------------------------------- 1. keys never granted
def test_planted_key_name_in_own_entry_gains_nothing_on_an_unrelated_revoke(family) -> None:  # type: ignore[no-untyped-def]
    path, _alice, bobby, _sam, _rita = family
    sam = ProxyHarness(path, SAM_PW)
    assert not sam.reads_person(bobby)
    sam.plant_key_name(f"person:{bobby}")
    with Vault.open(path, PASSPHRASE) as v:
        access.revoke(v, "Rita", "Bobby Example")  # the owner's next, unrelated revoke
    assert not sam.reads_person(bobby), "the revoke sealed Bobby's new key to Sam"


def test_swapped_public_key_gains_nothing_on_the_next_grant(family) -> None:  # type: ignore[no-untyped-def]
    path, _alice, _bobby, _sam, rita = family
    with Vault.open(path, PASSPHRASE) as v:
        carol = v.add_person("Carol Example", "2018-02-03").id
        write_items(v, carol, one_of_each("carol1"))
    sam = ProxyHarness(path, SAM_PW)
    sam.swap_public_key(rita)
    with Vault.open(path, PASSPHRASE) as v:
        assert any("public key" in w for w in _warnings(v)), _warnings(v)
        try:
            access.grant(v, "Rita", "Carol Example", "view")
        except AccessDenied:
            pass  # refused is a fine answer too
    assert not sam.reads_person(carol), "the grant to Rita was sealed to Sam's key"
    assert ProxyHarness(path, RITA_PW).reads_person(carol)  # sealed to Rita's real key


def test_outsider_planted_user_entry_receives_no_key(family) -> None:  # type: ignore[no-untyped-def]
    path, alice, _bobby, _sam, _rita = family
    out = OutsiderHarness(path)
    uid, private = out.plant_user([f"person:{alice}", "household"])
    with Vault.open(path, PASSPHRASE) as v:
        access.revoke(v, "Sam", "Alice Example")
        access.remove_user(v, "Sam")
        got = out.keys_for(uid, private)
        assert not got, f"the planted entry received {sorted(got)}"
    with Vault.open(path, PASSPHRASE) as v:
        assert any("not in the signed roster" in w for w in _warnings(v)), _warnings(v)


# --------------------------------------------------------------------------- 2. a revoke that does nothing
def _delete_own_grants(sam: ProxyHarness) -> None:
    conn = sam.household()
    try:
        conn.execute("DELETE FROM grants WHERE user_id=?", (sam.uid,))
    finally:
        conn.close()


def test_deleted_own_grant_row_revoke_still_rotates(family) -> None:  # type: ignore[no-untyped-def]
    path, alice, *_ = family
    sam = ProxyHarness(path, SAM_PW)
    saved = sam.keys()[f"person:{alice}"]
    _delete_own_grants(sam)
    with Vault.open(path, PASSPHRASE) as v:
        access.revoke(v, "Sam", "Alice Example")
        write_items(v, alice, one_of_each("after-revoke", day="2026-07-01"))
    assert not sam.reads_person(alice, [saved]), "Sam's saved key still reads Alice after the revoke"


def test_deleted_own_grant_row_user_remove_still_rotates(family) -> None:  # type: ignore[no-untyped-def]
    path, alice, *_ = family
    sam = ProxyHarness(path, SAM_PW)
    saved = sam.keys()[f"person:{alice}"]
    _delete_own_grants(sam)
    with Vault.open(path, PASSPHRASE) as v:
        access.remove_user(v, "Sam")
        write_items(v, alice, one_of_each("after-remove", day="2026-07-01"))
    assert not sam.reads_person(alice, [saved]), "Sam's saved key still reads Alice after his removal"


# --------------------------------------------------------------------------- 3. self-promotion
def test_self_promotion_in_the_household_database_gives_no_role(family, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, alice, *_ = family
    sam = ProxyHarness(path, SAM_PW)
    conn = sam.household()
    try:
        conn.execute("UPDATE users SET role='owner' WHERE id=?", (sam.uid,))
        for table in [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]:
            if table == "roster_names":
                conn.execute("UPDATE roster_names SET role='owner' WHERE user_id=?", (sam.uid,))
    finally:
        conn.close()
    with Vault.open(path, SAM_PW) as v:
        assert not v.is_owner()
        from medrecords_desktop.services.exporting import ExportService

        with pytest.raises(AccessDenied):
            ExportService(v).labs_csv("Alice Example", tmp_path / "labs.csv")
        with pytest.raises(AccessDenied):
            access.remove_user(v, "Pat Owner")
        with pytest.raises(AccessDenied):
            access.grant(v, "Sam", "Alice Example", "manage")
    assert not (tmp_path / "labs.csv").exists()


# --------------------------------------------------------------------------- 4. a rewritable history
def _rewrite_audit(conn, owner_uid: str, sam_uid: str, hh_key: bytes | None) -> None:  # type: ignore[no-untyped-def]
    """Delete Sam's entries and add an export blamed on the owner, re-chaining whatever the proxy can."""
    cols = [r[1] for r in conn.execute("PRAGMA table_info(audit)")]
    conn.execute("DELETE FROM audit WHERE user_id=?", (sam_uid,))
    last = conn.execute(
        f"SELECT {','.join(cols)} FROM audit WHERE user_id=? ORDER BY id DESC LIMIT 1", (owner_uid,)
    ).fetchone()
    if last is None:
        return
    row = dict(zip(cols, last, strict=True))
    row["id"] = conn.execute("SELECT max(id) FROM audit").fetchone()[0] + 1
    row["action"] = "export.packet"
    row["detail"] = json.dumps({"file": "everything.pdf"})
    conn.execute(f"INSERT INTO audit({','.join(row)}) VALUES ({','.join('?' * len(row))})", tuple(row.values()))
    if hh_key is not None and "mac" in cols:  # today's HMAC chain: the key comes from the household key
        key = subkey(hh_key, "audit")
        prev = b"\x00" * 32
        renum = 0
        for r in conn.execute("SELECT id,ts,user_id,action,person_id,item_id,detail FROM audit ORDER BY id").fetchall():
            renum += 1
            canon = json.dumps([r[1], r[2], r[3], r[4], r[5], r[6]], separators=(",", ":")).encode()
            mac = hmac.new(key, prev + canon, hashlib.sha256).digest()
            conn.execute("UPDATE audit SET id=?, mac=? WHERE id=?", (-renum, mac, r[0]))
            prev = mac
        conn.execute("UPDATE audit SET id=-id")
        conn.execute("INSERT OR REPLACE INTO meta(key,value) VALUES ('audit_head', ?)", (f"{renum}:{prev.hex()}",))


def test_rewritten_audit_is_named_on_the_next_unlock(family) -> None:  # type: ignore[no-untyped-def]
    path, alice, _bobby, sam_uid, _rita = family
    with Vault.open(path, SAM_PW) as v:  # Sam leaves some traces of his own
        v.audit("view.item", person_id=alice, item_id=f"{alice}.1")
        v.audit("view.item", person_id=None)
        owner_uid = next(u.id for u in access.list_users(v) if u.role == "owner")
    sam = ProxyHarness(path, SAM_PW)
    keys = sam.keys()
    for rel, key in [("household.db", keys["household"]), (f"persons/{alice}.db", keys[f"person:{alice}"])]:
        from .harness import _connect

        conn = _connect(path / rel, key)
        assert conn is not None
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name='audit'").fetchone():
                _rewrite_audit(conn, owner_uid, sam_uid, key if rel == "household.db" else None)
        finally:
            conn.close()
    with Vault.open(path, PASSPHRASE) as v:
        told = [w for w in _warnings(v) if "audit" in w] or ([str(v.audit_problem)] if v.audit_problem else [])
        assert told, "the owner was not told that the audit log was rewritten"
        assert any("entry" in w for w in told)


def test_rolled_back_household_database_is_noticed(family, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, *_ = family
    out = OutsiderHarness(path)
    with Vault.open(path, PASSPHRASE):
        pass  # this device has seen the vault as it is now
    out.copy_files(tmp_path / "old", "household.db")
    with Vault.open(path, PASSPHRASE) as v:
        access.grant(v, "Rita", "Alice Example", "view")
    out.put_back(tmp_path / "old", "household.db")
    with Vault.open(path, PASSPHRASE) as v:
        assert any("older" in w or "rolled back" in w for w in _warnings(v)), _warnings(v)


def test_rolled_back_whole_folder_is_noticed(family, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, *_ = family
    out = OutsiderHarness(path)
    with Vault.open(path, PASSPHRASE):
        pass
    out.copy_files(tmp_path / "old", "vault.json", "household.db", "persons")
    with Vault.open(path, PASSPHRASE) as v:
        access.revoke(v, "Rita", "Bobby Example")
    out.put_back(tmp_path / "old", "vault.json", "household.db", "persons")
    with Vault.open(path, PASSPHRASE) as v:
        assert any("older" in w or "rolled back" in w for w in _warnings(v)), _warnings(v)


def test_rita_still_reads_her_own_person(family) -> None:  # type: ignore[no-untyped-def]
    """The control: the harness does read what a proxy was given."""
    path, alice, bobby, *_ = family
    assert ProxyHarness(path, RITA_PW).reads_person(bobby)
    assert ProxyHarness(path, SAM_PW).reads_person(alice)


def test_taking_another_users_name_in_the_household_database_gains_no_grant(family) -> None:  # type: ignore[no-untyped-def]
    path, _alice, _bobby, _sam, rita = family
    with Vault.open(path, PASSPHRASE) as v:
        carol = v.add_person("Carol Example", "2018-02-03").id
    sam = ProxyHarness(path, SAM_PW)
    conn = sam.household()
    try:
        conn.execute("UPDATE users SET name='Rita (old)' WHERE id=?", (rita,))
        conn.execute("UPDATE users SET name='Rita' WHERE id=?", (sam.uid,))
    finally:
        conn.close()
    with Vault.open(path, PASSPHRASE) as v:
        assert {u.name for u in access.list_users(v)} == {"Pat Owner", "Sam", "Rita"}
        access.grant(v, "Rita", "Carol Example", "view")  # meant for Rita
    assert not sam.reads_person(carol)
    assert ProxyHarness(path, RITA_PW).reads_person(carol)


def test_owner_repairs_the_header_and_everyone_reads_that_it_happened(family) -> None:  # type: ignore[no-untyped-def]
    """After the warnings: the owner drops what the roster does not list; the audit says so to all."""
    path, alice, bobby, _sam, rita = family
    sam = ProxyHarness(path, SAM_PW)
    sam.plant_key_name(f"person:{bobby}")
    sam.swap_public_key(rita)
    OutsiderHarness(path).plant_user(["household"])
    with Vault.open(path, PASSPHRASE) as v:
        assert len(_warnings(v)) == 3, _warnings(v)
        fixed = v.repair_header()
        assert len(fixed) == 3 and not _warnings(v)
    with Vault.open(path, PASSPHRASE) as v:
        assert not _warnings(v)
    with Vault.open(path, RITA_PW) as v:  # Rita's keys were sealed again to her real key
        assert [p.name for p in v.persons()] == ["Bobby Example"]
        assert any(e.action == "vault.repair" for e in v.audit_entries())
    assert not sam.reads_person(bobby)
    with Vault.open(path, SAM_PW) as v:
        with pytest.raises(AccessDenied):
            v.repair_header()


def test_removing_the_roster_does_not_start_a_fresh_upgrade_from_household_db(family) -> None:  # type: ignore[no-untyped-def]
    """The upgrade of old vaults trusts household.db's roles and grants once; deleting the roster must not
    make the owner's next unlock trust them again."""
    path, _alice, bobby, *_ = family
    sam = ProxyHarness(path, SAM_PW)
    conn = sam.household()
    try:
        conn.execute(
            "INSERT OR REPLACE INTO grants(user_id,person_id,scope,created) VALUES (?,?,'manage','x')", (sam.uid, bobby)
        )
    finally:
        conn.close()
    h = sam.header()
    del h["roster"]
    sam.write_header(h)
    with Vault.open(path, PASSPHRASE) as v:
        assert v.roster is None and any("roster was removed" in w for w in _warnings(v)), _warnings(v)
        with pytest.raises(AccessDenied):
            access.revoke(v, "Rita", "Bobby Example")
    assert "roster" not in sam.header()
    with Vault.open(path, SAM_PW) as v:
        assert any("roster" in w for w in _warnings(v))
    assert not sam.reads_person(bobby)


def test_a_person_dropped_from_vault_json_is_still_backed_up_and_verified(family, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, _alice, bobby, *_ = family
    out = OutsiderHarness(path)
    h = out.header()
    h["persons"].remove(bobby)
    out.write_header(h)
    with Vault.open(path, PASSPHRASE) as v:
        report = v.verify()
        assert report.ok and report.databases == 3  # household + Alice + Bobby
        v.backup(tmp_path / "bk")
    assert (tmp_path / "bk" / "persons" / f"{bobby}.db").exists()


def test_swapping_two_peoples_names_in_the_household_database_gains_no_grant(family) -> None:  # type: ignore[no-untyped-def]
    """Sam may get Carol; he swaps Carol's and Dora's names so that the owner's grant would give him Dora."""
    path, *_ = family
    with Vault.open(path, PASSPHRASE) as v:
        carol = v.add_person("Carol Example", "2018-02-03").id
        dora = v.add_person("Dora Example", "1950-06-07").id
    sam = ProxyHarness(path, SAM_PW)
    conn = sam.household()
    try:
        conn.execute("UPDATE persons SET name='tmp' WHERE id=?", (carol,))
        conn.execute("UPDATE persons SET name='Carol Example' WHERE id=?", (dora,))
        conn.execute("UPDATE persons SET name='Dora Example' WHERE id=?", (carol,))
    finally:
        conn.close()
    with Vault.open(path, PASSPHRASE) as v:
        assert sum("changed outside the app" in w for w in _warnings(v)) == 2, _warnings(v)
        with pytest.raises(AccessDenied, match="signed roster"):
            access.grant(v, "Sam", "Carol Example", "view")
        v.set_person_name(dora, "Dora Example")  # the owner puts it right in the app
        v.set_person_name(carol, "Carol Example")
        access.grant(v, "Sam", "Carol Example", "view")
    assert not sam.reads_person(dora) and sam.reads_person(carol)
