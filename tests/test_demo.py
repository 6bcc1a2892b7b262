"""The demo vault: a family of four with several years of records, marked as demo everywhere."""

from __future__ import annotations

from datetime import date

from medrecords_desktop.services.demo import DEMO_PASSPHRASE, create_demo_vault
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.crypto import fast_test_kdf
from medrecords_desktop.vault.header import Header
from medrecords_desktop.vault.vault import Vault


def test_demo_family_has_years_of_records_with_trends(tmp_path) -> None:
    v = create_demo_vault(tmp_path / "demo", today=date(2026, 11, 1), kdf=fast_test_kdf())
    try:
        svc = RecordService(v)
        people = v.persons()
        assert len(people) == 4 and all(p.is_demo for p in people)
        assert Header.read(tmp_path / "demo").demo
        stats = svc.stats()
        assert all(sum(c.values()) > 20 for c in stats.values())
        a1c = svc.lab_series("Rosa Martinez", code="4548-4")
        assert len(a1c) >= 10 and a1c[-1].row.value_num > a1c[0].row.value_num
        years = {e.row.date[:4] for e in svc.timeline(limit=2000)}
        assert len(years) >= 5
        day = svc.timeline(date_from="2026-04-12", date_to="2026-04-12", kinds=["document"], limit=100)
        assert any(e.row.title.startswith("Lab report") for e in day)
    finally:
        v.close()
    Vault.open(tmp_path / "demo", DEMO_PASSPHRASE).close()
