"""Sample records and documents for the packet tests and benchmark (made here, nothing real).

The marker strings are deliberately unusual so a test can search the raw bytes of an encrypted
file for them: if one shows up, something was written unencrypted.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from medrecords_desktop.model.records import (
    Allergy,
    Condition,
    Document,
    Encounter,
    Immunization,
    Medication,
    Observation,
    Person,
    Procedure,
    Provenance,
)

PERSON_NAME = "Quillon Marchbanks-Oyelaran"
MED_MARKER = "Zorbatrexinol"  # an invented drug name: must never appear in the raw packet bytes
DOC_MARKER = "XQVTRAILMARKER"  # text inside an included original PDF
PREPARED_FOR = "Dr. Ngozi Vandermeer, Cardiology"


def person() -> Person:
    return Person(name=PERSON_NAME, birth_date="1961-04-09", sex="female", id="p-7f3a")


def make_pdf(title: str, pages: int, marker: str = "", seed: int = 0) -> bytes:
    """A text PDF like a clinic letter or lab report, ``pages`` pages long."""
    rnd = random.Random(seed)  # noqa: S311 (filler text for sample documents, not a secret)
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=letter)
    for page in range(pages):
        canv.setFont("Helvetica-Bold", 14)
        canv.drawString(72, 720, f"{title} - page {page + 1}")
        canv.setFont("Helvetica", 10)
        y = 690
        for line in range(38):
            words = " ".join(
                rnd.choice(
                    (
                        "patient",
                        "reviewed",
                        "blood",
                        "pressure",
                        "stable",
                        "follow",
                        "up",
                        "in",
                        "weeks",
                        "history",
                        "noted",
                        "plan",
                        "continue",
                    )
                )
                for _ in range(12)
            )
            canv.drawString(72, y, f"{line + 1:02d} {words}")
            y -= 16
        if marker:
            canv.drawString(72, 60, marker)
        canv.showPage()
    canv.save()
    return buf.getvalue()


def make_png(width: int = 900, height: int = 1200, label: str = "scan") -> bytes:
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, width - 40, height - 40), outline="black", width=4)
    draw.text((80, 80), label, fill="black")
    for i in range(20):
        draw.line((80, 140 + i * 40, width - 80, 140 + i * 40), fill="gray", width=2)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def make_jpeg(width: int = 1200, height: int = 900) -> bytes:
    img = Image.new("RGB", (width, height), (230, 235, 240))
    ImageDraw.Draw(img).ellipse((100, 100, width - 100, height - 100), outline="navy", width=8)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def make_tiff(frames: int = 2) -> bytes:
    imgs = [Image.new("L", (800, 1000), 255 - i * 20) for i in range(frames)]
    buf = io.BytesIO()
    imgs[0].save(buf, "TIFF", save_all=True, append_images=imgs[1:])
    return buf.getvalue()


def document(title: str, day: str, mime: str, filename: str, n: int) -> Document:
    return Document(title=title, date=day, mime=mime, filename=filename, doc_type="letter", id=f"doc-{n}")


def records(on: date, labs_per_test: int = 6) -> dict[str, list]:
    """Medications, allergies, conditions, immunizations, labs, encounters, procedures."""
    meds = [
        Medication(
            title=f"{MED_MARKER} 20 mg tablet",
            dose="20 mg",
            route="oral",
            frequency="once daily",
            reason="Hypertension",
            prescriber="Dr. A. Okafor",
            date="2023-02-01",
            status="active",
            id="m-1",
            code_system="http://www.nlm.nih.gov/research/umls/rxnorm",
            code="999001",
        ),
        Medication(
            title="Metformin 500 mg extended-release tablet",
            dose="1000 mg",
            route="oral",
            frequency="twice daily with meals",
            reason="Type 2 diabetes mellitus",
            date="2021-06-12",
            status="active",
            prescriber="Dr. Bartholomew Featherstonehaugh-Smythe",
            id="m-2",
        ),
        Medication(
            title="Atorvastatin 40 mg tablet",
            dose="40 mg",
            frequency="at bedtime",
            status="active",
            reason="Hyperlipidaemia",
            date="2020-01-15",
            id="m-3",
        ),
        Medication(
            title="Amoxicillin 500 mg capsule",
            dose="500 mg",
            frequency="three times daily",
            status="completed",
            date="2024-03-01",
            date_end="2024-03-10",
            id="m-4",
        ),
        Medication(title="Vitamin D3 1000 IU", otc=True, frequency="daily", id="m-5"),
    ]
    allergies = [
        Allergy(
            title="Penicillin",
            reaction="Hives, swelling of the lips and tongue",
            severity="severe",
            criticality="high",
            category="medication",
            status="active",
            date="2015-05-02",
            id="a-1",
        ),
        Allergy(title="Peanuts", reaction="Itchy mouth", severity="mild", category="food", id="a-2"),
    ]
    conditions = [
        Condition(
            title="Essential hypertension",
            clinical_status="active",
            date="2019-03-11",
            id="c-1",
            code_system="http://snomed.info/sct",
            code="59621000",
        ),
        Condition(
            title="Type 2 diabetes mellitus without complication",
            clinical_status="active",
            date="2021-06-12",
            id="c-2",
            note="HbA1c target below 7%",
        ),
        Condition(
            title="Fracture of left radius",
            clinical_status="resolved",
            date="2012-08-01",
            date_end="2012-10-15",
            id="c-3",
        ),
    ]
    immunizations = [
        Immunization(
            title="Influenza, seasonal, injectable",
            date="2025-10-01",
            lot="FLU2025X",
            performer="Corner Pharmacy",
            id="i-1",
        ),
        Immunization(title="Tetanus, diphtheria, pertussis (Tdap)", date="2019-07-20", dose_number="1", id="i-2"),
    ]
    labs: list[Observation] = []
    tests = [
        ("Hemoglobin A1c", "4548-4", "%", 4.0, 5.6, [7.9, 7.4, 7.1, 6.8, 6.6, 6.9]),
        ("LDL cholesterol", "13457-7", "mg/dL", None, 100.0, [162, 141, 120, 98, 92, 104]),
        ("Potassium", "2823-3", "mmol/L", 3.5, 5.1, [4.1, 4.4, 3.9, 4.6, 4.2, 3.3]),
        ("Creatinine", "2160-0", "mg/dL", 0.6, 1.1, [0.9, 0.95, 1.0, 0.92, 0.97, 0.99]),
        ("eGFR", "33914-3", "mL/min/1.73m2", 60.0, None, [82, 79, 80, 76, 74, 77]),
    ]
    n = 0
    for title, code, unit, low, high, values in tests:
        for k, value in enumerate(values[-labs_per_test:]):
            day = on - timedelta(days=90 * (len(values) - k))
            n += 1
            labs.append(
                Observation(
                    title=title,
                    code_system="http://loinc.org",
                    code=code,
                    value=value,
                    unit=unit,
                    ref_low=low,
                    ref_high=high,
                    date=day.isoformat(),
                    category="laboratory",
                    status="final",
                    id=f"o-{n}",
                )
            )
    labs.append(
        Observation(
            title="Urine culture",
            value_text="No growth at 48 hours",
            date="2025-09-02",
            category="laboratory",
            id="o-text",
        )
    )
    encounters = [
        Encounter(
            title="Office visit",
            encounter_type="Follow-up visit",
            date=(on - timedelta(days=30 * k)).isoformat(),
            provider="Riverside Family Medicine",
            practitioner="Dr. A. Okafor",
            reason="Blood pressure and diabetes review",
            id=f"e-{k}",
        )
        for k in range(1, 19)
    ]
    procedures = [Procedure(title="Colonoscopy", date="2022-04-04", status="completed", id="pr-1")]
    # One item keeps its FHIR source: the export must reuse it and add the vault identifier.
    meds[2].provenance = Provenance(
        source_kind="file",
        raw_format="fhir+json",
        source_id="MedicationStatement/abc",
        raw='{"resourceType":"MedicationStatement","id":"abc","status":"active",'
        '"medicationCodeableConcept":{"text":"Atorvastatin 40 mg tablet"},'
        '"subject":{"reference":"Patient/src-1"}}',
    )
    return {
        "medications": meds,
        "allergies": allergies,
        "conditions": conditions,
        "immunizations": immunizations,
        "observations": labs,
        "encounters": encounters,
        "procedures": procedures,
    }
