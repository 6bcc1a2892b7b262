"""Clinical sense of what the importers make: no negation shown as a record, no item named only by its
kind, no empty result, no bare code as a value, no bracket unit on screen, no exact duplicate within a
person.  Over every C-CDA and FHIR file of ../shared/corpus, and on small documents written here that
hold each mistake once (so each rule is seen to fail)."""

from __future__ import annotations

import json

import pytest

from medrecords_desktop.importers.base import ParsedFile, PatientInfo
from medrecords_desktop.importers.ccda import parse_ccda
from medrecords_desktop.importers.fhir import parse_fhir_json
from medrecords_desktop.model.records import Allergy, Condition, DiagnosticReport, Document, Observation, Procedure
from tests.clinical_sense import RULES, check, parse_corpus
from tests.conftest import corpus_path


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_makes_clinical_sense():
    root = corpus_path()
    parsed, rejected = parse_corpus(root)
    assert not rejected, rejected
    assert len(parsed) >= 300
    counts, findings = check(parsed)
    print("\nclinical-sense counts over the corpus:", dict(counts))
    assert sum(counts.values()) == 0, "\n".join("\t".join(f) for f in findings[:40])
    # the rules were at work: statements and empty rows were set aside, not lost
    assert sum(len(p.statements) for p in parsed) >= 40
    assert sum(sum(p.set_aside.values()) for p in parsed) >= 50


def test_each_rule_finds_its_mistake():
    """The check is not blind: one item per mistake, each counted once under its rule."""
    p = PatientInfo(ref="P", name="Ann Example", birth_date="1970-01-01")
    items = [
        Allergy(title="No known allergy", patient_ref="P"),
        Procedure(title="Procedure", code="80146002", patient_ref="P", date="2020-01-01"),
        Observation(title="Glucose", code="2345-7", patient_ref="P", date="2020-01-02"),
        Observation(title="Smoking status", value_text="266919005", patient_ref="P", date="2020-01-03"),
        Observation(title="Weight", value=150, unit="[lb_av]x{", patient_ref="P", date="2020-01-04"),
        Condition(
            title="Asthma", code="195967001", code_system="http://snomed.info/sct", patient_ref="P", date="2020-01-05"
        ),
        Condition(
            title="Asthma",
            code="J45",
            code_system="http://hl7.org/fhir/sid/icd-10-cm",
            patient_ref="P",
            date="2020-01-05",
        ),
    ]
    pf = ParsedFile(source_name="t", format="test", patients=[p], items=items)
    counts, _ = check([pf])
    assert counts == {r: 1 for r in RULES}


def _ccda(section: str) -> bytes:
    return (
        '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><id root="1.1"/><title>Visit summary</title>'
        '<effectiveTime value="20200101"/><recordTarget><patientRole><patient><name><given>Ann</given>'
        '<family>Example</family></name><birthTime value="19700101"/></patient></patientRole></recordTarget>'
        f"<component><structuredBody><component>{section}</component></structuredBody></component>"
        "</ClinicalDocument>"
    ).encode()


_ALLERGY_SEC = (
    '<section><templateId root="2.16.840.1.113883.10.20.22.2.6.1"/><title>Allergies</title><text/>{}</section>'
)


def _allergy(obs_attrs: str, value: str, substance: str = "") -> str:
    pe = (
        '<participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">'
        f"{substance}</playingEntity></participantRole></participant>"
        if substance
        else ""
    )
    return (
        '<entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.30"/>'
        '<code code="CONC" codeSystem="2.16.840.1.113883.5.6"/><statusCode code="active"/>'
        '<entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN" ' + obs_attrs + ">"
        '<templateId root="2.16.840.1.113883.10.20.22.4.7"/><id root="7.7" extension="' + str(hash(value) % 999) + '"/>'
        '<code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/><statusCode code="completed"/>'
        '<effectiveTime><low value="20190101"/></effectiveTime>'
        + value
        + pe
        + "</observation></entryRelationship></act></entry>"
    )


def test_ccda_negation_and_no_known_codes_are_statements_kept_with_the_document():
    entries = "".join(
        [
            # negationInd on "allergy to substance": no known allergies
            _allergy(
                'negationInd="true"',
                '<value xsi:type="CD" code="419199007" codeSystem="2.16.840.1.113883.6.96" '
                'displayName="Allergy to substance"/>',
            ),
            # the "no known drug allergy" value code
            _allergy(
                "",
                '<value xsi:type="CD" code="409137002" codeSystem="2.16.840.1.113883.6.96" '
                'displayName="No known drug allergy"/>',
            ),
            # a real allergy stays
            _allergy(
                "",
                '<value xsi:type="CD" code="416098002" codeSystem="2.16.840.1.113883.6.96" '
                'displayName="Drug allergy"/>',
                '<code code="7980" codeSystem="2.16.840.1.113883.6.88" displayName="Penicillin G"/>',
            ),
        ]
    )
    problems = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/><title>Problems</title><text/>'
        '<entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/>'
        '<statusCode code="active"/><entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">'
        '<templateId root="2.16.840.1.113883.10.20.22.4.4"/><id root="8.8" extension="1"/>'
        '<code code="55607006" codeSystem="2.16.840.1.113883.6.96"/><effectiveTime><low value="20190101"/>'
        '</effectiveTime><value xsi:type="CD" nullFlavor="OTH"><originalText>No Problems indicated</originalText>'
        "</value></observation></entryRelationship></act></entry></section>"
    )
    pf = parse_ccda(_ccda(_ALLERGY_SEC.format(entries) + "</component><component>" + problems), "t.xml")
    allergies = [i for i in pf.items if isinstance(i, Allergy)]
    assert [a.title for a in allergies] == ["Penicillin G"]
    assert not [i for i in pf.items if isinstance(i, Condition)]
    assert len(pf.statements) == 3
    assert "No Problems indicated" in pf.statements
    assert any("drug allergy" in s.lower() for s in pf.statements)
    (doc,) = [i for i in pf.items if isinstance(i, Document)]
    assert doc.statements == pf.statements
    assert any("statements that there is none" in w for w in pf.warnings)


def test_ccda_display_name_wins_over_a_translation_named_by_its_kind():
    sec = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><title>Results</title><text/>'
        '<entry><organizer classCode="BATTERY" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.1"/>'
        '<id root="5.5" extension="p1"/><code nullFlavor="OTH" displayName="CBC w/ Differential &amp; Platelet">'
        '<translation code="24360-0" codeSystem="2.16.840.1.113883.6.96" displayName="Procedure"/></code>'
        '<statusCode code="completed"/><effectiveTime value="20200101"/>'
        '<component><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>'
        '<id root="5.5" extension="o1"/>'
        '<code code="718-7" codeSystem="2.16.840.1.113883.6.1" displayName="Hemoglobin"/>'
        '<effectiveTime value="20200101"/><value xsi:type="PQ" value="13.5" unit="g/dL"/></observation></component>'
        '<component><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>'
        '<id root="5.5" extension="o2"/><code code="UNKNOWN" codeSystem="2.16.840.1.113883.6.1" displayName="Color"/>'
        '<effectiveTime value="20200101"/><value xsi:type="ST">Yellow</value></observation></component>'
        "</organizer></entry>"
        # the same panel again, verbatim but for its id: one
        "</section>"
    )
    pf = parse_ccda(_ccda(sec), "t.xml")
    (rep,) = [i for i in pf.items if isinstance(i, DiagnosticReport)]
    assert rep.title == "CBC w/ Differential & Platelet"
    assert rep.code == "24360-0"  # the translation's code is kept
    color = next(i for i in pf.items if isinstance(i, Observation) and i.title == "Color")
    assert color.code is None  # "UNKNOWN" is not a code: no series of every unknown part together


def test_ccda_exact_repeats_within_a_document_are_taken_once():
    one = (
        '<entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>'
        '<id root="6.6" extension="{}"/><code code="2345-7" codeSystem="2.16.840.1.113883.6.1" displayName="Glucose"/>'
        '<effectiveTime value="20200101"/><value xsi:type="PQ" value="95" unit="mg/dL"/></observation></entry>'
    )
    sec = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><title>Results</title><text/>'
        + one.format("a")
        + one.format("b")
        + "</section>"
    )
    pf = parse_ccda(_ccda(sec), "t.xml")
    assert len([i for i in pf.items if isinstance(i, Observation)]) == 1
    assert pf.set_aside["observation"] == 1


def test_fhir_no_known_allergy_and_not_done_are_statements_kept_verbatim():
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "p", "name": [{"family": "Example", "given": ["Ann"]}]}},
            {
                "resource": {
                    "resourceType": "AllergyIntolerance",
                    "id": "a1",
                    "patient": {"reference": "Patient/p"},
                    "code": {
                        "coding": [
                            {"system": "http://snomed.info/sct", "code": "716186003", "display": "No known allergy"}
                        ]
                    },
                }
            },
            {
                "resource": {
                    "resourceType": "Procedure",
                    "id": "pr1",
                    "status": "not-done",
                    "subject": {"reference": "Patient/p"},
                    "code": {"text": "Colonoscopy"},
                }
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "id": "o1",
                    "status": "final",
                    "subject": {"reference": "Patient/p"},
                    "code": {"text": "Weight"},
                    "valueQuantity": {
                        "value": 150,
                        "unit": "lbs",
                        "system": "http://unitsofmeasure.org",
                        "code": "[lb_av]",
                    },
                }
            },
        ],
    }
    pf = parse_fhir_json(json.dumps(bundle).encode(), "b.json")
    kinds = sorted(i.kind for i in pf.items)
    assert kinds == ["observation"]
    assert pf.statements == ["No known allergy", "Not done: Colonoscopy"]
    assert {k.source_id for k in pf.kept} >= {"AllergyIntolerance/a1", "Procedure/pr1"}
    (w,) = [i for i in pf.items if isinstance(i, Observation)]
    assert w.unit == "[lb_av]" and w.summary() == "Weight: 150 lb"


def test_a_code_sent_without_its_name_is_never_shown_bare() -> None:
    from medrecords_desktop.importers.base import coded_value_text

    assert coded_value_text("110483000", "http://snomed.info/sct", None) == "Tobacco user"
    assert coded_value_text("449868002", "http://snomed.info/sct", "Smokes daily") == "Smokes daily"
    assert coded_value_text("999999999", "http://snomed.info/sct", None) == "code 999999999 (SNOMED CT)"
    sec = (
        '<section><templateId root="2.16.840.1.113883.10.20.22.2.17"/><title>Social history</title><text/>'
        '<entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.78"/>'
        '<id root="4.4" extension="s1"/><code code="72166-2" codeSystem="2.16.840.1.113883.6.1"/>'
        '<effectiveTime value="20200101"/><value xsi:type="CD" code="110483000" codeSystem="2.16.840.1.113883.6.96"/>'
        "</observation></entry></section>"
    )
    (obs,) = [i for i in parse_ccda(_ccda(sec), "t.xml").items if isinstance(i, Observation)]
    assert obs.title == "Tobacco smoking status" and obs.value_text == "Tobacco user"
    assert obs.components[0]["value_code"] == "110483000"  # the code is kept
