"""Find your provider: the shipped directory index, building it from Lantern-shaped files (a held-out
synthetic set, broader than the real files' habits), the CLI, and bad input."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from medrecords_desktop.errors import InvalidInput
from medrecords_desktop.portals import directory
from medrecords_desktop.portals.directory import build_index, load, parse_index, shipped_index_path

_ROOT = Path(__file__).resolve().parents[1]
# ../shared/portal-directory/lantern beside the clone (or a worktree's parent), or LANTERN_DIR.
LANTERN = next(
    (
        p
        for p in (
            Path(os.environ.get("LANTERN_DIR", "/nonexistent")),
            _ROOT.parent / "shared" / "portal-directory" / "lantern",
            _ROOT.parent.parent / "shared" / "portal-directory" / "lantern",
        )
        if p.is_dir()
    ),
    _ROOT.parent / "shared" / "portal-directory" / "lantern",
)


def test_shipped_index_finds_brooklyn_hospital_with_its_r4_base() -> None:
    hits = load().search("brooklyn hospital")
    epic = next(h for h in hits if h.organization == "The Brooklyn Hospital Center")
    assert epic.vendor.startswith("Epic") and epic.version == "R4"
    assert epic.fhir_base == "https://epicproxy.et1043.epichosted.com/FHIRProxy/api/FHIR/R4"
    # Its DSTU2 base (in the same developer's list) was left out: R4 is preferred.
    assert not any(h.organization == epic.organization and "DSTU2" in h.fhir_base for h in hits)
    assert all({"brooklyn", "hospital"} <= set(f"{h.organization} {h.city}".lower().split()) for h in hits)


def test_shipped_index_finds_by_zip_and_by_city() -> None:
    by_zip = load().search("11201")
    assert by_zip and all(h.zip == "11201" and h.city == "Brooklyn" and h.state == "NY" for h in by_zip)
    by_city = load().search("brooklyn ny", limit=200)
    assert any(h.zip == "11201" for h in by_city)  # found by its city though "Brooklyn" is not in its name
    assert load().search("zzqx nothing like this") == []


def test_shipped_index_is_compact_and_offers_payers() -> None:
    assert shipped_index_path().stat().st_size < 1_500_000
    payers = load().search("blue button", kind="payer")
    assert any(p.fhir_base == "https://api.bluebutton.cms.gov/v2/fhir" for p in payers)


def _lantern(tmp: Path, files: dict[str, list[dict]], listing: list[dict] | None = None) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    for name, endpoints in files.items():
        (tmp / name).write_text(json.dumps({"Endpoints": endpoints}), "utf-8")
    (tmp / "CHPLEndpointResourcesList.json").write_text(json.dumps(listing or []), "utf-8")
    return tmp


def _ep(url: str, name: str = "", zip5: str = "") -> dict:
    return {"URL": url, "OrganizationName": name, "NPIID": "", "OrganizationZipCode": zip5}


def test_build_rules_on_a_held_out_synthetic_set(tmp_path: Path) -> None:
    src = _lantern(
        tmp_path / "src",
        {
            "Acme_EHR_EndpointSources.json": [
                _ep("https://fhir.acme.example/api/FHIR/DSTU2/", "Saint Mary&#39;s  Hospital", "60601-1234"),
                _ep("https://fhir.acme.example/api/FHIR/R4/", "Saint Mary's Hospital", "60601"),
                _ep("https://old.acme.example/fhir/dstu2", "Only Old Clinic"),
                _ep("http://insecure.acme.example/fhir/r4", "Plain HTTP Clinic"),
                _ep("https://shared.acme.example/r4", ""),
                _ep("https://shared.acme.example/r4", "Tenant One"),
                _ep("https://shared.acme.example/r4", "Tenant Two"),
                _ep("https://fhir.stmarys-own.example/r4", "Saint Mary's Hospital"),
            ],
            "Medicare_PlanCoEndpointSources.json": [_ep("https://api.planco.example/fhir")],
        },
        [
            {
                "FileName": "Acme_EHR_EndpointSources.json",
                "EndpointName": "Acme EHR Inc.",
                "URL": "https://acme.example/endpoints",
            }
        ],
    )
    data, counts = build_index(src)
    d = parse_index(data)
    names = {(e.organization, e.fhir_base) for e in (d.entry(i) for i in range(len(d)))}
    assert ("Saint Mary's Hospital", "https://fhir.acme.example/api/FHIR/R4") in names
    assert not any("DSTU2" in base for org, base in names if org == "Saint Mary's Hospital")
    assert ("Only Old Clinic", "https://old.acme.example/fhir/dstu2") in names  # no newer one: kept
    assert not any("insecure" in base for _, base in names)  # http is never offered
    assert {"Tenant One", "Tenant Two", "Acme EHR Inc."} <= {o for o, b in names if "shared" in b}
    assert counts["dstu2_dropped"] == 1
    hit = d.search("st marys")  # not a word of the name: no hit; "saint mary" is
    assert hit == []
    mary = d.search("saint mary 60601")
    assert mary and mary[0].vendor == "Acme EHR Inc." and mary[0].vendor_page == "https://acme.example/endpoints"
    assert mary[0].version == "R4"
    own = next(h for h in d.search("saint mary") if "stmarys-own" in h.fhir_base)
    assert own.website == "https://stmarys-own.example"  # its own domain
    assert all(h.website == "" for h in d.search("tenant"))  # a shared base says nothing of a website
    plan = d.search("planco", kind="payer")
    assert plan and plan[0].kind == "payer"
    assert d.search("tenant one")[0].organization == "Tenant One"


def test_build_from_a_damaged_folder_names_the_file_and_keeps_the_index(tmp_path: Path) -> None:
    src = _lantern(tmp_path / "src", {"Good_EndpointSources.json": [_ep("https://a.example/r4", "A")]})
    (src / "Bad_EndpointSources.json").write_text('{"Endpoints": [', "utf-8")
    out = tmp_path / "index.tsv.gz"
    out.write_bytes(b"previous")
    with pytest.raises(InvalidInput, match="Bad_EndpointSources.json"):
        directory.write_index(src, out)
    assert out.read_bytes() == b"previous"
    with pytest.raises(InvalidInput, match="no \\*_EndpointSources.json"):
        build_index(tmp_path)
    with pytest.raises(InvalidInput, match="line 2"):
        parse_index(gzip.compress(b"#medrecords-portal-directory 1\nonly\tthree\tfields\n"))


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medrecords_desktop.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_find_then_add_from_directory(cli_env: dict[str, str]) -> None:
    found = _cli(cli_env, "portal", "find", "brooklyn", "hospital", "center", "--json")
    assert found.returncode == 0, found.stderr
    entry = next(h for h in json.loads(found.stdout) if h["organization"] == "The Brooklyn Hospital Center")
    added = _cli(
        cli_env, "portal", "add", "Brooklyn Hospital", "--person", "Alice Example", "--from-directory", str(entry["id"])
    )
    assert added.returncode == 0, added.stderr
    assert "no app registration for Epic" in added.stdout  # said plainly: this build has no Epic client id
    listed = json.loads(_cli(cli_env, "portal", "list", "--json").stdout)
    acct = next(a for a in listed if a["name"] == "Brooklyn Hospital")
    assert acct["fhir_base"] == entry["fhir_base"] and acct["brand"].startswith("Epic")
    assert acct["client_id"] is None
    missing = _cli(cli_env, "portal", "find", "qqqzzz")
    assert missing.returncode == 1 and "Not listed. Enter the portal's address" in missing.stdout


def test_cli_rebuild_writes_an_index_that_searches(cli_env: dict[str, str], tmp_path: Path) -> None:
    src = _lantern(tmp_path / "src", {"X_EndpointSources.json": [_ep("https://x.example/r4", "Riverbend Clinic")]})
    out = tmp_path / "dir.tsv.gz"
    r = _cli(cli_env, "portal", "directory", "--rebuild", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "2 organizations from 1 endpoints" in r.stdout  # and the built-in Medicare Blue Button
    assert directory.load(str(out)).search("riverbend")[0].fhir_base == "https://x.example/r4"


@pytest.mark.slow
@pytest.mark.skipif(not LANTERN.exists(), reason="the Lantern copy (../shared/portal-directory) is not here")
def test_rebuilding_from_the_lantern_copy_reproduces_the_shipped_index() -> None:
    pytest.importorskip("zipcodes")
    data, counts = build_index(LANTERN)
    assert data == shipped_index_path().read_bytes()
    assert counts["entries"] > 40_000 and counts["with_city"] > 5_000
