"""The real SMART on FHIR test peer for the portal tests: start, drive and stop tests/portal_harness.

The harness (Medplum's FHIR router + oauth2-mock-server, under Node 22 from npm) is installed by
``scripts/setup-portal-harness``; without its node_modules the portal tests skip and say so.  Test modules
import the fixtures from here (``from tests.portal_support import harness, ...``).

The only faked seam is the browser: ``follow_in_browser`` GETs the authorization URL with httpx and
follows the redirect to our loopback listener, as a person's browser would.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from medrecords_desktop.portals.client import FhirClient, RetryPolicy
from medrecords_desktop.portals.smart import SmartConfiguration, TokenSet, discover, sign_in

ROOT = Path(__file__).resolve().parents[1]
HARNESS_DIR = ROOT / "tests" / "portal_harness"
NODE = HARNESS_DIR / "node_modules" / ".bin" / "node"
FIXTURE_BUNDLE = ROOT / "tests" / "fixtures" / "portal" / "patient-bundle.json"
PATIENT = "portal-pat-1"
CLIENT_ID = "medrecords-desktop-test"
# Small bounds so resilience tests finish in seconds: passed as parameters, never monkeypatched.
FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.2, max_retry_after=3.0, max_total_wait=5.0)


class Harness:
    """A running harness process and its control API."""

    def __init__(self, proc: subprocess.Popen[bytes], info: dict[str, Any]) -> None:
        self.proc = proc
        self.origin: str = info["origin"]
        self.fhir_base: str = info["fhir_base"]
        self.issuer: str = info["issuer"]
        self.http = httpx.Client(timeout=120)

    def control(self, op: str, body: Any = None, method: str = "POST", params: dict[str, str] | None = None) -> Any:
        resp = self.http.request(method, f"{self.origin}/__control/{op}", json=body, params=params)
        if resp.status_code >= 300:
            raise AssertionError(f"control {op}: HTTP {resp.status_code}: {resp.text[:300]}")
        return resp.json()

    def load(self, bundle: dict[str, Any]) -> dict[str, Any]:
        return self.control("fhir", bundle)

    def put(self, resource: dict[str, Any]) -> dict[str, Any]:
        return self.control(f"fhir/{resource['resourceType']}/{resource['id']}", resource, method="PUT")

    def read(self, rtype: str, rid: str) -> dict[str, Any]:
        return self.control(f"fhir/{rtype}/{rid}", method="GET")

    def search(self, rtype: str, params: dict[str, str]) -> list[dict[str, Any]]:
        bundle = self.control(f"fhir/{rtype}", method="GET", params={"_count": "1000", **params})
        return [e["resource"] for e in bundle.get("entry") or []]

    def fault(
        self, status: int | str, count: int = 1, retry_after: int | None = None, match: str | None = None
    ) -> None:
        self.control("fault", {"status": status, "count": count, "retryAfter": retry_after, "match": match})

    def stats(self) -> dict[str, Any]:
        return self.control("stats", method="GET")

    def reset(self) -> None:
        self.control("clear-faults")
        self.control("smart-config", {})
        self.control("binary-json", {"on": False})
        self.control("max-count", {"value": 1000})
        self.control("reset-stats")
        self.control("vendor", {"on": False})
        self.control("dcr", {"on": False})
        self.control("outage", {"seconds": 0})
        self.control("clear-log")
        self.control("patient", {"id": PATIENT})

    def log(self) -> list[str]:
        return self.control("log", method="GET")

    def stop(self) -> None:
        self.http.close()
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()  # the harness exits when its stdin closes
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_harness(log_path: Path) -> Harness:
    if not NODE.exists():
        why = f"portal test harness not installed ({NODE} missing): run scripts/setup-portal-harness"
        if os.environ.get("CI") == "true":  # CI runs the setup script: a missing harness there is a failure
            pytest.fail(why)
        pytest.skip(why)
    log = log_path.open("wb")
    proc = subprocess.Popen(  # noqa: S603 (fixed argv: our Node binary and our script)
        [str(NODE), "server.mjs", "0"],
        cwd=HARNESS_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        env={**os.environ, "NODE_ENV": "test"},
    )
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 60
    line = b""
    while not line.endswith(b"\n"):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(f"portal harness did not start; see {log_path}")
        if sel.select(timeout=0.5):
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                continue
            line += chunk
    sel.close()
    return Harness(proc, json.loads(line.decode()))


def follow_in_browser(url: str) -> None:
    """The test's "browser": GET the authorization URL and follow redirects to the loopback listener."""
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        browser.get(url)


def load_fixture(h: Harness) -> dict[str, Any]:
    bundle = json.loads(FIXTURE_BUNDLE.read_text(encoding="utf-8"))
    h.load(bundle)
    return bundle


@pytest.fixture(scope="session")
def portal_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    h = start_harness(tmp_path_factory.mktemp("portal-harness") / "harness.log")
    try:
        load_fixture(h)
        yield h
    finally:
        h.stop()


@pytest.fixture
def harness(portal_harness: Harness) -> Harness:
    portal_harness.reset()
    return portal_harness


@pytest.fixture
def smart_config(harness: Harness) -> SmartConfiguration:
    return discover(harness.fhir_base)


@pytest.fixture
def tokens(smart_config: SmartConfiguration) -> TokenSet:
    return sign_in(smart_config, CLIENT_ID, follow_in_browser, timeout=10)


def make_client(config: SmartConfiguration, tokens: TokenSet, **kw: Any) -> FhirClient:
    kw.setdefault("retry", FAST_RETRY)
    return FhirClient(config, tokens, CLIENT_ID, **kw)


# -- Synthea bulk export (third-party corpus) as server content --------------------------------------------

_CONDITIONAL = re.compile(r"^(Practitioner|Organization|Location)\?identifier=(.+)\|(.+)$")


def synthea_transaction(folder: Path) -> dict[str, Any]:
    """Every resource of the bulk export as one transaction Bundle (PUT, ids kept).

    Synthea's bulk files point at practitioners, organisations and locations by conditional reference
    (``Practitioner?identifier=system|value``); a bulk export is not a server's content, so they are
    resolved here to the literal ``Type/id`` a portal would serve."""
    resources: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.ndjson")):
        with path.open(encoding="utf-8") as f:
            resources.extend(json.loads(line) for line in f if line.strip())
    by_identifier: dict[tuple[str, str, str], str] = {}
    for r in resources:
        for ident in r.get("identifier") or []:
            if ident.get("system") and ident.get("value"):
                by_identifier[(r["resourceType"], ident["system"], ident["value"])] = r["id"]

    def resolve(obj: Any) -> None:
        if isinstance(obj, dict):
            ref = obj.get("reference")
            if isinstance(ref, str) and (m := _CONDITIONAL.match(ref)):
                rid = by_identifier.get((m.group(1), m.group(2), m.group(3)))
                if rid is not None:
                    obj["reference"] = f"{m.group(1)}/{rid}"
            for v in obj.values():
                resolve(v)
        elif isinstance(obj, list):
            for v in obj:
                resolve(v)

    for r in resources:
        resolve(r)
    entries = [
        {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}} for r in resources
    ]
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def patient_ref(resource: dict[str, Any]) -> str | None:
    ref = (resource.get("subject") or resource.get("patient") or {}).get("reference")
    return ref if isinstance(ref, str) else None
