"""Immunizations from the person's record: CVX from names and codes, de-duplication across sources,
conditions from SNOMED/ICD-10, the vault service and the CLI. (The CDC cases: test_immunization_cdc.py.)"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from medrecords_desktop.immunization import build, dates
from medrecords_desktop.immunization.data import load
from medrecords_desktop.immunization.engine import Engine
from medrecords_desktop.immunization.model import Dose, Patient
from medrecords_desktop.immunization.record import cvx_of, doses_from_items, observations_from_items
from medrecords_desktop.importers.base import ParsedFile
from medrecords_desktop.model.records import Coding, Condition, Immunization, Provenance
from medrecords_desktop.services.immunizations import ImmunizationService
from medrecords_desktop.services.importing import ImportOptions, ImportService

SUP = load()
AS_OF = dt.date(2026, 6, 1)
CVX = "http://hl7.org/fhir/sid/cvx"
NDC = "http://hl7.org/fhir/sid/ndc"


# --- dates ----------------------------------------------------------------------------------------
def test_cdsi_date_arithmetic() -> None:
    d = dt.date(2025, 1, 31)
    assert dates.add(d, "1 month") == dt.date(2025, 3, 1)  # 31 February -> 1 March
    assert dates.add(d, "6 weeks - 4 days") == dt.date(2025, 3, 10)
    assert dates.add(dt.date(2024, 2, 29), "1 year") == dt.date(2025, 3, 1)
    assert dates.add(d, "") is None
    with pytest.raises(ValueError):
        dates.parse_duration("six weeks")


# --- names and codes to CVX -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "cvx"),
    [
        ("Pediarix", "110"),
        ("MMR vaccine", "03"),
        ("Tdap", "115"),
        ("Boostrix (Tdap)", "115"),
        ("Gardasil 9", "165"),
        ("Shingrix", "187"),
        ("Prevnar 20", "216"),
        ("flu shot", "88"),
        ("Chickenpox", "21"),
        ("Hepatitis B vaccine (Engerix-B)", "08"),
        ("Polio (IPV)", "10"),
        ("COVID-19 vaccine", "213"),
    ],
)
def test_names_map_to_cvx(title: str, cvx: str) -> None:
    assert cvx_of(Immunization(title=title), SUP)[0] == cvx


def test_codes_win_over_names_and_ndc_gives_the_maker() -> None:
    assert cvx_of(Immunization(title="Pediarix", code_system=CVX, code="20"), SUP)[0] == "20"
    imm = Immunization(title="x", code_system=NDC, code="58160-0811-52", display="Pediarix")
    assert cvx_of(imm, SUP) == ("110", "SKB")
    translated = Immunization(
        title="x",
        code_system=NDC,
        code="49281-0400-10",
        codes=[Coding("urn:oid:2.16.840.1.113883.12.292", "115", "Tdap")],
    )
    assert cvx_of(translated, SUP) == ("115", "PMC")
    assert cvx_of(Immunization(title="Vitamin K injection"), SUP)[0] == ""


def test_doses_not_given_do_not_count_and_unknown_names_are_reported() -> None:
    items = [
        Immunization(title="MMR", date="2020-01-01", status="not-done"),
        Immunization(title="MMR", date="2020-02-01", note="not given: parent refused"),
        Immunization(title="Vitamin K", date="2020-01-01"),
        Immunization(title="MMR", date="2021-01-01", status="completed"),
    ]
    rd = doses_from_items(items, SUP)
    assert [(d.date.isoformat(), d.cvx) for d in rd.doses] == [("2021-01-01", "03")]
    assert rd.not_given == 2 and rd.unrecognised == ["Vitamin K"]


def test_same_dose_from_two_sources_counts_once_prefer_the_specific_product() -> None:
    items = [
        Immunization(title="DTaP, unspecified", date="2020-03-01", code_system=CVX, code="107", id="a"),
        Immunization(title="Pediarix", date="2020-03-01", id="b"),  # same day, DTaP group
        Immunization(title="IPV", date="2020-03-01", code_system=CVX, code="10", id="c"),
        Immunization(title="DTaP", date="2020-05-01", code_system=CVX, code="20", id="d"),
    ]
    rd = doses_from_items(items, SUP)
    # Pediarix (DTaP-HepB-IPV) and DTaP unspecified share the DTaP group on 2020-03-01 but not the same
    # set of groups: both stay; the IPV dose is its own dose
    assert sorted(d.ref for d in rd.doses) == ["a", "b", "c", "d"]
    twice = [
        Immunization(title="DTaP, unspecified", date="2020-03-01", code_system=CVX, code="107", id="a"),
        Immunization(title="Daptacel", date="2020-03-01", code_system=CVX, code="106", id="b"),
    ]
    rd = doses_from_items(twice, SUP)
    assert [d.ref for d in rd.doses] == ["b"] and len(rd.duplicates) == 1


def test_conditions_map_to_cdsi_observations() -> None:
    items = [
        Condition(title="Pregnant", code_system="http://snomed.info/sct", code="77386006", clinical_status="active"),
        Condition(title="Asplenia", code_system="http://hl7.org/fhir/sid/icd-10-cm", code="D73.0"),
        Condition(
            title="HIV (resolved?)",
            code_system="http://hl7.org/fhir/sid/icd-10-cm",
            code="B20",
            verification_status="refuted",
        ),
    ]
    assert observations_from_items(items, SUP, AS_OF) == frozenset({"007", "160"})


def test_a_condition_changes_the_forecast() -> None:
    """Asplenia puts an adult into the risk series for MenACWY; without it nothing is due."""
    adult = Patient(dt.date(1990, 1, 1), "F")
    plain = Engine(SUP).assess(adult, [], AS_OF, groups=["Meningococcal"]).groups["Meningococcal"]
    risk = (
        Engine(SUP)
        .assess(Patient(adult.birth_date, "F", frozenset({"160"})), [], AS_OF, groups=["Meningococcal"])
        .groups["Meningococcal"]
    )
    assert plain.forecast is None or plain.status != "Not Complete"
    assert risk.status == "Not Complete" and risk.forecast is not None


def test_pregnancy_in_the_record_stops_live_vaccines_and_says_why() -> None:
    woman = Patient(dt.date(1995, 5, 5), "F")
    pregnant = Patient(woman.birth_date, "F", frozenset({"007"}))
    eng = Engine(SUP)
    before = eng.assess(woman, [], AS_OF, groups=["MMR", "Varicella", "DTaP/Tdap/Td"]).groups
    during = eng.assess(pregnant, [], AS_OF, groups=["MMR", "Varicella", "DTaP/Tdap/Td"]).groups
    assert before["MMR"].status == "Not Complete" and before["MMR"].forecast is not None
    assert during["MMR"].status == "Contraindicated" and during["MMR"].forecast is None
    assert "Pregnant" in during["MMR"].reason
    assert during["Varicella"].status == "Contraindicated"
    assert during["DTaP/Tdap/Td"].status == "Not Complete"  # Tdap is not stopped by pregnancy


# --- the supporting data ---------------------------------------------------------------------------
def test_bad_supporting_data_is_refused_with_the_file_name(tmp_path) -> None:
    (tmp_path / "ScheduleSupportingData.xml").write_text("<scheduleSupportingData><oops></scheduleSupportingData>")
    (tmp_path / "AntigenSupportingData- X-508.xml").write_text("<antigenSupportingData/>")
    with pytest.raises(build.CdsiDataError, match="ScheduleSupportingData.xml|AntigenSupportingData"):
        build.build(tmp_path)
    with pytest.raises(build.CdsiDataError, match="no ScheduleSupportingData.xml"):
        build.build(tmp_path / "nowhere")


def test_a_newer_loaded_version_is_preferred(tmp_path, monkeypatch) -> None:
    from medrecords_desktop.immunization import data

    monkeypatch.setenv("MEDRECORDS_CDSI_DIR", str(tmp_path))
    raw = json.loads(data.SHIPPED.read_text("utf-8"))
    raw["version"] = "9.99"
    (tmp_path / "cdsi.json").write_text(json.dumps(raw))
    assert data.load().version == "9.99"
    (tmp_path / "cdsi.json").write_text("{not json")  # a damaged copy never hides the shipped one
    assert data.load().version == "4.64"


# --- the vault: three overlapping sources ----------------------------------------------------------
def _write(vault, person, items, kind, name):
    ImportService(vault).write_parsed(
        ParsedFile(name, "fhir-json", items=items), ImportOptions(person=person), source_kind=kind
    )


def _prov(kind: str, name: str, i: int) -> Provenance:
    return Provenance(
        source_kind=kind,
        source_name=name,
        source_id=f"{name}:{i}",
        raw_format="manual" if kind == "manual" else "fhir+json",
    )


SCHEDULE = [
    ("2015-11-01", "08", "Hep B, pediatric"),
    ("2016-01-02", "110", "Pediarix"),
    ("2016-01-02", "49", "PedvaxHIB"),
    ("2016-01-02", "133", "Prevnar 13"),
    ("2016-03-05", "110", "Pediarix"),
    ("2016-03-05", "49", "PedvaxHIB"),
    ("2016-05-07", "110", "Pediarix"),
    ("2016-09-10", "03", "MMR"),
    ("2016-09-10", "21", "Varicella"),
    ("2016-11-12", "20", "DTaP"),
    ("2019-09-20", "130", "Kinrix"),
    ("2019-09-20", "94", "ProQuad"),
]


def test_three_overlapping_sources_give_the_forecast_of_the_deduplicated_list(vault) -> None:
    person = "Bobby Example"  # born 2015-09-01 in the template vault
    pediatrician = [
        Immunization(
            title=t,
            date=d,
            code_system=CVX,
            code=c,
            status="completed",
            provenance=_prov("portal", "Pediatrics portal", i),
        )
        for i, (d, c, t) in enumerate(SCHEDULE[:9])
    ]
    # the pharmacy / urgent care C-CDA: later doses plus some of the same ones, coded by NDC and name only
    urgent = [
        Immunization(
            title=t,
            date=d,
            code_system=NDC,
            code=f"00000-{i:04d}-01",
            display=t,
            provenance=_prov("file", "urgent-care.xml", i),
        )
        for i, (d, c, t) in enumerate(SCHEDULE[6:])
    ]
    # the school form typed in by hand: names only, overlapping both
    school = [
        Immunization(title=t, date=d, provenance=_prov("manual", "School form", i))
        for i, (d, c, t) in enumerate(SCHEDULE[::2])
    ]
    _write(vault, person, pediatrician, "portal", "Pediatrics portal")
    _write(vault, person, urgent, "file", "urgent-care.xml")
    _write(vault, person, school, "manual", "School form")
    svc = ImmunizationService(vault)
    items = svc._items(vault.person(person).id, ("immunization",))
    assert len(items) > len(SCHEDULE)  # the overlap is really stored three times over
    view = svc.for_person(person, AS_OF)
    assert view.duplicates == len(items) - len(SCHEDULE)
    unique = [Dose(dt.date.fromisoformat(d), c) for d, c, _t in SCHEDULE]
    expected = Engine(SUP).assess(Patient(dt.date(2015, 9, 1), "M"), unique, AS_OF)
    for g in view.groups:
        e = expected.groups[g.group]
        f = e.forecast
        assert (g.status, g.earliest, g.recommended, g.past_due) == (
            e.status,
            f and f.earliest and f.earliest.isoformat(),
            f and f.recommended and f.recommended.isoformat(),
            f and f.past_due and f.past_due.isoformat(),
        ), g.group
        assert [(d["date"], d["status"]) for d in g.doses] == [(d.date.isoformat(), st) for d, st, _r in e.doses]
    assert view.unconfirmed == []  # every school-form dose is also in a clinical record


def test_a_dose_only_the_school_form_records_is_listed_for_the_tracker(vault) -> None:
    person = "Bobby Example"
    _write(
        vault,
        person,
        [
            Immunization(
                title="MMR",
                date="2016-09-10",
                code_system=CVX,
                code="03",
                provenance=_prov("portal", "Pediatrics portal", 1),
            )
        ],
        "portal",
        "p",
    )
    _write(
        vault,
        person,
        [
            Immunization(title="MMR", date="2016-09-10", provenance=_prov("manual", "School form", 1)),
            Immunization(title="Varicella", date="2019-09-20", provenance=_prov("manual", "School form", 2)),
        ],
        "manual",
        "School form",
    )
    view = ImmunizationService(vault).for_person(person, AS_OF)
    assert [(u["date"], u["cvx"]) for u in view.unconfirmed] == [("2019-09-20", "21")]


def test_cli_immunizations_text_and_json(vault, cli_env) -> None:
    _write(
        vault,
        "Bobby Example",
        [Immunization(title="DTaP", date="2015-11-02", code_system=CVX, code="20", provenance=_prov("portal", "p", 1))],
        "portal",
        "p",
    )
    vault.close()
    run = [
        sys.executable,
        "-m",
        "medrecords_desktop.cli",
        "immunizations",
        "--person",
        "Bobby Example",
        "--as-of",
        "2026-06-01",
    ]
    out = subprocess.run(run + ["--doses"], env=cli_env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "not medical advice" in out.stdout and "CDSi supporting data version 4.64" in out.stdout
    assert "OVERDUE" in out.stdout and "DTaP/Tdap/Td" in out.stdout
    js = subprocess.run(run + ["--json"], env=cli_env, capture_output=True, text=True, timeout=120)
    data = json.loads(js.stdout)[0]
    dtap = next(g for g in data["groups"] if g["group"] == "DTaP/Tdap/Td")
    assert dtap["doses"][0]["status"] == "Valid" and dtap["state"] == "overdue"
    bad = subprocess.run(run[:-1] + ["June"], env=cli_env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--as-of June" in bad.stderr and "Traceback" not in bad.stderr


def test_packet_has_a_due_at_this_visit_section(vault, tmp_path) -> None:
    from pypdf import PdfReader

    from medrecords_desktop.services.exporting import ExportService, PacketChoice
    from medrecords_desktop.tools.screenshots_immunizations import add_child_history

    add_child_history(vault, "Bobby Example")
    out = tmp_path / "packet.pdf"
    ExportService(vault).packet(
        PacketChoice(person="Bobby Example", prepared_for="Dr. Test"), out, "packet pass phrase 1"
    )
    reader = PdfReader(out)
    assert reader.decrypt("packet pass phrase 1")
    text = "\n".join(page.extract_text() for page in reader.pages[:4])
    assert "Due at this visit" in text
    assert "not medical advice" in text and "4.64" in text
    section = text[text.index("Due at this visit", text.index("Included documents") + 1) :]
    assert "MMR" in section and "OVERDUE" in section
    # without immunizations in the packet, nothing is assessed: the section says none recorded
    out2 = tmp_path / "no-imm.pdf"
    ExportService(vault).packet(PacketChoice(person="Bobby Example", include=["medication"]), out2, "pass phrase 2x")
    r2 = PdfReader(out2)
    r2.decrypt("pass phrase 2x")
    t2 = "\n".join(p.extract_text() for p in r2.pages[:3])
    assert "OVERDUE" not in t2 and "None recorded." in t2[t2.rindex("Due at this visit") :]


def test_real_files_through_the_real_importers(vault) -> None:
    """A C-CDA and a FHIR bundle imported for real: both flu doses count (CVX 140 and 141, a day apart),
    the declined Tdap (negationInd / not-done) does not."""
    from conftest import FIXTURES

    ImportService(vault).import_paths(
        [FIXTURES / "ccda" / "golden.xml", FIXTURES / "fhir" / "golden-bundle.json"],
        ImportOptions(person="Alice Example", force=True),
    )
    view = ImmunizationService(vault).for_person("Alice Example", dt.date(2024, 1, 1))
    flu = next(g for g in view.groups if g.group == "Influenza")
    assert [(d["date"], d["cvx"]) for d in flu.doses] == [("2023-10-01", "140"), ("2023-10-02", "141")]
    assert flu.doses[1]["status"] == "Not Valid" and "Interval: Too Soon" in flu.doses[1]["reason"]
    dtap = next(g for g in view.groups if g.group == "DTaP/Tdap/Td")
    assert dtap.doses == [] and view.unrecognised == []


def test_the_adolescent_booster_names_the_vaccine_that_covers_every_antigen_due_first() -> None:
    """At 11 with the childhood DTaP series done, pertussis is due as well as tetanus and diphtheria:
    Tdap (one shot for all three) is named first, never Td alone."""
    child = Patient(dt.date(2015, 6, 21), "F")
    given = [
        Dose(dt.date(2015, 8, 24), "20"),
        Dose(dt.date(2015, 10, 26), "20"),
        Dose(dt.date(2015, 12, 28), "20"),
        Dose(dt.date(2016, 9, 26), "20"),
        Dose(dt.date(2019, 8, 1), "130"),
    ]
    g = Engine(SUP).assess(child, given, dt.date(2026, 12, 2), groups=["DTaP/Tdap/Td"]).groups["DTaP/Tdap/Td"]
    assert g.status == "Not Complete" and g.forecast is not None
    assert g.forecast.cvx[0] == "115", list(zip(g.forecast.vaccines, g.forecast.cvx, strict=True))
