"""Core commands: init, person, stats, timeline, encounters, show, search, verify, passwd, backup,
restore, audit."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from typing import Any

from ..errors import InvalidInput, MedRecordsError
from ..model.records import KINDS


def _date(s: str) -> str:
    try:
        return date.fromisoformat(s).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s!r} is not a date like 2026-04-12") from None


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="open the demo vault (a made-up family), creating it if needed")
    p.add_argument("--dir", help="where the demo vault lives (default: beside your vault, 'demo-vault')")
    p.add_argument("--no-gui", action="store_true", help="only create it and print where it is")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("init", help="create a new vault")
    p.add_argument("--owner", default="Owner", help="your name as the vault's owner")
    p.set_defaults(run=cmd_init)

    person = sub.add_parser("person", help="people in the vault").add_subparsers(dest="person_cmd", metavar="ACTION")
    p = person.add_parser("add", help="add a family member")
    p.add_argument("name")
    p.add_argument("--born", type=_date, help="date of birth, YYYY-MM-DD")
    p.add_argument("--sex")
    p.set_defaults(run=cmd_person_add)
    p = person.add_parser("list", help="list family members")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_person_list)

    p = sub.add_parser("stats", help="counts per kind for each person")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_stats)

    p = sub.add_parser("timeline", help="items newest first")
    p.add_argument("--person")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--kind", action="append", choices=KINDS)
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_timeline)

    p = sub.add_parser("encounters", help="visits and admissions")
    p.add_argument("--person")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--provider")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_encounters)

    p = sub.add_parser("show", help="one item (an encounter lists everything linked to it)")
    p.add_argument("id")
    p.add_argument("--raw", action="store_true", help="also print the source fragment")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("search", help="full-text search")
    p.add_argument("query")
    p.add_argument("--person")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("verify", help="check every database page and every document")
    p.set_defaults(run=cmd_verify)

    p = sub.add_parser("passwd", help="change your passphrase")
    p.add_argument("--new-passphrase-file", metavar="FILE")
    p.set_defaults(run=cmd_passwd)

    p = sub.add_parser("backup", help="write an encrypted, consistent copy of the vault")
    p.add_argument("dest")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("restore", help="check a backup and restore it as the vault (--vault)")
    p.add_argument("src")
    p.set_defaults(run=cmd_restore)

    p = sub.add_parser("audit", help="who opened, imported and exported what")
    p.add_argument("--verify", action="store_true", help="check the HMAC chain")
    p.add_argument("--user")
    p.add_argument("--person")
    p.add_argument("--action")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_audit)


def _out_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=1, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def _kdf_for_new_vault() -> Any:
    from ..vault.crypto import fast_test_kdf

    # Test suites create hundreds of vaults: keep the 64 MiB floor, skip the tuning.
    return fast_test_kdf() if os.environ.get("MEDRECORDS_TEST_FAST_KDF") == "1" else None


def demo_dir(ctx: Any) -> Any:
    from pathlib import Path

    return Path(ctx.args.dir) if getattr(ctx.args, "dir", None) else ctx.vault_dir.parent / "demo-vault"


def cmd_demo(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.demo import DEMO_PASSPHRASE, open_or_create_demo

    path = demo_dir(ctx)
    if args.no_gui:
        open_or_create_demo(path).close()
        print(f"Demo vault at {path} (passphrase: {DEMO_PASSPHRASE!r}). It holds made-up people only.")
        return 0
    from .gui_launch import launch_gui

    return launch_gui(args, demo_path=path)


def cmd_init(args: argparse.Namespace, ctx: Any) -> int:
    from ..vault.vault import Vault

    passphrase = ctx.passphrase("New vault passphrase: ", confirm=True)
    vault, recovery = Vault.create(ctx.vault_dir, passphrase, owner_name=args.owner, kdf=_kdf_for_new_vault())
    vault.close()
    print(f"Created a vault at {ctx.vault_dir}")
    print("Recovery code (shown once; write it down and keep it apart from this computer):")
    print(f"    {recovery}")
    return 0


def cmd_person_add(args: argparse.Namespace, ctx: Any) -> int:
    p = ctx.vault().add_person(args.name, args.born, args.sex)
    print(f"Added {p.name} ({p.id})")
    return 0


def cmd_person_list(args: argparse.Namespace, ctx: Any) -> int:
    people = ctx.vault().persons()
    if args.json:
        _out_json([{"id": p.id, "name": p.name, "born": p.birth_date, "sex": p.sex, "demo": p.is_demo} for p in people])
    else:
        for p in people:
            print(f"{p.id}  {p.name:30}  {p.birth_date or ''}")
    return 0


def cmd_stats(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.records import RecordService

    stats = RecordService(ctx.vault()).stats()
    if args.json:
        _out_json(stats)
    else:
        for name, counts in stats.items():
            print(name)
            for k, n in counts.items():
                print(f"    {k:18} {n:>9,}")
    return 0


def _print_entries(entries: list[Any], people: dict[str, str]) -> None:
    for e in entries:
        who = people.get(e.person_id, e.person_id)
        flag = " !" if e.row.abnormal else ""
        print(f"{(e.row.date or '')[:16]:16}  {e.row.kind:17} {who[:14]:14}  {e.row.summary()}{flag}  [{e.id}]")


def cmd_timeline(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.records import RecordService

    svc = RecordService(ctx.vault())
    entries = svc.timeline(args.person, args.date_from, args.date_to, args.kind, limit=args.limit)
    if args.json:
        _out_json([e.to_json() for e in entries])
    else:
        _print_entries(entries, {p.id: p.name for p in svc.people()})
    return 0


def cmd_encounters(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.records import RecordService

    svc = RecordService(ctx.vault())
    rows = svc.encounters(args.person, args.date_from, args.date_to, args.provider, limit=args.limit)
    if args.json:
        _out_json([{**e.to_json(), "provider": e.row.data.get("provider"), "linked_items": n} for e, n in rows])
    else:
        names = {p.id: p.name for p in svc.people()}
        for e, n in rows:
            prov = e.row.data.get("provider") or ""
            print(
                f"{(e.row.date or '')[:10]:10}  {names.get(e.person_id, ''):14.14}  {e.row.title[:40]:40} "
                f"{prov[:30]:30} {n:>4} items  [{e.id}]"
            )
    return 0


def cmd_show(args: argparse.Namespace, ctx: Any) -> int:
    import dataclasses

    from ..services.records import RecordService

    svc = RecordService(ctx.vault())
    item = svc.item(args.id)
    detail = svc.encounter_detail(args.id) if item.kind == "encounter" else None
    if args.json:
        d = {k: v for k, v in dataclasses.asdict(item).items() if k != "content"}
        d["kind"] = item.kind
        if not args.raw:
            d["provenance"].pop("raw", None)
        if detail:
            d["linked"] = [e.to_json() for e in detail.items]
        if item.kind == "diagnostic_report":
            d["results"] = [e.to_json() for e in svc.report_results(args.id)]
        _out_json(d)
        return 0
    print(f"{item.kind}: {item.title}")
    for k, v in dataclasses.asdict(item).items():
        if k in ("title", "provenance", "content", "text", "codes", "result_refs") or v in (None, "", [], False):
            continue
        print(f"    {k:16} {v}")
    p = item.provenance
    print(f"    {'source':16} {p.source_kind} {p.source_name} {p.source_id or ''}")
    if item.kind == "diagnostic_report":
        results = svc.report_results(args.id)
        print(f"Results ({len(results)}):")
        for e in results:
            print(f"    {e.row.summary()}  [{e.id}]")
    if detail:
        print(f"Linked to this visit ({len(detail.items)}):")
        for e in detail.items:
            same_day = " (same day)" if e.row.data.get("visit_link") == "same day" else ""
            print(f"    {e.row.kind:17} {e.row.summary()}{same_day}  [{e.id}]")
    if args.raw and p.raw:
        print("Source:")
        print(p.raw)
    return 0


def cmd_search(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.records import RecordService

    svc = RecordService(ctx.vault())
    hits = svc.search(args.query, args.person, args.limit)
    if args.json:
        _out_json([e.to_json() for e in hits])
    else:
        names = {p.id: p.name for p in svc.people()}
        for e in hits:
            print(
                f"{(e.row.date or '')[:10]:10}  {e.row.kind:17} {names.get(e.person_id, ''):14.14} "
                f"{e.row.title[:50]}  [{e.id}]"
            )
            if e.snippet:
                print(f"            {e.snippet}")
    return 0


def cmd_verify(args: argparse.Namespace, ctx: Any) -> int:
    report = ctx.vault().verify()
    if report.ok:
        print(f"OK: {report.databases} databases and {report.blobs} documents verified.")
        return 0
    for p in report.problems:
        print(f"PROBLEM: {p}")
    return 1


def cmd_passwd(args: argparse.Namespace, ctx: Any) -> int:
    vault = ctx.vault()
    new = ctx.passphrase(
        "New passphrase: ", env="MEDRECORDS_NEW_PASSPHRASE", file_arg="new_passphrase_file", confirm=True
    )
    vault.change_passphrase(new)
    print("Passphrase changed.")
    return 0


def cmd_backup(args: argparse.Namespace, ctx: Any) -> int:
    dest = ctx.vault().backup(args.dest)
    print(f"Backup written to {dest}")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Any) -> int:
    from ..vault.vault import Vault

    report = Vault.restore(args.src, ctx.vault_dir, ctx.passphrase())
    print(f"Restored to {ctx.vault_dir}: {report.databases} databases and {report.blobs} documents verified.")
    return 0


def cmd_audit(args: argparse.Namespace, ctx: Any) -> int:
    from ..vault import audit

    vault = ctx.vault()
    if args.verify:
        bad = audit.verify(vault.household, vault.audit_key)
        if bad is None:
            n = vault.household.one("SELECT count(*) FROM audit")[0]
            print(f"OK: the audit log's {n} entries are intact.")
            return 0
        print(f"BROKEN: audit entry {bad} was changed or removed.")
        return 1
    users = {r[0]: r[1] for r in vault.household.query("SELECT id, name FROM users")}
    people = {r[0]: r[1] for r in vault.household.query("SELECT id, name FROM persons")}
    user_id = person_id = None
    if args.user:
        user_id = next((i for i, n in users.items() if n.casefold() == args.user.casefold()), None)
        if user_id is None:
            raise InvalidInput(f"No user {args.user!r}.")
    if args.person:
        person_id = vault.person(args.person).id
    rows = audit.entries(
        vault.household,
        user_id=user_id,
        person_id=person_id,
        action=args.action,
        since=args.date_from,
        until=args.date_to,
        limit=args.limit,
    )
    if args.json:
        _out_json(
            [
                {
                    "id": e.id,
                    "ts": e.ts,
                    "user": users.get(e.user_id or ""),
                    "action": e.action,
                    "person": people.get(e.person_id or ""),
                    "item": e.item_id,
                    "detail": e.detail,
                }
                for e in rows
            ]
        )
    else:
        for e in rows:
            print(
                f"{e.ts}  {users.get(e.user_id or '', '?'):12.12} {e.action:16} "
                f"{people.get(e.person_id or '', ''):14.14} {e.item_id or ''} "
                f"{json.dumps(e.detail) if e.detail else ''}"
            )
    return 0


__all__ = ["register", "MedRecordsError"]
