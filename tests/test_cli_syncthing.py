"""`medrecords sync syncthing`: the shared folder added to a real Syncthing on 127.0.0.1 from the command line,
offered to the other computer's Syncthing, accepted there, joined, and in step both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medrecords_desktop.replica.syncthing import SyncthingClient, folder_id_for, read_config
from tests.syncthing_harness import Cluster, free_port, wait_until
from tests.test_cli import run


def test_sync_syncthing_needs_a_shared_folder_and_a_syncthing(cli_env, tmp_path: Path) -> None:
    r = run(cli_env, "sync", "syncthing", "--config", str(tmp_path / "none.xml"), check=False)
    assert r.returncode == 2 and "not kept in a shared folder yet" in r.stderr
    run(cli_env, "sync", "setup", "--folder", str(tmp_path / "shared"))
    env = dict(cli_env, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_STATE_HOME=str(tmp_path / "s"))
    env.pop("STHOMEDIR", None)
    env.pop("STCONFDIR", None)
    env.pop("MEDRECORDS_SYNCTHING_URL", None)
    r = run(env, "sync", "syncthing", check=False)
    assert r.returncode == 2 and "Syncthing does not answer on this computer" in r.stderr
    assert str(tmp_path / "shared") in r.stderr
    r = run(env, "sync", "syncthing", "--url", f"http://127.0.0.1:{free_port()}", check=False)
    assert r.returncode == 2 and "MEDRECORDS_SYNCTHING_APIKEY" in r.stderr


@pytest.mark.slow
def test_sync_syncthing_offers_the_folder_and_the_other_computer_joins(cli_env, syncthing_cluster, tmp_path) -> None:
    c: Cluster = syncthing_cluster(2, share=False)
    a, b = c.peers
    shared_a = a.folder / "MedRecords"
    run(cli_env, "sync", "setup", "--folder", str(shared_a))
    out = json.loads(
        run(cli_env, "sync", "syncthing", "--config", str(a.config_xml), "--share-with", b.device_id, "--json").stdout
    )
    vault_id = json.loads((shared_a / "medrecords-replica.json").read_text())["vault_id"]
    fid = folder_id_for(vault_id)
    assert out["folder_id"] == fid and out["this_device"] == a.device_id
    assert Path(out["path"]) == shared_a.resolve() and set(out["devices"]) == {a.device_id, b.device_id}
    # The other computer's Syncthing is offered the folder; its user accepts it (Syncthing's own question).
    with SyncthingClient(read_config(b.config_xml)) as cb:
        wait_until(lambda: any(p.id == fid for p in cb.pending_folders()), 30, "the folder offered to b")
        shared_b = b.folder / "MedRecords"
        cb.accept(next(p for p in cb.pending_folders() if p.id == fid), shared_b)
    c.sync(timeout=60, folder_id=fid)
    # ... and joins with the passphrase and its copy of the folder; running the command again changes nothing.
    laptop = dict(cli_env, MEDRECORDS_VAULT=str(tmp_path / "laptop"))
    assert run(laptop, "sync", "setup", "--folder", str(shared_b)).stdout.startswith("Joined")
    again = json.loads(run(laptop, "sync", "syncthing", "--config", str(b.config_xml), "--json").stdout)
    assert again["folder_id"] == fid and again["this_device"] == b.device_id
    assert json.loads(run(laptop, "stats", "--json").stdout) == json.loads(run(cli_env, "stats", "--json").stdout)
    # A person added on the laptop reaches the first computer through Syncthing.
    run(laptop, "person", "add", "Dora Example", "--born", "2001-02-03")
    run(laptop, "sync", "now")
    c.sync(timeout=60, folder_id=fid)
    assert json.loads(run(cli_env, "sync", "now", "--json").stdout)["applied"] >= 1
    people = [p["name"] for p in json.loads(run(cli_env, "person", "list", "--json").stdout)]
    assert "Dora Example" in people
    text = run(cli_env, "sync", "syncthing", "--config", str(a.config_xml)).stdout
    assert f"as folder {fid}, shared with 1 other device(s)." in text and a.device_id in text
