"""C-CDA parser: the golden fixture item by item, the whole vendor corpus against independent counts,
the data-type corner cases, and hostile XML."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from pathlib import Path

import pytest

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers import base
from medrecords_desktop.importers.ccda import looks_like_ccda, narrative_text, parse_ccda, ts_to_iso
from medrecords_desktop.model.records import (
    Allergy,
    Condition,
    DiagnosticReport,
    Document,
    Encounter,
    Immunization,
    Medication,
    Observation,
    Procedure,
)
from tests.ccda_expect import expected_counts
from tests.conftest import FIXTURES, corpus_path

GOLDEN = FIXTURES / "ccda" / "golden.xml"


@pytest.fixture(scope="module")
def golden():
    return parse_ccda(GOLDEN.read_bytes(), "golden.xml")


def _one(items, cls, **match):
    found = [i for i in items if isinstance(i, cls) and all(getattr(i, k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one {cls.__name__} with {match}, got {len(found)}"
    return found[0]


# --- golden fixture --------------------------------------------------------------------------------


def test_golden_counts(golden):
    assert golden.format == "ccda"
    assert golden.counts() == Counter(
        {
            "observation": 6,  # 2 lab + 3 vital signs + 1 smoking status
            "condition": 3,  # 2 problems + 1 encounter diagnosis
            "encounter": 2,  # encompassing + one activity
            "immunization": 1,  # the refused Tdap is a statement kept with the document, not a record
            "diagnostic_report": 1,
            "medication": 1,
            "allergy": 1,
            "procedure": 1,
            "document": 1,
        }
    )
    assert golden.counts() + golden.set_aside == expected_counts(str(GOLDEN))
    assert golden.set_aside == Counter({"immunization": 1})


def test_golden_patient(golden):
    (p,) = golden.patients
    assert (p.ref, p.name) == ("cda-patient", "Joanna Q Testperson")
    assert (p.given, p.family) == ("Joanna Q", "Testperson")
    assert (p.birth_date, p.sex) == ("1980-02-14", "female")
    assert p.identifiers == [("urn:oid:1.2.3.999.1", "MRN-42")]  # the SSN is not carried along
    assert "MRN-42" in (p.raw or "")
    assert all(i.patient_ref == "cda-patient" for i in golden.items)


def test_golden_results(golden):
    rep = _one(golden.items, DiagnosticReport)
    assert (rep.title, rep.code, rep.code_system) == (
        "Comprehensive metabolic panel",
        "24323-8",
        "http://loinc.org",
    )
    assert (rep.date, rep.date_estimated, rep.category) == ("2024-03-10T08:15:00", False, "LAB")
    glu = _one(golden.items, Observation, code="1558-6")
    # no displayName: the name is the narrative the originalText points to
    assert glu.title == "Glucose fasting"
    assert (glu.value, glu.unit, glu.interpretation) == (110.0, "mg/dL", "H")
    assert (glu.ref_low, glu.ref_high, glu.category) == (70.0, 99.0, "laboratory")
    assert [(c.system, c.code) for c in glu.codes] == [("urn:oid:1.2.3.999.77", "GLU")]
    assert glu.is_abnormal()
    urine = _one(golden.items, Observation, code="5778-6")
    assert (urine.value, urine.value_text, urine.ref_text) == (None, "yellow", "yellow to amber")
    # no time of its own: the organizer's, flagged as estimated
    assert (urine.date, urine.date_estimated) == ("2024-03-10T08:15:00", True)
    # no id: a stable hash of its XML
    assert urine.provenance.source_id.startswith("sha256:")
    assert glu.report_ref == urine.report_ref == rep.provenance.source_id == "1.2.3.999.10^PANEL-1"
    assert rep.result_refs == [glu.provenance.source_id, urine.provenance.source_id]
    assert glu.provenance.raw.startswith("<observation") and "GLU-1" in glu.provenance.raw
    assert glu.provenance.raw_format == "cda+xml" and glu.provenance.source_name == "golden.xml"


def test_golden_vitals(golden):
    sys_ = _one(golden.items, Observation, code="8480-6")
    dia = _one(golden.items, Observation, code="8462-4")
    wt = _one(golden.items, Observation, code="29463-7")
    assert {sys_.category, dia.category, wt.category} == {"vital-signs"}
    assert (sys_.value, sys_.unit) == (128.0, "mm[Hg]")
    assert (sys_.date, sys_.date_estimated) == ("2024-03-15T09:15", True)  # the organizer's time
    assert (dia.date, dia.date_estimated, dia.interpretation) == ("2024-03-15T09:16:00", False, "N")
    assert (wt.value, wt.unit) == (70.5, None)  # REAL with no unit


def test_golden_medication(golden):
    med = _one(golden.items, Medication)
    assert (med.title, med.code, med.code_system) == (
        "lisinopril 10 MG Oral Tablet",
        "314076",
        "http://www.nlm.nih.gov/research/umls/rxnorm",
    )
    assert (med.date, med.date_estimated, med.date_end) == ("2023-01-01", True, None)
    assert (med.status, med.route, med.dose, med.frequency) == ("active", "ORAL", "1", "every 24 h")
    assert med.reason == "Hypertension"
    assert med.text == "Lisinopril 10 mg tablet, once daily"
    # the source links it to the visit by id
    assert med.encounter_ref == "1.2.3.999.3^ENC-1"


def test_golden_immunizations(golden):
    flu = _one(golden.items, Immunization, code="141")
    assert (flu.date, flu.lot, flu.route, flu.status) == ("2023-10-02", "AB123", "INTRAMUSCULAR", "completed")
    assert flu.encounter_ref == "1.2.3.999.80^E-2"  # the encounters section comes later in the file
    assert not [i for i in golden.items if isinstance(i, Immunization) and i.code == "115"]
    assert golden.statements == ["Not given: Tdap"]
    doc = _one(golden.items, Document)
    assert doc.statements == ["Not given: Tdap"]


def test_golden_allergy(golden):
    al = _one(golden.items, Allergy)
    assert (al.title, al.code, al.reaction, al.severity) == ("Penicillin G", "7980", "Hives", "Moderate")
    assert (al.category, al.status) == ("medication", "active")
    # the observation's own onset is UNK: the concern's date, estimated
    assert (al.date, al.date_estimated) == ("2010-01-01", True)
    assert al.provenance.raw.startswith("<act")  # the concern act holding exactly this observation


def test_golden_conditions(golden):
    htn = _one(golden.items, Condition, code="I10")
    # value nullFlavor: the translation gives the code, the originalText (narrative) the name
    assert (htn.title, htn.code_system) == ("Essential hypertension", "http://hl7.org/fhir/sid/icd-10-cm")
    assert (htn.date, htn.clinical_status, htn.category) == ("2019-06-01", "active", "problem-list-item")
    rhin = _one(golden.items, Condition, code="367498001")
    assert (rhin.date, rhin.date_end, rhin.date_estimated, rhin.clinical_status) == (
        "2015-01-01",
        "2020-01-01",
        True,
        "resolved",
    )
    # both problems carry the same id in the source: kept apart, deterministically
    assert htn.provenance.source_id == "1.2.3.999.61^P-1"
    assert rhin.provenance.source_id.startswith("1.2.3.999.61^P-1#")
    dx = _one(golden.items, Condition, code="10509002")
    assert (dx.category, dx.encounter_ref) == ("encounter-diagnosis", "1.2.3.999.80^E-2")


def test_golden_procedure_and_encounters(golden):
    pr = _one(golden.items, Procedure)
    assert (pr.title, pr.date, pr.performer, pr.body_site) == (
        "Appendectomy",
        "2005-07-04",
        "County Hospital",
        "Appendix structure",
    )
    top = _one(golden.items, Encounter, code="AMB")
    assert (top.date, top.date_end) == ("2024-03-15T09:00:00", "2024-03-15T10:00:00")
    assert (top.encounter_class, top.practitioner, top.location, top.provider) == (
        "AMB",
        "Dr. Pat Physician",
        "Room 5",
        "Golden Clinic",
    )
    visit = _one(golden.items, Encounter, code="99213")
    assert (visit.date, visit.practitioner, visit.location) == ("2024-01-05", "Ed Doc", "West Clinic")
    # no invented links: only what the source links
    assert pr.encounter_ref is None and visit.encounter_ref is None


def test_golden_social_history(golden):
    sm = _one(golden.items, Observation, code="72166-2")
    assert (sm.category, sm.value_text, sm.date) == ("social-history", "Never smoker", "2024-03-15")


def test_golden_document(golden):
    data = GOLDEN.read_bytes()
    doc = _one(golden.items, Document)
    assert (doc.title, doc.doc_type, doc.mime) == (
        "Golden Test Summary",
        "Summarization of Episode Note",
        "application/xml+cda",
    )
    assert (doc.date, doc.author, doc.filename) == ("2024-03-15T09:30:00", "Ann Author", "golden.xml")
    assert doc.content == data and doc.size == len(data) and doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.encounter_ref == "1.2.3.999.3^ENC-1"
    assert doc.provenance.source_id == "1.2.3.999^DOC-1"
    # every section narrative is searchable, the unknown section's too; tables keep their cells apart
    assert "Glucose fasting | 110 mg/dL" in doc.text
    assert "Walks 5 km daily.\nLikes swimming." in doc.text
    assert "Recheck blood pressure in 3 months." in doc.text


def test_golden_unmapped_sections_warn_and_keep(golden):
    assert any("'Vendor Wellness Notes'" in w and "kept as narrative" in w for w in golden.warnings)
    assert any("'Plan of Care'" in w and "1 coded entry kept" in w for w in golden.warnings)
    (kept,) = golden.kept
    assert (kept.resource_type, kept.source_id) == ("cda:observation", "1.2.3.999.95")
    assert kept.raw_format == "cda+xml"
    assert any("reuse an id" in w for w in golden.warnings)


def test_reimport_is_stable():
    a = parse_ccda(GOLDEN.read_bytes(), "golden.xml")
    b = parse_ccda(GOLDEN.read_bytes(), "golden.xml")
    assert [i.provenance.source_id for i in a.items] == [i.provenance.source_id for i in b.items]
    assert [i.fingerprint() for i in a.items] == [i.fingerprint() for i in b.items]


# --- data types ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        ("20120806", ("2012-08-06", False)),
        ("201208061030", ("2012-08-06T10:30", False)),
        ("20120806103000-0500", ("2012-08-06T10:30:00", False)),
        ("20120806103000.123+0100", ("2012-08-06T10:30:00", False)),
        ("2012080610", ("2012-08-06T10:00", False)),
        ("201208", ("2012-08-01", True)),
        ("2012", ("2012-01-01", True)),
        ("2012-08-06T10:30:00", ("2012-08-06T10:30:00", False)),
        ("20121306", (None, False)),
        ("garbage", (None, False)),
        ("", (None, False)),
        (None, (None, False)),
    ],
)
def test_timestamps(ts, expected):
    assert ts_to_iso(ts) == expected


def _doc_with(section: str) -> bytes:
    return (
        '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><id root="1.1"/>'
        '<effectiveTime value="20200101"/><component><structuredBody>'
        f"<component>{section}</component></structuredBody></component></ClinicalDocument>"
    ).encode()


def _results_with(value_xml: str, extra: str = "") -> Observation:
    sec = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><title>R</title><text/>'
        '<entry><observation classCode="OBS" moodCode="EVN">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.2"/>'
        f'<id root="9.9" extension="x"/><code code="1-1" codeSystem="2.16.840.1.113883.6.1" displayName="T"/>'
        f"{value_xml}{extra}</observation></entry></section>"
    )
    (obs,) = [i for i in parse_ccda(_doc_with(sec), "t.xml").items if isinstance(i, Observation)]
    return obs


@pytest.mark.parametrize(
    ("value_xml", "value", "value_text", "unit"),
    [
        ('<value xsi:type="PQ" value="5.5" unit="mmol/L"/>', 5.5, None, "mmol/L"),
        ('<value xsi:type="PQ" value="7"/>', 7.0, None, None),
        ('<value xsi:type="PQ" value="7" unit="1"/>', 7.0, None, None),
        ('<value xsi:type="PQ" value="&lt;5" unit="mg"/>', None, "<5", "mg"),
        ('<value xsi:type="INT" value="3"/>', 3.0, None, None),
        ('<value xsi:type="REAL" value="0.25"/>', 0.25, None, None),
        ('<value xsi:type="BL" value="true"/>', None, "true", None),
        ('<value xsi:type="ST">positive</value>', None, "positive", None),
        (
            '<value xsi:type="CD" code="10828004" codeSystem="2.16.840.1.113883.6.96" displayName="Positive"/>',
            None,
            "Positive",
            None,
        ),
        ('<value xsi:type="CO" code="2" codeSystem="1.2"/>', None, "2", None),
        (
            '<value xsi:type="IVL_PQ"><low value="1" unit="g"/><high value="2" unit="g"/></value>',
            None,
            "1–2",
            "g",
        ),
        ('<value xsi:type="IVL_PQ"><low value="60" unit="mL/min"/></value>', None, ">=60", "mL/min"),
        ('<value xsi:type="PQ" nullFlavor="NI"/>', None, None, None),
        ("", None, None, None),
    ],
)
def test_value_types(value_xml, value, value_text, unit):
    if value is None and value_text is None:
        # A result with no value and nothing said about it is an empty row, not a record.
        sec = (
            '<section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><title>R</title><text/>'
            '<entry><observation classCode="OBS" moodCode="EVN">'
            '<templateId root="2.16.840.1.113883.10.20.22.4.2"/><id root="9.9" extension="x"/>'
            f'<code code="1-1" codeSystem="2.16.840.1.113883.6.1" displayName="T"/>{value_xml}</observation>'
            "</entry></section>"
        )
        pf = parse_ccda(_doc_with(sec), "t.xml")
        assert not [i for i in pf.items if isinstance(i, Observation)]
        assert pf.set_aside["observation"] == 1 and any("no value" in w for w in pf.warnings)
        return
    obs = _results_with(value_xml)
    assert (obs.value, obs.value_text, obs.unit) == (value, value_text, unit)


def test_reference_range_as_text_and_interpretation_codes():
    obs = _results_with(
        '<value xsi:type="PQ" value="2" unit="x"/>',
        '<interpretationCode code="LL"/><referenceRange><observationRange><text>under 3</text>'
        "</observationRange></referenceRange>",
    )
    assert (obs.interpretation, obs.ref_text, obs.ref_low) == ("LL", "under 3", None)


def test_missing_times_fall_back_to_the_document_date():
    obs = _results_with('<value xsi:type="PQ" value="2" unit="x"/>')
    assert (obs.date, obs.date_estimated) == ("2020-01-01", True)


def test_nullflavor_everywhere_does_not_raise():
    sec = (
        '<section nullFlavor="NI"><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>'
        '<code nullFlavor="NI"/>'
        '<text/><entry><act classCode="ACT" moodCode="EVN"><id nullFlavor="NI"/><code nullFlavor="NI"/>'
        '<effectiveTime nullFlavor="UNK"/><entryRelationship typeCode="SUBJ"><observation classCode="OBS" '
        'moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/><id nullFlavor="UNK"/>'
        '<code nullFlavor="UNK"/><effectiveTime><low nullFlavor="UNK"/><high nullFlavor="UNK"/>'
        "</effectiveTime>"
        '<value xsi:type="CD" nullFlavor="UNK"/></observation></entryRelationship></act></entry></section>'
    )
    pf = parse_ccda(_doc_with(sec), "t.xml")
    (cond,) = [i for i in pf.items if isinstance(i, Condition)]
    assert cond.title == "Problem (no name given)" and cond.code is None
    assert cond.provenance.source_id.startswith("sha256:")
    assert (cond.date, cond.date_estimated) == ("2020-01-01", True)


def test_section_without_template_is_kept_as_narrative():
    sec = "<section><title>Odd</title><text>hello <b>there</b></text></section>"
    pf = parse_ccda(_doc_with(sec), "t.xml")
    assert pf.counts() == Counter({"document": 1})
    assert pf.warnings == ["section 'Odd' (no templateId) kept as narrative"]
    (doc,) = pf.items
    assert doc.text == "Odd\nhello there"


def test_narrative_text_flattens_lists_and_tables():
    from lxml import etree

    el = etree.fromstring(
        '<text xmlns="urn:hl7-org:v3"><list><item>one</item><item>two <content>2</content></item></list>'
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td/><td>3</td></tr></table>"
        "<paragraph>end<br/>line</paragraph></text>"
    )
    assert narrative_text(el) == "one\ntwo 2\na | b\n1 | 3\nend\nline"


def test_sniffing():
    assert looks_like_ccda(GOLDEN.read_bytes()[:2000])
    assert looks_like_ccda(b'<?xml version="1.0"?><v3:ClinicalDocument xmlns:v3="urn:hl7-org:v3">')
    assert looks_like_ccda('<ClinicalDocument xmlns="urn:hl7-org:v3">'.encode("utf-16"))
    assert not looks_like_ccda(b'<ClinicalDocument xmlns="urn:other">')
    assert not looks_like_ccda(b'{"resourceType": "Bundle"}')
    assert not looks_like_ccda(b"%PDF-1.7")


# --- hostile input ---------------------------------------------------------------------------------


def _rejected(data: bytes) -> ImportRejected:
    with pytest.raises(ImportRejected) as exc:
        parse_ccda(data, "evil.xml")
    assert exc.value.file == "evil.xml" and str(exc.value).startswith("evil.xml")
    return exc.value


def test_xxe_external_entity_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>'
    )
    exc = _rejected(data)
    assert "entities" in exc.why and exc.where == "DOCTYPE"
    assert "root:" not in str(exc)


def test_external_dtd_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE ClinicalDocument SYSTEM "http://127.0.0.1:9/evil.dtd">'
        b'<ClinicalDocument xmlns="urn:hl7-org:v3"/>'
    )
    assert "external DTD" in _rejected(data).why


def test_billion_laughs_refused():
    ents = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY l0 "lol">{ents}]>'
        '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&l9;</title></ClinicalDocument>'
    ).encode()
    assert "entities" in _rejected(data).why


def test_entities_in_utf16_refused_after_parse():
    """The byte scan cannot read UTF-16; the parsed DTD is checked as well."""
    data = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE ClinicalDocument [<!ENTITY a "b">]>'
        '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&a;</title></ClinicalDocument>'
    ).encode("utf-16")
    assert "entities" in _rejected(data).why


def test_plain_doctype_is_allowed():
    data = b'<?xml version="1.0"?><!DOCTYPE ClinicalDocument><ClinicalDocument xmlns="urn:hl7-org:v3"/>'
    assert parse_ccda(data, "ok.xml").counts() == Counter({"document": 1})


def test_file_over_the_cap_refused(monkeypatch):
    from medrecords_desktop.importers import xmlsafe

    assert xmlsafe.MAX_XML_BYTES == base.MAX_XML_BYTES == 200 * 1024 * 1024  # the documented limit
    monkeypatch.setattr(xmlsafe, "MAX_XML_BYTES", 1000)  # not 200 MB of test data on a shared machine
    data = GOLDEN.read_bytes()
    exc = _rejected(data)
    assert exc.why == f"XML document is {len(data):,} bytes, over the 1,000-byte limit"


def test_invalid_utf8_names_the_line():
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">\n<title>\xff\xfe</title>'
    exc = _rejected(data)
    assert exc.where == "line 3" and "not well-formed XML" in exc.why


def test_truncated_xml_names_the_line():
    data = GOLDEN.read_bytes()[:5000]
    exc = _rejected(data)
    assert exc.where is not None and exc.where.startswith("line ")


def test_not_a_cda_document():
    exc = _rejected(b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"/>')
    assert "not a C-CDA document" in exc.why and "<feed>" in exc.why and exc.where == "line 2"
    exc = _rejected(b"<ClinicalDocument/>")
    assert "(no namespace)" in exc.why


def test_empty_and_binary_files():
    assert "empty" in _rejected(b"").why
    assert "not well-formed" in _rejected(b"%PDF-1.7 \x00\x01").why


# --- the vendor corpus -----------------------------------------------------------------------------


def _corpus_files() -> list[Path]:
    d = corpus_path("ccda")
    files = sorted(d.glob("*.xml"))
    assert len(files) >= 100
    return files


@pytest.mark.corpus
def test_corpus_counts_match_independent_counts():
    """Every vendor file parses, and per file the items per kind equal the templateId counts that
    tests/ccda_expect.py derives with ElementTree (no exceptions needed on this corpus)."""
    files = _corpus_files()
    failures: list[str] = []
    mismatches: list[str] = []
    total: Counter[str] = Counter()
    for f in files:
        try:
            got = parse_ccda(f.read_bytes(), f.name)
        except Exception as exc:  # noqa: BLE001 - collect every failure, then fail once
            failures.append(f"{f.name}: {exc!r}")
            continue
        exp = expected_counts(str(f))
        # Every entry is an item or was set aside by a stated clinical rule (a statement that there
        # is none, an empty result, an exact repeat): nothing is lost silently.
        if got.counts() + got.set_aside != exp:
            mismatches.append(
                f"{f.name}: parsed {dict(got.counts())} + set aside {dict(got.set_aside)} expected {dict(exp)}"
            )
        total.update(got.counts())
        assert sum(1 for i in got.items if isinstance(i, Document)) == 1
    assert not failures, failures
    assert not mismatches, "\n".join(mismatches)
    print(f"\nC-CDA corpus: {len(files)} files, 0 failed; items per kind: {dict(sorted(total.items()))}")
    # a floor, so that a parser that silently maps nothing cannot pass
    assert total["observation"] > 1500 and total["medication"] > 300 and total["condition"] > 300


@pytest.mark.corpus
def test_corpus_items_are_well_formed():
    for f in _corpus_files():
        pf = parse_ccda(f.read_bytes(), f.name)
        assert len(pf.patients) == 1, f.name
        ids = [(i.kind, i.provenance.source_id) for i in pf.items]
        assert len(ids) == len(set(ids)), f"{f.name}: source ids not unique within the file"
        for i in pf.items:
            assert i.title, f"{f.name}: {i.kind} without a title"
            assert i.provenance.raw_format == "cda+xml" and i.provenance.source_name == f.name
            if i.kind != "document":
                assert i.provenance.raw and i.provenance.raw.startswith("<")
            if i.date is not None:
                assert len(i.date) in (10, 16, 19) and i.date[4] == "-", (f.name, i.date)
        refs = {i.provenance.source_id for i in pf.items if i.kind == "encounter"}
        assert all(i.encounter_ref in refs for i in pf.items if i.encounter_ref), f.name
        reports = {i.provenance.source_id for i in pf.items if i.kind == "diagnostic_report"}
        assert all(i.report_ref in reports for i in pf.items if getattr(i, "report_ref", None)), f.name


def test_doctype_behind_a_long_comment_is_still_refused():
    ents = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    pad = "<!--" + "x" * 100_000 + "-->"
    data = (
        f'<?xml version="1.0"?>{pad}<?pi x?><!DOCTYPE ClinicalDocument [<!ENTITY l0 "lol">{ents}]>'
        '<ClinicalDocument xmlns="urn:hl7-org:v3"><title a="&l9;">&l9;</title></ClinicalDocument>'
    ).encode()
    exc = _rejected(data)
    assert exc.where == "DOCTYPE" and "entities" in exc.why


def test_no_information_placeholders_are_not_records():
    """Vendors fill empty lists with nullFlavored entries ("No data"); real content under a
    nullFlavor (e.g. "Unknown if ever smoked") is still imported."""
    meds = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.1.1"/><title>Meds</title><text/>'
        '<entry><substanceAdministration classCode="SBADM" moodCode="EVN" nullFlavor="NI">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.16"/><id nullFlavor="NI"/><text>No data</text>'
        '<consumable><manufacturedProduct><manufacturedMaterial><code nullFlavor="NI"/>'
        "</manufacturedMaterial>"
        "</manufacturedProduct></consumable></substanceAdministration></entry></section>"
    )
    results = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><title>Results</title><text/>'
        '<entry><organizer classCode="CLUSTER" moodCode="EVN" nullFlavor="NI">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.1"/><id nullFlavor="NI"/><code nullFlavor="NI"/>'
        '<component><observation classCode="OBS" moodCode="EVN">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.2"/>'
        '<id root="1.2"/><code nullFlavor="NI"/><value xsi:type="CD" nullFlavor="NI"/></observation>'
        "</component></organizer></entry></section>"
    )
    social = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.17"/><title>Social</title><text/>'
        '<entry><observation classCode="OBS" moodCode="EVN" nullFlavor="NI">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.78"/>'
        '<code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>'
        '<value xsi:type="CD" code="266927001" codeSystem="2.16.840.1.113883.6.96" '
        'displayName="Unknown if ever smoked"/></observation></entry></section>'
    )
    data = _doc_with(meds + "</component><component>" + results + "</component><component>" + social)
    pf = parse_ccda(data, "t.xml")
    assert pf.counts() == Counter({"document": 1, "observation": 1})
    (obs,) = [i for i in pf.items if isinstance(i, Observation)]
    assert obs.value_text == "Unknown if ever smoked"
    assert any(w.startswith("3 placeholder statements") for w in pf.warnings)  # med, organizer, its result
    # the independent counter agrees on this too
    assert expected_counts(io.BytesIO(data)) == pf.counts()


def test_golden_survives_any_element_removed_or_attribute_garbled():
    """Whatever single part of a document is missing or garbled, the parser returns a result or an
    ImportRejected, never a traceback."""
    from lxml import etree

    data = GOLDEN.read_bytes()
    count = sum(1 for _ in etree.fromstring(data).iter())
    tried = 0
    for i in range(1, count):
        for mutate in ("remove", "1e999"):
            root = etree.fromstring(data)
            el = list(root.iter())[i]
            if mutate == "remove":
                el.getparent().remove(el)
            elif el.attrib:
                for a in list(el.attrib):
                    el.set(a, mutate)
            else:
                continue
            tried += 1
            try:
                parse_ccda(etree.tostring(root), "g.xml")
            except ImportRejected:
                pass
    assert tried > 400


def test_document_without_time_uses_the_author_time():
    data = (
        b'<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.1"/><title>T</title>'
        b'<author><time value="20200202"/></author></ClinicalDocument>'
    )
    (doc,) = parse_ccda(data, "t.xml").items
    assert (doc.date, doc.date_estimated, doc.text) == ("2020-02-02", True, None)


def test_vendor_quirks_in_names():
    sec = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.17"/><title>S</title><text/>'
        '<entry><observation classCode="OBS" moodCode="EVN">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.78"/>'
        '<id root="3.3"/><code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4" displayName="Assertion"/>'
        '<value xsi:type="CD" code="8517006" codeSystem="2.16.840.1.113883.6.96" '
        'displayName="Former smoker"/>'
        "</observation></entry></section></component><component>"
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.7.1"/><title>P</title><text/>'
        '<entry><procedure classCode="PROC" moodCode="EVN"><id root="4.4"/>'
        '<code code="93000" codeSystem="2.16.840.1.113883.6.12" displayName="UNK"/>'
        "</procedure></entry></section>"
    )
    items = parse_ccda(_doc_with(sec), "t.xml").items
    sm = _one(items, Observation)
    assert (sm.title, sm.value_text, sm.code) == ("Tobacco smoking status", "Former smoker", "ASSERTION")
    pr = _one(items, Procedure)
    assert (pr.title, pr.display) == ("93000", None)  # "UNK" is no name


def test_unstructured_document_with_embedded_pdf():
    import base64

    from tests.xdm_fixture import tiny_pdf

    pdf = tiny_pdf("Scanned letter")
    b64 = base64.encodebytes(pdf).decode()  # with line breaks, as vendors write it
    data = (
        '<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="5.5" extension="U1"/>'
        '<code code="34109-9" codeSystem="2.16.840.1.113883.6.1" displayName="Note"/><title>Letter</title>'
        '<effectiveTime value="20230505"/><component><nonXMLBody>'
        f'<text mediaType="application/pdf" representation="B64">{b64}</text>'
        "</nonXMLBody></component></ClinicalDocument>"
    ).encode()
    pf = parse_ccda(data, "letter.xml")
    cda, att = pf.items
    assert isinstance(att, Document) and att.content == pdf and att.mime == "application/pdf"
    assert (att.title, att.date, att.filename) == ("Letter", "2023-05-05", "letter.pdf")
    assert att.sha256 == hashlib.sha256(pdf).hexdigest() and att.provenance.source_id == "5.5^U1#body"
    assert cda.content == data and cda.text is None

    bad = data.replace(b'representation="B64">', b'representation="B64">!!')
    pf = parse_ccda(bad, "letter.xml")
    assert pf.counts() == Counter({"document": 1}) and "not valid base64" in pf.warnings[0]
    ref = (
        b'<ClinicalDocument xmlns="urn:hl7-org:v3"><component><nonXMLBody><text mediaType="application/pdf">'
        b'<reference value="letter.pdf"/></text></nonXMLBody></component></ClinicalDocument>'
    )
    assert "outside this document (letter.pdf)" in parse_ccda(ref, "r.xml").warnings[0]


def test_encounter_diagnosis_repeating_a_problem_is_one_condition():
    problem = (
        '<observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>'
        '<id root="7.7" extension="P9"/><code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>'
        '<effectiveTime><low value="20200101"/></effectiveTime>{value}</observation>'
    )
    coded = '<value xsi:type="CD" code="195967001" codeSystem="2.16.840.1.113883.6.96" displayName="Asthma"/>'
    uncoded = '<value xsi:type="CD" nullFlavor="UNK"><originalText>Asthma</originalText></value>'
    sec = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/><title>Problems</title><text/>'
        '<entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/>'
        f'<id root="7.8"/><entryRelationship typeCode="SUBJ">{problem.format(value=coded)}'
        "</entryRelationship>"
        "</act></entry></section></component><component>"
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.22.1"/><title>Visits</title><text/>'
        '<entry><encounter classCode="ENC" moodCode="EVN">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.49"/>'
        '<id root="7.9" extension="V1"/><effectiveTime value="20200101"/>'
        '<entryRelationship typeCode="REFR"><act classCode="ACT" moodCode="EVN">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.80"/><entryRelationship typeCode="SUBJ">'
        f"{problem.format(value=uncoded)}</entryRelationship></act></entryRelationship>"
        "</encounter></entry></section>"
    )
    data = _doc_with(sec)
    pf = parse_ccda(data, "t.xml")
    (cond,) = [i for i in pf.items if isinstance(i, Condition)]
    assert (cond.title, cond.category, cond.encounter_ref) == ("Asthma", "problem-list-item", "7.9^V1")
    assert expected_counts(io.BytesIO(data)) == pf.counts()
