"""The app's Syncthing REST client against real Syncthing instances on 127.0.0.1 (tests/syncthing_harness.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from medrecords_desktop.replica.syncthing import (
    Endpoint,
    SyncthingClient,
    SyncthingError,
    config_candidates,
    discover,
    folder_id_for,
    read_config,
)
from tests.syncthing_harness import Cluster, free_port, tree, wait_until


def _client(peer) -> SyncthingClient:
    return SyncthingClient(read_config(peer.config_xml))


# --------------------------------------------------------------------------- finding Syncthing
def test_config_places_per_platform(tmp_path: Path) -> None:
    linux = config_candidates({"HOME": "/home/ana"}, "linux")
    assert linux[:2] == [
        Path("/home/ana/.local/state/syncthing/config.xml"),
        Path("/home/ana/.config/syncthing/config.xml"),
    ]
    xdg = config_candidates({"HOME": "/home/ana", "XDG_CONFIG_HOME": "/x/cfg", "XDG_STATE_HOME": "/x/st"}, "linux")
    assert xdg[:2] == [Path("/x/st/syncthing/config.xml"), Path("/x/cfg/syncthing/config.xml")]
    mac = config_candidates({"HOME": "/Users/ana"}, "darwin")
    assert mac == [Path("/Users/ana/Library/Application Support/Syncthing/config.xml")]
    win = config_candidates({"USERPROFILE": "C:/Users/ana", "LOCALAPPDATA": "C:/Users/ana/AppData/Local"}, "win32")
    assert win == [Path("C:/Users/ana/AppData/Local/Syncthing/config.xml")]
    given = config_candidates({"HOME": "/home/ana", "STHOMEDIR": str(tmp_path)}, "linux")
    assert given[0] == tmp_path / "config.xml"


def _config(tmp_path: Path, gui: str) -> Path:
    p = tmp_path / "config.xml"
    p.write_text(f'<?xml version="1.0"?>\n<configuration version="36">{gui}</configuration>')
    return p


def test_read_config_address_forms(tmp_path: Path) -> None:
    p = _config(tmp_path, '<gui enabled="true" tls="false"><address>0.0.0.0:8384</address><apikey>k1</apikey></gui>')
    ep = read_config(p)
    assert (ep.url, ep.api_key, ep.loopback) == ("http://127.0.0.1:8384", "k1", True)
    assert "k1" not in repr(ep)
    p = _config(tmp_path, '<gui enabled="true" tls="true"><address>localhost:9000</address><apikey>k</apikey></gui>')
    assert read_config(p).url == "https://localhost:9000"


@pytest.mark.parametrize(
    ("gui", "says"),
    [
        ('<gui enabled="false"><address>127.0.0.1:8384</address><apikey>k</apikey></gui>', "switched off"),
        ('<gui enabled="true"><address>127.0.0.1:8384</address></gui>', "no API key"),
        ('<gui enabled="true"><address>/run/st.sock</address><apikey>k</apikey></gui>', "Unix socket"),
        ("", "no <gui>"),
    ],
)
def test_read_config_refuses_what_it_cannot_use(tmp_path: Path, gui: str, says: str) -> None:
    with pytest.raises(SyncthingError, match=says) as e:
        read_config(_config(tmp_path, gui))
    assert str(tmp_path) in str(e.value)


def test_read_config_does_not_expand_entities(tmp_path: Path) -> None:
    """A config.xml someone planted cannot make the app read another file into the API key (XXE)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    p = tmp_path / "config.xml"
    p.write_text(
        f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<configuration><gui enabled="true"><address>127.0.0.1:1</address><apikey>&x;</apikey></gui></configuration>'
    )
    try:
        ep = read_config(p)
    except SyncthingError:
        return
    assert "TOPSECRET" not in ep.api_key


def test_endpoint_refuses_other_schemes() -> None:
    with pytest.raises(SyncthingError, match="not an http"):
        Endpoint("file:///etc/passwd", "k")
    with pytest.raises(SyncthingError, match="empty"):
        Endpoint("http://127.0.0.1:1", "")


def test_folder_id_is_stable_and_hides_the_vault_id() -> None:
    a = folder_id_for("0b6c9a8e-1111-2222-3333-444455556666")
    assert a == folder_id_for("0b6c9a8e-1111-2222-3333-444455556666")
    assert a != folder_id_for("0b6c9a8e-1111-2222-3333-444455556667")
    assert "0b6c9a8e" not in a and a.startswith("medrecords-")


def test_nothing_listening_is_an_error_not_a_hang(tmp_path: Path) -> None:
    client = SyncthingClient(Endpoint(f"http://127.0.0.1:{free_port()}", "secret-key-123"), timeout=2)
    assert client.ping() is False
    with pytest.raises(SyncthingError, match="not reachable") as e:
        client.folders()
    assert "secret-key-123" not in str(e.value)
    assert discover(config=_config(tmp_path, "<gui><address>127.0.0.1:1</address><apikey>k</apikey></gui>")) is None


# --------------------------------------------------------------------------- against real instances
@pytest.mark.slow
def test_discover_finds_the_running_instance(syncthing_cluster, tmp_path: Path) -> None:
    c: Cluster = syncthing_cluster(1, share=False)
    (a,) = c.peers
    found = discover(env={"STHOMEDIR": str(a.home), "HOME": str(tmp_path)})
    assert found is not None
    with found:
        assert found.my_id() == a.device_id
        assert found.version().startswith("v")
        assert found.endpoint.source == str(a.home / "config.xml")
    given = discover(url=a.url, api_key=a.api_key, env={"HOME": str(tmp_path)})
    assert given is not None and given.my_id() == a.device_id
    given.close()
    # A wrong key is no Syncthing of ours; nothing found in an empty home either.
    assert discover(url=a.url, api_key="wrong", env={"HOME": str(tmp_path)}) is None
    assert discover(env={"HOME": str(tmp_path)}) is None
    bad = SyncthingClient(Endpoint(a.url, "wrong-key-456"))
    with pytest.raises(SyncthingError, match="refused the API key") as e:
        bad.folders()
    assert "wrong-key-456" not in str(e.value)
    bad.close()


@pytest.mark.slow
def test_add_folder_share_accept_and_sync(syncthing_cluster) -> None:
    c: Cluster = syncthing_cluster(2, share=False)
    a, b = c.peers
    fid = folder_id_for("vault-1")
    shared_a = a.folder / "MedRecords shared"
    shared_a.mkdir()
    (shared_a / "medrecords-replica.json").write_text('{"format": 1}')
    with _client(a) as ca, _client(b) as cb:
        assert ca.folders() == [] and cb.folders() == []
        assert {d.id for d in ca.devices()} == {a.device_id, b.device_id}
        folder = ca.add_folder(shared_a, fid, share_with=[b.device_id])
        assert (folder.id, folder.label, Path(folder.path)) == (fid, "MedRecords", shared_a.resolve())
        assert set(folder.devices) == {a.device_id, b.device_id}
        # Idempotent: the same path again (spelled differently) changes nothing.
        again = ca.add_folder(a.folder / "." / "MedRecords shared", "other-id", share_with=[b.device_id])
        assert again == folder and len(ca.folders()) == 1
        # b is offered the folder by a, accepts it at its own path, and the file arrives.
        wait_until(lambda: any(p.id == fid for p in cb.pending_folders()), 30, "b offered the folder")
        pending = next(p for p in cb.pending_folders() if p.id == fid)
        assert pending.offered_by == (a.device_id,) and pending.label == "MedRecords"
        shared_b = b.folder / "vault share"
        got = cb.accept(pending, shared_b)
        assert got.id == fid and set(got.devices) == {a.device_id, b.device_id}
        assert cb.pending_folders() == []

        def arrived() -> bool:
            ca.scan(fid)
            cb.scan(fid)
            return tree(shared_b) == tree(shared_a) != {} and cb.folder_state(fid).in_sync

        wait_until(arrived, 60, "the file on b")
        assert ca.completion(fid, device=b.device_id) == 100.0
        assert cb.completion(fid) == 100.0
        st = cb.folder_state(fid)
        assert st.local_files == st.global_files == 1 and st.need_items == 0

        # A new segment written on b goes out when b scans (no waiting for the interval).
        (shared_b / "seg-b-000001").write_bytes(os.urandom(2048))
        t0 = time.monotonic()
        wait_until(arrived, 60, "b's segment on a")
        assert time.monotonic() - t0 < 30
        assert (shared_a / "seg-b-000001").read_bytes() == (shared_b / "seg-b-000001").read_bytes()


@pytest.mark.slow
def test_add_folder_adds_unknown_devices_and_refuses_clashes(syncthing_cluster, tmp_path: Path) -> None:
    c: Cluster = syncthing_cluster(1, share=False)
    (a,) = c.peers
    stranger = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD"
    with _client(a) as ca:
        d1 = a.folder / "one"
        d1.mkdir()
        f = ca.add_folder(d1, "medrecords-x", share_with=[stranger])
        assert stranger in f.devices and stranger in {d.id for d in ca.devices()}
        d2 = a.folder / "two"
        d2.mkdir()
        with pytest.raises(SyncthingError, match="already keeps folder medrecords-x"):
            ca.add_folder(d2, "medrecords-x")
        with pytest.raises(SyncthingError, match="does not exist"):
            ca.add_folder(tmp_path / "nowhere", "medrecords-y")
        with pytest.raises(SyncthingError, match="refused"):
            ca.completion("no-such-folder")
        assert [x.id for x in ca.folders()] == ["medrecords-x"]
