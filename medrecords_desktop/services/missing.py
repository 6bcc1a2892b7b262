"""Know what is missing: the records each visit should have produced, and which are overdue.

Rules are data (``data/expectations.json``): which visits they apply to, what item meets them, and the
usual delay.  An expectation is met by a matching item linked to the visit (or dated within the
rule's window), or by the user's mark ("received on paper", "not needed"), which is audited.  The
clock is a parameter so tests (and "what will be overdue next week") can move it.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, NotFound
from ..vault import store
from ..vault.repos import items as items_repo
from ..vault.repos import portals as portals_repo
from ..vault.repos import requests as requests_repo
from ..vault.vault import Vault, now_iso
from .care_tracking import care_expectations
from .records import Entry, RecordService, make_id, parse_id

MARKS = ("received-on-paper", "not-needed")
LOOKBACK_DAYS = 365  # overdue for longer than this: "old", not listed (summaries list visits from years ago)


@cache
def _default_data() -> dict[str, Any]:
    text = resources.files("medrecords_desktop").joinpath("data/expectations.json").read_text("utf-8")
    return dict(json.loads(text))


def default_rules() -> list[dict[str, Any]]:
    return list(_default_data()["rules"])


def default_turnaround() -> list[dict[str, Any]]:
    return list(_default_data().get("turnaround", []))


@functools.lru_cache(maxsize=1024)
def _word_re(word: str) -> re.Pattern[str]:
    w = " ".join(word.casefold().split())
    body = re.escape(w).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")  # "x-ray", "x ray" alike
    return re.compile(r"(?<![0-9a-z])" + body + r"(?![0-9a-z])")


def has_word(text: str, words: list[str]) -> bool:
    """Whether ``text`` holds one of ``words`` as a whole word ("lab" is not in "labor", "ct" not in
    "doctor"; "x-ray" and "x ray" alike)."""
    return any(w.strip() and _word_re(w).search(text) for w in words)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th ``weekday`` (0 = Monday) of a month; n = -1 for the last."""
    if n > 0:
        d = date(year, month, 1)
        d += timedelta(days=(weekday - d.weekday()) % 7)
        return d + timedelta(weeks=n - 1)
    d = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.weekday() - weekday) % 7)


@functools.lru_cache(maxsize=64)
def us_federal_holidays(year: int) -> frozenset[date]:
    """US federal holidays as observed (Saturday -> Friday, Sunday -> Monday): the days US practices and
    laboratories keep closed, so they are no business days either."""
    fixed = [date(year, 1, 1), date(year, 6, 19), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    observed = set()
    for d in fixed:
        observed.add(d - timedelta(days=1) if d.weekday() == 5 else d + timedelta(days=1) if d.weekday() == 6 else d)
    observed |= {
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving
    }
    return frozenset(observed)


def add_business_days(start: date, n: int) -> date:
    """``n`` business days after ``start``: Monday to Friday, US federal holidays skipped."""
    d = start
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in us_federal_holidays(d.year):
            n -= 1
    return d


def turnaround(name: str, table: list[dict[str, Any]] | None = None) -> tuple[int, str]:
    """(business days, kind of test) a result of the test named ``name`` usually takes."""
    text = name.casefold()
    rows = table if table is not None else default_turnaround()
    for row in rows:
        if row.get("words") and has_word(text, row["words"]):
            return int(row["business_days"]), str(row.get("label", ""))
    fallback: dict[str, Any] = next((r for r in rows if not r.get("words")), {"business_days": 2, "label": "routine"})
    return int(fallback["business_days"]), str(fallback.get("label", "routine"))


def load_rules(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        return default_rules()
    try:
        return list(json.loads(Path(path).read_text("utf-8"))["rules"])
    except (OSError, ValueError, KeyError) as e:
        raise InvalidInput(f"{path}: not a rules file ({e}).") from None


@dataclass
class Expectation:
    person_id: str
    person: str
    encounter_id: str
    encounter_title: str
    encounter_date: str
    provider: str | None
    rule_id: str
    label: str
    due: str
    status: str  # met | overdue | waiting | received-on-paper | not-needed
    met_by: str | None = None
    days_overdue: int = 0
    next_steps: list[str] = field(default_factory=list)
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _text(e: Entry) -> str:
    r = e.row
    return " ".join(
        str(x)
        for x in (
            r.title,
            r.data.get("encounter_type"),
            r.data.get("doc_type"),
            r.display,
            r.data.get("encounter_class"),
        )
        if x
    ).casefold()


def _applies(rule: dict[str, Any], enc: Entry) -> bool:
    if rule.get("orders"):
        return False
    when = rule.get("when", {})
    cls = (enc.row.data.get("encounter_class") or "").upper()
    text = _text(enc)
    if has_word(text, rule.get("unless_words", [])):
        return False
    return cls in when.get("classes", []) or has_word(text, when.get("words", []))


def _matches(rule: dict[str, Any], item: Entry) -> bool:
    exp = rule["expect"]
    if item.row.kind not in exp["kinds"]:
        return False
    words = exp.get("words") or []
    return not words or has_word(_text(item), words)


@dataclass
class RecordsRequest:
    """A request for records sent (or drafted) to a provider, as the tracker shows it."""

    id: int
    person: str  # the person's name
    provider: str
    what: str
    asked_on: str
    due_on: str | None
    status: str  # drafted | asked | received | refused | cancelled
    notes: str | None

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _day(s: str) -> date:
    return date.fromisoformat(s[:10])


class MissingService:
    def __init__(self, vault: Vault, rules_path: Path | None = None) -> None:
        self.vault = vault
        self.rules = load_rules(rules_path)
        self.turnaround = default_turnaround()
        if rules_path is not None:
            try:
                self.turnaround = list(json.loads(Path(rules_path).read_text("utf-8")).get("turnaround", [])) or (
                    self.turnaround
                )
            except (OSError, ValueError):
                pass
        self.records = RecordService(vault)

    def lookback_days(self) -> int:
        """Visits whose records are overdue by more than this are not chased ("old")."""
        return max((int(r.get("lookback_days", LOOKBACK_DAYS)) for r in self.rules), default=LOOKBACK_DAYS)

    def expectations(
        self,
        person: str | None = None,
        today: date | None = None,
        include_met: bool = False,
        all_time: bool = False,
    ) -> list[Expectation]:
        """What each visit should have produced.  Visits older than the rules' look-back (plus the
        longest delay and window) are skipped unless ``all_time``: they would only be "old", and a
        million-item vault must answer in milliseconds (every query below is an index range)."""
        today = today or date.today()
        out: list[Expectation] = []
        for p in self.records.people(person):
            db = self.vault.person_db(p.id)
            marks = requests_repo.marks(db)
            portals = portals_repo.names_in(db, with_api=True)
            websites = portals_repo.names_in(db, with_api=False)
            horizon = None if all_time else (today - timedelta(days=self._horizon_days())).isoformat()
            encs, linked, pool = self._load(p.id, db, horizon)
            orders = self._service_requests(db, encs, horizon)
            for enc in encs:
                if not enc.row.date:
                    continue
                mine = orders.get(enc.row.rowid, [])
                if mine:
                    # Each lab order of the visit expects its own results: one early result is not all.
                    out += [
                        self._judge_order(
                            p.id, p.name, enc, o, linked.get(enc.row.rowid, []), pool, marks, today, portals
                        )
                        for o in mine
                    ]
                for rule in self.rules:
                    if not _applies(rule, enc):
                        continue
                    if mine and rule.get("turnaround"):
                        continue
                    out.append(
                        self._judge(
                            p.id,
                            p.name,
                            enc,
                            rule,
                            linked.get(enc.row.rowid, []),
                            pool,
                            marks,
                            today,
                            portals,
                            websites,
                        )
                    )
            out += self._orders(p.id, p.name, db, pool, marks, today, portals)
            # orders, appointments and billed visits (services/care_tracking.py)
            out += care_expectations(p.id, p.name, db, marks, today, portals, Expectation, make_id)
        if not include_met:
            out = [e for e in out if e.status in ("overdue", "waiting")]
        out.sort(key=lambda e: (e.status != "overdue", -e.days_overdue, e.encounter_date))
        return out

    def _horizon_days(self) -> int:
        longest = max((int(r.get("delay_days", 0)) + int(r.get("window_days", 14)) for r in self.rules), default=0)
        return max(int(r.get("lookback_days", LOOKBACK_DAYS)) for r in self.rules) + longest if self.rules else 0

    @staticmethod
    def _load(pid: str, db: Any, horizon: str | None) -> tuple[list[Entry], dict[int, list[Entry]], list[Entry]]:
        """Visits since ``horizon``, the items linked to them, and unlinked items dated since then."""
        encs = [Entry(pid, r) for r in items_repo.rows_of_kinds(db, ("encounter",), horizon)]
        linked: dict[int, list[Entry]] = {}
        # Light rows stand in for full ones: matching reads only the columns they have.
        for lite in items_repo.lite_linked(db, [e.row.rowid for e in encs]):
            linked.setdefault(lite.encounter_id or 0, []).append(Entry(pid, lite))  # type: ignore[arg-type]
        pool = [e for group in linked.values() for e in group]
        pool += [
            Entry(pid, lite)  # type: ignore[arg-type]
            for kind in items_repo.LITE_KINDS
            for lite in items_repo.lite_unlinked(db, kind, horizon)
        ]
        return encs, linked, pool

    def _judge(
        self,
        pid: str,
        name: str,
        enc: Entry,
        rule: dict[str, Any],
        linked: list[Entry],
        pool: list[Entry],
        marks: dict[tuple[int, str], tuple[str, str | None]],
        today: date,
        portals: list[str],
        websites: list[str],
    ) -> Expectation:
        start = _day(enc.row.date_end or enc.row.date) if rule.get("from") == "end" else _day(enc.row.date)
        due = add_business_days(start, int(rule["delay_days"]))
        e = Expectation(
            pid,
            name,
            enc.id,
            enc.row.title,
            enc.row.date[:10],
            enc.row.data.get("provider"),
            rule["id"],
            rule["label"],
            due.isoformat(),
            "waiting",
            note=rule.get("note"),
        )
        mark = marks.get((enc.row.rowid, rule["id"]))
        if mark:
            e.status, e.note = mark[0], mark[1] or e.note
            return e
        hit = next((i for i in linked if _matches(rule, i)), None)
        if hit is None:
            # The window runs from the visit's start to the rule's own date (discharge for a discharge
            # summary) plus its length: a summary written the day after a 50-day stay is on time.
            window_end = start + timedelta(days=int(rule.get("window_days", 14)))
            hit = next(
                (
                    i
                    for i in pool
                    if i.row.encounter_id is None
                    and i.row.date
                    and _day(enc.row.date) <= _day(i.row.date) <= window_end
                    and _matches(rule, i)
                ),
                None,
            )
        if hit is not None:
            e.status, e.met_by = "met", hit.id
            return e
        if today > due:
            e.status, e.days_overdue = "overdue", (today - due).days
            e.next_steps = self._steps(portals, websites)
            if e.days_overdue > int(rule.get("lookback_days", LOOKBACK_DAYS)):
                e.status = "old"  # a visit from years ago listed in a summary: not chased
        return e

    def _orders(
        self,
        pid: str,
        name: str,
        db: Any,
        pool: list[Entry],
        marks: dict[tuple[int, str], tuple[str, str | None]],
        today: date,
        portals: list[str],
    ) -> list[Expectation]:
        """Reports ordered or pending with no results yet (e.g. a lab order seen in the record)."""
        out: list[Expectation] = []
        rule = next((r for r in self.rules if r.get("orders")), None)
        if rule is None:
            return out
        with_results = {i.row.report_id for i in pool if i.row.report_id}
        for rep in pool:
            r = rep.row
            if r.kind != "diagnostic_report" or r.rowid in with_results or not r.date:
                continue
            if (r.status or "").lower() not in ("registered", "partial", "preliminary", "active", "requested", ""):
                continue
            if (r.status or "") == "" and r.data.get("conclusion"):
                continue  # a narrative report is its own result
            days = turnaround(r.title, self.turnaround)[0] if rule.get("turnaround") else int(rule["delay_days"])
            due = add_business_days(_day(r.date), days)
            e = Expectation(
                pid,
                name,
                make_id(pid, r.encounter_id) if r.encounter_id else rep.id,
                r.title,
                r.date[:10],
                r.data.get("performer"),
                f"{rule['id']}:{r.rowid}",
                f"{rule['label']}: {r.title}",
                due.isoformat(),
                "waiting",
            )
            mark = marks.get((r.encounter_id or r.rowid, e.rule_id))
            if mark:
                e.status = mark[0]
            elif today > due:
                e.status, e.days_overdue = "overdue", (today - due).days
                e.next_steps = self._steps(portals, [])
            out.append(e)
        return out

    @staticmethod
    def _service_requests(db: Any, encs: list[Entry], horizon: str | None) -> dict[int, list[dict[str, Any]]]:
        """Lab orders (FHIR ServiceRequest, kept as received) by the visit they belong to."""
        by_sid = {e.row.source_id: e.row.rowid for e in encs if e.row.source_id}
        if not by_sid:
            return {}
        out: dict[int, list[dict[str, Any]]] = {}
        for sid, raw in items_repo.kept_of_type(db, "ServiceRequest"):
            try:
                res = json.loads(raw) if raw is not None else {}
            except ValueError:
                continue
            if not isinstance(res, dict) or res.get("status") in ("revoked", "entered-in-error", "draft"):
                continue
            if res.get("intent") not in (None, "order", "original-order", "filler-order", "instance-order"):
                continue
            ref = (res.get("encounter") or {}).get("reference") if isinstance(res.get("encounter"), dict) else None
            rowid = by_sid.get(ref or "")
            if rowid is None:
                continue
            code: dict[str, Any] = res["code"] if isinstance(res.get("code"), dict) else {}
            codings = [c for c in code.get("coding", []) if isinstance(c, dict)]
            name = code.get("text") or next((c.get("display") for c in codings if c.get("display")), None)
            day = res.get("authoredOn") or res.get("occurrenceDateTime")
            if not name or horizon and isinstance(day, str) and day[:10] < horizon:
                continue
            out.setdefault(rowid, []).append(
                {
                    "id": sid,
                    "name": str(name),
                    "codes": {c.get("code") for c in codings if c.get("code")},
                    "date": day if isinstance(day, str) else None,
                }
            )
        return out

    def _judge_order(
        self,
        pid: str,
        name: str,
        enc: Entry,
        order: dict[str, Any],
        linked: list[Entry],
        pool: list[Entry],
        marks: dict[tuple[int, str], tuple[str, str | None]],
        today: date,
        portals: list[str],
    ) -> Expectation:
        start = _day(order.get("date") or enc.row.date)
        days, kind = turnaround(order["name"], self.turnaround)
        due = add_business_days(start, days)
        rule_id = f"order:{order['id']}"
        e = Expectation(
            pid,
            name,
            enc.id,
            enc.row.title,
            enc.row.date[:10],
            enc.row.data.get("provider"),
            rule_id,
            f"Results: {order['name']}",
            due.isoformat(),
            "waiting",
            note=f"{kind} test: usually {days} business days" if kind else None,
        )
        mark = marks.get((enc.row.rowid, rule_id))
        if mark:
            e.status, e.note = mark[0], mark[1] or e.note
            return e
        words = [w for w in re.findall(r"[a-z0-9]+", order["name"].casefold()) if len(w) > 2]

        def answers(i: Entry) -> bool:
            if i.row.kind not in ("observation", "diagnostic_report") or not i.row.date or _day(i.row.date) < start:
                return False
            code = getattr(i.row, "code", None)
            if code and code in order["codes"]:
                return True
            title = i.row.title.casefold()
            return bool(words) and all(_word_re(w).search(title) for w in words)

        window_end = start + timedelta(days=60)
        hit = next((i for i in linked if answers(i)), None) or next(
            (i for i in pool if i.row.encounter_id is None and answers(i) and _day(i.row.date) <= window_end), None
        )
        if hit is not None:
            e.status, e.met_by = "met", hit.id
        elif today > due:
            e.status, e.days_overdue = "overdue", (today - due).days
            e.next_steps = self._steps(portals, [])
            if e.days_overdue > self.lookback_days():
                e.status = "old"
        return e

    @staticmethod
    def _steps(portals: list[str], websites: list[str]) -> list[str]:
        steps = [f"sync portal: {p}" for p in portals]
        steps += [f"open the official site of {w}" for w in websites if w not in portals]
        steps.append("start a records request")
        return steps

    def badge_counts(self, person: str | None = None, today: date | None = None) -> dict[str, int]:
        """Encounter id -> number of overdue expectations (the encounter browser's badge)."""
        counts: dict[str, int] = {}
        for e in self.expectations(person, today):
            if e.status == "overdue":
                counts[e.encounter_id] = counts.get(e.encounter_id, 0) + 1
        return counts

    def mark(self, encounter_id: str, rule_id: str, status: str, note: str | None = None) -> None:
        if status not in MARKS:
            raise InvalidInput(f"Mark it as one of: {', '.join(MARKS)}.")
        pid, rowid = parse_id(encounter_id)
        from .permissions import require_manage

        require_manage(self.vault, pid, "mark records")
        db = self.vault.person_db(pid)
        if store.get_row(db, rowid) is None:
            raise NotFound(f"No encounter {encounter_id}.")
        requests_repo.set_mark(db, rowid, rule_id, status, note, self.vault.user.name, now_iso())
        self.vault.audit(
            "missing.mark", person_id=pid, item_id=encounter_id, detail={"rule": rule_id, "status": status}
        )

    def unmark(self, encounter_id: str, rule_id: str) -> None:
        pid, rowid = parse_id(encounter_id)
        from .permissions import require_manage

        require_manage(self.vault, pid, "clear marks")
        requests_repo.clear_mark(self.vault.person_db(pid), rowid, rule_id)
        self.vault.audit("missing.unmark", person_id=pid, item_id=encounter_id, detail={"rule": rule_id})

    # ------------------------------------------------------------------ records requests
    def request_records(self, exp: Expectation, letter: Path | None = None, requester: str | None = None) -> int:
        """Start a request in the tracker (and optionally write the prefilled letter PDF)."""
        from .permissions import require_manage

        require_manage(self.vault, exp.person_id, "request records")  # the letter is written unencrypted
        due = (date.today() + timedelta(days=30)).isoformat()  # HIPAA: 30 days to answer
        rid = self.vault.next_id("record_requests")
        requests_repo.insert(  # in the person's database, not household.db
            self.vault.person_db(exp.person_id),
            requests_repo.StoredRequest(
                rid,
                exp.person_id,
                exp.provider or "the provider",
                f"{exp.label} — visit of {exp.encounter_date}",
                date.today().isoformat(),
                due,
                "drafted",
                None,
            ),
            now_iso(),
        )
        if letter is not None:
            from ..exporters._atomic import write_atomically

            data = request_letter_pdf(self.vault, exp, requester)
            write_atomically(Path(letter), lambda f: f.write(data))
        self.vault.audit(
            "request.create",
            person_id=exp.person_id,
            item_id=exp.encounter_id,
            detail={"rule": exp.rule_id, "letter": Path(letter).name if letter else None},
        )
        return rid

    def requests(self, person: str | None = None) -> list[RecordsRequest]:
        """The records requests of the people one may see, newest first."""
        people = {p.id: p.name for p in self.records.people(person)}
        rows = [r for pid in people for r in requests_repo.all_in(self.vault.person_db(pid))]
        rows.sort(key=lambda r: (r.asked_on, r.id), reverse=True)
        return [
            RecordsRequest(r.id, people[r.person_id], r.provider, r.what, r.asked_on, r.due_on, r.status, r.notes)
            for r in rows
            if r.person_id in people
        ]

    def update_request(self, request_id: int, status: str, notes: str | None = None) -> None:
        if status not in ("drafted", "asked", "received", "refused", "cancelled"):
            raise InvalidInput("Status is drafted, asked, received, refused or cancelled.")
        from .permissions import require_manage

        found = [p.id for p in self.vault.persons() if requests_repo.exists(self.vault.person_db(p.id), request_id)]
        if len(found) != 1:
            raise NotFound(
                f"No records request {request_id}."
                if not found
                else f"Records request {request_id} is ambiguous (the vault was changed outside the app)."
            )
        require_manage(self.vault, found[0], "update records requests")
        requests_repo.set_status(self.vault.person_db(found[0]), request_id, status, notes)
        self.vault.audit("request.update", person_id=found[0], detail={"id": request_id, "status": status})


def request_letter_pdf(vault: Vault, exp: Expectation, requester: str | None = None) -> bytes:
    """A short, polite request to the provider's medical-records office (HIPAA right of access)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    person = vault.person(exp.person_id)
    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    today = datetime.now().strftime("%d %B %Y")
    body = [
        Paragraph(today, styles["Normal"]),
        Spacer(1, 18),
        Paragraph(f"To: Medical Records / Health Information Management, {exp.provider or ''}", styles["Normal"]),
        Spacer(1, 12),
        Paragraph("Request for copies of medical records", styles["Heading2"]),
        Paragraph(f"Patient: <b>{person.name}</b>, date of birth {person.birth_date or '________'}", styles["Normal"]),
        Spacer(1, 8),
        Paragraph(
            f"I am asking for a copy of the following record: <b>{exp.label}</b> from the visit on "
            f"{exp.encounter_date} ({exp.encounter_title}). I have not received it through the patient portal.",
            styles["Normal"],
        ),
        Spacer(1, 8),
        Paragraph(
            "Under the HIPAA right of access (45 CFR 164.524) please send it within 30 days, preferably "
            "electronically through the patient portal, or on paper to the address below.",
            styles["Normal"],
        ),
        Spacer(1, 30),
        Paragraph("Signature: ______________________________", styles["Normal"]),
        Paragraph(f"Name: {requester or person.name}", styles["Normal"]),
        Paragraph("Address / phone / e-mail: ____________________________________________", styles["Normal"]),
    ]
    SimpleDocTemplate(buf, pagesize=letter, title="Records request", invariant=1).build(body)
    return buf.getvalue()
