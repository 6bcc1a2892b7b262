"""Every CDC CDSi test case (healthy childhood and adult, v4.45) through the forecaster.

The workbook lives beside the repo in ../shared/cdsi (or $MEDRECORDS_CDSI); without it these tests
skip with a message. About 30% of the cases (by a hash of the case id) were held out of tuning;
both pass rates are checked.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from medrecords_desktop.immunization import build, cdc_cases
from medrecords_desktop.immunization.data import SHIPPED
from medrecords_desktop.immunization.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
CDSI = Path(os.environ.get("MEDRECORDS_CDSI", ROOT.parent / "shared" / "cdsi"))
WORKBOOK = CDSI / "test-cases" / "cdsi-healthy-childhood-and-adult-test-cases-v4.45.xlsx"
SUPPORTING = CDSI / "supporting-data-4.64"


def _need(p: Path) -> Path:
    if not p.exists():
        pytest.skip(f"CDC CDSi data not present at {p} (../shared/cdsi is optional; set MEDRECORDS_CDSI)")
    return p


@pytest.fixture(scope="module")
def outcomes():
    pytest.importorskip("openpyxl", reason="openpyxl (dev extra) reads the CDC workbook")
    cases = cdc_cases.read_cases(_need(WORKBOOK))
    t0 = time.perf_counter()
    out = cdc_cases.run_all(cases, Engine())
    return out, time.perf_counter() - t0


def test_every_cdc_case_runs_and_at_least_98_percent_are_fully_right(outcomes):
    out, secs = outcomes
    assert len(out) > 1000, "the workbook should hold about 1,000 cases"
    print("\n" + cdc_cases.report(out))
    tuning = [o for o in out if not cdc_cases.held_out(o.case.id)]
    held = [o for o in out if cdc_cases.held_out(o.case.id)]
    assert 0.25 < len(held) / len(out) < 0.35
    for label, part in (("tuning", tuning), ("held-out", held), ("all", out)):
        rate = sum(o.ok for o in part) / len(part)
        assert rate >= 0.98, f"{label} pass rate {rate:.1%}"
    assert secs < 10, f"all CDC cases took {secs:.1f} s"


def test_no_new_failures_beyond_the_explained_ones(outcomes):
    out, _ = outcomes
    failing = {o.case.id: o.problems for o in out if not o.ok}
    unexplained = {k: v for k, v in failing.items() if k not in cdc_cases.KNOWN_FAILURES}
    assert not unexplained, f"failing CDC cases without a known cause: {unexplained}"


def test_each_dose_and_each_date_is_compared(outcomes):
    """The comparison really looks at doses and dates: spoil one expected value and it fails."""
    out, _ = outcomes
    engine = Engine()
    case = next(o.case for o in out if o.ok and o.case.doses and o.case.earliest)
    import dataclasses

    bad_date = dataclasses.replace(case, earliest=case.earliest.replace(year=case.earliest.year + 1))
    assert not cdc_cases.run_case(engine, bad_date).ok
    flipped = [("Not Valid" if s == "Valid" else "Valid", r) for s, r in case.expected_doses]
    assert not cdc_cases.run_case(engine, dataclasses.replace(case, expected_doses=flipped)).ok


def test_shipped_data_is_exactly_the_conversion_of_the_cdc_xml():
    """data/cdsi.json is produced by the build script from the CDC files, never edited by hand."""
    fresh = build.build(_need(SUPPORTING))
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert fresh["version"] == "4.64"
    assert fresh == shipped


def test_load_data_installs_a_newer_release_from_the_cli(tmp_path):
    """`medrecords immunizations --load-data DIR`: converted, kept in the user's folder, preferred
    when newer; a folder that is not CDSi data is refused with a one-line message."""
    import shutil
    import subprocess
    import sys

    newer = tmp_path / "supporting-data-4.99"
    shutil.copytree(_need(SUPPORTING), newer)
    env = dict(os.environ, MEDRECORDS_CDSI_DIR=str(tmp_path / "user"))
    run = [sys.executable, "-m", "medrecords_desktop.cli", "immunizations", "--load-data"]
    out = subprocess.run(run + [str(newer)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "4.99" in out.stdout
    from medrecords_desktop.immunization import data

    saved = json.loads((tmp_path / "user" / "cdsi.json").read_text("utf-8"))
    assert saved["version"] == "4.99" and set(saved["antigens"]) == set(json.loads(SHIPPED.read_text())["antigens"])
    bad = subprocess.run(run + [str(tmp_path)], env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "no ScheduleSupportingData.xml" in bad.stderr and "Traceback" not in bad.stderr
    assert data.SHIPPED.exists()
