"""Words for the command line: plurals, columns cut at a word, kinds as people say them."""

from __future__ import annotations

from ..model.records import KINDS

_IRREGULAR = {
    "entry": "entries",
    "allergy": "allergies",
    "diagnostic report": "diagnostic reports",
    "person": "people",
    "family history": "family histories",
    "summary": "summaries",
}

# What people type -> (the model's kind, an observation category filter: "lab", "vital" or None)
KIND_WORDS: dict[str, tuple[str, str | None]] = {
    **{k: (k, None) for k in KINDS},
    "lab": ("observation", "lab"),
    "labs": ("observation", "lab"),
    "lab-result": ("observation", "lab"),
    "result": ("observation", "lab"),
    "results": ("observation", "lab"),
    "test": ("observation", "lab"),
    "vital": ("observation", "vital"),
    "vitals": ("observation", "vital"),
    "vital-sign": ("observation", "vital"),
    "vital-signs": ("observation", "vital"),
    "report": ("diagnostic_report", None),
    "reports": ("diagnostic_report", None),
    "diagnostic-report": ("diagnostic_report", None),
    "document": ("document", None),
    "documents": ("document", None),
    "doc": ("document", None),
    "note": ("document", None),
    "notes": ("document", None),
    "letter": ("document", None),
    "visit": ("encounter", None),
    "visits": ("encounter", None),
    "encounters": ("encounter", None),
    "admission": ("encounter", None),
    "medication": ("medication", None),
    "medications": ("medication", None),
    "med": ("medication", None),
    "meds": ("medication", None),
    "medicine": ("medication", None),
    "drug": ("medication", None),
    "allergy": ("allergy", None),
    "allergies": ("allergy", None),
    "condition": ("condition", None),
    "conditions": ("condition", None),
    "problem": ("condition", None),
    "problems": ("condition", None),
    "diagnosis": ("condition", None),
    "immunization": ("immunization", None),
    "immunizations": ("immunization", None),
    "vaccine": ("immunization", None),
    "vaccines": ("immunization", None),
    "vaccination": ("immunization", None),
    "shot": ("immunization", None),
    "shots": ("immunization", None),
    "procedure": ("procedure", None),
    "procedures": ("procedure", None),
    "surgery": ("procedure", None),
}
KIND_CHOICES = (
    "lab",
    "vital",
    "document",
    "visit",
    "medication",
    "allergy",
    "condition",
    "immunization",
    "procedure",
    "report",
)
KIND_LABEL = {"observation": "result", "diagnostic_report": "report", "encounter": "visit"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 item``, ``2 items``, ``1 entry``, ``3 entries`` (underscores read as spaces)."""
    word = word.replace("_", " ")
    if n == 1:
        return f"{n:,} {word}"
    if many is None:
        many = _IRREGULAR.get(word) or (
            word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
        )
    return f"{n:,} {many}"


def fit(text: str | None, width: int) -> str:
    """``text`` in a column of ``width``: whole words, an ellipsis where it is cut, padded."""
    text = " ".join((text or "").split())
    if len(text) > width:
        cut = text[: width - 1]
        if " " in cut and not text[width - 1].isspace():
            head = cut.rsplit(" ", 1)[0].rstrip(",;:-")
            if len(head) >= width // 2:
                cut = head
        text = cut.rstrip() + "…"
    return f"{text:{width}}"


def parse_kinds(words: list[str] | None) -> tuple[list[str] | None, set[str]]:
    """``--kind`` words to model kinds and observation categories to keep ({"lab"}, {"vital"} or both)."""
    from ..errors import InvalidInput

    if not words:
        return None, set()
    kinds: list[str] = []
    cats: set[str] = set()
    plain_obs = False
    for w in words:
        key = w.strip().casefold().replace(" ", "-").replace("_", "-")
        hit = KIND_WORDS.get(key) or KIND_WORDS.get(key.replace("-", "_"))
        if hit is None:
            raise InvalidInput(f"Unknown kind {w!r}; say one of: {', '.join(KIND_CHOICES)}.")
        kind, cat = hit
        if kind not in kinds:
            kinds.append(kind)
        if kind == "observation":
            if cat:
                cats.add(cat)
            else:
                plain_obs = True
    if plain_obs:
        cats = set()
    return kinds, cats


def is_vital(category: str | None) -> bool:
    return (category or "").casefold() in ("vital-signs", "vital signs", "vitals", "vital-sign")
