"""sync_patient against the real harness: completeness, paging, attachments, incremental, cancel."""

from __future__ import annotations

import base64
import json
import threading
from collections import Counter
from typing import Any

import pytest

from medrecords_desktop.errors import Cancelled
from medrecords_desktop.portals.errors import PortalResponseError
from medrecords_desktop.portals.smart import SmartConfiguration, TokenSet
from medrecords_desktop.portals.sync import CLINICAL_TYPES, PageInfo, SyncProgress, sync_patient
from tests.portal_support import FIXTURE_BUNDLE, PATIENT, Harness, make_client


class Sink:
    """Stands in for the importer: records each page as the vault would write it."""

    def __init__(self) -> None:
        self.pages: list[tuple[PageInfo, list[dict[str, Any]]]] = []

    def __call__(self, resources: list[dict[str, Any]], info: PageInfo) -> None:
        self.pages.append((info, [json.loads(json.dumps(r)) for r in resources]))

    @property
    def keys(self) -> list[str]:
        return [f"{r['resourceType']}/{r['id']}" for _, rs in self.pages for r in rs]

    def resource(self, key: str) -> dict[str, Any]:
        return next(r for _, rs in self.pages for r in rs if f"{r['resourceType']}/{r['id']}" == key)


def _expected_from_fixture() -> set[str]:
    """Patient 1's resources as the fixture defines them: its own, plus the Organization and Practitioner
    they reference; not Binary (fetched as attachments), the unreferenced Organization or patient 2."""
    bundle = json.loads(FIXTURE_BUNDLE.read_text(encoding="utf-8"))
    keys = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
    not_synced = {
        "Binary/portal-bin-note",
        "Binary/portal-bin-pdf",
        "Organization/portal-org-unused",
        "Patient/portal-pat-2",
        "Observation/portal-obs-other",
    }
    assert not_synced <= keys
    return keys - not_synced


def test_full_sync_delivers_every_resource_exactly_once(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    sink = Sink()
    progress: list[SyncProgress] = []
    with make_client(smart_config, tokens) as client:
        result = sync_patient(client, tokens.patient or "", None, sink, progress.append, page_size=2)

    expected = _expected_from_fixture()
    assert len(sink.keys) == len(set(sink.keys)), "a resource reached the sink twice"
    assert set(sink.keys) == expected
    # What the server holds for this patient (read without the client) all arrived.
    for rtype in CLINICAL_TYPES:
        on_server = {f"{rtype}/{r['id']}" for r in harness.search(rtype, {"patient": PATIENT})}
        assert on_server <= set(sink.keys), rtype
    assert result.counts == Counter(k.split("/")[0] for k in expected)
    assert result.total == len(expected) and not result.errors
    # page_size=2 makes the five Observations come in three pages, through Bundle `next` links.
    obs_pages = [info for info, _ in sink.pages if info.resource_type == "Observation"]
    assert [p.page_number for p in obs_pages] == [1, 2, 3] and obs_pages[0].total == 5
    assert result.pages == len(sink.pages)
    assert progress[-1].step == progress[-1].steps and progress[-1].resources_so_far == len(expected)
    assert result.high_water_mark is not None


@pytest.mark.parametrize("binary_as_json", [False, True], ids=["raw-bytes", "fhir-binary"])
def test_attachments_are_downloaded_into_the_resource(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet, binary_as_json: bool
) -> None:
    harness.control("binary-json", {"on": binary_as_json})
    sink = Sink()
    with make_client(smart_config, tokens) as client:
        result = sync_patient(client, PATIENT, None, sink)
    note = sink.resource("DocumentReference/portal-doc-1")["content"][0]["attachment"]
    pdf = sink.resource("DiagnosticReport/portal-dr-1")["presentedForm"][0]
    for att, binary_id in ((note, "portal-bin-note"), (pdf, "portal-bin-pdf")):
        served = harness.read("Binary", binary_id)
        assert base64.b64decode(att["data"]) == base64.b64decode(served["data"])
        assert att["size"] == len(base64.b64decode(served["data"]))
        assert att["url"] == f"Binary/{binary_id}"  # the source's own reference is kept
    assert base64.b64decode(pdf["data"]).startswith(b"%PDF-")
    assert result.attachments == 2


def test_attachment_over_the_size_cap_is_reported_not_fatal(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    sink = Sink()
    with make_client(smart_config, tokens) as client:
        result = sync_patient(client, PATIENT, None, sink, max_attachment_bytes=100)
    assert result.attachments == 1  # the short note fits, the PDF does not
    assert any("portal-dr-1" in e and "larger than 100 bytes" in e for e in result.errors)
    assert "data" not in sink.resource("DiagnosticReport/portal-dr-1")["presentedForm"][0]
    assert "DiagnosticReport/portal-dr-1" in sink.keys


def test_incremental_sync_returns_nothing_new_then_exactly_the_change(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    with make_client(smart_config, tokens) as client:
        first = sync_patient(client, PATIENT, None, Sink())
        again = Sink()
        second = sync_patient(client, PATIENT, first.high_water_mark, again)
        assert again.keys == [] and second.total == 0 and not second.errors
        assert second.high_water_mark == first.high_water_mark

        changed = harness.read("Observation", "portal-obs-3")
        changed["valueQuantity"]["value"] = 75
        harness.put(changed)
        third_sink = Sink()
        third = sync_patient(client, PATIENT, second.high_water_mark, third_sink)
    assert third_sink.keys == ["Observation/portal-obs-3"]
    assert third_sink.resource("Observation/portal-obs-3")["valueQuantity"]["value"] == 75
    assert third_sink.pages[0][0].incremental
    assert third.high_water_mark is not None and third.high_water_mark > (second.high_water_mark or "")


def test_cancel_stops_between_requests(smart_config: SmartConfiguration, tokens: TokenSet) -> None:
    cancel = threading.Event()
    sink = Sink()

    def progress(p: SyncProgress) -> None:
        if p.resource_type == "Observation":
            cancel.set()

    with make_client(smart_config, tokens) as client, pytest.raises(Cancelled):
        sync_patient(client, PATIENT, None, sink, progress, cancel, page_size=2)
    got_types = {info.resource_type for info, _ in sink.pages}
    assert got_types == {"Patient", "Encounter", "Observation"}
    assert len([1 for info, _ in sink.pages if info.resource_type == "Observation"]) == 1


def test_types_outside_the_granted_scope_are_not_asked_for(harness: Harness, smart_config: SmartConfiguration) -> None:
    from medrecords_desktop.portals.smart import sign_in
    from tests.portal_support import CLIENT_ID, follow_in_browser

    scope = "openid launch/patient offline_access patient/Patient.rs patient/Observation.rs"
    limited = sign_in(smart_config, CLIENT_ID, follow_in_browser, timeout=10, scope=scope)
    sink = Sink()
    with make_client(smart_config, limited) as client:
        result = sync_patient(client, PATIENT, None, sink, types=("Observation", "Condition"))
    assert {k.split("/")[0] for k in sink.keys} == {"Patient", "Observation"}
    # Condition is out of scope, and so is the Organization the Patient points to: neither was requested.
    assert result.not_granted == ["Condition", "Organization"] and not result.errors
    assert client.stats.requests == 3  # Patient, the CapabilityStatement, Observation

    # A server that leaves resource scopes out of its token response: we try, and its 403s become
    # per-type errors while the rest of the sync goes on.
    silent = TokenSet.from_dict({**limited.to_dict(), "scope": "openid offline_access"})
    sink = Sink()
    with make_client(smart_config, silent) as client:
        result = sync_patient(client, PATIENT, None, sink, types=("Observation", "Condition"))
    assert {k.split("/")[0] for k in sink.keys} == {"Patient", "Observation"}
    assert sorted(e.split(":")[0] for e in result.errors) == ["Condition", "Organization"]
    assert all("HTTP 403" in e for e in result.errors) and not result.not_granted


@pytest.mark.parametrize(
    ("scope", "rtype", "allowed"),
    [
        ("patient/*.read", "Condition", True),
        ("patient/*.rs", "Condition", True),
        ("patient/Observation.rs?category=laboratory", "Observation", True),
        ("patient/Observation.read", "Condition", False),
        ("patient/*.c", "Condition", False),
        ("patient/*.r", "Condition", False),  # read without search: a sync cannot use it
        ("user/*.cruds", "Procedure", True),
        ("openid fhirUser offline_access", "Condition", None),
        ("", "Condition", None),
    ],
)
def test_scope_allows_read(scope: str, rtype: str, allowed: bool | None) -> None:
    from medrecords_desktop.portals.smart import scope_allows_read

    assert scope_allows_read(scope, rtype) is allowed


def test_invalid_patient_id_is_refused(smart_config: SmartConfiguration, tokens: TokenSet) -> None:
    with (
        make_client(smart_config, tokens) as client,
        pytest.raises(PortalResponseError, match="invalid patient"),
    ):
        sync_patient(client, "../Observation", None, Sink())


def test_links_to_another_origin_are_not_followed(smart_config: SmartConfiguration, tokens: TokenSet) -> None:
    with make_client(smart_config, tokens) as client:
        with pytest.raises(PortalResponseError, match="outside the portal"):
            client.url_for("https://elsewhere.example/fhir/Observation?page=2")
        with pytest.raises(PortalResponseError, match="outside the portal"):
            client.download("http://127.0.0.2:1/Binary/x")
        assert client.url_for("Binary/x") == f"{client.base}/Binary/x"


def test_interrupted_sync_keeps_written_pages_and_a_rerun_completes(
    smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    """The sink is the vault's transaction boundary: a failure while writing page N leaves pages 1..N-1
    written, and running the same sync again delivers everything (the importer skips what it has)."""
    written: dict[str, dict[str, Any]] = {}

    class DiskFull(Exception):
        pass

    def failing_sink(resources: list[dict[str, Any]], info: PageInfo) -> None:
        if info.resource_type == "Observation" and info.page_number == 2:
            raise DiskFull()
        written.update({f"{r['resourceType']}/{r['id']}": r for r in resources})

    with make_client(smart_config, tokens) as client:
        with pytest.raises(DiskFull):
            sync_patient(client, PATIENT, None, failing_sink, page_size=2)
        assert {"Patient/portal-pat-1", "Observation/portal-obs-1"} <= set(written)
        assert "Condition/portal-cond-1" not in written
        sink = Sink()
        sync_patient(client, PATIENT, None, sink, page_size=2)
    written.update({k: sink.resource(k) for k in sink.keys})
    assert set(written) == _expected_from_fixture()


@pytest.mark.parametrize(
    "url",
    ["http://records.example.org/letter.pdf", "https://records.example.org/letter.pdf", "urn:uuid:1234"],
)
def test_attachment_elsewhere_is_reported_and_the_sync_goes_on(
    harness: Harness, smart_config: SmartConfiguration, url: str
) -> None:
    from medrecords_desktop.portals.smart import sign_in
    from tests.portal_support import CLIENT_ID, follow_in_browser

    other = "portal-pat-2"
    harness.put(
        {
            "resourceType": "DocumentReference",
            "id": "portal-doc-elsewhere",
            "status": "current",
            "subject": {"reference": f"Patient/{other}"},
            "content": [{"attachment": {"contentType": "application/pdf", "url": url}}],
        }
    )
    harness.control("patient", {"id": other})
    tokens = sign_in(smart_config, CLIENT_ID, follow_in_browser, timeout=10)
    sink = Sink()
    with make_client(smart_config, tokens) as client:
        result = sync_patient(client, other, None, sink)
    assert "DocumentReference/portal-doc-elsewhere" in sink.keys
    assert result.attachments == 0 and result.counts["Observation"] == 1
    assert len(result.errors) == 1 and "portal-doc-elsewhere: attachment not downloaded" in result.errors[0]
    assert sink.resource("DocumentReference/portal-doc-elsewhere")["content"][0]["attachment"]["url"] == url
