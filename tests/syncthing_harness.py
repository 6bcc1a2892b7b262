"""Real Syncthing instances on 127.0.0.1 as a test peer for replication (the Debian package ``syncthing``).

``syncthing_cluster(n, share=True)`` (a pytest fixture, registered from tests/conftest.py) starts ``n``
instances, each with its own home, ports and folder, with global and local discovery, relays, NAT traversal,
STUN, usage reporting, crash reporting and auto-upgrade off, so nothing leaves loopback.  They know each other
by device id and address (tcp://127.0.0.1:PORT).  With ``share=True`` they share one folder (id
``medrecords-test``), rescanned every 2 s and watched with a 1 s delay; ``Cluster.sync()`` scans every folder
through the REST API and waits until every folder holds the same files, so a test takes seconds, not the
default hour between scans.  Every process is stopped when the test ends (by pid, its own process group).
Without ``syncthing`` on PATH the tests that use it skip and say why.

The REST calls here are plain httpx on purpose: the app's own client (medrecords_desktop/replica/syncthing.py)
is tested against these instances, so the harness must not lean on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

FOLDER_ID = "medrecords-test"
SYNCTHING = shutil.which("syncthing")
SKIP_REASON = "syncthing is not installed (Debian package `syncthing`; .ci/run installs it)"

# What Syncthing writes into a folder that is not the user's data: left out when folders are compared.
_OWN = (".stfolder", ".stversions", ".stignore")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _set(parent: ET.Element, tag: str, text: str) -> None:
    el = parent.find(tag)
    if el is None:
        el = ET.SubElement(parent, tag)
    el.text = text


def _quiet_folder_attrs(folder: ET.Element) -> None:
    folder.set("rescanIntervalS", "2")
    folder.set("fsWatcherEnabled", "true")
    folder.set("fsWatcherDelayS", "1")


@dataclass
class Peer:
    """One running Syncthing instance."""

    name: str
    home: Path
    folder: Path
    gui_port: int
    listen_port: int
    api_key: str = ""
    device_id: str = ""
    proc: subprocess.Popen[bytes] | None = None
    _client: httpx.Client | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gui_port}"

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.listen_port}"

    @property
    def config_xml(self) -> Path:
        return self.home / "config.xml"

    @property
    def log(self) -> Path:
        return self.home / "syncthing.log"

    def http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(base_url=self.url, headers={"X-API-Key": self.api_key}, timeout=30)
        return self._client

    def get(self, path: str, **params: str) -> object:
        r = self.http().get(path, params=params)
        r.raise_for_status()
        return r.json()

    def post(self, path: str, **params: str) -> None:
        self.http().post(path, params=params).raise_for_status()

    # ---------------------------------------------------------------- what tests ask
    def scan(self, folder_id: str = FOLDER_ID) -> None:
        """Scan now (Syncthing answers when the scan is done) instead of waiting for the interval."""
        self.post("/rest/db/scan", folder=folder_id)

    def connected_to(self) -> set[str]:
        conns = self.get("/rest/system/connections")
        assert isinstance(conns, dict)
        return {dev for dev, c in conns["connections"].items() if c.get("connected")}

    def folder_status(self, folder_id: str = FOLDER_ID) -> dict[str, object]:
        st = self.get("/rest/db/status", folder=folder_id)
        assert isinstance(st, dict)
        return st

    def pause(self) -> None:
        """Cut this instance off from every other device (a device that is away; reconnecting after
        ``resume`` can take Syncthing up to ~20 s)."""
        self.post("/rest/system/pause")

    def resume(self) -> None:
        self.post("/rest/system/resume")

    def pause_folder(self, folder_id: str = FOLDER_ID, paused: bool = True) -> None:
        """Stop (or restart) syncing one folder while the devices stay connected: both sides may then change
        the same file, and a conflict copy arises on ``pause_folder(paused=False)``, within seconds."""
        self.http().patch(f"/rest/config/folders/{folder_id}", json={"paused": paused}).raise_for_status()

    def tail_log(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every user file in a synced folder (Syncthing's own files left out)."""
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if rel.parts[0] in _OWN or p.name.startswith(".syncthing.") or not p.is_file():
            continue
        out[rel.as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def wait_until(cond: Callable[[], bool], timeout: float, what: str, poll: float = 0.2) -> None:
    end = time.monotonic() + timeout
    while True:
        try:
            if cond():
                return
        except (httpx.HTTPError, OSError):
            pass  # not up yet, or a file vanished while we looked
        if time.monotonic() > end:
            raise TimeoutError(f"Syncthing test peer: {what} not reached in {timeout:.0f} s")
        time.sleep(poll)


class Cluster:
    """``n`` Syncthing instances that know each other; optionally sharing one folder."""

    def __init__(self, root: Path, n: int, share: bool = True, folder_id: str = FOLDER_ID) -> None:
        if SYNCTHING is None:
            pytest.skip(SKIP_REASON)
        self.root = root
        self.folder_id = folder_id
        self.shared = share
        names = "abcdefghij"
        self.peers: list[Peer] = []
        for i in range(n):
            name = names[i]
            home = root / f"st-{name}"
            folder = root / f"folder-{name}"
            folder.mkdir(parents=True)
            self.peers.append(Peer(name, home, folder, free_port(), free_port()))

    # ---------------------------------------------------------------- setup
    def _generate(self, p: Peer) -> None:
        assert SYNCTHING is not None
        subprocess.run(
            [SYNCTHING, "generate", f"--home={p.home}", "--no-default-folder"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        cfg = ET.parse(p.config_xml).getroot()  # noqa: S314 - the config syncthing generate just wrote
        own = cfg.find("device")
        assert own is not None
        p.device_id = own.get("id", "")
        apikey = cfg.find("gui/apikey")
        assert apikey is not None and apikey.text
        p.api_key = apikey.text

    def _configure(self, p: Peer) -> None:
        tree_ = ET.parse(p.config_xml)  # noqa: S314 - the config syncthing generate just wrote
        cfg = tree_.getroot()
        for dev in cfg.findall("device"):
            cfg.remove(dev)
        gui = cfg.find("gui")
        assert gui is not None
        gui.set("enabled", "true")
        gui.set("tls", "false")
        _set(gui, "address", f"127.0.0.1:{p.gui_port}")
        opts = cfg.find("options")
        assert opts is not None
        for tag in list(opts.findall("listenAddress")):
            opts.remove(tag)
        ET.SubElement(opts, "listenAddress").text = p.address
        for tag, value in {
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "crashReportingEnabled": "false",
            "startBrowser": "false",
            "urAccepted": "-1",
            "autoUpgradeIntervalH": "0",
            "stunKeepaliveStartS": "0",
            "reconnectionIntervalS": "1",
            "progressUpdateIntervalS": "1",
            "setLowPriority": "false",
            "restartOnWakeup": "false",
        }.items():
            _set(opts, tag, value)
        # A folder added later through the REST API (the app's "Add to Syncthing") takes these defaults.
        default_folder = cfg.find("defaults/folder")
        if default_folder is not None:
            _quiet_folder_attrs(default_folder)
        index = list(cfg).index(gui)
        devices = []
        for other in self.peers:
            dev = ET.Element("device", id=other.device_id, name=other.name, compression="metadata", introducer="false")
            ET.SubElement(dev, "address").text = other.address if other is not p else "dynamic"
            ET.SubElement(dev, "autoAcceptFolders").text = "false"
            devices.append(dev)
        if self.shared:
            folder = ET.Element(
                "folder", id=self.folder_id, label="MedRecords test", path=str(p.folder), type="sendreceive"
            )
            _quiet_folder_attrs(folder)
            ET.SubElement(folder, "filesystemType").text = "basic"
            for other in self.peers:
                ET.SubElement(folder, "device", id=other.device_id, introducedBy="")
            ET.SubElement(folder, "minDiskFree", unit="%").text = "0"
            ET.SubElement(folder, "maxConflicts").text = "-1"  # keep every conflict copy
            cfg.insert(index, folder)
            index += 1
        for dev in devices:
            cfg.insert(index, dev)
            index += 1
        tree_.write(p.config_xml)

    def _start(self, p: Peer) -> None:
        assert SYNCTHING is not None
        env = dict(os.environ, STNOUPGRADE="1", STNODEFAULTFOLDER="1", STNORESTART="1", STGUIASSETS="")
        env.pop("STGUIADDRESS", None)
        log = p.log.open("ab")
        try:
            p.proc = subprocess.Popen(
                [SYNCTHING, "serve", f"--home={p.home}", "--no-browser", "--no-restart", "--no-upgrade"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # its own process group: stopped by pid, never by name
            )
        finally:
            log.close()

    def start(self, timeout: float = 60) -> Cluster:
        for p in self.peers:
            self._generate(p)
        for p in self.peers:
            self._configure(p)
        # One after the other: each new instance dials the ones already listening, so they connect at once
        # (started together, both first dials can fail and Syncthing waits up to a minute to dial again).
        for p in self.peers:
            self._start(p)
            self._wait(lambda p=p: bool(p.get("/rest/system/ping")), timeout, f"{p.name}'s REST API up", p)
        if len(self.peers) > 1:
            self.wait_connected(timeout)
        return self

    def _wait(self, cond: Callable[[], bool], timeout: float, what: str, p: Peer | None = None) -> None:
        t0 = time.monotonic()
        try:
            wait_until(cond, timeout, what)
            if os.environ.get("MEDRECORDS_SYNCTHING_DEBUG"):
                print(f"syncthing harness: {what} after {time.monotonic() - t0:.1f} s", file=sys.stderr)
        except TimeoutError as e:
            logs = "\n".join(f"--- {q.name}:\n{q.tail_log()}" for q in ([p] if p else self.peers))
            raise TimeoutError(f"{e}\n{logs}") from None

    def wait_connected(self, timeout: float = 60) -> None:
        start = time.monotonic()

        def connected(p: Peer, others: set[str]) -> bool:
            if others <= p.connected_to():
                return True
            if time.monotonic() - start > 3:
                start_ = time.monotonic()
                p.post("/rest/system/resume")  # a config change: Syncthing dials every device now
                time.sleep(max(0.0, 1 - (time.monotonic() - start_)))
            return False

        for p in self.peers:
            others = {q.device_id for q in self.peers if q is not p}
            self._wait(lambda p=p, o=others: connected(p, o), timeout, f"{p.name} connected to all", p)

    # ---------------------------------------------------------------- syncing
    def scan_all(self, folder_id: str | None = None) -> None:
        for p in self.peers:
            p.scan(folder_id or self.folder_id)

    def in_sync(self, folder_id: str | None = None) -> bool:
        fid = folder_id or self.folder_id
        for p in self.peers:
            st = p.folder_status(fid)
            if st.get("state") != "idle" or st.get("needTotalItems") != 0:
                return False
        trees = [tree(Path(self.folder_path(p, fid))) for p in self.peers]
        return all(t == trees[0] for t in trees[1:])

    def folder_path(self, p: Peer, folder_id: str) -> str:
        if folder_id == self.folder_id and self.shared:
            return str(p.folder)
        cfg = p.get("/rest/config/folders/" + folder_id)
        assert isinstance(cfg, dict)
        return str(cfg["path"])

    def sync(self, timeout: float = 60, folder_id: str | None = None) -> float:
        """Scan every folder now and wait until all hold the same files; returns the seconds it took."""
        t0 = time.monotonic()
        fid = folder_id or self.folder_id

        def settled() -> bool:
            self.scan_all(fid)
            return self.in_sync(fid)

        self._wait(settled, timeout, f"folder {fid} the same on every instance")
        return time.monotonic() - t0

    def stop(self) -> None:
        for p in self.peers:
            p.stop()


@pytest.fixture
def syncthing_cluster(tmp_path: Path) -> Iterator[Callable[..., Cluster]]:
    """A factory: ``syncthing_cluster(2)`` starts two paired instances sharing a folder; all are stopped
    when the test ends."""
    if SYNCTHING is None:
        pytest.skip(SKIP_REASON)
    made: list[Cluster] = []

    def make(n: int = 2, share: bool = True, folder_id: str = FOLDER_ID) -> Cluster:
        c = Cluster(tmp_path / f"syncthing{len(made)}", n, share=share, folder_id=folder_id)
        made.append(c)
        return c.start()

    try:
        yield make
    finally:
        for c in made:
            c.stop()
