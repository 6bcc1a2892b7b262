"""The demo vault: a realistic, clearly marked family of four with several years of records.

It lives in its own vault (flagged ``demo`` in the header, every person ``is_demo``), so demo data can
never be mixed into a real vault.  Generation is deterministic (seeded) and takes about a second.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..importers.base import ParsedFile
from ..model.records import (
    Allergy,
    Condition,
    DiagnosticReport,
    Document,
    Encounter,
    Immunization,
    Item,
    Medication,
    Observation,
    Procedure,
    Provenance,
    blood_pressure,
)
from ..vault.crypto import KdfParams
from ..vault.vault import Vault
from .importing import ImportOptions, ImportService

DEMO_PASSPHRASE = "demo family records"  # noqa: S105 - the demo vault holds made-up people only
DEMO_OWNER = "Maria Garcia (demo)"


@dataclass
class DemoPerson:
    name: str
    born: str
    sex: str


FAMILY = [
    DemoPerson("Maria Garcia", "1984-03-17", "female"),
    DemoPerson("David Garcia", "1981-11-02", "male"),
    DemoPerson("Sofia Garcia", "2015-06-21", "female"),
    DemoPerson("Rosa Martinez", "1949-08-09", "female"),
]

LABS = {  # code: (name, unit, low, high, typical)
    "4548-4": ("Hemoglobin A1c", "%", 4.0, 5.6, 5.3),
    "2093-3": ("Cholesterol, total", "mg/dL", None, 200, 185),
    "2085-9": ("HDL cholesterol", "mg/dL", 40, None, 55),
    "13457-7": ("LDL cholesterol (calc)", "mg/dL", None, 100, 110),
    "2345-7": ("Glucose", "mg/dL", 70, 99, 92),
    "2160-0": ("Creatinine", "mg/dL", 0.6, 1.2, 0.9),
    "718-7": ("Hemoglobin", "g/dL", 12.0, 16.0, 13.8),
    "6690-2": ("WBC", "10*3/uL", 4.0, 11.0, 6.5),
    "777-3": ("Platelets", "10*3/uL", 150, 400, 260),
    "3016-3": ("TSH", "mIU/L", 0.4, 4.0, 2.1),
    "2951-2": ("Sodium", "mmol/L", 135, 145, 140),
    "2823-3": ("Potassium", "mmol/L", 3.5, 5.1, 4.2),
}
PANELS = {
    "Comprehensive metabolic panel": ["2345-7", "2160-0", "2951-2", "2823-3"],
    "Lipid panel": ["2093-3", "2085-9", "13457-7"],
    "Complete blood count": ["718-7", "6690-2", "777-3"],
    "Hemoglobin A1c": ["4548-4"],
    "Thyroid function": ["3016-3"],
}


def _pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buf = io.BytesIO()
    styles = getSampleStyleSheet()
    story = [Paragraph("DEMO DATA — not a real person", styles["Italic"]), Paragraph(title, styles["Title"])]
    for line in lines:
        story += [Paragraph(line, styles["BodyText"]), Spacer(1, 4)]
    SimpleDocTemplate(buf, pagesize=letter, title="Demo document", invariant=1).build(story)
    return buf.getvalue()


class _Builder:
    def __init__(self, person: DemoPerson, rng: random.Random) -> None:
        self.p, self.rng, self.n = person, rng, 0
        self.items: list[Item] = []

    def prov(self, kind: str) -> Provenance:
        self.n += 1
        return Provenance(source_kind="demo", source_name="Demo data", source_id=f"demo:{self.p.name}:{kind}:{self.n}")

    def add(self, item: Item) -> Item:
        self.items.append(item)
        return item

    def visit(
        self,
        day: date,
        title: str,
        provider: str,
        practitioner: str,
        reason: str,
        cls: str = "AMB",
        end: date | None = None,
    ) -> Encounter:
        return self.add(
            Encounter(  # type: ignore[return-value]
                title=title,
                date=f"{day.isoformat()}T{self.rng.randint(8, 16):02d}:{self.rng.choice(['00', '15', '30', '45'])}",
                date_end=end.isoformat() if end else None,
                encounter_class=cls,
                encounter_type=title,
                provider=provider,
                practitioner=practitioner,
                reason=reason,
                status="finished",
                provenance=self.prov("encounter"),
            )
        )

    def labs(self, enc: Encounter, panel: str, drift: dict[str, float] | None = None) -> None:
        day = enc.date or ""
        rep = self.add(
            DiagnosticReport(
                title=panel,
                date=day,
                category="LAB",
                status="final",
                encounter_ref=enc.provenance.source_id,
                performer="Quest Diagnostics",
                provenance=self.prov("report"),
            )
        )
        lines = []
        for code in PANELS[panel]:
            name, unit, lo, hi, typ = LABS[code]
            value = typ + (drift or {}).get(code, 0.0) + self.rng.gauss(0, abs(typ) * 0.025)
            value = round(value, 1 if typ < 20 else 0)
            interp = "H" if hi is not None and value > hi else "L" if lo is not None and value < lo else "N"
            obs = Observation(
                title=name,
                date=day,
                code_system="http://loinc.org",
                code=code,
                value=value,
                unit=unit,
                ref_low=lo,
                ref_high=hi,
                interpretation=interp,
                category="laboratory",
                status="final",
                encounter_ref=enc.provenance.source_id,
                report_ref=rep.provenance.source_id,
                provenance=self.prov("obs"),
            )
            self.add(obs)
            rng_txt = f"{lo if lo is not None else ''}-{hi if hi is not None else ''}"
            lines.append(f"{name}: <b>{value:g} {unit}</b> (reference {rng_txt}) {'' if interp == 'N' else interp}")
        self.document(enc, f"Lab report — {panel}", "Lab report", lines)

    def vitals(self, enc: Encounter, weight: float, sys_bp: int, dia_bp: int) -> None:
        day = enc.date
        self.add(blood_pressure(sys_bp, dia_bp, date=day, encounter_ref=enc.provenance.source_id,
                                provenance=self.prov("bp")))
        self.add(
            Observation(
                title="Body weight",
                date=day,
                code_system="http://loinc.org",
                code="29463-7",
                value=round(weight, 1),
                unit="kg",
                category="vital-signs",
                encounter_ref=enc.provenance.source_id,
                provenance=self.prov("wt"),
            )
        )

    def document(self, enc: Encounter, title: str, doc_type: str, lines: list[str]) -> None:
        content = _pdf(
            title,
            [f"Patient: {self.p.name} (demo)", f"Date: {(enc.date or '')[:10]}", f"Provider: {enc.provider}", *lines],
        )
        text = "\n".join([title, *[ln.replace("<b>", "").replace("</b>", "") for ln in lines]])
        self.add(
            Document(
                title=title,
                date=(enc.date or "")[:10],
                doc_type=doc_type,
                mime="application/pdf",
                filename=f"{doc_type.lower().replace(' ', '-')}.pdf",
                content=content,
                text=text,
                author=enc.practitioner,
                encounter_ref=enc.provenance.source_id,
                provenance=self.prov("doc"),
            )
        )


def _records_for(person: DemoPerson, rng: random.Random, today: date) -> list[Item]:
    b = _Builder(person, rng)
    years = range(today.year - 5, today.year + 1)
    if person.name == "Sofia Garcia":
        clinic, doc = "Sunny Pediatrics", "Dr. Amy Chen"
        for y in years:
            day = date(y, 6, rng.randint(1, 25))
            if day > today:
                continue
            age = y - 2015
            enc = b.visit(day, "Well-child visit", clinic, doc, f"Annual check-up, age {age}")
            b.vitals(enc, 18 + age * 3.1, 98 + age, 60 + age // 2)
            b.document(
                enc,
                "After-visit summary",
                "After-visit summary",
                [f"Growth on track for age {age}.", "Next visit in one year.", "Keep up daily reading."],
            )
            if y % 2 == 0:
                b.add(
                    Immunization(
                        title="Influenza vaccine, quadrivalent",
                        date=enc.date,
                        code_system="http://hl7.org/fhir/sid/cvx",
                        code="150",
                        lot=f"FLU{y}A",
                        status="completed",
                        encounter_ref=enc.provenance.source_id,
                        provenance=b.prov("imm"),
                    )
                )
        b.add(
            Immunization(
                title="MMR vaccine",
                date="2019-07-02",
                code="03",
                code_system="http://hl7.org/fhir/sid/cvx",
                status="completed",
                provenance=b.prov("imm"),
            )
        )
        b.add(
            Immunization(
                title="DTaP vaccine",
                date="2020-06-15",
                code="20",
                code_system="http://hl7.org/fhir/sid/cvx",
                status="completed",
                provenance=b.prov("imm"),
            )
        )
        b.add(
            Allergy(
                title="Peanut",
                date="2018-05-03",
                reaction="Hives",
                severity="moderate",
                criticality="high",
                category="food",
                status="active",
                provenance=b.prov("alg"),
            )
        )
        b.add(
            Condition(
                title="Asthma, mild intermittent",
                date="2021-02-10",
                code_system="http://snomed.info/sct",
                code="427679007",
                clinical_status="active",
                provenance=b.prov("cond"),
            )
        )
        b.add(
            Medication(
                title="Albuterol 90 mcg inhaler",
                date="2021-02-10",
                dose="2 puffs as needed",
                route="inhaled",
                status="active",
                reason="Asthma",
                provenance=b.prov("med"),
            )
        )
        er = b.visit(
            date(today.year - 1, 1, 14),
            "Emergency visit",
            "City Children's Hospital",
            "Dr. Omar Haddad",
            "Wheezing after a cold",
            cls="EMER",
        )
        b.document(
            er,
            "Emergency department discharge instructions",
            "Discharge instructions",
            [
                "Diagnosis: asthma exacerbation.",
                "Use albuterol every 4 hours for 2 days.",
                "Return if breathing gets harder.",
            ],
        )
    else:
        clinic, doc = {
            "Maria Garcia": ("Riverside Family Medicine", "Dr. Lena Novak"),
            "David Garcia": ("Riverside Family Medicine", "Dr. Lena Novak"),
            "Rosa Martinez": ("Lakeview Internal Medicine", "Dr. Samuel Okafor"),
        }[person.name]
        a1c_drift = 0.0
        for y in years:
            for visit_no, month in enumerate((4, 10) if person.name == "Rosa Martinez" else (4,)):
                day = date(y, month, 12 if (y == today.year and month == 4) else rng.randint(2, 27))
                if day > today:
                    continue
                enc = b.visit(
                    day,
                    "Annual physical" if visit_no == 0 else "Follow-up visit",
                    clinic,
                    doc,
                    "Routine check-up" if visit_no == 0 else "Diabetes follow-up",
                )
                weight = {"Maria Garcia": 64, "David Garcia": 82, "Rosa Martinez": 71}[person.name]
                sys_bp = 118 + (22 if person.name == "Rosa Martinez" else 0) + rng.randint(-6, 8)
                b.vitals(enc, weight + rng.gauss(0, 1.5), sys_bp, 76 + rng.randint(-5, 6))
                if person.name == "Rosa Martinez":
                    a1c_drift += 0.25
                    b.labs(enc, "Hemoglobin A1c", {"4548-4": 0.6 + a1c_drift, "2345-7": 25 + a1c_drift * 10})
                b.labs(
                    enc,
                    "Comprehensive metabolic panel",
                    {"2345-7": 20 + a1c_drift * 10} if person.name == "Rosa Martinez" else None,
                )
                if visit_no == 0:
                    b.labs(enc, "Lipid panel", {"2093-3": 25, "13457-7": 20} if person.name == "David Garcia" else None)
                    b.labs(enc, "Complete blood count")
                b.document(
                    enc,
                    "After-visit summary",
                    "After-visit summary",
                    [
                        "Reviewed medications and allergies.",
                        "Blood work ordered today.",
                        "Follow up in " + ("6 months." if person.name == "Rosa Martinez" else "one year."),
                    ],
                )
        if person.name == "Maria Garcia":
            b.add(
                Allergy(
                    title="Penicillin",
                    date="2003-09-01",
                    reaction="Rash",
                    severity="mild",
                    category="medication",
                    status="active",
                    provenance=b.prov("alg"),
                )
            )
            b.add(
                Condition(
                    title="Hypothyroidism",
                    date="2019-03-04",
                    code_system="http://snomed.info/sct",
                    code="40930008",
                    clinical_status="active",
                    provenance=b.prov("cond"),
                )
            )
            b.add(
                Medication(
                    title="Levothyroxine 50 mcg tablet",
                    date="2019-03-04",
                    dose="1 tablet daily",
                    route="oral",
                    status="active",
                    reason="Hypothyroidism",
                    provenance=b.prov("med"),
                )
            )
            b.add(Procedure(title="Appendectomy", date="2010-08-19", status="completed", provenance=b.prov("proc")))
        if person.name == "David Garcia":
            b.add(
                Condition(
                    title="Hyperlipidemia",
                    date="2022-04-20",
                    code_system="http://snomed.info/sct",
                    code="55822004",
                    clinical_status="active",
                    provenance=b.prov("cond"),
                )
            )
            b.add(
                Medication(
                    title="Atorvastatin 20 mg tablet",
                    date="2022-05-01",
                    dose="1 tablet at bedtime",
                    route="oral",
                    status="active",
                    reason="High cholesterol",
                    provenance=b.prov("med"),
                )
            )
            b.add(
                Medication(
                    title="Vitamin D3 2000 IU",
                    date="2023-01-10",
                    dose="1 capsule daily",
                    otc=True,
                    route="oral",
                    status="active",
                    provenance=b.prov("med"),
                )
            )
            b.add(
                Immunization(
                    title="COVID-19 vaccine",
                    date="2023-10-03",
                    code="309",
                    code_system="http://hl7.org/fhir/sid/cvx",
                    status="completed",
                    provenance=b.prov("imm"),
                )
            )
        if person.name == "Rosa Martinez":
            b.add(
                Condition(
                    title="Type 2 diabetes mellitus",
                    date="2021-10-12",
                    code_system="http://snomed.info/sct",
                    code="44054006",
                    clinical_status="active",
                    provenance=b.prov("cond"),
                )
            )
            b.add(
                Condition(
                    title="Essential hypertension",
                    date="2018-02-02",
                    code_system="http://snomed.info/sct",
                    code="59621000",
                    clinical_status="active",
                    provenance=b.prov("cond"),
                )
            )
            b.add(
                Medication(
                    title="Metformin 500 mg tablet",
                    date="2021-10-12",
                    dose="1 tablet twice daily",
                    route="oral",
                    status="active",
                    reason="Type 2 diabetes",
                    provenance=b.prov("med"),
                )
            )
            b.add(
                Medication(
                    title="Lisinopril 10 mg tablet",
                    date="2018-02-02",
                    dose="1 tablet daily",
                    route="oral",
                    status="active",
                    reason="Hypertension",
                    provenance=b.prov("med"),
                )
            )
            b.add(
                Allergy(
                    title="Sulfa drugs",
                    date="1990-01-01",
                    reaction="Swelling",
                    severity="severe",
                    category="medication",
                    criticality="high",
                    status="active",
                    provenance=b.prov("alg"),
                )
            )
            b.add(
                Immunization(
                    title="Pneumococcal conjugate vaccine (PCV20)",
                    date="2023-11-08",
                    code="216",
                    code_system="http://hl7.org/fhir/sid/cvx",
                    status="completed",
                    provenance=b.prov("imm"),
                )
            )
            b.add(
                Immunization(
                    title="Shingles vaccine (recombinant)",
                    date="2022-09-14",
                    code="187",
                    code_system="http://hl7.org/fhir/sid/cvx",
                    status="completed",
                    provenance=b.prov("imm"),
                )
            )
            start = date(today.year - 1, 9, 3)
            adm = b.visit(
                start,
                "Hospital admission",
                "Lakeview General Hospital",
                "Dr. Priya Raman",
                "Community-acquired pneumonia",
                cls="IMP",
                end=start + timedelta(days=4),
            )
            b.labs(adm, "Complete blood count", {"6690-2": 7.5})
            b.add(
                Procedure(
                    title="Chest X-ray, 2 views",
                    date=adm.date,
                    status="completed",
                    encounter_ref=adm.provenance.source_id,
                    provenance=b.prov("proc"),
                )
            )
            b.document(
                adm,
                "Radiology report — chest X-ray",
                "Imaging report",
                ["Findings: right lower lobe consolidation.", "Impression: pneumonia."],
            )
            b.document(
                adm,
                "Discharge summary",
                "Discharge summary",
                [
                    "Admitted for community-acquired pneumonia, treated with IV antibiotics.",
                    "Discharged home in stable condition after 4 days.",
                    "Finish amoxicillin for 5 more days.",
                ],
            )
    return b.items


def create_demo_vault(path: Path | str, today: date | None = None, kdf: KdfParams | None = None) -> Vault:
    """Create and fill the demo vault at ``path``; return it unlocked."""
    today = today or date.today()
    vault, _ = Vault.create(path, DEMO_PASSPHRASE, owner_name=DEMO_OWNER, kdf=kdf, demo=True)
    rng = random.Random(2026)  # noqa: S311 - made-up demo values, not security
    svc = ImportService(vault)
    for person in FAMILY:
        p = vault.add_person(person.name, person.born, person.sex, is_demo=True)
        items = _records_for(person, rng, today)
        svc.write_parsed(ParsedFile("Demo data", "demo", items=items), ImportOptions(person=p.id), source_kind="demo")
    return vault


def open_or_create_demo(path: Path | str) -> Vault:
    path = Path(path)
    if (path / "vault.json").exists():
        return Vault.open(path, DEMO_PASSPHRASE)
    return create_demo_vault(path)
