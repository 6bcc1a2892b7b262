"""The CDSi supporting data as the evaluator reads it: loaded from the compact JSON the app ships
(built from the CDC's XML by `build.py`), indexed once, and cached.

A newer release can be loaded with `medrecords immunizations --load-data DIR`; it is written to the
user's data folder and preferred over the copy shipped with the app when its version is newer.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "cdsi.json"


def user_data_file() -> Path:
    base = os.environ.get("MEDRECORDS_CDSI_DIR")
    if base:
        return Path(base) / "cdsi.json"
    from platformdirs import user_data_dir  # lazy: only when looking for a newer copy

    return Path(user_data_dir("medrecords-desktop", appauthor=False)) / "cdsi.json"


def _as_list(v) -> list:
    if v is None or v == "":
        return []
    return v if isinstance(v, list) else [v]


@dataclass
class Supporting:
    version: str
    raw: dict
    # cvx -> [(antigen, beginAge, endAge)]
    cvx_antigens: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    cvx_names: dict[str, str] = field(default_factory=dict)
    group_antigens: dict[str, list[str]] = field(default_factory=dict)
    group_full: dict[str, bool] = field(default_factory=dict)
    antigen_group: dict[str, str] = field(default_factory=dict)
    # current cvx -> [(previous cvx, begin, minEnd, end)]
    live_conflicts: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    live_cvx: set[str] = field(default_factory=set)
    antigens: dict[str, dict] = field(default_factory=dict)
    observations: dict[str, dict] = field(default_factory=dict)
    # (code system, code) -> CDSi observation code
    code_to_observation: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    # normalised vaccine names (CDSi short descriptions, vaccine types, trade names) -> CVX
    name_to_cvx: dict[str, str] = field(default_factory=dict)


def norm_cvx(cvx) -> str:
    s = str(cvx or "").strip()
    if s.isdigit():
        s = s.lstrip("0") or "0"
        return s.zfill(2)
    return s


def _normalise_cvx(node) -> None:
    """CVX codes compared as strings: one spelling ("08", never "8") everywhere, once at load."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "cvx" and isinstance(v, str):
                node[k] = norm_cvx(v)
            else:
                _normalise_cvx(v)
    elif isinstance(node, list):
        for v in node:
            _normalise_cvx(v)


def index(raw: dict) -> Supporting:
    sup = Supporting(version=raw.get("version") or "unknown", raw=raw)
    sched = raw["schedule"]
    for m in _as_list(sched.get("cvxToAntigenMap", {}).get("cvxMap")):
        cvx = norm_cvx(m.get("cvx"))
        sup.cvx_names[cvx] = m.get("shortDescription", "")
        for a in _as_list(m.get("association")):
            sup.cvx_antigens.setdefault(cvx, []).append(
                (a["antigen"], a.get("associationBeginAge", ""), a.get("associationEndAge", ""))
            )
    for g in _as_list(sched.get("vaccineGroupToAntigenMap", {}).get("vaccineGroupMap")):
        sup.group_antigens[g["name"]] = list(_as_list(g.get("antigen")))
    for g in _as_list(sched.get("vaccineGroups", {}).get("vaccineGroup")):
        sup.group_full[g["name"]] = g.get("administerFullVaccineGroup", "") == "Yes"
    for c in _as_list(sched.get("liveVirusConflicts", {}).get("liveVirusConflict")):
        prev, cur = norm_cvx(c["previous"]["cvx"]), norm_cvx(c["current"]["cvx"])
        sup.live_conflicts.setdefault(cur, []).append(
            (
                prev,
                c.get("conflictBeginInterval", ""),
                c.get("minConflictEndInterval", ""),
                c.get("conflictEndInterval", ""),
            )
        )
        sup.live_cvx.update((prev, cur))
    for o in _as_list(sched.get("observations", {}).get("observation")):
        code = o.get("observationCode", "")
        sup.observations[code] = o
        for cv in _as_list((o.get("codedValues") or {}).get("codedValue")):
            sup.code_to_observation.setdefault((cv.get("codeSystem", "").upper(), cv.get("code", "")), set()).add(code)
    for name, ag in raw["antigens"].items():
        _normalise_cvx(ag)
        sup.antigens[name] = ag
        for s in _as_list(ag.get("series")):
            if s.get("vaccineGroup"):
                sup.antigen_group.setdefault(name, s["vaccineGroup"])
    _index_names(sup)
    for g, ants in sup.group_antigens.items():
        for a in ants:
            sup.antigen_group.setdefault(a, g)
    return sup


def norm_name(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in (text or "").lower()).split())


def _index_names(sup: Supporting) -> None:
    """Every vaccine name the supporting data spells out, pointing at its CVX. Trade names and
    vaccine types come from the series' vaccine lists; a name that points at two CVX codes is
    ambiguous and left out."""
    seen: dict[str, set[str]] = {}

    def note(name: str, cvx: str) -> None:
        key = norm_name(name)
        if key and cvx:
            seen.setdefault(key, set()).add(cvx)

    for cvx, desc in sup.cvx_names.items():
        note(desc, cvx)
    for ag in sup.antigens.values():
        for s in _as_list(ag.get("series")):
            for td in _as_list(s.get("seriesDose")):
                for key in ("preferableVaccine", "allowableVaccine"):
                    for v in _as_list(td.get(key)):
                        note(v.get("tradeName", ""), v.get("cvx", ""))
                        note(v.get("vaccineType", ""), v.get("cvx", ""))
    sup.name_to_cvx = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _version_key(v: str) -> tuple:
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return (0,)


@lru_cache(maxsize=4)
def _load_path(path: str, mtime: float) -> Supporting:
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    if raw.get("format") != 1 or "schedule" not in raw or "antigens" not in raw:
        raise ValueError(f"{path}: not a CDSi data file made by this app")
    return index(raw)


def load(path: Path | None = None) -> Supporting:
    """The supporting data: `path` if given, else the newest of the shipped and the loaded copy."""
    if path is not None:
        p = Path(path)
        return _load_path(str(p), p.stat().st_mtime)
    best = _load_path(str(SHIPPED), SHIPPED.stat().st_mtime)
    try:
        user = user_data_file()
        if user.is_file():
            other = _load_path(str(user), user.stat().st_mtime)
            if _version_key(other.version) > _version_key(best.version):
                best = other
    except (OSError, ValueError):
        pass  # a damaged user copy never hides the shipped one
    return best


def install(src_dir: Path) -> Supporting:
    """Convert a CDSi supporting-data folder and keep it as the user's copy."""
    from . import build

    raw = build.build(Path(src_dir))
    out = user_data_file()
    out.parent.mkdir(parents=True, exist_ok=True)
    build.write(raw, out)
    return index(raw)
