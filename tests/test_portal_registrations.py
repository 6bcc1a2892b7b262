"""App registrations: this build's client ids per vendor, a per-portal override, and RFC 7591 dynamic
client registration against the harness (which can refuse client ids it did not register)."""

from __future__ import annotations

import pytest

from medrecords_desktop.portals.errors import AuthorizationFailed
from medrecords_desktop.portals.registrations import NoRegistration, for_portal, registrations
from medrecords_desktop.services.portals import PortalService
from tests.portal_support import FAST_RETRY, Harness, follow_in_browser

EPIC = "Epic Systems Corporation"


def test_the_data_file_names_the_big_vendors_with_empty_ids_to_fill() -> None:
    vendors = {r.vendor for r in registrations()}
    for v in (
        "Epic",
        "Oracle Health (Cerner)",
        "athenahealth",
        "MEDITECH",
        "NextGen",
        "eClinicalWorks",
        "Veradigm (Allscripts)",
        "Medicare Blue Button 2.0",
    ):
        assert v in vendors
    assert for_portal(EPIC, "https://x.example/api/FHIR/R4").vendor == "Epic"
    assert for_portal(None, "https://api.bluebutton.cms.gov/v2/fhir").vendor == "Medicare Blue Button 2.0"
    assert for_portal("Tiny EHR", "https://127.0.0.1:9/fhir") is None


def test_dynamic_registration_where_the_server_offers_it(vault, harness: Harness) -> None:
    harness.control("dcr", {"on": True, "required": True})
    svc = PortalService(vault)
    svc.add("Big Hospital", "Alice Example", fhir_base=harness.fhir_base, brand=EPIC)
    assert svc.account("Big Hospital").client_id is None
    assert "no app registration for Epic" in (svc.registration_status("Big Hospital") or "")
    a = svc.connect("Big Hospital", follow_in_browser, timeout=10)
    assert a.status == "connected" and a.client_id and a.client_id.startswith("dyn-")
    assert svc.registration_status("Big Hospital") is None
    out = svc.sync("Big Hospital", retry=FAST_RETRY)
    assert out.fetched > 0 and not out.errors


def test_without_registration_or_dcr_connect_says_so_plainly(vault, harness: Harness) -> None:
    svc = PortalService(vault)
    svc.add("Big Hospital", "Alice Example", fhir_base=harness.fhir_base, brand=EPIC)
    with pytest.raises(NoRegistration, match="no app registration for Epic.*client id the portal gave you"):
        svc.connect("Big Hospital", follow_in_browser, timeout=10)


def test_per_portal_client_id_overrides_and_unregistered_ids_are_refused(vault, harness: Harness) -> None:
    harness.control("dcr", {"on": True, "required": True})
    svc = PortalService(vault)
    svc.add("Typed Id", "Alice Example", fhir_base=harness.fhir_base, brand=EPIC, client_id="not-registered")
    assert svc.account("Typed Id").client_id == "not-registered" and svc.registration_status("Typed Id") is None
    with pytest.raises(AuthorizationFailed):  # the server really checks: an id it never issued is refused
        svc.connect("Typed Id", follow_in_browser, timeout=10)
