"""The Syncthing test peer itself: real instances on 127.0.0.1 pass files, deletions and conflict copies,
talk to nothing outside loopback, and leave no process behind."""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.syncthing_harness import Cluster, tree

pytestmark = pytest.mark.slow


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): read its state.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_two_instances_pass_files_and_deletions(syncthing_cluster) -> None:
    c: Cluster = syncthing_cluster(2)
    a, b = c.peers
    assert a.device_id != b.device_id
    assert b.device_id in a.connected_to() and a.device_id in b.connected_to()

    (a.folder / "segments").mkdir()
    (a.folder / "segments" / "one.bin").write_bytes(os.urandom(4096))
    (b.folder / "two.txt").write_text("from b")
    took = c.sync(timeout=60)
    assert tree(a.folder) == tree(b.folder)
    assert set(tree(b.folder)) == {"segments/one.bin", "two.txt"}
    assert took < 30, f"a sync of two small files took {took:.1f} s"

    (b.folder / "segments" / "one.bin").unlink()
    c.sync(timeout=60)
    assert set(tree(a.folder)) == {"two.txt"}


def test_nothing_leaves_loopback(syncthing_cluster) -> None:
    c: Cluster = syncthing_cluster(2)
    for p in c.peers:
        opts = ET.parse(p.config_xml).getroot().find("options")  # noqa: S314 - written by the harness
        assert opts is not None
        off = {
            t: opts.findtext(t)
            for t in (
                "globalAnnounceEnabled",
                "localAnnounceEnabled",
                "relaysEnabled",
                "natEnabled",
                "crashReportingEnabled",
                "startBrowser",
            )
        }
        assert set(off.values()) == {"false"}, off
        assert opts.findtext("urAccepted") == "-1"
        assert opts.findtext("autoUpgradeIntervalH") == "0"
        # What the running instance reports, not only what we wrote.
        cfg = p.get("/rest/config/options")
        assert isinstance(cfg, dict)
        assert cfg["listenAddresses"] == [p.address]
        assert not cfg["globalAnnounceEnabled"] and not cfg["relaysEnabled"] and not cfg["natEnabled"]
        conns = p.get("/rest/system/connections")
        assert isinstance(conns, dict)
        for dev, info in conns["connections"].items():
            if info.get("connected"):
                assert info["address"].startswith("127.0.0.1:"), (dev, info["address"])


def test_conflict_copy_when_both_change_one_file_apart(syncthing_cluster) -> None:
    c: Cluster = syncthing_cluster(2)
    a, b = c.peers
    (a.folder / "head.json").write_text("v0")
    c.sync(timeout=60)
    a.pause_folder()
    b.pause_folder()
    for p in (a, b):
        cfg = p.get("/rest/config/folders/medrecords-test")
        assert isinstance(cfg, dict) and cfg["paused"]
    (a.folder / "head.json").write_text("from a, a longer text")
    time.sleep(1.1)  # the newer change wins the name; the older becomes the conflict copy
    (b.folder / "head.json").write_text("from b")
    a.pause_folder(paused=False)
    b.pause_folder(paused=False)
    c.sync(timeout=60)
    names = set(tree(a.folder))
    conflicts = [n for n in names if ".sync-conflict-" in n]
    assert len(conflicts) == 1, names
    texts = {(a.folder / n).read_text() for n in ["head.json", *conflicts]}
    assert texts == {"from a, a longer text", "from b"}


def test_teardown_leaves_no_process(tmp_path: Path) -> None:
    c = Cluster(tmp_path, 2, share=False).start()
    pids = [p.proc.pid for p in c.peers if p.proc is not None]
    assert len(pids) == 2 and all(_alive(pid) for pid in pids)
    c.stop()
    assert not any(_alive(pid) for pid in pids)
