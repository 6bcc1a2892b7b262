"""Evaluate one patient series (CDSi logic specification, chapters 4-7): walk the antigen's doses
in date order against the series' target doses, then forecast the next target dose.

Everything the rules need (ages, intervals, vaccine types, skips, conflicts) comes from the
supporting data; nothing here knows a particular vaccine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from . import dates as D
from .data import Supporting, _as_list, norm_cvx
from .model import (
    AGED_OUT,
    COMPLETE,
    EXTRANEOUS,
    NOT_COMPLETE,
    NOT_VALID,
    R_COMPLETE,
    R_INADVERTENT,
    R_LIVE,
    R_NOT_ALLOWED,
    R_TOO_OLD,
    R_TOO_SOON,
    R_TOO_YOUNG,
    VALID,
    Dose,
    Forecast,
    Patient,
)

ONE_DAY = dt.timedelta(days=1)
PAST_DUE_INTERVAL_SHIFT = 1
AGE_GRACE_RULE = False
FORECAST_SKIP_AT_EARLIEST = True


@dataclass
class AntigenDose:
    """A dose as one antigen sees it."""

    index: int  # position in the patient's whole (sorted) history
    dose: Dose

    @property
    def date(self) -> dt.date:
        return self.dose.date

    @property
    def cvx(self) -> str:
        return self.dose.cvx


@dataclass
class SeriesResult:
    series: dict
    name: str
    status: str = NOT_COMPLETE
    evals: list[tuple[AntigenDose, str, str, int | None]] = field(default_factory=list)
    satisfied: list[tuple[int, AntigenDose]] = field(default_factory=list)  # (target index, dose)
    forecast: Forecast | None = None
    next_target: int = 0
    n_targets: int = 0
    skipped: list[int] = field(default_factory=list)

    @property
    def valid_count(self) -> int:
        return len(self.satisfied)

    @property
    def completed_on(self) -> dt.date | None:
        return self.satisfied[-1][1].date if self.status == COMPLETE and self.satisfied else None


def pick_dated(entries: list, on: dt.date) -> dict | None:
    """The entry (age, interval...) in force on `on` (effectiveDate/cessationDate)."""
    for e in entries:
        eff, ces = D.parse_date(e.get("effectiveDate")), D.parse_date(e.get("cessationDate"))
        if eff and on < eff:
            continue
        if ces and on > ces:
            continue
        return e
    return None


@lru_cache(maxsize=1024)
def _cvx_set(text: str) -> frozenset[str]:
    return frozenset(norm_cvx(x) for x in (text or "").replace(",", ";").split(";") if x.strip())


class SeriesEvaluator:
    def __init__(
        self,
        sup: Supporting,
        patient: Patient,
        antigen: str,
        series: dict,
        adoses: list[AntigenDose],
        history: list[Dose],
        as_of: dt.date,
        completed_groups: set[str],
        live_status: dict[int, str],
    ):
        self.sup, self.p, self.antigen, self.series = sup, patient, antigen, series
        self.adoses, self.history, self.as_of = adoses, history, as_of
        self.completed_groups = completed_groups
        self.live_status = live_status
        self.targets = _as_list(series.get("seriesDose"))
        self.res = SeriesResult(series=series, name=series.get("seriesName", ""), n_targets=len(self.targets))
        self.dob = patient.birth_date

    # -- helpers -------------------------------------------------------------------------
    def age_date(self, text: str | None, default: dt.date) -> dt.date:
        """The date the patient reaches the age `text`; `default` when the data gives no age."""
        d = D.add(self.dob, text) if text else None
        return d if d is not None else default

    def age_opt(self, text: str | None) -> dt.date | None:
        return D.add(self.dob, text) if text else None

    def _prev_evaluated(self) -> tuple[AntigenDose, str, str, int | None] | None:
        """The immediately previous dose evaluated in this series (inadvertent ones do not count)."""
        for ev in reversed(self.res.evals):
            if ev[2] == R_INADVERTENT:
                continue
            return ev
        return None

    def _target_dose_date(self, n: int) -> dt.date | None:
        for ti, ad in self.res.satisfied:
            if ti == n - 1:
                return ad.date
        return None

    def _reference_date(self, itv: dict, before: dt.date) -> dt.date | None:
        if itv.get("fromPrevious") == "Y":
            prev = self._prev_evaluated()
            return prev[0].date if prev else None
        if itv.get("fromTargetDose"):
            return self._target_dose_date(int(itv["fromTargetDose"]))
        if itv.get("fromMostRecent"):
            types = _cvx_set(itv["fromMostRecent"])
            best = None
            for d in self.history:
                if d.date < before and d.cvx in types:
                    best = d.date if best is None or d.date > best else best
            return best
        return None  # fromRelevantObs: observations carry no dates in this record

    def _intervals(self, td: dict, on: dt.date, key: str = "interval") -> list[tuple[dict, dt.date]]:
        out = []
        for itv in _as_list(td.get(key)):
            eff, ces = D.parse_date(itv.get("effectiveDate")), D.parse_date(itv.get("cessationDate"))
            if (eff and on < eff) or (ces and on > ces):
                continue
            ref = self._reference_date(itv, on)
            if ref is not None:
                out.append((itv, ref))
        overrides = [x for x in out if x[0].get("intervalPriority") == "override"]
        return overrides or out

    # -- conditional skip ----------------------------------------------------------------
    def skip_met(self, td: dict, context: str, ref_date: dt.date, counting_before: dt.date) -> bool:
        for cs in _as_list(td.get("conditionalSkip")):
            if cs.get("context") not in (context, "Both"):
                continue
            results = []
            for st in _as_list(cs.get("set")):
                eff, ces = D.parse_date(st.get("effectiveDate")), D.parse_date(st.get("cessationDate"))
                if (eff and ref_date < eff) or (ces and ref_date > ces):
                    results.append(False)
                    continue
                conds = [self._condition_met(c, ref_date, counting_before) for c in _as_list(st.get("condition"))]
                if (st.get("conditionLogic") or "AND").upper() == "OR":
                    results.append(any(conds))
                else:
                    results.append(all(conds) if conds else False)
            if not results:
                continue
            logic = (cs.get("setLogic") or "").upper()
            if all(results) if logic == "AND" else any(results):
                return True
        return False

    def _condition_met(self, c: dict, ref_date: dt.date, before: dt.date) -> bool:
        ctype = (c.get("conditionType") or "").lower()
        if ctype == "age":
            b = self.age_date(c.get("beginAge"), D.FAR_PAST)
            e = self.age_date(c.get("endAge"), D.FAR_FUTURE)
            return b <= ref_date < e
        if ctype == "interval":
            prev = self._prev_evaluated()
            if prev is None:
                return False
            return ref_date >= (D.add(prev[0].date, c.get("interval")) or prev[0].date)
        if ctype == "completed series":
            return bool(set((c.get("seriesGroups") or "").replace(",", ";").split(";")) & self.completed_groups)
        if ctype.startswith("vaccine count"):
            types = _cvx_set(c.get("vaccineTypes", ""))
            b = self.age_date(c.get("beginAge"), D.FAR_PAST)
            e = self.age_date(c.get("endAge"), D.FAR_FUTURE)
            sd = D.parse_date(c.get("startDate")) or D.FAR_PAST
            ed = D.parse_date(c.get("endDate")) or D.FAR_FUTURE
            valid_only = (c.get("doseType") or "").lower() == "valid"
            if valid_only:
                pool = [ev[0] for ev in self.res.evals if ev[1] == VALID]
            else:
                pool = self.adoses
            n = 0
            for ad in pool:
                if ad.date >= before:
                    continue
                if types and ad.cvx not in types:
                    continue
                if "age" in ctype and not (b <= ad.date < e):
                    continue
                if "date" in ctype and not (sd <= ad.date <= ed):
                    continue
                n += 1
            want = int(c.get("doseCount") or 0)
            logic = (c.get("doseCountLogic") or "").lower()
            if logic == "greater than":
                return n > want
            if logic == "equal to":
                return n == want
            if logic == "less than":
                return n < want
            return False
        return False

    # -- evaluation ----------------------------------------------------------------------
    def _vaccine_ok(self, entries: list, ad: AntigenDose) -> bool:
        for v in entries:
            if v.get("cvx") != ad.cvx:
                continue
            b = self.age_date(v.get("beginAge"), D.FAR_PAST)
            e = self.age_date(v.get("endAge"), D.FAR_FUTURE)
            if not (b <= ad.date < e):
                continue
            mvx = (v.get("mvx") or "").strip()
            if mvx and ad.dose.mvx and ad.dose.mvx.upper() != mvx.upper():
                continue
            return True
        return False

    def _live_conflict(self, ad: AntigenDose) -> bool:
        conflicts = self.sup.live_conflicts.get(ad.cvx)
        if not conflicts:
            return False
        for other_i, other in enumerate(self.history):
            if other.date >= ad.date:
                break
            for prev, begin, min_end, end in conflicts:
                if prev != other.cvx:
                    continue
                start = D.add(other.date, begin) or other.date
                valid = self.live_status.get(other_i, VALID) == VALID
                stop = D.add(other.date, min_end if valid else end) or start
                if start <= ad.date < stop:
                    return True
        return False

    def evaluate_dose(self, td: dict, ad: AntigenDose) -> tuple[str, str]:
        if any(v.get("cvx") == ad.cvx for v in _as_list(td.get("inadvertentVaccine"))):
            return NOT_VALID, R_INADVERTENT
        prev = self._prev_evaluated()
        prev_bad = (
            prev is not None and prev[1] == NOT_VALID and bool({R_TOO_YOUNG, R_TOO_SOON} & set(prev[2].split("; ")))
        )
        age = pick_dated(_as_list(td.get("age")), ad.date) or {}
        absmin = self.age_date(age.get("absMinAge"), self.dob)
        minage = self.age_date(age.get("minAge"), absmin)
        maxage = self.age_date(age.get("maxAge"), D.FAR_FUTURE)
        if ad.date >= maxage:
            return EXTRANEOUS, R_TOO_OLD
        too_young = ad.date < absmin or (ad.date < minage and prev_bad and AGE_GRACE_RULE)
        too_soon = False
        for itv, ref in self._intervals(td, ad.date):
            absmin_i = D.add(ref, itv.get("absMinInt")) or ref
            min_i = D.add(ref, itv.get("minInt")) or absmin_i
            if ad.date < absmin_i or (ad.date < min_i and prev_bad and AGE_GRACE_RULE):
                too_soon = True
                break
        if too_soon:
            allow = self._intervals(td, ad.date, "allowableInterval")
            if allow and all(ad.date >= (D.add(ref, itv.get("absMinInt")) or ref) for itv, ref in allow):
                too_soon = False
        # every rule that fails is named (the CDSi keeps all reasons), joined by "; "
        reasons = [
            r for r, bad in ((R_TOO_YOUNG, too_young), (R_TOO_SOON, too_soon), (R_LIVE, self._live_conflict(ad))) if bad
        ]
        if reasons:
            return NOT_VALID, "; ".join(reasons)
        if not (
            self._vaccine_ok(_as_list(td.get("preferableVaccine")), ad)
            or self._vaccine_ok(_as_list(td.get("allowableVaccine")), ad)
        ):
            return NOT_VALID, R_NOT_ALLOWED
        return VALID, ""

    def run(self) -> SeriesResult:
        res = self.res
        ti = 0
        n = len(self.targets)
        for ad in self.adoses:
            # conditional skips (evaluation context) move past target doses
            while ti < n and self.skip_met(self.targets[ti], "Evaluation", ad.date, ad.date):
                res.skipped.append(ti)
                ti += 1
            if ti >= n:
                res.evals.append((ad, EXTRANEOUS, R_COMPLETE, None))
                continue
            td = self.targets[ti]
            status, reason = self.evaluate_dose(td, ad)
            res.evals.append((ad, status, reason, ti + 1))
            if status == VALID:
                res.satisfied.append((ti, ad))
                if td.get("recurringDose") != "Yes":
                    ti += 1
        # forecast-context skips as of the assessment date
        while ti < n:
            td = self.targets[ti]
            if not self.skip_met(td, "Forecast", self.as_of, self.as_of + ONE_DAY):
                # a dose that could not be given before the skip applies is skipped too
                f = self.forecast(td, ti) if FORECAST_SKIP_AT_EARLIEST else None
                if (
                    f is None
                    or not f.earliest
                    or f.earliest <= self.as_of
                    or not self.skip_met(td, "Forecast", f.earliest, self.as_of + ONE_DAY)
                ):
                    break
            res.skipped.append(ti)
            ti += 1
        res.next_target = ti
        if ti >= n:
            res.status = COMPLETE
            return res
        res.forecast = self.forecast(self.targets[ti], ti)
        if res.forecast is None:
            res.status = AGED_OUT
        return res

    # -- forecast ------------------------------------------------------------------------
    def forecast(self, td: dict, ti: int) -> Forecast | None:
        age = pick_dated(_as_list(td.get("age")), self.as_of) or {}
        maxage = self.age_opt(age.get("maxAge"))
        if maxage is not None and self.as_of >= maxage:
            return None
        absmin = self.age_date(age.get("absMinAge"), self.dob)
        earliest = self.age_date(age.get("minAge"), absmin)
        rec_age = self.age_opt(age.get("earliestRecAge"))
        due_age = self.age_opt(age.get("latestRecAge"))
        rec_int: list[dt.date] = []
        due_int: list[dt.date] = []
        intervals = self._intervals(td, self.as_of + ONE_DAY)
        override = False  # "override" intervals: see _intervals
        for itv, ref in intervals:
            mi = D.add(ref, itv.get("minInt"))
            if mi and mi > earliest:
                earliest = mi
            r = D.add(ref, itv.get("earliestRecInt"))
            if r:
                rec_int.append(r)
            lr = D.add(ref, itv.get("latestRecInt"))
            if lr:
                due_int.append(lr - ONE_DAY * PAST_DUE_INTERVAL_SHIFT)
        # the age-based date when the data gives one, else the interval-based one
        # (an interval marked "override" takes precedence over the age)
        rec_c = rec_int if (override and rec_int) or not rec_age else [rec_age]
        due_c = due_int if (override and due_int) or not due_age else [due_age - ONE_DAY]
        prefs = _as_list(td.get("preferableVaccine"))
        live = {v.get("cvx") for v in prefs} & self.sup.live_cvx
        if live:
            for d in self.history:
                for cur in live:
                    for prev, _b, _m, end in self.sup.live_conflicts.get(cur, ()):
                        if prev == d.cvx:
                            stop = D.add(d.date, end)
                            if stop and stop > earliest:
                                earliest = stop
        for sr in _as_list(td.get("seasonalRecommendation")):
            s = D.parse_date(sr.get("startDate"))
            if s and s > earliest:
                earliest = s
        # never earlier than the last dose this antigen was given (of whatever status)
        if self.adoses and self.adoses[-1].date > earliest:
            earliest = self.adoses[-1].date
        recommended = max(rec_c) if rec_c else earliest
        if recommended < earliest:
            recommended = earliest
        past_due = min(due_c) if due_c else None
        if past_due is not None and past_due < earliest:
            past_due = earliest
        latest = maxage - ONE_DAY if maxage else None
        vacc = [v for v in prefs if v.get("forecastVaccineType") == "Y"] or prefs
        names, cvxs = [], []
        for v in vacc:
            e = self.age_date(v.get("endAge"), D.FAR_FUTURE)
            if e <= max(self.as_of, earliest) or (v.get("vaccineType") in names):
                continue
            names.append(v.get("vaccineType", ""))
            cvxs.append(v.get("cvx", ""))
        return Forecast(
            earliest=earliest,
            recommended=recommended,
            past_due=past_due,
            latest=latest,
            dose_number=ti + 1,
            vaccines=names,
            cvx=cvxs,
        )
