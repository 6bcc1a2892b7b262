"""The CDC CDSi test cases (healthy childhood and adult, .xlsx): read them, run each through the
engine and compare dose evaluations, series status and the three forecast dates.

Used by tests/test_immunization_cdc.py and benchmarks/bench_immunizations.py. Needs openpyxl (a dev
extra); the app itself never reads the spreadsheet.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .engine import Engine
from .model import Dose, Patient

# the test sheet's vaccine group names -> CDSi vaccine groups
GROUPS = {
    "DTAP": "DTaP/Tdap/Td", "POL": "Polio", "HPV": "HPV", "HIB": "Hib", "COVID-19": "COVID-19",
    "PCV": "Pneumococcal", "HepB": "HepB", "MMR": "MMR", "VAR": "Varicella", "ROTA": "Rotavirus",
    "MCV": "Meningococcal", "MENB": "Meningococcal B", "ZOSTER": "Zoster", "FLU": "Influenza",
    "HepA": "HepA", "RSV": "RSV",
}
STATUS = {"not complete": "Not Complete", "complete": "Complete", "aged out": "Aged Out",
          "immune": "Immune", "not recommended": "Not Recommended", "contraindicated": "Contraindicated"}
HELD_OUT_PERCENT = 30


def held_out(case_id: str) -> bool:
    """Decided before any tuning: about 30% of cases, by a hash of the case id, are never looked at
    while developing; their pass rate is reported separately."""
    return int(hashlib.sha256(case_id.encode()).hexdigest()[:8], 16) % 100 < HELD_OUT_PERCENT


@dataclass
class Case:
    id: str
    name: str
    group: str            # CDSi vaccine group
    sheet_group: str
    patient: Patient
    as_of: dt.date
    doses: list[Dose]
    expected_doses: list[tuple[str, str]]    # (status, reason)
    status: str
    earliest: dt.date | None
    recommended: dt.date | None
    past_due: dt.date | None
    eval_type: str = ""
    forecast_type: str = ""
    changed: str = ""


@dataclass
class Outcome:
    case: Case
    ok: bool
    problems: list[str] = field(default_factory=list)


def _d(v) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip()
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    raise ValueError(f"unreadable date {v!r}")


def read_cases(path: Path) -> list[Case]:
    import openpyxl  # dev extra

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb["FITS Exported TestCases"]
    except KeyError:
        raise ValueError(f"{path}: no sheet 'FITS Exported TestCases'") from None
    rows = ws.iter_rows(values_only=True)
    header = [str(h or "") for h in next(rows)]
    cases = []
    for rn, row in enumerate(rows, start=2):
        r = dict(zip(header, row))
        if not r.get("CDC_Test_ID"):
            continue
        doses, expected = [], []
        for i in range(1, 8):
            date = _d(r.get(f"Date_Administered_{i}"))
            if date is None:
                continue
            doses.append(Dose(date, str(r.get(f"CVX_{i}") or "").strip(), str(r.get(f"MVX_{i}") or "").strip(),
                              ref=str(i), name=str(r.get(f"Vaccine_Name_{i}") or "")))
            expected.append((str(r.get(f"Evaluation_Status_{i}") or "").strip(),
                             str(r.get(f"Evaluation_Reason_{i}") or "").strip()))
        sheet_group = str(r.get("Vaccine_Group") or "").strip()
        if sheet_group not in GROUPS:
            raise ValueError(f"{path.name} row {rn}: unknown vaccine group {sheet_group!r}")
        sex = str(r.get("gender") or "").strip().upper()[:1]
        cases.append(Case(
            id=str(r["CDC_Test_ID"]).strip(), name=str(r.get("Test_Case_Name") or ""), group=GROUPS[sheet_group],
            sheet_group=sheet_group, patient=Patient(_d(r["DOB"]), sex if sex in ("F", "M") else ""),
            as_of=_d(r["Assessment_Date"]), doses=doses, expected_doses=expected,
            status=STATUS.get(str(r.get("Series_Status") or "").strip().lower(), str(r.get("Series_Status"))),
            earliest=_d(r.get("Earliest_Date")), recommended=_d(r.get("Recommended_Date")),
            past_due=_d(r.get("Past_Due_Date")), eval_type=str(r.get("Evaluation_Test_Type") or ""),
            forecast_type=str(r.get("Forecast_Test_Type") or ""), changed=str(r.get("Reason_For_Change") or "")))
    wb.close()
    return cases


def _reason_key(s: str) -> str:
    return " ".join(s.lower().split())


def run_case(engine: Engine, case: Case) -> Outcome:
    # doses of other vaccine groups in a case are checked against their own group
    groups = [case.group] + sorted({engine.sup.antigen_group.get(ant, "") for d in case.doses
                                    for ant, _b, _e in engine.sup.cvx_antigens.get(d.cvx.zfill(2), ())} - {case.group, ""})
    a = engine.assess(case.patient, case.doses, case.as_of, groups=groups)
    g = a.groups[case.group]
    problems = []
    got = {}
    for name in reversed(groups):
        got.update({d.ref: (status, reason) for d, status, reason in a.groups[name].doses})
    for dose, (est, ereason) in zip(case.doses, case.expected_doses):
        gst, greason = got.get(dose.ref, ("(not evaluated)", ""))
        if est and est != gst:
            problems.append(f"dose {dose.ref} ({dose.date} CVX {dose.cvx}): expected {est}"
                            f"{' / ' + ereason if ereason else ''}, got {gst}{' / ' + greason if greason else ''}")
        elif est and ereason and _reason_key(ereason) not in [_reason_key(x) for x in greason.split(";")]:
            problems.append(f"dose {dose.ref}: expected reason {ereason!r}, got {greason!r}")
    if case.status != g.status:
        problems.append(f"status: expected {case.status}, got {g.status}")
    f = g.forecast
    for label, want, have in (("earliest", case.earliest, f.earliest if f else None),
                              ("recommended", case.recommended, f.recommended if f else None),
                              ("past due", case.past_due, f.past_due if f else None)):
        if want != have:
            problems.append(f"{label}: expected {want}, got {have}")
    return Outcome(case, not problems, problems)


def run_all(cases: list[Case], engine: Engine | None = None) -> list[Outcome]:
    engine = engine or Engine()
    return [run_case(engine, c) for c in cases]


def summary(outcomes: list[Outcome]) -> dict:
    table: dict[str, list[int]] = {}
    for o in outcomes:
        t = table.setdefault(o.case.sheet_group, [0, 0])
        t[1] += 1
        t[0] += o.ok
    return table
