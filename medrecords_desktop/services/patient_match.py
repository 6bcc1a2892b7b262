"""Which person a file's patient is: how a file's patient details (name, birth date, sex, identifiers)
compare with the people in the vault, ranked with a reason a person can read, and the patient a plain
text document names in its first lines. Pure functions over the model; the import service asks them."""

from __future__ import annotations

import re
from datetime import date

from ..importers.base import ParsedFile, PatientInfo
from ..model.records import Document, Person


def example_identifier(system: str) -> bool:
    return "2.16.840.1.113883.19" in system


def birth_agrees(p: Person, patient: PatientInfo) -> bool:
    return not (p.birth_date and patient.birth_date) or p.birth_date == patient.birth_date[:10]


def names_overlap(p: Person, patient: PatientInfo) -> bool:
    theirs = set(_norm(patient.name or " ".join(x for x in (patient.given, patient.family) if x)).split())
    return bool(theirs & set(_norm(p.name).split()))


def _norm(s: str | None) -> str:
    return " ".join("".join(ch for ch in (s or "").casefold() if ch.isalnum() or ch.isspace()).split())


def same_person(p: Person, patient: PatientInfo) -> bool:
    if patient.birth_date and p.birth_date and patient.birth_date[:10] != p.birth_date:
        return False
    full = _norm(patient.name or " ".join(x for x in (patient.given, patient.family) if x))
    mine = _norm(p.name)
    if not full or not mine:
        return False
    if full == mine:
        return True
    a, b = full.split(), mine.split()
    # same family name and same first given name ("Adam Everyman" ~ "Adam J Everyman")
    return bool(patient.birth_date and p.birth_date) and a[0] == b[0] and a[-1] == b[-1]


# --------------------------------------------------------------------------- whose record?
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _days(n: int, what: str = "day") -> str:
    return f"{_NUMBERS[n] if n < len(_NUMBERS) else n} {what}{'s' if n != 1 else ''}"


def match_reason(p: Person, patient: PatientInfo) -> tuple[int, str]:
    """How likely the file's patient is this person (0-100) and why, in words."""
    from datetime import date

    theirs = _norm(patient.name or " ".join(x for x in (patient.given, patient.family) if x)).split()
    mine = _norm(p.name).split()
    if theirs and theirs == mine:
        score, name = 50, "same name"
    elif theirs and mine and theirs[0] == mine[0] and theirs[-1] == mine[-1]:
        score, name = 40, "same first and last name"
    elif theirs and mine and theirs[-1] == mine[-1]:
        score, name = 20, "same family name"
    elif theirs and mine and theirs[0] == mine[0]:
        score, name = 10, "same first name"
    elif set(theirs) & set(mine):
        score, name = 10, "part of the name the same"
    else:
        score, name = 0, "another name"
    a, b = (patient.birth_date or "")[:10], p.birth_date or ""
    if not a or not b:
        score += 10
        born = "no date of birth to compare"
    elif a == b:
        score += 50
        born = "same date of birth"
    else:
        try:
            da, db = date.fromisoformat(a), date.fromisoformat(b)
        except ValueError:
            return score, f"{name}, a date of birth that is not a date"
        gap = abs((da - db).days)
        if gap <= 3:
            score += 30
            born = f"date of birth {_days(gap)} apart"
        elif (da.month, da.day) == (db.day, db.month) and da.year == db.year:
            score += 30
            born = "date of birth with day and month swapped"
        elif (da.month, da.day) == (db.month, db.day):
            score += 15
            born = f"born the same day, {_days(abs(da.year - db.year), 'year')} apart"
        elif gap <= 31:
            score += 15
            born = f"date of birth {_days(gap)} apart"
        else:
            born = f"born {b}, the file says {a}"
    return score, f"{name}, {born}"


def rank_candidates(patient: PatientInfo, people: list[Person]) -> list[tuple[Person, int, str]]:
    """Everyone, the likeliest first, each with a score and the reason in words."""
    ranked = [(p, *match_reason(p, patient)) for p in people]
    ranked.sort(key=lambda t: -t[1])
    return ranked


def patient_label(patient: PatientInfo) -> str:
    name = patient.name or " ".join(x for x in (patient.given, patient.family) if x)
    born = f"born {patient.birth_date}" if patient.birth_date else ""
    return ", ".join(x for x in (name, born) if x)


def disagreement(p: Person, patient: PatientInfo) -> str | None:
    """Why the file's patient is not ``p`` ("another date of birth", "another name"), or None."""
    if patient.birth_date and p.birth_date and patient.birth_date[:10] != p.birth_date:
        return f"date of birth {patient.birth_date[:10]}, not {p.birth_date}"
    name = patient.name or " ".join(x for x in (patient.given, patient.family) if x)
    if name and p.name and not names_overlap(p, patient):
        return "another name"
    return None


_TEXT_PATIENT = re.compile(
    r"(?i:patient(?:\s+name)?|name)\s*[:#]\s*(?P<name>[A-Z][A-Za-z'.-]+(?:[ ,]+[A-Z][A-Za-z'.-]*){1,3})"
)
_TEXT_DOB = re.compile(
    r"(?:DOB|D\.O\.B\.?|date\s+of\s+birth|born)\s*[:#]?\s*"
    r"(?P<d>\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})",
    re.I,
)


def patient_in_text(parsed: ParsedFile) -> PatientInfo | None:
    """The patient a scanned or typed document names ("Patient: Ruth A. Okafor  DOB: 1958-07-02")."""
    if parsed.format not in ("image", "pdf", "text"):
        return None
    text = "\n".join((i.text or "")[:4000] for i in parsed.items if isinstance(i, Document))
    m = _TEXT_PATIENT.search(text)
    d = _TEXT_DOB.search(text)
    if m is None and d is None:
        return None
    name = " ".join(m.group("name").replace(",", " ").split()) if m else None
    if name:
        # stop at the next label on the same line ("Ruth A. Okafor DOB" -> "Ruth A. Okafor")
        name = re.split(r"\s+(?:DOB|D\.O\.B|Date|Born|MRN|Sex|Age)\b", name, maxsplit=1, flags=re.I)[0].strip()
    birth = None
    if d:
        v = d.group("d")
        if "/" in v:
            mo, da, yr = v.split("/")
            v = f"{int(yr):04d}-{int(mo):02d}-{int(da):02d}"
        try:
            birth = date.fromisoformat(v).isoformat()
        except ValueError:
            birth = None
    if not name and not birth:
        return None
    return PatientInfo(ref="text-patient", name=name, birth_date=birth)
