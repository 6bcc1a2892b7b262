"""Claims from payers (Blue Button 2.0, CARIN): what was billed, by whom, and whether the family has the
records of that visit.  A face over ``care_tracking.claim_matches``; the missing-records tracker uses the
same matching to flag a billed visit without records."""

from __future__ import annotations

from dataclasses import dataclass

from ..vault.vault import Vault
from .care_tracking import claim_matches
from .records import RecordService, make_id


@dataclass
class ClaimRow:
    id: str
    person: str
    date: str
    provider: str | None
    services: list[str]
    billed: float | None
    paid: float | None
    currency: str
    insurer: str | None
    source: str | None
    visit_id: str | None  # the matched encounter, if the vault has it
    visit_title: str | None
    has_records: bool

    @property
    def records_text(self) -> str:
        if self.visit_title:
            return f"Visit: {self.visit_title}"
        return "Other records that day" if self.has_records else "No records of this visit"

    def to_json(self) -> dict[str, object]:
        return {**self.__dict__, "records": self.records_text}


class ClaimsService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def claims(self, person: str | None = None) -> list[ClaimRow]:
        """Every claim of ``person`` (or everyone visible), newest first."""
        out: list[ClaimRow] = []
        for p in RecordService(self.vault).people(person):
            for m in claim_matches(self.vault.person_db(p.id)):
                c, d = m.claim, m.claim.data
                out.append(
                    ClaimRow(
                        make_id(p.id, c.rowid),
                        p.name,
                        c.date[:10] if c.date else "",
                        d.get("provider"),
                        list(d.get("services") or []),
                        d.get("billed"),
                        d.get("paid"),
                        d.get("currency") or "USD",
                        d.get("insurer"),
                        c.source_name,
                        make_id(p.id, m.encounter.rowid) if m.encounter else None,
                        m.encounter.title if m.encounter else None,
                        m.has_records,
                    )
                )
        out.sort(key=lambda r: r.date, reverse=True)
        return out
