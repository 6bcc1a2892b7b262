"""The clinical-sense check: what a family (and a doctor reading the packet) would see that is wrong.

Run over parsed files grouped by the patient each file names.  Each finding is (rule, file, text) so
that a failure says exactly which item of which file broke which rule.  Also runnable as a script to
print the counts: ``python -m tests.clinical_sense [CORPUS_DIR]``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from medrecords_desktop.importers.base import ParsedFile
from medrecords_desktop.model.records import Condition, Document, Encounter, Item, Observation
from medrecords_desktop.model.units import display_unit

RULES = ("negation", "kind-name", "empty-result", "code-value", "bracket-unit", "duplicate")

# Phrases that say there is nothing to record.  Written independently of the importers' own lists.
_NEGATION = re.compile(
    r"^\s*(no|none|nil|negative for|denies)\b.*\b(known|indicated|applicable|available|reported|recorded|"
    r"documented|data|information|allerg\w*|problems?|immuni[sz]ations?|encounters?|medications?|"
    r"procedures?|results?|history)\b"
    r"|\bnot applicable\b|\bno known\b|^\s*nk(d)?a\s*$|^\s*none\s*$",
    re.I,
)
# SNOMED CT "no known ..." / "no ... " situation codes (a statement that there is none).
_NEGATION_CODES = frozenset(
    {
        "716186003",  # no known allergy
        "409137002",  # no known drug allergy
        "429625007",  # no known food allergy
        "428607008",  # no known environmental allergy
        "428197003",  # no known insect allergy
        "160245001",  # no current problems or disability
        "1150996004",  # no known adverse reaction
        "787481004",  # no known medication
        "275367005",  # no relevant past medical history
    }
)
_KIND_WORDS = frozenset(
    {
        "observation",
        "observations",
        "procedure",
        "procedures",
        "result",
        "results",
        "problem",
        "problems",
        "condition",
        "allergy",
        "allergies",
        "medication",
        "medications",
        "immunization",
        "immunizations",
        "encounter",
        "encounters",
        "assertion",
        "diagnostic report",
        "document",
        "clinical document",
        "vital signs",
        "lab",
        "labs",
        "unknown",
        "unk",
        "other",
        "test",
    }
)
# A value that is only a code: SNOMED ids, LOINC answer ids, an all-caps token with digits.
_CODE_VALUE = re.compile(r"^\s*(\d{6,18}|LA\d{2,6}-\d|[A-Z]{1,4}\d{2,}[A-Z0-9.]*)\s*$")


_UCUM_ATOM = re.compile(r"\[(?:[a-z]+_[a-z]+|deg[FCR]|Hg|H2O|iU|IU|pH)\]|\{[a-z0-9_.]+\}", re.I)


def _kind_name(item: Item) -> bool:
    title = (item.title or "").split(" — ")[0].strip().lower()
    return title in _KIND_WORDS or not title


def _negation(item: Item) -> bool:
    if item.kind == "document":
        return False
    if item.status in ("not-done", "refuted", "entered-in-error", "not-taken"):
        return True
    if isinstance(item, Condition) and item.verification_status in ("refuted", "entered-in-error"):
        return True
    codes = {item.code} | {c.code for c in item.codes}
    if isinstance(item, Observation):
        codes |= {c.get("value_code") for c in item.components}
    if codes & _NEGATION_CODES:
        return True
    texts = [item.title, item.display]
    if isinstance(item, Observation) and item.category != "social-history":
        texts.append(item.value_text)
    return any(t and _NEGATION.search(t) for t in texts)


def _empty_result(item: Item) -> bool:
    if not isinstance(item, Observation):
        return False
    has_value = item.value is not None or bool((item.value_text or "").strip()) or bool(item.components)
    return not has_value


def _code_value(item: Item) -> bool:
    if not isinstance(item, Observation):
        return False
    shown = item.summary()
    if item.value_text and _CODE_VALUE.match(item.value_text):
        return True
    codes = {c.get("value_code") for c in item.components if c.get("value_code")}
    return (
        bool(item.value_text)
        and item.value_text in codes
        and not any(c.get("value_display") == item.value_text for c in item.components)
        or any(
            code
            and re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", shown)
            and not re.fullmatch(r"\d+(\.\d+)?", code)
            for code in codes
            if code != item.value_text and len(code) > 4 and code not in (item.title or "")
        )
    )


def _bracket_unit(item: Item) -> bool:
    if not isinstance(item, Observation):
        return False
    shown = [display_unit(item.unit) or ""] + [display_unit(c.get("unit")) or "" for c in item.components]
    # UCUM's bracketed atoms written into a name or a value text ("120/80 mm[Hg]", "150 [lb_av]")
    written = " ".join(x or "" for x in (item.title, item.value_text, item.summary()))
    return any("[" in s or "{" in s for s in shown) or _UCUM_ATOM.search(written) is not None


def _dup_key(item: Item) -> tuple[str, ...] | None:
    if isinstance(item, Document):
        return None  # two documents are one only when their bytes are (the fingerprint's content hash)
    if isinstance(item, Encounter) and not item.date:
        return None
    val = ""
    if isinstance(item, Observation):
        val = f"{item.value!r}|{item.value_text}|{item.unit}|{item.components!r}"
    return (
        item.kind,
        " ".join((item.title or "").lower().split()),
        (item.date or "")[:16],
        val,
        item.status or "",
    )


def person_key(parsed: ParsedFile, item: Item) -> str:
    p = next((p for p in parsed.patients if p.ref == item.patient_ref), None)
    if p is None:
        return f"{parsed.source_name}|{item.patient_ref}"
    return f"{(p.name or '').lower()}|{p.birth_date}"


def check(parsed_files: Iterable[ParsedFile]) -> tuple[Counter[str], list[tuple[str, str, str]]]:
    """Counts per rule and the findings, over files whose patients are grouped by name + birth date."""
    counts: Counter[str] = Counter({r: 0 for r in RULES})
    findings: list[tuple[str, str, str]] = []
    seen: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
    fingerprints: dict[str, set[str]] = defaultdict(set)
    for pf in parsed_files:
        for item in pf.items:
            rules = []
            if _negation(item):
                rules.append("negation")
            if _kind_name(item):
                rules.append("kind-name")
            if _empty_result(item):
                rules.append("empty-result")
            if _code_value(item):
                rules.append("code-value")
            if _bracket_unit(item):
                rules.append("bracket-unit")
            who = person_key(pf, item)
            # The vault folds repeats with the same content fingerprint; what is left and looks the
            # same to a reader (same name, time, value) is a duplicate on screen.
            fp = item.fingerprint()
            if fp in fingerprints[who]:
                continue
            fingerprints[who].add(fp)
            key = _dup_key(item)
            if key is not None:
                if key in seen[who]:
                    rules.append("duplicate")
                else:
                    seen[who][key] = pf.source_name
            for r in rules:
                counts[r] += 1
                findings.append((r, pf.source_name, f"{item.kind}: {item.summary()!s} [{item.code}]"))
    return counts, findings


def corpus_files(root: Path) -> list[Path]:
    """Every C-CDA and FHIR file of the corpus."""
    out = sorted((root / "ccda").glob("*.xml"))
    for sub in ("fhir-spec-examples", "ips-examples", "synthea-bulk-10-patients"):
        out += sorted(p for p in (root / sub).iterdir() if p.suffix in (".json", ".ndjson"))
    return out


def parse_corpus(root: Path) -> tuple[list[ParsedFile], list[str]]:
    from medrecords_desktop.errors import ImportRejected
    from medrecords_desktop.importers.registry import parse_bytes

    parsed, rejected = [], []
    for p in corpus_files(root):
        try:
            parsed += parse_bytes(p.read_bytes(), p.name)
        except ImportRejected as e:
            rejected.append(f"{p.name}: {e}")
    return parsed, rejected


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parsed, rejected = parse_corpus(root)
    counts, findings = check(parsed)
    print(f"{len(parsed)} files parsed, {len(rejected)} not a health record or rejected")
    for r in RULES:
        print(f"{r:14} {counts[r]}")
    if "-v" in sys.argv:
        for f in findings:
            print(*f, sep="\t")
    return 0


if __name__ == "__main__":
    raise SystemExit(main([a for a in sys.argv[1:] if a != "-v"]))
