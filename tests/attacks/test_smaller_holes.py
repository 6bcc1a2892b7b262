"""The six smaller holes of issue 16, each shown closed with the real vault, services and files."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from conftest import PASSPHRASE
from factories import one_of_each, write_items

from medrecords_desktop.errors import AccessDenied, MedRecordsError, NotFound, VaultDamaged
from medrecords_desktop.portals.errors import NeedsSignIn
from medrecords_desktop.services import access
from medrecords_desktop.services.demo import DEMO_PASSPHRASE, create_demo_vault
from medrecords_desktop.services.editing import EditingService
from medrecords_desktop.services.missing import MissingService
from medrecords_desktop.services.portals import PortalService
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.crypto import KdfParams, fast_test_kdf
from medrecords_desktop.vault.header import Header
from medrecords_desktop.vault.vault import STANDARD_MEMORY_KIB, Vault

from .conftest import SAM_PW
from .harness import ProxyHarness, _connect

TODAY = date(2026, 11, 1)


# --------------------------------------------------------------------------- view-only checks
@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("demo") / "vault"
    v = create_demo_vault(path, today=TODAY, kdf=fast_test_kdf())
    enc, _ = next(
        (e, n) for e, n in RecordService(v).encounters(person="David Garcia") if e.row.title == "Annual physical"
    )
    avs = next(e for e in RecordService(v).encounter_detail(enc.id).items if e.row.title == "After-visit summary")
    EditingService(v).delete(avs.id)
    svc = MissingService(v)
    later = date.fromisoformat(enc.row.date[:10]) + timedelta(days=30)
    (over,) = svc.expectations("David Garcia", today=later)
    svc.request_records(over)
    svc.mark(enc.id, "avs", "received-on-paper")
    access.add_user(v, "Sam", SAM_PW)
    access.grant(v, "Sam", "David Garcia", "view")
    v.close()
    return path


def test_view_only_proxy_cannot_clear_marks_write_letters_or_set_request_status(demo_template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "v"
    shutil.copytree(demo_template, path, ignore=shutil.ignore_patterns("vault.lock"))
    with Vault.open(path, SAM_PW) as v:
        svc = MissingService(v)
        enc, _ = next(
            (e, n) for e, n in RecordService(v).encounters(person="David Garcia") if e.row.title == "Annual physical"
        )
        later = date.fromisoformat(enc.row.date[:10]) + timedelta(days=30)
        marked = [e for e in svc.expectations("David Garcia", today=later, include_met=True) if e.rule_id == "avs"]
        with pytest.raises(AccessDenied, match="view-only"):
            svc.unmark(enc.id, "avs")
        with pytest.raises(AccessDenied, match="view-only"):
            svc.request_records(marked[0], tmp_path / "letter.pdf")
        assert not (tmp_path / "letter.pdf").exists()  # no unencrypted letter
        (req,) = svc.requests()
        with pytest.raises(AccessDenied, match="view-only"):
            svc.update_request(req.id, "received")
        assert svc.requests()[0].status == "drafted"
        # a request of someone this proxy cannot see does not exist for them
        other = 10_000
        with v.household.transaction() as c:
            c.execute(
                "INSERT INTO record_requests(id,person_id,provider,what,asked_on,status,created)"
                " SELECT ?, id, 'x', 'y', '2026-01-01', 'asked', 'x' FROM persons WHERE name!='David Garcia'"
                " LIMIT 1",
                (other,),
            )
        with pytest.raises(NotFound):
            svc.update_request(other, "received")
        refused = [e for e in v.audit_entries(action="refused")]
        assert len(refused) == 3  # each refusal is in the audit log (David's chain)
    with Vault.open(path, DEMO_PASSPHRASE) as v:  # and the owner reads them there, signed by Sam
        refused = v.audit_entries(action="refused")
        assert {e.detail["what"] for e in refused} == {"clear marks", "request records", "update records requests"}
        assert not [w for w in v.warnings if "audit" in w]


# --------------------------------------------------------------------------- portal tokens
class _Revocations(BaseHTTPRequestHandler):
    got: list[dict[str, list[str]]] = []

    def do_POST(self) -> None:  # noqa: N802
        n = int(self.headers.get("Content-Length") or 0)
        type(self).got.append(parse_qs(self.rfile.read(n).decode()))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a: object) -> None:
        pass


@pytest.fixture
def revocation_server():  # type: ignore[no-untyped-def]
    _Revocations.got = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Revocations)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/revoke", _Revocations.got
    srv.shutdown()
    srv.server_close()


def _connected_portal(v: Vault, name: str, person: str, revoke_url: str | None) -> None:
    svc = PortalService(v)
    a = svc.add(name, person, fhir_base="http://127.0.0.1:9/fhir")
    config = {
        "fhir_base": "http://127.0.0.1:9/fhir",
        "authorization_endpoint": "http://127.0.0.1:9/auth",
        "token_endpoint": "http://127.0.0.1:9/token",
        "revocation_endpoint": revoke_url,
    }
    svc._save_tokens(
        a, {"config": config, "tokens": {"access_token": f"AT-{name}", "refresh_token": f"RT-{name}", "patient": "p1"}}
    )


def test_view_only_proxy_cannot_read_portal_tokens_but_a_manager_can(family) -> None:  # type: ignore[no-untyped-def]
    path, alice, *_ = family
    with Vault.open(path, PASSPHRASE) as v:
        _connected_portal(v, "Clinic", "Alice Example", None)
        access.add_user(v, "Max", "manager passphrase 9")
        access.grant(v, "Max", "Alice Example", "manage")
    sam = ProxyHarness(path, SAM_PW)
    conn = _connect(path / "persons" / f"{alice}.db", sam.keys()[f"person:{alice}"])
    assert conn is not None
    values = " ".join(r[0] for r in conn.execute("SELECT value FROM meta WHERE key LIKE 'portal:%'"))
    conn.close()
    assert values and "RT-Clinic" not in values and "AT-Clinic" not in values
    with Vault.open(path, SAM_PW) as v:
        svc = PortalService(v)
        with pytest.raises(NeedsSignIn):
            svc._load_tokens(svc.account("Clinic"))
    with Vault.open(path, "manager passphrase 9") as v:  # granted later: resealed to them
        svc = PortalService(v)
        assert svc._load_tokens(svc.account("Clinic"))[1].refresh_token == "RT-Clinic"


def test_portal_remove_and_revoke_revoke_tokens_at_the_portal(family, revocation_server) -> None:  # type: ignore[no-untyped-def]
    path, *_ = family
    url, got = revocation_server
    with Vault.open(path, PASSPHRASE) as v:
        _connected_portal(v, "Clinic", "Alice Example", url)
        _connected_portal(v, "Lab", "Alice Example", url)
        PortalService(v).remove("Clinic")
        assert [g["token"] for g in got] == [["RT-Clinic"], ["AT-Clinic"]]
        assert got[0]["token_type_hint"] == ["refresh_token"]
        access.revoke(v, "Sam", "Alice Example")
        assert [g["token"][0] for g in got[2:]] == ["RT-Lab", "AT-Lab"]
        lab = PortalService(v).account("Lab")
        assert lab.status.startswith("not connected")
        with pytest.raises(NeedsSignIn):
            PortalService(v)._load_tokens(lab)
        (entry,) = v.audit_entries(action="revoke")
        assert entry.detail["portal_sign_ins"] == {"Lab": "revoked"}


# --------------------------------------------------------------------------- key derivation
@pytest.mark.slow  # a real vault: Argon2id with 256 MiB, several times (about 10 s here)
def test_new_keyslots_never_copy_weak_kdf_settings_from_vault_json(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "real"
    v, _ = Vault.create(path, PASSPHRASE)  # a real vault: standard parameters
    access.add_user(v, "Sam", SAM_PW)
    v.close()
    # the proxy puts an entry with weak settings first in vault.json
    h = json.loads((path / "vault.json").read_text())
    sam = next(u for u in h["users"] if u["id"] != Header.read(path).users[0].id)
    weak = KdfParams(salt=sam["slots"][0]["kdf"]["salt"], memory_kib=64 * 1024, iterations=1).to_json()
    for s in sam["slots"]:
        s["kdf"] = weak
    h["users"].remove(sam)
    h["users"].insert(0, sam)
    (path / "vault.json").write_text(json.dumps(h))
    monkeypatch.setenv("MEDRECORDS_TEST_FAST_KDF", "1")  # and the test switch is set on this computer
    with Vault.open(path, PASSPHRASE) as v:
        v.change_passphrase("a brand new owner passphrase")
        access.add_user(v, "Rita", "cousin passphrase 77")
    signed = json.loads(Header.read(path).roster["body"])["kdf"]
    assert signed["memory_kib"] >= STANDARD_MEMORY_KIB and signed["iterations"] >= 2 and not signed["test"]
    for u in Header.read(path).users:
        if u.id == sam["id"]:
            continue
        for s in u.slots:  # the owner's new passphrase slot and Rita's: the signed parameters
            assert {k: s.kdf[k] for k in ("memory_kib", "iterations", "lanes", "salt")} == {
                k: signed[k] for k in ("memory_kib", "iterations", "lanes", "salt")
            }, s.kdf


def test_test_kdf_is_signed_into_the_roster_and_cannot_be_switched_on(family) -> None:  # type: ignore[no-untyped-def]
    path, *_ = family
    h = json.loads((path / "vault.json").read_text())
    body = json.loads(h["roster"]["body"])
    assert body["kdf"]["test"] is True  # the fixtures' vault was made with the fast test KDF
    body["kdf"]["memory_kib"] = 8  # a proxy edits it
    h["roster"]["body"] = json.dumps(body, sort_keys=True, separators=(",", ":"))
    (path / "vault.json").write_text(json.dumps(h))
    with Vault.open(path, PASSPHRASE) as v:
        assert v.roster is None and any("roster" in w for w in v.warnings)
        with pytest.raises(AccessDenied):
            access.grant(v, "Sam", "Bobby Example", "view")
        assert v.slot_kdf().memory_kib >= STANDARD_MEMORY_KIB  # nothing weak from an unverified roster


# --------------------------------------------------------------------------- ids from vault.json
def test_crafted_pending_rotation_deletes_nothing_outside_the_vault(family, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, *_ = family
    victim = path.parent / "victim.rotating.db"
    victim.write_text("precious")
    h = json.loads((path / "vault.json").read_text())
    h["pending"] = {"person": "../../victim", "stage": "started"}  # outside the vault folder
    (path / "vault.json").write_text(json.dumps(h))
    for pw in ("not the passphrase", PASSPHRASE):
        with pytest.raises(MedRecordsError):
            Vault.open(path, pw)
        assert victim.read_text() == "precious"
    h["pending"] = {}
    h["persons"].append("../../etc")
    (path / "vault.json").write_text(json.dumps(h))
    with pytest.raises(VaultDamaged, match="not a valid id"):
        Vault.open(path, PASSPHRASE)


def test_pending_rotation_is_only_acted_on_after_the_passphrase(family) -> None:  # type: ignore[no-untyped-def]
    path, alice, *_ = family
    rotating = path / "persons" / f"{alice}.rotating.db"
    rotating.write_text("left by an interrupted rotation")
    h = json.loads((path / "vault.json").read_text())
    h["pending"] = {"person": alice, "stage": "started"}
    (path / "vault.json").write_text(json.dumps(h))
    from medrecords_desktop.errors import WrongPassphrase

    with pytest.raises(WrongPassphrase):
        Vault.open(path, "not the passphrase")
    assert rotating.exists()
    with Vault.open(path, PASSPHRASE):
        assert not rotating.exists()


# --------------------------------------------------------------------------- restore
def test_restore_only_reads_the_backup(vault, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_items(vault, vault.persons()[0].id, one_of_each("bk"))
    vault.backup(tmp_path / "bk")
    vault.close()

    def snapshot() -> dict[str, str]:
        return {
            str(p.relative_to(tmp_path / "bk")): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((tmp_path / "bk").rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    Vault.restore(tmp_path / "bk", tmp_path / "restored", PASSPHRASE)
    assert snapshot() == before
    with Vault.open(tmp_path / "restored", PASSPHRASE) as v:
        assert len(v.audit_entries(action="vault.restore")) == 1
        assert not v.warnings


# --------------------------------------------------------------------------- the audit a proxy reads
def test_proxy_audit_and_household_database_hold_nothing_about_people_not_granted(family) -> None:  # type: ignore[no-untyped-def]
    path, _alice, bobby, *_ = family
    with Vault.open(path, PASSPHRASE) as v:
        write_items(v, bobby, one_of_each("bobby2", day="2026-08-01"), name="bobby-psychiatry-clinic.json")
        PortalService(v).add(
            "Bobby Psychiatry Portal",
            "Bobby Example",
            website="https://psych.example.org",
            username="bobby-portal-user",
            notes="bobby-portal-notes",
        )
        enc, _ = RecordService(v).encounters(person="Bobby Example")[0]
        from medrecords_desktop.services.missing import Expectation

        MissingService(v).request_records(
            Expectation(
                person_id=bobby,
                person="Bobby Example",
                encounter_id=enc.id,
                encounter_date="2026-04-12",
                encounter_title="Visit",
                provider="bobby-provider-clinic",
                rule_id="avs",
                label="After-visit summary",
                status="overdue",
                due="2026-05-01",
            )
        )
    with Vault.open(path, SAM_PW) as v:
        assert PortalService(v).accounts() == [] and MissingService(v).requests() == []
        entries = v.audit_entries(limit=10_000)
        assert entries and not [e for e in entries if e.person_id == bobby]
        assert "bobby-psychiatry-clinic" not in json.dumps([e.detail for e in entries])
    sam = ProxyHarness(path, SAM_PW)
    conn = sam.household()
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    dump = "\n".join(repr(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
    audit_rows = conn.execute("SELECT * FROM audit").fetchall()
    conn.close()
    for secret in (
        "bobby-psychiatry-clinic",
        "Bobby Psychiatry Portal",
        "bobby-portal-user",
        "bobby-portal-notes",
        "bobby-provider-clinic",
    ):
        assert secret not in dump, secret
    assert audit_rows and not [r for r in audit_rows if bobby in repr(r)]
