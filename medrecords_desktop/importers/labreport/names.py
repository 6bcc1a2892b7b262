"""The shipped lab-test catalogue and matching a printed test name against it (exact name, synonym,
abbreviation, then fuzzy matching that tolerates recognition slips)."""

from __future__ import annotations

import difflib
import re
from functools import cache

from ...model.lab_catalogue import LabTest, lab_tests

LOINC = "http://loinc.org"
NAME_THRESHOLD = 0.82  # fuzzy name score below which a line is not taken as that test
PREFIX_SCORE = 0.81  # a name that is only the start of a test's name
UNIT_DECIDES = 0.78  # a weaker name match that its unit singles out is still taken


# --------------------------------------------------------------------------- the catalogue
# The one loader (model/lab_catalogue.py) reads data/lab_tests.json once; the reader uses its tests as they are.
catalogue = lab_tests


def _key(s: str) -> str:
    """Names compared case-blind, punctuation as spaces ("Glucose, fasting" == "glucose fasting")."""
    s = s.casefold().replace("µ", "u").replace("μ", "u")
    return " ".join(re.sub(r"[^0-9a-z%#]+", " ", s).split())


_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "8": "b"})


def _fold(key: str) -> str:
    """Characters recognition confuses, made equal (for comparing names only, never values)."""
    return key.translate(_FOLD).replace(" ", "")


def _bare(s: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", s)


@cache
def _aliases() -> tuple[
    dict[str, list[LabTest]], dict[str, list[LabTest]], list[tuple[str, LabTest]], dict[str, list[LabTest]]
]:
    exact: dict[str, list[LabTest]] = {}
    folded: dict[str, list[LabTest]] = {}
    fuzzy: list[tuple[str, LabTest]] = []
    short: dict[str, list[LabTest]] = {}  # "Mg", "K", "pH": matched with their case ("mg" is a unit)
    for t in catalogue():
        for alias in (t.name, *t.synonyms):
            k = _key(alias)
            if not k:
                continue
            if len(k) <= 2:
                short.setdefault(_bare(alias), []).append(t)
                continue
            exact.setdefault(k, []).append(t)
            folded.setdefault(_fold(k), []).append(t)
            if len(k) >= 4:
                fuzzy.append((k, t))
    return exact, folded, fuzzy, short


MAX_NAME_WORDS = 7  # the longest printed names ("Mean corpuscular hemoglobin concentration, blood")


@cache
def match_test(name: str) -> list[tuple[LabTest, float]]:
    """Candidate tests for a printed name, best first, each with a score in 0..1."""
    k = _key(name)
    if not k or not re.search(r"[a-z]", k) or len(k.split()) > MAX_NAME_WORDS:
        return []
    exact, folded, fuzzy, short = _aliases()
    if len(k) <= 2:
        return [(t, 1.0) for t in short.get(_bare(name), ())]
    found: dict[str, tuple[LabTest, float]] = {}

    def add(t: LabTest, score: float) -> None:
        if t.loinc not in found or found[t.loinc][1] < score:
            found[t.loinc] = (t, score)

    for t in exact.get(k, ()):
        add(t, 1.0)
    for t in folded.get(_fold(k), ()):
        add(t, 0.98)
    words = set(k.split())
    for alias, t in fuzzy:
        if len(alias) <= len(k) and set(alias.split()) <= words:
            # "Glucose, serum, fasting" holds "glucose": a match that weakens as the extra words grow.
            add(t, 0.80 + 0.18 * len(alias) / len(k))
            continue
        if len(k) >= 10 and alias.startswith(k) and alias[len(k)] != " " and len(alias) > len(k):
            # Cut off by a narrow column inside a word ("Mean cell hemoglobin c"): the longer name.
            add(t, 0.97)
            continue
        if len(k) >= 4 and alias.startswith(k + " "):
            # A shortened name ("Neutrophils" for "Neutrophils, absolute", "Protein"): too vague alone,
            # just under the threshold; the unit printed beside it decides (see _pick).
            add(t, PREFIX_SCORE)
            continue
        if len(k) < 4:
            continue
        sm = difflib.SequenceMatcher(None, k, alias, autojunk=False)
        if sm.real_quick_ratio() < NAME_THRESHOLD or sm.quick_ratio() < NAME_THRESHOLD:
            continue
        ratio = sm.ratio()
        if ratio >= NAME_THRESHOLD:
            add(t, ratio * 0.97)
    return sorted(found.values(), key=lambda p: -p[1])
