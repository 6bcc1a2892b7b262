"""FHIR R4 resources beyond the clinical core: care plans, goals, care teams, orders, appointments,
coverage, pharmacy fills, devices, provenance, questionnaire answers, family history, specimens, and a
payer's claims (ExplanationOfBenefit, as CMS Blue Button 2.0 and CARIN Blue Button serve them).

Each handler reads one resource into one model item through the parser's own helpers (references,
provenance, notes, narrative); ``_CareMixin.CARE_HANDLERS`` names them for the parser.  Defensive in
the same way as the rest of the parser: a resource shaped against the specification is kept verbatim by
the parser's driver, never lost.
"""

from __future__ import annotations

from typing import Any

from ...model.records import (
    Appointment,
    CarePlan,
    CareTeam,
    Claim,
    Coverage,
    Device,
    Dispense,
    FamilyHistory,
    Goal,
    Order,
    ProvenanceRecord,
    Questionnaire,
    Specimen,
)
from .core import _ParserCore
from .datatypes import Resource, _cc_text, _d, _date, _fmt_num, _l, _num, _period, _quantity, _s, _texts


def _when(v: Any) -> tuple[str | None, bool]:
    return _date(v)


def _qty_text(q: Any) -> str | None:
    value, unit = _quantity(q)
    if value is None:
        return None
    return f"{_fmt_num(value)} {unit or ''}".strip()


def _patient_in(p: _ParserCore, refs: list[Any], res: Resource) -> str | None:
    for r in refs:
        key = p._ref_key(r, res)
        if key and key.startswith("Patient/"):
            return key
    return None


class _CareMixin(_ParserCore):
    """Care plans, goals, care teams, orders, appointments, coverage, fills, devices, provenance,
    questionnaire answers, family history, specimens and claims: one item per resource."""

    def _common_with(self, res: Resource, patient_ref: str | None = None) -> dict[str, Any]:
        c = self._common(res)
        if patient_ref is not None and c.get("patient_ref") is None:
            c["patient_ref"] = patient_ref
        return c

    def _care_plan(self, where: object, res: Resource) -> None:
        start, end = _period(res.get("period"))
        date, est = _when(start or res.get("created"))
        activities = []
        for a in _l(res.get("activity")):
            detail = _d(_d(a).get("detail"))
            text = (
                _s(detail.get("description"))
                or _cc_text(detail.get("code"))
                or self._ref_name(_d(a).get("reference"), res)
            )
            if text:
                status = _s(detail.get("status"))
                activities.append(f"{text} ({status})" if status else text)
        category = _texts(res.get("category"))
        if category == "assess-plan":  # US Core's category code, with no display
            category = "Assessment and plan of treatment"
        title = _s(res.get("title")) or category or "Care plan"
        authors = self._ref_name(res.get("author"), res)
        c = self._common_with(res)
        desc = _s(res.get("description"))
        c["text"] = "\n".join(x for x in (desc, *activities, c.get("text")) if x) or None
        self.out.items.append(
            CarePlan(
                title=title,
                date=date,
                date_end=_date(end)[0] if end else None,
                date_estimated=est,
                status=_s(res.get("status")),
                category=category,
                intent=_s(res.get("intent")),
                description=desc,
                activities=activities,
                author=authors,
                **c,
            )
        )

    def _goal(self, where: object, res: Resource) -> None:
        date, est = _when(res.get("startDate") or res.get("statusDate"))
        targets = [_d(t) for t in _l(res.get("target"))]
        due = next((_s(t.get("dueDate")) for t in targets if _s(t.get("dueDate"))), None)
        measure = []
        for t in targets:
            what = _cc_text(t.get("measure"))
            amount = _qty_text(t.get("detailQuantity")) or _s(t.get("detailString"))
            rng = _d(t.get("detailRange"))
            if amount is None and rng:
                lo, hi = _qty_text(rng.get("low")), _qty_text(rng.get("high"))
                amount = f"{lo or ''}–{hi or ''}".strip("–")
            if what or amount:
                measure.append(" ".join(x for x in (what, amount) if x))
        self.out.items.append(
            Goal(
                title=_cc_text(res.get("description")) or "Goal",
                date=date,
                date_estimated=est,
                status=_s(res.get("lifecycleStatus")),
                target_date=_date(due)[0] if due else None,
                target="; ".join(measure) or None,
                achievement=_cc_text(res.get("achievementStatus")),
                **self._common_with(res),
            )
        )

    def _care_team(self, where: object, res: Resource) -> None:
        start, end = _period(res.get("period"))
        date, est = _when(start)
        members = []
        for m in _l(res.get("participant")):
            m = _d(m)
            who = self._ref_name(m.get("member"), res)
            role = _texts(m.get("role"))
            if who or role:
                members.append(f"{who or 'Someone'} ({role})" if role else str(who))
        c = self._common_with(res)
        c["text"] = "\n".join(x for x in (*members, c.get("text")) if x) or None
        self.out.items.append(
            CareTeam(
                title=_s(res.get("name")) or "Care team",
                date=date,
                date_end=_date(end)[0] if end else None,
                date_estimated=est,
                status=_s(res.get("status")),
                members=members,
                **c,
            )
        )

    def _order(self, where: object, res: Resource) -> None:
        date, est = _when(res.get("authoredOn"))
        occ = res.get("occurrenceDateTime") or _period(res.get("occurrencePeriod"))[0]
        performers = [n for n in (self._ref_name(x, res) for x in _l(res.get("performer"))) if n]
        self.out.items.append(
            Order(
                date=date,
                date_estimated=est,
                status=_s(res.get("status")),
                category=_texts(res.get("category")),
                intent=_s(res.get("intent")),
                requester=self._ref_name(res.get("requester"), res),
                performer="; ".join(performers) or None,
                occurrence=_date(occ)[0] if occ else None,
                reason=self._reason(res),
                **self._common_with(res),
                **self._code_fields(res.get("code"), "Order"),
            )
        )

    def _appointment(self, where: object, res: Resource) -> None:
        date, est = _when(res.get("start"))
        end = _date(res.get("end"))[0]
        actors = [_d(_d(x).get("actor")) for x in _l(res.get("participant"))]
        location = practitioner = None
        for a in actors:
            ref = _s(a.get("reference")) or ""
            name = self._ref_name(a, res)
            if ref.startswith("Practitioner") and practitioner is None:
                practitioner = name
            elif not ref.startswith("Patient") and location is None:
                location = name
        service = _texts(res.get("serviceType")) or _texts(res.get("appointmentType"))
        title = _s(res.get("description")) or service or "Appointment"
        self.out.items.append(
            Appointment(
                title=title,
                date=date,
                date_end=end,
                date_estimated=est,
                status=_s(res.get("status")),
                service_type=service,
                location=location,
                practitioner=practitioner,
                reason=self._reason(res),
                **self._common_with(res, _patient_in(self, actors, res)),
            )
        )

    def _coverage(self, where: object, res: Resource) -> None:
        start, end = _period(res.get("period"))
        date, est = _when(start)
        payors = [n for n in (self._ref_name(x, res) for x in _l(res.get("payor"))) if n]
        plan = None
        for c in _l(res.get("class")):
            c = _d(c)
            if _cc_text(c.get("type")) in ("plan", "group") or plan is None:
                plan = _s(c.get("name")) or _s(c.get("value")) or plan
        kind = _cc_text(res.get("type"))
        payor = "; ".join(payors) or None
        self.out.items.append(
            Coverage(
                title=" – ".join(x for x in (payor, kind) if x) or "Insurance coverage",
                date=date,
                date_end=_date(end)[0] if end else None,
                date_estimated=est,
                status=_s(res.get("status")),
                payor=payor,
                plan=plan,
                coverage_type=kind,
                subscriber_id=_s(res.get("subscriberId")),
                relationship=_cc_text(res.get("relationship")),
                **self._common_with(res, _patient_in(self, [res.get("beneficiary")], res)),
            )
        )

    def _dispense(self, where: object, res: Resource) -> None:
        date, est = _when(res.get("whenHandedOver") or res.get("whenPrepared"))
        med = res.get("medicationCodeableConcept")
        fields = (
            self._code_fields(med, "Medication fill")
            if med is not None
            else {"title": self._ref_name(res.get("medicationReference"), res) or "Medication fill"}
        )
        performers = [n for n in (self._ref_name(_d(x).get("actor"), res) for x in _l(res.get("performer"))) if n]
        dose = "; ".join(t for t in (_s(_d(d).get("text")) for d in _l(res.get("dosageInstruction"))) if t)
        self.out.items.append(
            Dispense(
                date=date,
                date_estimated=est,
                status=_s(res.get("status")),
                quantity=_qty_text(res.get("quantity")),
                days_supply=_qty_text(res.get("daysSupply")),
                pharmacy="; ".join(performers) or None,
                dose=dose or None,
                **self._common_with(res),
                **fields,
            )
        )

    def _device(self, where: object, res: Resource) -> None:
        names = [_s(_d(n).get("name")) for n in _l(res.get("deviceName"))]
        title = _cc_text(res.get("type")) or next((n for n in names if n), None) or "Device"
        udi = next(
            (
                _s(_d(u).get("carrierHRF")) or _s(_d(u).get("deviceIdentifier"))
                for u in _l(res.get("udiCarrier"))
                if _d(u)
            ),
            None,
        )
        date, est = _when(res.get("manufactureDate"))
        self.out.items.append(
            Device(
                title=title,
                date=date,
                date_estimated=est,
                status=_s(res.get("status")),
                udi=udi,
                manufacturer=_s(res.get("manufacturer")),
                model=_s(res.get("modelNumber")),
                **self._common_with(res),
                display=_cc_text(res.get("type")),
            )
        )

    def _provenance(self, where: object, res: Resource) -> None:
        date, est = _when(res.get("recorded") or _period(res.get("occurredPeriod"))[0])
        agents = [n for n in (self._ref_name(_d(a).get("who"), res) for a in _l(res.get("agent"))) if n]
        targets = [k for k in (self._ref_key(t, res) for t in _l(res.get("target"))) if k]
        agent = "; ".join(agents) or None
        activity = _cc_text(res.get("activity"))
        self.out.items.append(
            ProvenanceRecord(
                title=f"Recorded by {agent}" if agent else "Record provenance",
                date=date,
                date_estimated=est,
                agent=agent,
                activity=activity,
                targets=targets,
                **self._common_with(res, _patient_in(self, _l(res.get("target")), res)),
            )
        )

    def _questionnaire(self, where: object, res: Resource) -> None:
        date, est = _when(res.get("authored"))
        answers: list[dict[str, Any]] = []

        def walk(items: Any) -> None:
            for it in _l(items):
                it = _d(it)
                q = _s(it.get("text")) or _s(it.get("linkId"))
                for a in _l(it.get("answer")):
                    a = _d(a)
                    val = next((a[k] for k in a if k.startswith("value")), None)
                    if isinstance(val, dict):
                        val = _s(val.get("display")) or _s(val.get("code")) or _qty_text(val)
                    elif isinstance(val, bool | int | float):
                        val = str(val).lower() if isinstance(val, bool) else _fmt_num(float(val))
                    if val is not None and q:
                        answers.append({"question": q, "answer": str(val)})
                    walk(a.get("item"))
                walk(it.get("item"))

        walk(res.get("item"))
        display = next(
            (
                _s(_d(e).get("valueString"))
                for e in _l(_d(res.get("_questionnaire")).get("extension"))
                if _s(_d(e).get("valueString"))
            ),
            None,
        )
        canonical = _s(res.get("questionnaire"))
        title = display or (canonical.rsplit("/", 1)[-1] if canonical else None) or "Questionnaire"
        score = next((a["answer"] for a in answers if "score" in a["question"].lower()), None)
        c = self._common_with(res)
        lines = [f"{a['question']}: {a['answer']}" for a in answers]
        c["text"] = "\n".join([*lines, c.get("text") or ""]).strip() or None
        self.out.items.append(
            Questionnaire(
                title=title,
                date=date,
                date_estimated=est,
                status=_s(res.get("status")),
                answers=answers,
                score=score,
                **c,
            )
        )

    def _family_history(self, where: object, res: Resource) -> None:
        date, est = _when(res.get("date"))
        relation = _cc_text(res.get("relationship")) or _s(res.get("name")) or "Relative"
        conditions = []
        for c in _l(res.get("condition")):
            c = _d(c)
            name = _cc_text(c.get("code"))
            onset = _qty_text(c.get("onsetAge")) or _s(c.get("onsetString"))
            if name:
                conditions.append(f"{name} (onset {onset})" if onset else name)
        deceased = res.get("deceasedBoolean")
        cm = self._common_with(res)
        cm["text"] = "\n".join(x for x in (*conditions, cm.get("text")) if x) or None
        self.out.items.append(
            FamilyHistory(
                title=f"{relation}: {', '.join(conditions)}" if conditions else relation,
                date=date,
                date_estimated=est,
                status=_s(res.get("status")),
                relationship=relation,
                conditions=conditions,
                deceased="yes" if deceased is True else None,
                **cm,
            )
        )

    def _specimen(self, where: object, res: Resource) -> None:
        col = _d(res.get("collection"))
        date, est = _when(
            col.get("collectedDateTime") or _period(col.get("collectedPeriod"))[0] or res.get("receivedTime")
        )
        kind = _cc_text(res.get("type"))
        self.out.items.append(
            Specimen(
                title=kind or "Specimen",
                date=date,
                date_estimated=est,
                status=_s(res.get("status")),
                specimen_type=kind,
                body_site=_cc_text(col.get("bodySite")),
                collector=self._ref_name(col.get("collector"), res),
                **self._common_with(res),
            )
        )

    def _claim(self, where: object, res: Resource) -> None:
        start, end = _period(res.get("billablePeriod"))
        items = [_d(i) for i in _l(res.get("item"))]
        served = next(
            (
                _s(i.get("servicedDate")) or _period(i.get("servicedPeriod"))[0]
                for i in items
                if _s(i.get("servicedDate")) or _period(i.get("servicedPeriod"))[0]
            ),
            None,
        )
        date, est = _when(start or served or res.get("created"))
        services = [t for t in (_cc_text(i.get("productOrService")) for i in items) if t]
        totals: dict[str, tuple[float | None, str | None]] = {}
        for t in _l(res.get("total")):
            t = _d(t)
            cat = _s(_d(next(iter(_l(_d(t.get("category")).get("coding"))), {})).get("code")) or _cc_text(
                t.get("category")
            )
            amount = _d(t.get("amount"))
            if cat:
                totals[cat.lower()] = (_num(amount.get("value")), _s(amount.get("currency")))
        billed, currency = totals.get("submitted", (None, None))
        if billed is None:
            nets = [_num(_d(i.get("net")).get("value")) for i in items]
            billed = sum(n for n in nets if n is not None) if any(n is not None for n in nets) else None
            currency = next((_s(_d(i.get("net")).get("currency")) for i in items if _d(i.get("net"))), None)
        paid = _num(_d(_d(res.get("payment")).get("amount")).get("value"))
        if paid is None:
            paid = totals.get("benefit", (None, None))[0]
        provider = self._ref_name(res.get("provider"), res) or self._ref_name(res.get("facility"), res)
        ctype = _cc_text(res.get("type"))
        title = services[0] if len(services) == 1 else (f"{ctype.capitalize()} claim" if ctype else "Claim")
        c = self._common_with(res)
        c["text"] = "\n".join(x for x in (*services, provider, c.get("text")) if x) or None
        self.out.items.append(
            Claim(
                title=title,
                date=date,
                date_end=_date(end)[0] if end else None,
                date_estimated=est,
                status=_s(res.get("status")),
                provider=provider,
                insurer=self._ref_name(res.get("insurer"), res),
                claim_type=ctype,
                services=services,
                billed=billed,
                paid=paid,
                patient_paid=totals.get("copay", totals.get("deductible", (None, None)))[0],
                currency=currency or "USD",
                outcome=_s(res.get("outcome")),
                **c,
            )
        )
