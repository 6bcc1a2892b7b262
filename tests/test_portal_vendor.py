"""Sync against the harness behaving like a large vendor's patient API (tests/portal_harness `vendor`):
category-or-code rule, opaque paging cursors, absolute Binary URLs, throttling bursts, maintenance."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from medrecords_desktop.portals.client import RetryPolicy
from medrecords_desktop.portals.errors import PortalUnavailable
from medrecords_desktop.portals.smart import SmartConfiguration, TokenSet, sign_in
from medrecords_desktop.portals.sync import PageInfo, sync_patient
from medrecords_desktop.portals.vendor import parse_capabilities
from tests.portal_support import CLIENT_ID, Harness, follow_in_browser, make_client
from tests.vendor_data import NEW_TYPES, VENDOR_CATEGORY, transaction, vendor_record

VPAT = "vendor-pat-1"
RIDE_OUT = RetryPolicy(max_attempts=40, base_delay=0.02, max_delay=0.1, max_retry_after=3.0, max_total_wait=8.0)


class Sink:
    def __init__(self) -> None:
        self.keys: list[str] = []
        self.resources: dict[str, dict[str, Any]] = {}

    def __call__(self, resources: list[dict[str, Any]], info: PageInfo) -> None:
        for r in resources:
            k = f"{r['resourceType']}/{r['id']}"
            self.keys.append(k)
            self.resources[k] = json.loads(json.dumps(r))


@pytest.fixture(scope="module")
def loaded(portal_harness: Harness) -> list[dict[str, Any]]:
    record = vendor_record(VPAT, observations=60, documents=6)
    portal_harness.load(transaction(record))
    return record


@pytest.fixture
def vtokens(loaded: list[dict[str, Any]], harness: Harness, smart_config: SmartConfiguration) -> TokenSet:
    harness.control("patient", {"id": VPAT})
    harness.control("vendor", {"on": True, "rules": {"extraCategories": {"Observation": [VENDOR_CATEGORY]}}})
    return sign_in(smart_config, CLIENT_ID, follow_in_browser, timeout=10)


def _expected(record: list[dict[str, Any]]) -> set[str]:
    return {f"{r['resourceType']}/{r['id']}" for r in record if r["resourceType"] != "Binary"}


def test_plain_observation_search_is_refused_by_the_vendor_server(
    harness: Harness, vtokens: TokenSet, smart_config: SmartConfiguration
) -> None:
    """The rule the sync must live with: the harness really refuses, with an OperationOutcome."""
    with make_client(smart_config, vtokens) as client:
        fetched = client.request("GET", "Observation", params={"patient": VPAT})
    assert fetched.status == 400
    body = json.loads(fetched.body)
    assert body["resourceType"] == "OperationOutcome" and "category" in json.dumps(body)


def test_vendor_server_gives_every_observation_and_document_once(
    harness: Harness, vtokens: TokenSet, smart_config: SmartConfiguration, loaded: list[dict[str, Any]]
) -> None:
    sink = Sink()
    with make_client(smart_config, vtokens) as client:
        result = sync_patient(client, VPAT, None, sink, page_size=3)
    counts = Counter(sink.keys)
    assert [k for k, n in counts.items() if n > 1] == []  # once, though some Observations sit in two categories
    assert set(sink.keys) == _expected(loaded)
    n_obs = sum(1 for r in loaded if r["resourceType"] == "Observation")
    assert result.counts["Observation"] == n_obs == 60
    assert result.counts["DocumentReference"] == 6 and result.attachments == 6
    # The vendor's own category only the CapabilityStatement names was asked for too.
    assert any(f"category={VENDOR_CATEGORY}" in line for line in harness.log())
    assert any(k.startswith("Observation/") and VENDOR_CATEGORY in json.dumps(r) for k, r in sink.resources.items())
    # Attachments came by absolute URL and their bytes are inside.
    doc = sink.resources[f"DocumentReference/{VPAT}-doc-0"]
    att = doc["content"][0]["attachment"]
    assert att["url"].startswith(harness.fhir_base + "/Binary/") and att["data"]
    # Paging went through the opaque cursors, and each new type arrived.
    assert any("_getpages=" in line for line in harness.log())
    for rtype in NEW_TYPES:
        assert result.counts[rtype] >= 1, rtype
    # The refusals that made it go per category are notes, not errors; nothing is reported missing.
    assert not result.errors and any("per category" in n for n in result.notes)


def test_a_refusal_without_another_way_is_reported_not_taken_for_nothing(
    harness: Harness, vtokens: TokenSet, smart_config: SmartConfiguration
) -> None:
    # This vendor also insists on a code for Condition: no category list can satisfy it.
    harness.control(
        "vendor", {"on": True, "rules": {"require": {"Observation": ["category", "code"], "Condition": ["code"]}}}
    )
    sink = Sink()
    with make_client(smart_config, vtokens) as client:
        result = sync_patient(client, VPAT, None, sink, types=("Condition", "Goal"))
    assert result.counts["Goal"] >= 1  # the rest went on
    assert any(r.startswith("Condition") and "requires" in r for r in result.refused)
    assert any("refused" in e and "Condition" in e for e in result.errors)


def test_capability_statement_decides_types_and_parameters(
    harness: Harness, vtokens: TokenSet, smart_config: SmartConfiguration
) -> None:
    harness.control(
        "vendor",
        {
            "on": True,
            "rules": {
                "types": ["Patient", "Observation", "Appointment", "Organization"],
                "noLastUpdated": ["Appointment"],
            },
        },
    )
    with make_client(smart_config, vtokens) as client:
        first = sync_patient(client, VPAT, None, Sink(), types=("Observation", "Appointment", "Specimen"))
        assert first.not_offered == ["Specimen"] and not first.errors
        assert first.counts["Appointment"] >= 2
        harness.control("clear-log")
        again = sync_patient(client, VPAT, first.high_water_mark, Sink(), types=("Observation", "Appointment"))
    log = harness.log()
    appt = [line for line in log if line.startswith("GET /Appointment")]
    assert appt and all("_lastUpdated" not in line for line in appt)  # the server says it cannot: not sent
    assert not again.errors and again.counts["Appointment"] == 0  # filtered on our side instead


def test_parse_capabilities_reads_listed_categories_only() -> None:
    cs = {
        "resourceType": "CapabilityStatement",
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {
                        "type": "Observation",
                        "searchParam": [
                            {"name": "patient"},
                            {
                                "name": "category",
                                "documentation": "Supported categories: laboratory, smartdata | vitals-x",
                            },
                        ],
                    },
                    {"type": "Goal"},
                ],
            }
        ],
    }
    caps = parse_capabilities(cs)
    assert caps.offers("Goal") and not caps.offers("Specimen")
    assert caps.categories["Observation"] == ("laboratory", "smartdata", "vitals-x")
    assert "smartdata" in caps.category_values("Observation")
    assert not caps.supports("Observation", "_lastUpdated") and caps.supports("Goal", "_lastUpdated")
    free_text = parse_capabilities(
        {
            "resourceType": "CapabilityStatement",
            "rest": [
                {
                    "resource": [
                        {
                            "type": "Observation",
                            "searchParam": [{"name": "category", "documentation": "The category of the thing"}],
                        }
                    ]
                }
            ],
        }
    )
    assert free_text.categories == {}
    assert parse_capabilities({"resourceType": "Patient"}).offers("Anything")


def test_a_burst_of_drops_throttling_and_503s_is_ridden_out(
    harness: Harness, vtokens: TokenSet, smart_config: SmartConfiguration
) -> None:
    """The issue's burst: two dropped connections, three 429s with Retry-After, two 503s in a row."""
    harness.fault("drop", count=2, match="/Observation")
    harness.fault(429, count=1, retry_after=1, match="/Observation")
    harness.fault(429, count=2, retry_after=0, match="/Observation")
    harness.fault(503, count=2, match="/Observation")
    sink = Sink()
    with make_client(smart_config, vtokens, retry=RIDE_OUT) as client:
        result = sync_patient(client, VPAT, None, sink, types=("Observation",))
    assert result.counts["Observation"] == 60 and not result.errors
    assert client.stats.retries == 7 and client.stats.waited_seconds >= 1.0  # Retry-After: 1 was honoured
    by_status = harness.stats()["byStatus"]
    assert by_status.get("429") == 3 and by_status.get("503") == 2


def test_default_policy_rides_out_a_minute_and_no_more() -> None:
    policy = RetryPolicy()
    assert policy.max_total_wait >= 60 and policy.max_attempts >= 20
    assert all(policy.backoff(i) <= policy.max_delay for i in range(40))


def test_a_long_outage_ends_clearly_and_the_next_sync_resumes_without_refetching(
    harness: Harness, vtokens: TokenSet, smart_config: SmartConfiguration, loaded: list[dict[str, Any]]
) -> None:
    checkpoints: list[dict[str, Any]] = []
    first = Sink()
    pages = 0

    def sink(resources: list[dict[str, Any]], info: PageInfo) -> None:
        nonlocal pages
        first(resources, info)
        pages += 1
        if info.resource_type == "Observation" and info.page_number == 1 and pages > 1:
            harness.control("outage", {"seconds": 30, "retryAfter": 1})  # maintenance starts mid-search

    short = RetryPolicy(max_attempts=40, base_delay=0.02, max_delay=0.1, max_retry_after=3.0, max_total_wait=1.5)
    with make_client(smart_config, vtokens, retry=short) as client, pytest.raises(PortalUnavailable) as err:
        sync_patient(client, VPAT, None, sink, page_size=2, on_checkpoint=checkpoints.append)
    assert "not answering properly" in str(err.value) and "Try again later" in str(err.value)
    saved = checkpoints[-1]
    assert saved["current"] and saved["current"]["key"].startswith("Observation")
    log_first = [line for line in harness.log() if "-> 503" not in line]

    harness.control("outage", {"seconds": 0})
    harness.control("clear-log")
    second = Sink()
    with make_client(smart_config, vtokens, retry=short) as client:
        result = sync_patient(client, VPAT, None, second, page_size=2, resume=saved)
    assert result.resumed and not result.errors
    assert set(first.keys) | set(second.keys) == _expected(loaded)
    log_second = harness.log()
    # Committed pages are not fetched again: no request of the first run is repeated (cursors are unique),
    # the Patient and the searches finished before the outage are not asked for again...
    assert not set(log_first) & set(log_second)
    assert not any(line.startswith("GET /Patient") for line in log_second)
    # ...and the interrupted search continued from its saved cursor.
    token = saved["current"]["next"].split("_getpages=")[1]
    assert any(token in line for line in log_second)
    # Only what a finished search could not know about comes twice: Observations in two categories.
    twice = set(first.keys) & set(second.keys)
    assert all("exam" in json.dumps(second.resources[k].get("category")) for k in twice)


def test_an_expired_cursor_restarts_only_that_search(
    harness: Harness, vtokens: TokenSet, smart_config: SmartConfiguration, loaded: list[dict[str, Any]]
) -> None:
    checkpoints: list[dict[str, Any]] = []
    with make_client(smart_config, vtokens) as client:
        stop = RuntimeError("interrupted")

        def sink(resources: list[dict[str, Any]], info: PageInfo) -> None:
            if info.resource_type == "Observation" and info.page_number == 2:
                raise stop

        with pytest.raises(RuntimeError):
            sync_patient(client, VPAT, None, sink, page_size=2, on_checkpoint=checkpoints.append)
        harness.control("forget-pages")  # the portal's cursors expire meanwhile
        again = Sink()
        result = sync_patient(client, VPAT, None, again, page_size=2, resume=checkpoints[-1])
    assert checkpoints[-1]["current"]["key"] == "Observation?category=laboratory"
    assert not result.errors and any("expired" in n for n in result.notes)
    lab = {
        f"Observation/{r['id']}"
        for r in loaded
        if r["resourceType"] == "Observation" and "laboratory" in json.dumps(r["category"])
    }
    assert len(lab) == 4 and lab <= set(again.keys)  # the whole laboratory search again, from its start
