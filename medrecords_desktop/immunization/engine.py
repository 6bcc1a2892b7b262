"""The immunization evaluator and forecaster: whole history in, one result per vaccine group out.

Steps (CDSi logic specification): organise the history by antigen -> choose the relevant patient
series -> evaluate each series -> pick the best series per antigen -> combine antigens into the
vaccine group's status and forecast.
"""

from __future__ import annotations

import datetime as dt

from . import dates as D
from .data import Supporting, _as_list, load, norm_cvx
from .evaluate import AntigenDose, SeriesEvaluator, SeriesResult
from .model import (
    AGED_OUT,
    COMPLETE,
    CONTRAINDICATED,
    EXTRANEOUS,
    IMMUNE,
    NOT_COMPLETE,
    NOT_VALID,
    R_NOT_ALLOWED,
    VALID,
    AntigenResult,
    Assessment,
    Dose,
    DoseEvaluation,
    Forecast,
    GroupResult,
    Patient,
)

NOTICE = (
    "Information to discuss with a clinician, not medical advice. Follows CDC CDSi supporting data version {version}."
)


def _relevant(series: dict, patient: Patient) -> bool:
    stype = series.get("seriesType", "")
    genders = [g.strip() for g in _as_list(series.get("requiredGender")) if g.strip()]
    if genders and {"F": "Female", "M": "Male"}.get(patient.sex, "Unknown") not in genders:
        return False
    if stype in ("Standard", "Evaluation Only"):
        return True
    if stype == "Risk":
        for ind in _as_list(series.get("indication")):
            code = (ind.get("observationCode") or {}).get("code", "")
            if code and code in patient.observations:
                return True
    return False


def _pref(series: dict) -> int:
    try:
        return int(series.get("selectSeries", {}).get("seriesPreference") or 99)
    except ValueError:
        return 99


class Engine:
    def __init__(self, sup: Supporting | None = None):
        self.sup = sup or load()

    @property
    def version(self) -> str:
        return self.sup.version

    def antigen_doses(self, patient: Patient, history: list[Dose]) -> dict[str, list[AntigenDose]]:
        out: dict[str, list[AntigenDose]] = {}
        for i, d in enumerate(history):
            for antigen, b, e in self.sup.cvx_antigens.get(d.cvx, ()):
                bd = D.add(patient.birth_date, b) if b else None
                ed = D.add(patient.birth_date, e) if e else None
                if (bd and d.date < bd) or (ed and d.date >= ed):
                    continue
                out.setdefault(antigen, []).append(AntigenDose(i, d))
        return out

    def _immune(self, antigen: str, patient: Patient) -> bool:
        imm = self.sup.antigens.get(antigen, {}).get("immunity") or {}
        for dob in _as_list(imm.get("dateOfBirth")):
            limit = D.parse_date(dob.get("immunityBirthDate"))
            excl = {x.get("exclusionCode") for x in _as_list(dob.get("exclusion"))}
            if limit and patient.birth_date < limit and not (excl & patient.observations):
                return True
        for ch in _as_list(imm.get("clinicalHistory")):
            if ch.get("guidelineCode") in patient.observations:
                return True
        return False

    def _contra_applies(self, c: dict, patient: Patient, as_of: dt.date) -> bool:
        if c.get("observationCode") not in patient.observations:
            return False
        b = D.add(patient.birth_date, c.get("beginAge")) if c.get("beginAge") else None
        e = D.add(patient.birth_date, c.get("endAge")) if c.get("endAge") else None
        return (b is None or as_of >= b) and (e is None or as_of < e)

    def _apply_contraindications(self, ag: dict, patient: Patient, as_of: dt.date, out: AntigenResult) -> None:
        """A contraindication the record holds (pregnancy for live vaccines, ...) stops the forecast of
        the whole antigen, or removes the vaccines it names from the ones to give."""
        if not patient.observations:
            return
        contra = ag.get("contraindications") or {}
        titles = self.sup.observations
        group_level = [c for vg in _as_list(contra.get("vaccineGroup")) for c in _as_list(vg.get("contraindication"))]
        vaccine_level = [c for v in _as_list(contra.get("vaccine")) for c in _as_list(v.get("contraindication"))]
        for c in group_level:
            if self._contra_applies(c, patient, as_of):
                out.status, out.forecast = CONTRAINDICATED, None
                out.reason = titles.get(c["observationCode"], {}).get("observationTitle", c["observationCode"])
                return
        f = out.forecast
        assert f is not None
        for c in vaccine_level:
            if c.get("observationCode") not in patient.observations:
                continue
            for v in _as_list(c.get("contraindicatedVaccine")):
                if (
                    self._contra_applies({**v, "observationCode": c["observationCode"]}, patient, as_of)
                    and v.get("cvx") in f.cvx
                ):
                    i = f.cvx.index(v["cvx"])
                    del f.cvx[i], f.vaccines[i]
        if not f.cvx and f.vaccines == []:
            out.status, out.forecast = CONTRAINDICATED, None
            out.reason = "every vaccine of this dose is contraindicated by a condition in the record"

    def evaluate_antigen(
        self,
        antigen: str,
        patient: Patient,
        adoses: list[AntigenDose],
        history: list[Dose],
        as_of: dt.date,
        live_status: dict[int, str],
    ) -> tuple[AntigenResult, SeriesResult | None]:
        ag = self.sup.antigens.get(antigen)
        if ag is None:
            return AntigenResult(antigen, NOT_COMPLETE), None
        series = [s for s in _as_list(ag.get("series")) if _relevant(s, patient)]
        results: list[SeriesResult] = []
        completed: set[str] = set()
        for s in sorted(series, key=lambda s: s.get("selectSeries", {}).get("seriesGroup", "")):
            r = SeriesEvaluator(self.sup, patient, antigen, s, adoses, history, as_of, completed, live_status).run()
            results.append(r)
            if r.status == COMPLETE:
                completed.add(s.get("selectSeries", {}).get("seriesGroup", ""))
        best = select_best(results, patient, as_of)
        if best is None:
            return AntigenResult(antigen, IMMUNE if self._immune(antigen, patient) else NOT_COMPLETE), None
        out = AntigenResult(
            antigen,
            best.status,
            series=best.name,
            forecast=best.forecast,
            doses_needed=max(0, best.n_targets - best.next_target),
        )
        for ad, status, reason, tdn in best.evals:
            out.evaluations.append(DoseEvaluation(ad.dose, antigen, status, reason, tdn, best.name))
        if best.status != COMPLETE and self._immune(antigen, patient):
            out.status, out.forecast = IMMUNE, None
        elif out.status == NOT_COMPLETE and out.forecast is not None:
            self._apply_contraindications(ag, patient, as_of, out)
        return out, best

    def assess(
        self, patient: Patient, doses: list[Dose], as_of: dt.date, groups: list[str] | None = None
    ) -> Assessment:
        history = sorted(
            (Dose(d.date, norm_cvx(d.cvx), d.mvx, d.ref, d.name) for d in doses if d.date <= as_of),
            key=lambda d: d.date,
        )
        unknown = [d for d in history if d.cvx not in self.sup.cvx_antigens]
        by_antigen = self.antigen_doses(patient, history)
        wanted = groups or list(self.sup.group_antigens)
        live_status: dict[int, str] = {}
        antigen_results: dict[str, AntigenResult] = {}
        # live-virus antigens first so that later conflicts know whether the earlier dose counted
        order = sorted(
            {a for g in wanted for a in self.sup.group_antigens.get(g, [])},
            key=lambda a: (not any(ad.cvx in self.sup.live_cvx for ad in by_antigen.get(a, [])), a),
        )
        for antigen in order:
            res, _best = self.evaluate_antigen(
                antigen, patient, by_antigen.get(antigen, []), history, as_of, live_status
            )
            antigen_results[antigen] = res
            for ev in res.evaluations:
                i = history.index(ev.dose) if ev.dose in history else -1
                if ev.dose.cvx in self.sup.live_cvx and i >= 0 and ev.status != VALID:
                    live_status[i] = ev.status
        out = {}
        for g in wanted:
            ants = [antigen_results[a] for a in self.sup.group_antigens.get(g, []) if a in antigen_results]
            out[g] = combine_group(g, ants, self.sup.group_full.get(g, False), history)
        return Assessment(patient, as_of, self.sup.version, out, unknown)


def select_best(results: list[SeriesResult], patient: Patient, as_of: dt.date) -> SeriesResult | None:
    """Choose the best patient series (CDSi chapter 8), first within each series group, then
    across groups by priority."""
    if not results:
        return None
    groups: dict[str, list[SeriesResult]] = {}
    for r in results:
        groups.setdefault(r.series.get("selectSeries", {}).get("seriesGroup", "1"), []).append(r)
    best_per_group = []
    for rs in groups.values():
        b = _best_in_group(rs, patient, as_of)
        if b is not None:
            best_per_group.append(b)
    if not best_per_group:
        return None
    if len(best_per_group) == 1:
        return best_per_group[0]

    def rank(r: SeriesResult):
        sel = r.series.get("selectSeries", {})
        status_rank = {COMPLETE: 0, NOT_COMPLETE: 1, AGED_OUT: 3}.get(r.status, 2)
        return (status_rank, sel.get("seriesPriority", "Z"), sel.get("seriesGroup", ""))

    return min(best_per_group, key=rank)


def _can_start(r: SeriesResult, patient: Patient, as_of: dt.date) -> bool:
    sel = r.series.get("selectSeries", {})
    mn = D.add(patient.birth_date, sel.get("minAgeToStart")) if sel.get("minAgeToStart") else None
    mx = D.add(patient.birth_date, sel.get("maxAgeToStart")) if sel.get("maxAgeToStart") else None
    return (mn is None or as_of >= mn) and (mx is None or as_of < mx)


def _started_in_window(r: SeriesResult, patient: Patient) -> bool:
    sel = r.series.get("selectSeries", {})
    first = r.satisfied[0][1].date if r.satisfied else None
    if first is None:
        return False
    mn = D.add(patient.birth_date, sel.get("minAgeToStart")) if sel.get("minAgeToStart") else None
    mx = D.add(patient.birth_date, sel.get("maxAgeToStart")) if sel.get("maxAgeToStart") else None
    return (mn is None or first >= mn) and (mx is None or first < mx)


def _started_too_late(r: SeriesResult, patient: Patient) -> bool:
    sel = r.series.get("selectSeries", {})
    mx = D.add(patient.birth_date, sel.get("maxAgeToStart")) if sel.get("maxAgeToStart") else None
    return bool(mx and r.satisfied and r.satisfied[0][1].date >= mx)


def _best_in_group(rs: list[SeriesResult], patient: Patient, as_of: dt.date) -> SeriesResult | None:
    if len(rs) == 1:
        return rs[0]
    with_valid = [r for r in rs if r.valid_count and r.series.get("seriesType") != "Evaluation Only"]
    if not with_valid:
        pool = [r for r in rs if r.series.get("seriesType") != "Evaluation Only"] or rs
        defaults = [r for r in pool if r.series.get("selectSeries", {}).get("defaultSeries") == "Yes"]
        if defaults:
            return min(defaults, key=lambda r: _pref(r.series))
        startable = [r for r in pool if _can_start(r, patient, as_of)] or pool
        return min(startable, key=lambda r: _pref(r.series))
    # a product series holds only when every dose is of that product
    with_valid = [
        r
        for r in with_valid
        if not (
            r.series.get("selectSeries", {}).get("productPath") == "Yes"
            and any(R_NOT_ALLOWED in ev[2] for ev in r.evals)
        )
    ] or with_valid
    # a series whose first valid dose came after its maximum age to start is not a candidate
    with_valid = [r for r in with_valid if not _started_too_late(r, patient)] or with_valid
    complete = [r for r in with_valid if r.status == COMPLETE]
    pool = complete or with_valid
    scored = []
    for r in pool:
        score = 0
        sel = r.series.get("selectSeries", {})
        if sel.get("productPath") == "Yes" and all(ev[1] == VALID for ev in r.evals if ev[1] != EXTRANEOUS):
            score += 1
        if _started_in_window(r, patient):
            score += 1
        scored.append(r)

    def key(r: SeriesResult):
        sel = r.series.get("selectSeries", {})
        product = sel.get("productPath") == "Yes"
        in_window = _started_in_window(r, patient)
        remaining = r.n_targets - r.next_target
        fdate = r.forecast.earliest if r.forecast and r.forecast.earliest else dt.date.max
        if complete:
            return (not in_window, -r.valid_count, r.completed_on or dt.date.max, _pref(r.series))
        return (
            r.status == AGED_OUT,
            not in_window,
            -r.valid_count if not product else -r.valid_count - 1,
            remaining,
            fdate,
            _pref(r.series),
        )

    return min(scored, key=key)


def combine_group(group: str, ants: list[AntigenResult], full: bool, history: list[Dose]) -> GroupResult:
    """Vaccine group status and forecast from its antigens (CDSi chapter 9)."""
    if not ants:
        return GroupResult(group, NOT_COMPLETE, None, [])
    statuses = [a.status for a in ants]
    open_ = [a for a in ants if a.status == NOT_COMPLETE and a.forecast]
    contra = [a for a in ants if a.status == CONTRAINDICATED]
    if contra:
        # a contraindication for one antigen of the group stops the group's forecast
        status, open_ = CONTRAINDICATED, []
    elif open_:
        status = NOT_COMPLETE
    elif all(s == IMMUNE for s in statuses):
        status = IMMUNE
    elif all(s in (COMPLETE, IMMUNE) for s in statuses):
        status = COMPLETE
    elif any(s == AGED_OUT for s in statuses) and all(s in (COMPLETE, IMMUNE, AGED_OUT) for s in statuses):
        status = AGED_OUT
    else:
        status = NOT_COMPLETE
    fc = None
    if open_:
        fs = [a.forecast for a in open_ if a.forecast is not None]
        starts = [f.earliest for f in fs if f.earliest]
        # a combined vaccine (full group) waits for every antigen; otherwise the first one due
        earliest = max(starts) if full else min(starts)
        recommended = min(f.recommended or earliest for f in fs)
        # never before the last dose of the group that was given
        last = max((ev.dose.date for a in ants for ev in a.evaluations), default=None)
        if last and last > earliest:
            earliest = last
        dues = [f.past_due for f in fs if f.past_due]
        latests = [f.latest for f in fs if f.latest]
        # a vaccine that gives every antigen now due comes first (Tdap before Td when pertussis is due too);
        # otherwise the antigens' own order
        covers: dict[str, int] = {}
        cvx_of: dict[str, str] = {}
        for f in fs:
            for v, c in zip(f.vaccines, f.cvx, strict=True):
                covers[v] = covers.get(v, 0) + 1
                cvx_of.setdefault(v, c)
        vaccines = sorted(covers, key=lambda v: -covers[v])  # sorted() is stable: ties keep their order
        cvxs = [cvx_of[v] for v in vaccines]
        fc = Forecast(
            earliest=earliest,
            recommended=max(recommended, earliest),
            past_due=min(dues) if dues else None,
            latest=min(latests) if latests else None,
            dose_number=min(f.dose_number or 0 for f in fs) or None,
            vaccines=vaccines,
            cvx=cvxs,
        )
    # one line per dose given: the worst outcome across the group's antigens
    per_dose: dict[Dose, list[DoseEvaluation]] = {}
    for a in ants:
        for ev in a.evaluations:
            per_dose.setdefault(ev.dose, []).append(ev)
    doses = []
    for d in history:
        evs = per_dose.get(d)
        if not evs:
            continue
        bad = [e for e in evs if e.status == NOT_VALID]
        if bad:
            reasons: list[str] = []
            for e in bad:
                reasons += [r for r in e.reason.split("; ") if r and r not in reasons]
            doses.append((d, NOT_VALID, "; ".join(reasons)))
        elif all(e.status == EXTRANEOUS for e in evs):
            doses.append((d, EXTRANEOUS, evs[0].reason))
        else:
            doses.append((d, VALID, ""))
    return GroupResult(group, status, fc, ants, doses, reason="; ".join(sorted({a.reason for a in contra})))
