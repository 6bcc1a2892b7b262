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


def test_each_person_gets_what_their_plan_says() -> None:
    """The plans are data; the records follow them: every standing record once, routine visits in each of
    the last years up to today, episodes last year with their labs, procedures and documents linked."""
    import random

    from medrecords_desktop.model.records import Document, Encounter, Immunization, Procedure
    from medrecords_desktop.services.demo import FAMILY, PLANS, _records_for

    today = date(2026, 3, 1)  # before the April physicals and the June well-child visit of this year
    rng = random.Random(7)
    assert {p.name for p in FAMILY} == set(PLANS)
    for person in FAMILY:
        plan = PLANS[person.name]
        items = _records_for(person, rng, today)
        assert len({i.provenance.source_id for i in items}) == len(items)  # ids unique
        assert all(i.date is None or i.date[:10] <= today.isoformat() for i in items)
        for cls, _tag, fields in plan.standing:
            same = [i for i in items if type(i) is cls and i.title == fields["title"]]
            assert len(same) == 1 and all(getattr(same[0], k) == v for k, v in fields.items()), fields["title"]
        routine = [e for e in items if isinstance(e, Encounter) and e.provider == plan.clinic]
        assert {e.date[:4] for e in routine} == {str(y) for y in range(2021, 2026)}  # not 2026 yet
        assert len(routine) == 5 * len((6,) if plan.child else plan.months)
        for ep in plan.episodes:
            enc = next(e for e in items if isinstance(e, Encounter) and e.title == ep.title)
            assert enc.date.startswith(f"2025-{ep.when[0]:02d}-{ep.when[1]:02d}") and enc.encounter_class == ep.cls
            linked = [i for i in items if i.encounter_ref == enc.provenance.source_id]
            assert [d.title for d in linked if isinstance(d, Document)] == [
                *(f"Lab report — {panel}" for panel, _ in ep.labs),
                *(t for t, _, _ in ep.documents),
            ]
            assert [p.title for p in linked if isinstance(p, Procedure)] == list(ep.procedures)
        flu = [i for i in items if isinstance(i, Immunization) and i.code == "150"]
        assert {f.date[:4] for f in flu} == ({"2022", "2024"} if plan.child else set())
