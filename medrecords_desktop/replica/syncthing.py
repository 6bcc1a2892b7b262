"""Talk to the Syncthing that runs on this computer through its REST API (no Qt; the Devices page and tests use it).

Where Syncthing runs, the app offers to add the vault's shared folder to it instead of telling the user which
folder to share.  :func:`discover` finds the local instance: a URL and API key the user gave, or the
``config.xml`` in Syncthing's standard places (``STHOMEDIR``/``STCONFDIR``; on Linux ``~/.local/state/syncthing``
then ``~/.config/syncthing``; ``~/Library/Application Support/Syncthing`` on macOS; ``%LOCALAPPDATA%\\Syncthing``
on Windows), from which it reads the GUI address and the API key.  :class:`SyncthingClient` then lists folders and
devices, adds the shared folder (shared with the given device ids, adding devices Syncthing does not know yet),
accepts a folder another device offered, and reads a folder's completion and status.

Only what Syncthing needs ever goes to it: a folder path, a label, device ids.  The shared folder holds only
encrypted segments (see docs/design.md, "Replication"), so Syncthing never sees a record.  The API key is a
secret: it is never logged or put into an error message.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from lxml import etree

from ..errors import MedRecordsError

DEFAULT_LABEL = "MedRecords"
_TIMEOUT = 5.0
_MAX_CONFIG_BYTES = 4 * 1024 * 1024


class SyncthingError(MedRecordsError):
    """Syncthing is not reachable, refused the request, or its configuration cannot be read."""


@dataclass(frozen=True)
class Endpoint:
    """Where a Syncthing REST API answers, and its key."""

    url: str
    api_key: str = field(repr=False)
    source: str = "given"  # the config.xml it was read from, or "given"

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SyncthingError(f"Syncthing address {self.url!r} is not an http(s) URL")
        if not self.api_key:
            raise SyncthingError("Syncthing API key is empty")

    @property
    def loopback(self) -> bool:
        host = urlsplit(self.url).hostname or ""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


@dataclass(frozen=True)
class Folder:
    id: str
    label: str
    path: str
    devices: tuple[str, ...]
    paused: bool = False
    type: str = "sendreceive"


@dataclass(frozen=True)
class Device:
    id: str
    name: str


@dataclass(frozen=True)
class PendingFolder:
    """A folder another device offers to share with this one (accept it with :meth:`SyncthingClient.accept`)."""

    id: str
    label: str
    offered_by: tuple[str, ...]


@dataclass(frozen=True)
class FolderState:
    """What Syncthing says about one folder on this computer."""

    state: str  # idle, scanning, syncing, error, ...
    need_items: int
    need_bytes: int
    local_files: int
    global_files: int
    error: str = ""

    @property
    def in_sync(self) -> bool:
        return self.state == "idle" and self.need_items == 0


# --------------------------------------------------------------------------- finding the local instance
def config_candidates(env: Mapping[str, str] | None = None, platform: str | None = None) -> list[Path]:
    """Where Syncthing keeps config.xml on this platform, most specific first."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    out: list[Path] = []
    for var in ("STCONFDIR", "STHOMEDIR"):
        if env.get(var):
            out.append(Path(env[var]) / "config.xml")
    if platform.startswith("win"):
        local = env.get("LOCALAPPDATA")
        base = Path(local) if local else home / "AppData" / "Local"
        out.append(base / "Syncthing" / "config.xml")
    elif platform == "darwin":
        out.append(home / "Library" / "Application Support" / "Syncthing" / "config.xml")
    else:
        state = env.get("XDG_STATE_HOME")
        out.append((Path(state) if state else home / ".local" / "state") / "syncthing" / "config.xml")
        config = env.get("XDG_CONFIG_HOME")
        out.append((Path(config) if config else home / ".config") / "syncthing" / "config.xml")
        out.append(home / "snap" / "syncthing" / "common" / "syncthing" / "config.xml")
    return out


def read_config(path: Path) -> Endpoint:
    """The GUI address and API key in a Syncthing config.xml (parsed without entities, DTDs or network)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SyncthingError(f"{path}: cannot read Syncthing's configuration ({e.strerror or e})") from None
    if len(data) > _MAX_CONFIG_BYTES:
        raise SyncthingError(f"{path}: {len(data):,} bytes, too large for a Syncthing configuration")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise SyncthingError(f"{path}: not a readable Syncthing configuration (line {e.lineno})") from None
    gui = root.find("gui") if root is not None else None
    if gui is None:
        raise SyncthingError(f"{path}: no <gui> section in Syncthing's configuration")
    if gui.get("enabled", "true").lower() != "true":
        raise SyncthingError(f"{path}: Syncthing's GUI and REST API are switched off")
    address = (gui.findtext("address") or "").strip()
    key = (gui.findtext("apikey") or "").strip()
    if not address:
        raise SyncthingError(f"{path}: no GUI address in Syncthing's configuration")
    if address.startswith("/") or address.startswith("unix"):
        raise SyncthingError(f"{path}: Syncthing listens on a Unix socket; give its URL and API key instead")
    if not key:
        raise SyncthingError(f"{path}: Syncthing has no API key yet (open its web GUI once to make one)")
    scheme = "https" if gui.get("tls", "false").lower() == "true" else "http"
    if "://" in address:
        scheme, address = address.split("://", 1)
    host, _, port = address.rpartition(":")
    if host in ("", "0.0.0.0", "[::]", "::"):  # noqa: S104 - reading a listen address, not binding
        host = "127.0.0.1"
    return Endpoint(f"{scheme}://{host}:{port}", key, source=str(path))


def discover(
    url: str | None = None,
    api_key: str | None = None,
    config: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> SyncthingClient | None:
    """A client for the Syncthing that answers on this computer, or None when none does.

    A URL and key the user gave win; then ``config`` (a config.xml); then the platform's standard places.
    Only an instance that answers ``/rest/system/ping`` with this key counts.
    """
    env = os.environ if env is None else env
    url = url or env.get("MEDRECORDS_SYNCTHING_URL") or None
    api_key = api_key or env.get("MEDRECORDS_SYNCTHING_APIKEY") or None
    endpoints: list[Endpoint] = []
    if url and api_key:
        endpoints.append(Endpoint(url.rstrip("/"), api_key))
    paths = [config] if config is not None else config_candidates(env)
    for p in paths:
        if p.is_file():
            try:
                endpoints.append(read_config(p))
            except SyncthingError:
                continue
    for ep in endpoints:
        client = SyncthingClient(ep)
        if client.ping():
            return client
        client.close()
    return None


def folder_id_for(vault_id: str) -> str:
    """The Syncthing folder id for a vault's shared folder: the same on every device of that vault (so the
    folder each device adds is one folder to Syncthing), and it does not show the vault id itself."""
    digest = hashlib.sha256(f"medrecords-folder:{vault_id}".encode()).hexdigest()
    return f"medrecords-{digest[:5]}-{digest[5:10]}"


# --------------------------------------------------------------------------- the client
class SyncthingClient:
    """A small client of Syncthing's REST API (tested against Syncthing 1.19)."""

    def __init__(self, endpoint: Endpoint, timeout: float = _TIMEOUT) -> None:
        self.endpoint = endpoint
        # Loopback only: Syncthing's own self-signed certificate names no host; elsewhere the certificate counts.
        self._http = httpx.Client(
            base_url=endpoint.url,
            headers={"X-API-Key": endpoint.api_key},
            timeout=timeout,
            trust_env=False,  # never send the API key through a proxy from the environment
            verify=not endpoint.loopback,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncthingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- transport
    def _call(self, method: str, path: str, *, params: dict[str, str] | None = None, json: Any = None) -> Any:
        try:
            r = self._http.request(method, path, params=params, json=json)
        except httpx.TimeoutException:
            raise SyncthingError(f"Syncthing at {self.endpoint.url} did not answer in time") from None
        except httpx.HTTPError as e:
            raise SyncthingError(f"Syncthing at {self.endpoint.url} is not reachable ({type(e).__name__})") from None
        if r.status_code in (401, 403):
            raise SyncthingError(f"Syncthing at {self.endpoint.url} refused the API key")
        if r.status_code >= 400:
            text = r.text.strip().splitlines()[0][:200] if r.text.strip() else r.reason_phrase
            raise SyncthingError(f"Syncthing refused {method} {path}: {r.status_code} {text}")
        if not r.content:
            return None
        try:
            return r.json()
        except ValueError:
            return r.text

    def ping(self) -> bool:
        try:
            return self._call("GET", "/rest/system/ping") == {"ping": "pong"}
        except SyncthingError:
            return False

    # ---------------------------------------------------------------- reading
    def my_id(self) -> str:
        return str(self._call("GET", "/rest/system/status")["myID"])

    def version(self) -> str:
        return str(self._call("GET", "/rest/system/version")["version"])

    def devices(self) -> list[Device]:
        return [Device(d["deviceID"], d.get("name") or "") for d in self._call("GET", "/rest/config/devices")]

    def folders(self) -> list[Folder]:
        return [_folder(f) for f in self._call("GET", "/rest/config/folders")]

    def folder(self, folder_id: str) -> Folder | None:
        return next((f for f in self.folders() if f.id == folder_id), None)

    def folder_for_path(self, path: Path | str) -> Folder | None:
        """The folder Syncthing keeps at ``path`` (the same directory, however it is spelled), if any."""
        want = _real(path)
        return next((f for f in self.folders() if _real(f.path) == want), None)

    def pending_folders(self) -> list[PendingFolder]:
        """Folders other devices offer to this one and that are not added yet."""
        data = self._call("GET", "/rest/cluster/pending/folders") or {}
        out = []
        for fid, info in sorted(data.items()):
            offered = info.get("offeredBy") or {}
            labels = [str(v.get("label") or "") for v in offered.values()]
            out.append(PendingFolder(fid, next((x for x in labels if x), ""), tuple(sorted(offered))))
        return out

    def completion(self, folder_id: str, device: str | None = None) -> float:
        """How complete (0-100) ``device`` is for the folder (this computer's view of it); this device when None."""
        params = {"folder": folder_id}
        if device:
            params["device"] = device
        return float(self._call("GET", "/rest/db/completion", params=params)["completion"])

    def folder_state(self, folder_id: str) -> FolderState:
        st = self._call("GET", "/rest/db/status", params={"folder": folder_id})
        return FolderState(
            state=str(st.get("state") or ""),
            need_items=int(st.get("needTotalItems") or 0),
            need_bytes=int(st.get("needBytes") or 0),
            local_files=int(st.get("localFiles") or 0),
            global_files=int(st.get("globalFiles") or 0),
            error=str(st.get("error") or ""),
        )

    def connected(self) -> set[str]:
        conns = self._call("GET", "/rest/system/connections").get("connections") or {}
        return {dev for dev, c in conns.items() if c.get("connected")}

    # ---------------------------------------------------------------- changing
    def scan(self, folder_id: str) -> None:
        """Scan the folder now (answers when the scan is done) so new segments go out at once."""
        self._call("POST", "/rest/db/scan", params={"folder": folder_id})

    def add_device(self, device_id: str, name: str = "") -> None:
        if any(d.id == device_id for d in self.devices()):
            return
        self._call("POST", "/rest/config/devices", json={"deviceID": device_id, "name": name})

    def add_folder(
        self,
        path: Path | str,
        folder_id: str,
        label: str = DEFAULT_LABEL,
        share_with: Iterable[str] = (),
    ) -> Folder:
        """Keep ``path`` in Syncthing as ``folder_id``, shared with ``share_with`` (device ids).

        Idempotent: a folder already kept at that path (under any id) gets the missing devices added, nothing
        else changes.  Devices Syncthing does not know yet are added first.  The folder path must exist.
        """
        p = Path(path)
        if not p.is_dir():
            raise SyncthingError(f"{p}: the shared folder does not exist")
        mine = self.my_id()
        want = [d for d in dict.fromkeys(share_with) if d and d != mine]
        for dev in want:
            self.add_device(dev)
        existing = self.folder_for_path(p)
        if existing is None:
            clash = self.folder(folder_id)
            if clash is not None:
                raise SyncthingError(f"Syncthing already keeps folder {folder_id} at {clash.path}, not at {p}")
            body = {
                "id": folder_id,
                "label": label,
                "path": str(p.resolve()),
                "type": "sendreceive",
                "devices": [{"deviceID": d} for d in [mine, *want]],
            }
            self._call("POST", "/rest/config/folders", json=body)
        else:
            have = set(existing.devices)
            missing = [d for d in want if d not in have]
            if missing:
                devices = [{"deviceID": d} for d in [*existing.devices, *missing]]
                self._call("PATCH", f"/rest/config/folders/{existing.id}", json={"devices": devices})
        folder = self.folder_for_path(p)
        if folder is None:  # pragma: no cover - Syncthing accepted the folder but does not list it
            raise SyncthingError(f"Syncthing did not keep {p}")
        return folder

    def accept(self, pending: PendingFolder, path: Path | str, label: str | None = None) -> Folder:
        """Accept a folder another device offers: keep it at ``path`` with the same id, shared back."""
        Path(path).mkdir(parents=True, exist_ok=True)
        return self.add_folder(path, pending.id, label or pending.label or DEFAULT_LABEL, pending.offered_by)


def _real(path: Path | str) -> str:
    try:
        return str(Path(os.path.expanduser(str(path))).resolve())
    except OSError:
        return str(path)


def _folder(f: dict[str, Any]) -> Folder:
    return Folder(
        id=str(f["id"]),
        label=str(f.get("label") or ""),
        path=str(f.get("path") or ""),
        devices=tuple(str(d["deviceID"]) for d in f.get("devices") or ()),
        paused=bool(f.get("paused")),
        type=str(f.get("type") or "sendreceive"),
    )
