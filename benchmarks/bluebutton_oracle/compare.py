"""Side-by-side counts per kind: our C-CDA parser against blue-button's (see oracle.js for how to run).

Kinds are mapped onto blue-button's sections: lab observations to results, result organizers to panels,
problem-list conditions to problems, encounter activities to encounters (our encompassing encounter and
encounter diagnoses have no counterpart there).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from medrecords_desktop.importers.ccda import parse_ccda  # noqa: E402
from medrecords_desktop.model.records import Item  # noqa: E402

SIMPLE = {
    "medication": "medications",
    "immunization": "immunizations",
    "allergy": "allergies",
    "procedure": "procedures",
    "diagnostic_report": "panels",
}
OBS = {"laboratory": "results", "vital-signs": "vitals", "social-history": "social_history"}


def bucket(i: Item) -> str:
    if i.kind == "observation":
        return OBS.get(getattr(i, "category", "") or "", "other_observations")
    if i.kind == "condition":
        return "problems" if getattr(i, "category", None) == "problem-list-item" else "other_conditions"
    if i.kind == "encounter":
        return "encounters" if (i.provenance.raw or "").startswith("<encounter") else "encompassing"
    return SIMPLE.get(i.kind, i.kind)


def main() -> int:
    oracle = json.loads(Path(sys.argv[1]).read_text())
    corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "corpus" / "ccda"
    totals: Counter[tuple[str, str]] = Counter()
    diffs: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for name, theirs in sorted(oracle.items()):
        if "error" in theirs:
            print(f"blue-button failed on {name}: {theirs['error']}")
            continue
        ours = Counter(bucket(i) for i in parse_ccda((corpus / name).read_bytes(), name).items)
        for k, v in theirs.items():
            totals[(k, "bb")] += v
            totals[(k, "ours")] += ours[k]
            if v != ours[k]:
                diffs[k].append((name, ours[k], v))
    for k in sorted({k for k, _ in totals}):
        print(
            f"{k:15s} ours {totals[(k, 'ours')]:5d}   blue-button {totals[(k, 'bb')]:5d}   "
            f"files differing {len(diffs[k])}"
        )
    for k, rows in sorted(diffs.items()):
        for name, o, b in rows:
            print(f"  {k}: {name}: ours {o}, blue-button {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
