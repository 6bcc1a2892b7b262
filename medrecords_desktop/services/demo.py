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
from typing import Any

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
        self.add(
            blood_pressure(sys_bp, dia_bp, date=day, encounter_ref=enc.provenance.source_id, provenance=self.prov("bp"))
        )
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


# --------------------------------------------------------------------------------------------------
# Who has what: each person's plan is data (clinic, yearly visits, standing records, episodes); the
# functions below only walk it.  The order of the walk (and so of the seeded random draws) is fixed:
# yearly visits, then standing records, then episodes.

CVX = "http://hl7.org/fhir/sid/cvx"
SNOMED = "http://snomed.info/sct"

# A standing record: (model class, provenance tag, fields).
Standing = tuple[type[Item], str, dict[str, Any]]


def _vaccine(title: str, day: str, cvx: str) -> Standing:
    return Immunization, "imm", {"title": title, "date": day, "code": cvx, "code_system": CVX, "status": "completed"}


def _condition(title: str, day: str, snomed: str) -> Standing:
    return (
        Condition,
        "cond",
        {"title": title, "date": day, "code_system": SNOMED, "code": snomed, "clinical_status": "active"},
    )


def _medication(title: str, day: str, dose: str, route: str, reason: str | None = None, **more: Any) -> Standing:
    fields = {"title": title, "date": day, "dose": dose, "route": route, "status": "active", **more}
    if reason is not None:
        fields["reason"] = reason
    return Medication, "med", fields


def _allergy(title: str, day: str, reaction: str, severity: str, category: str, **more: Any) -> Standing:
    return (
        Allergy,
        "alg",
        {
            "title": title,
            "date": day,
            "reaction": reaction,
            "severity": severity,
            "category": category,
            "status": "active",
            **more,
        },
    )


def _procedure(title: str, day: str) -> Standing:
    return Procedure, "proc", {"title": title, "date": day, "status": "completed"}


@dataclass(frozen=True)
class Episode:
    """A visit out of the routine (last year, on ``when`` = (month, day)): its labs, procedures, documents."""

    when: tuple[int, int]
    title: str
    place: str
    practitioner: str
    reason: str
    cls: str
    days: int | None = None  # an admission's length
    labs: tuple[tuple[str, dict[str, float] | None], ...] = ()
    procedures: tuple[str, ...] = ()
    documents: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (title, type, lines)


@dataclass(frozen=True)
class Plan:
    clinic: str
    practitioner: str
    standing: tuple[Standing, ...] = ()
    episodes: tuple[Episode, ...] = ()
    # adults (yearly physicals): usual weight, systolic pressure above 118, visit months, drifts
    weight: float = 0.0
    systolic_extra: int = 0
    months: tuple[int, ...] = (4,)
    diabetic: bool = False  # A1c rising at every visit, glucose with it; a follow-up visit in October
    lipid_drift: dict[str, float] | None = None
    follow_up: str = "one year."
    child: bool = False  # yearly well-child visits in June instead


PLANS: dict[str, Plan] = {
    "Sofia Garcia": Plan(
        "Sunny Pediatrics",
        "Dr. Amy Chen",
        child=True,
        standing=(
            _vaccine("MMR vaccine", "2019-07-02", "03"),
            _vaccine("DTaP vaccine", "2020-06-15", "20"),
            _allergy("Peanut", "2018-05-03", "Hives", "moderate", "food", criticality="high"),
            _condition("Asthma, mild intermittent", "2021-02-10", "427679007"),
            _medication("Albuterol 90 mcg inhaler", "2021-02-10", "2 puffs as needed", "inhaled", "Asthma"),
        ),
        episodes=(
            Episode(
                (1, 14),
                "Emergency visit",
                "City Children's Hospital",
                "Dr. Omar Haddad",
                "Wheezing after a cold",
                "EMER",
                documents=(
                    (
                        "Emergency department discharge instructions",
                        "Discharge instructions",
                        (
                            "Diagnosis: asthma exacerbation.",
                            "Use albuterol every 4 hours for 2 days.",
                            "Return if breathing gets harder.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    "Maria Garcia": Plan(
        "Riverside Family Medicine",
        "Dr. Lena Novak",
        weight=64,
        standing=(
            _allergy("Penicillin", "2003-09-01", "Rash", "mild", "medication"),
            _condition("Hypothyroidism", "2019-03-04", "40930008"),
            _medication("Levothyroxine 50 mcg tablet", "2019-03-04", "1 tablet daily", "oral", "Hypothyroidism"),
            _procedure("Appendectomy", "2010-08-19"),
        ),
    ),
    "David Garcia": Plan(
        "Riverside Family Medicine",
        "Dr. Lena Novak",
        weight=82,
        lipid_drift={"2093-3": 25, "13457-7": 20},
        standing=(
            _condition("Hyperlipidemia", "2022-04-20", "55822004"),
            _medication("Atorvastatin 20 mg tablet", "2022-05-01", "1 tablet at bedtime", "oral", "High cholesterol"),
            _medication("Vitamin D3 2000 IU", "2023-01-10", "1 capsule daily", "oral", otc=True),
            _vaccine("COVID-19 vaccine", "2023-10-03", "309"),
        ),
    ),
    "Rosa Martinez": Plan(
        "Lakeview Internal Medicine",
        "Dr. Samuel Okafor",
        weight=71,
        systolic_extra=22,
        months=(4, 10),
        diabetic=True,
        follow_up="6 months.",
        standing=(
            _condition("Type 2 diabetes mellitus", "2021-10-12", "44054006"),
            _condition("Essential hypertension", "2018-02-02", "59621000"),
            _medication("Metformin 500 mg tablet", "2021-10-12", "1 tablet twice daily", "oral", "Type 2 diabetes"),
            _medication("Lisinopril 10 mg tablet", "2018-02-02", "1 tablet daily", "oral", "Hypertension"),
            _allergy("Sulfa drugs", "1990-01-01", "Swelling", "severe", "medication", criticality="high"),
            _vaccine("Pneumococcal conjugate vaccine (PCV20)", "2023-11-08", "216"),
            _vaccine("Shingles vaccine (recombinant)", "2022-09-14", "187"),
        ),
        episodes=(
            Episode(
                (9, 3),
                "Hospital admission",
                "Lakeview General Hospital",
                "Dr. Priya Raman",
                "Community-acquired pneumonia",
                "IMP",
                days=4,
                labs=(("Complete blood count", {"6690-2": 7.5}),),
                procedures=("Chest X-ray, 2 views",),
                documents=(
                    (
                        "Radiology report — chest X-ray",
                        "Imaging report",
                        ("Findings: right lower lobe consolidation.", "Impression: pneumonia."),
                    ),
                    (
                        "Discharge summary",
                        "Discharge summary",
                        (
                            "Admitted for community-acquired pneumonia, treated with IV antibiotics.",
                            "Discharged home in stable condition after 4 days.",
                            "Finish amoxicillin for 5 more days.",
                        ),
                    ),
                ),
            ),
        ),
    ),
}


def _well_child_years(b: _Builder, plan: Plan, today: date) -> None:
    born = int(b.p.born[:4])
    for y in range(today.year - 5, today.year + 1):
        day = date(y, 6, b.rng.randint(1, 25))
        if day > today:
            continue
        age = y - born
        enc = b.visit(day, "Well-child visit", plan.clinic, plan.practitioner, f"Annual check-up, age {age}")
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
                    code_system=CVX,
                    code="150",
                    lot=f"FLU{y}A",
                    status="completed",
                    encounter_ref=enc.provenance.source_id,
                    provenance=b.prov("imm"),
                )
            )


def _adult_years(b: _Builder, plan: Plan, today: date) -> None:
    a1c_drift = 0.0
    for y in range(today.year - 5, today.year + 1):
        for visit_no, month in enumerate(plan.months):
            day = date(y, month, 12 if (y == today.year and month == 4) else b.rng.randint(2, 27))
            if day > today:
                continue
            first = visit_no == 0
            enc = b.visit(
                day,
                "Annual physical" if first else "Follow-up visit",
                plan.clinic,
                plan.practitioner,
                "Routine check-up" if first else "Diabetes follow-up",
            )
            sys_bp = 118 + plan.systolic_extra + b.rng.randint(-6, 8)
            b.vitals(enc, plan.weight + b.rng.gauss(0, 1.5), sys_bp, 76 + b.rng.randint(-5, 6))
            if plan.diabetic:
                a1c_drift += 0.25
                b.labs(enc, "Hemoglobin A1c", {"4548-4": 0.6 + a1c_drift, "2345-7": 25 + a1c_drift * 10})
            b.labs(enc, "Comprehensive metabolic panel", {"2345-7": 20 + a1c_drift * 10} if plan.diabetic else None)
            if first:
                b.labs(enc, "Lipid panel", plan.lipid_drift)
                b.labs(enc, "Complete blood count")
            b.document(
                enc,
                "After-visit summary",
                "After-visit summary",
                [
                    "Reviewed medications and allergies.",
                    "Blood work ordered today.",
                    "Follow up in " + plan.follow_up,
                ],
            )


def _episode(b: _Builder, e: Episode, today: date) -> None:
    start = date(today.year - 1, *e.when)
    end = start + timedelta(days=e.days) if e.days is not None else None
    enc = b.visit(start, e.title, e.place, e.practitioner, e.reason, cls=e.cls, end=end)
    for panel, drift in e.labs:
        b.labs(enc, panel, drift)
    for title in e.procedures:
        b.add(
            Procedure(
                title=title,
                date=enc.date,
                status="completed",
                encounter_ref=enc.provenance.source_id,
                provenance=b.prov("proc"),
            )
        )
    for title, doc_type, lines in e.documents:
        b.document(enc, title, doc_type, list(lines))


def _records_for(person: DemoPerson, rng: random.Random, today: date) -> list[Item]:
    """One person's records over the last five years and this one, as their plan says."""
    plan = PLANS[person.name]
    b = _Builder(person, rng)
    (_well_child_years if plan.child else _adult_years)(b, plan, today)
    for cls, tag, fields in plan.standing:
        b.add(cls(**fields, provenance=b.prov(tag)))
    for episode in plan.episodes:
        _episode(b, episode, today)
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
