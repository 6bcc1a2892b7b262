"""Sync a Synthea patient (third-party bulk export from the corpus) through the real harness."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from medrecords_desktop.portals.smart import SmartConfiguration, sign_in
from medrecords_desktop.portals.sync import CLINICAL_TYPES, PageInfo, sync_patient
from tests.conftest import corpus_path
from tests.portal_support import (
    CLIENT_ID,
    Harness,
    follow_in_browser,
    make_client,
    patient_ref,
    synthea_transaction,
)

pytestmark = pytest.mark.corpus
PATIENT = "129c6ac7-8d06-89de-ad63-0204a93e76c3"  # about 1,270 resources in the export
OTHER = "63ee2253-bdd5-da55-2ad2-b4984d0ad700"  # a small record, loaded beside it: must not leak in


def test_synthea_patient_arrives_whole_and_alone(harness: Harness, smart_config: SmartConfiguration) -> None:
    bundle = synthea_transaction(corpus_path("synthea-bulk-10-patients"))
    # Two patients plus the shared practitioners, organisations and locations: the harness scans every
    # stored resource of a type on each patient= search, so the other eight would only slow the test.
    keep = (None, f"Patient/{PATIENT}", f"Patient/{OTHER}")
    bundle["entry"] = [
        e
        for e in bundle["entry"]
        if patient_ref(e["resource"]) in keep
        and (e["resource"]["resourceType"] != "Patient" or e["resource"]["id"] in (PATIENT, OTHER))
    ]
    resources = [e["resource"] for e in bundle["entry"]]
    mine = [r for r in resources if r["resourceType"] in CLINICAL_TYPES and patient_ref(r) == f"Patient/{PATIENT}"]
    others = [r for r in resources if patient_ref(r) not in (None, f"Patient/{PATIENT}")]
    assert len(mine) > 1000 and others
    harness.load(bundle)
    harness.control("patient", {"id": PATIENT})
    tokens = sign_in(smart_config, CLIENT_ID, follow_in_browser, timeout=10)
    assert tokens.patient == PATIENT

    got: list[dict[str, Any]] = []

    def sink(page: list[dict[str, Any]], info: PageInfo) -> None:
        got.extend(page)

    with make_client(smart_config, tokens) as client:
        result = sync_patient(client, PATIENT, None, sink)
        again = sync_patient(client, PATIENT, result.high_water_mark, sink)
    keys = [f"{r['resourceType']}/{r['id']}" for r in got]
    assert len(keys) == len(set(keys))
    clinical = {k for k in keys if k.split("/")[0] in CLINICAL_TYPES}
    assert clinical == {f"{r['resourceType']}/{r['id']}" for r in mine}
    assert Counter(k.split("/")[0] for k in clinical) == Counter(r["resourceType"] for r in mine)
    assert not any(patient_ref(r) not in (None, f"Patient/{PATIENT}") for r in got)
    # Referenced practitioners and organisations came along, with their real content.
    by_key = {f"{r['resourceType']}/{r['id']}": r for r in resources}
    referenced = [k for k in keys if k.split("/")[0] in ("Organization", "Practitioner")]
    assert result.counts["Practitioner"] > 0 and result.counts["Organization"] > 0
    for k in referenced:
        assert json.dumps(by_key[k]["name"]) in json.dumps(
            next(r for r in got if f"{r['resourceType']}/{r['id']}" == k)
        )
    assert again.total == 0 and not result.errors and not again.errors
