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
from .text import KIND_CHOICES, fit, is_vital, parse_kinds, plural


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
    p = person.add_parser("edit", help="change a person's name, date of birth or sex")
    p.add_argument("person", help="the person: a name, the start of one, or an id")
    p.add_argument("--name", help="the new name")
    p.add_argument("--born", help="the new date of birth, YYYY-MM-DD ('' clears it)")
    p.add_argument("--sex", help="female, male, other or unknown ('' clears it)")
    p.set_defaults(run=cmd_person_edit)
    p = person.add_parser(
        "merge",
        help="merge B into A: all of B's records go to A (duplicates folded); "
        "B goes to the Trash, and restoring B undoes the merge",
    )
    p.add_argument("into", metavar="A", help="the person who stays")
    p.add_argument("other", metavar="B", help="the person whose records move to A")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(run=cmd_person_merge)
    p = person.add_parser(
        "remove",
        help="move a person and all their records to the Trash "
        "(medrecords trash --restore ID brings them back until the Trash is emptied)",
    )
    p.add_argument("person")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(run=cmd_person_remove)

    p = sub.add_parser("stats", help="counts per kind for each person")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_stats)

    p = sub.add_parser("timeline", help="items newest first")
    p.add_argument("--person")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument(
        "--kind", action="append", metavar="KIND", help=f"one of {', '.join(KIND_CHOICES)} (repeat for several)"
    )
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
    p.add_argument(
        "--repair-header",
        action="store_true",
        help="owner: drop from vault.json what the signed roster does not list (planted users, "
        "claimed keys, swapped public keys); recorded in the audit log",
    )
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
    vault = ctx.vault()
    people = vault.persons()
    if args.json:
        _out_json([{"id": p.id, "name": p.name, "born": p.birth_date, "sex": p.sex, "demo": p.is_demo} for p in people])
    elif not people:
        print(
            "Nothing found: "
            + (
                "nobody in this vault yet (medrecords person add NAME)."
                if vault.is_owner()
                else "nobody is shared with you."
            )
        )
    else:
        width = min(40, max(len(p.name) for p in people))
        for p in people:
            print(f"{p.id}  {p.name:{width}}  {p.birth_date or '':10}  {p.sex or ''}".rstrip())
    return 0


def _confirm(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        raise InvalidInput(f"{question} Pass --yes to confirm (no terminal to ask in).")
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        print(file=sys.stderr)
        return False


def cmd_person_edit(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.people import PeopleService

    svc = PeopleService(ctx.vault())
    before = svc.person(args.person)
    p = svc.edit(args.person, name=args.name, birth_date=args.born, sex=args.sex)
    changes = [
        f"{what} {old or '(none)'} -> {new or '(none)'}"
        for what, old, new in (
            ("name", before.name, p.name),
            ("born", before.birth_date, p.birth_date),
            ("sex", before.sex, p.sex),
        )
        if old != new
    ]
    print(f"Changed {p.name}: {'; '.join(changes) or 'nothing (the same values)'}.")
    return 0


def cmd_person_merge(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.people import PeopleService

    svc = PeopleService(ctx.vault())
    pv = svc.merge_preview(args.into, args.other)
    kinds = ", ".join(plural(n, k) for k, n in sorted(pv.by_kind.items()) if n) or "no records"
    print(
        f"{pv.other.name} ({pv.other.birth_date or 'no date of birth'}) has {kinds}; "
        f"{plural(pv.duplicates, 'of them is', 'of them are')} already in {pv.into.name}'s records and will be "
        f"folded."
    )
    if not _confirm(
        f"Move everything of {pv.other.name} into {pv.into.name} and put {pv.other.name} in the Trash?", args.yes
    ):
        print("Nothing changed.")
        return 1
    res = svc.merge(args.into, args.other)
    print(
        f"Merged {pv.other.name} into {pv.into.name}: {res.summary()}. Undo: medrecords trash --restore {pv.other.id}"
    )
    return 0


def cmd_person_remove(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.people import PeopleService

    vault = ctx.vault()
    p = vault.person(args.person)
    n = int(vault.person_db(p.id).one("SELECT count(*) FROM items WHERE deleted_at IS NULL")[0])
    if not _confirm(f"Move {p.name} and {plural(n, 'record')} to the Trash?", args.yes):
        print("Nothing changed.")
        return 1
    pid = PeopleService(vault).remove(p.id)
    print(
        f"Moved {p.name} and {plural(n, 'record')} to the Trash (medrecords trash --restore {pid} brings "
        "them back until the Trash is emptied)."
    )
    return 0


def cmd_stats(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.records import RecordService

    stats = RecordService(ctx.vault()).stats()
    if args.json:
        _out_json(stats)
    else:
        if not stats:
            print("Nothing found: nobody in this vault yet.")
        for name, counts in stats.items():
            print(name)
            for k, n in counts.items():
                print(f"    {k.replace('_', ' '):18} {n:>9,}")
    return 0


def _kind_word(row: Any) -> str:
    if row.kind == "observation":
        return "vital sign" if is_vital(row.data.get("category")) else "lab result"
    return {"diagnostic_report": "report", "encounter": "visit"}.get(row.kind, row.kind)


def _print_entries(entries: list[Any], people: dict[str, str]) -> None:
    for e in entries:
        who = people.get(e.person_id, e.person_id)
        flag = " !" if e.row.abnormal else ""
        print(f"{(e.row.date or '')[:16]:16}  {_kind_word(e.row):12} {fit(who, 16)}  {e.row.summary()}{flag}  [{e.id}]")


def _keep(entry: Any, cats: set[str]) -> bool:
    if not cats or entry.row.kind != "observation":
        return True
    return ("vital" if is_vital(entry.row.data.get("category")) else "lab") in cats


def timeline_entries(svc: Any, args: argparse.Namespace) -> tuple[list[Any], int, bool]:
    """The page asked for, how many more there are after it, and whether that count is exact (lab and
    vital results are told apart row by row: past 20,000 more rows the count is a lower bound)."""
    kinds, cats = parse_kinds(args.kind)
    if args.limit < 1:
        raise InvalidInput("--limit must be 1 or more.")
    out: list[Any] = []
    more = 0
    cursor = None
    scanned_past = 0
    while True:
        if len(out) >= args.limit and scanned_past > 20_000:
            return out, more, False
        page = svc.timeline(args.person, args.date_from, args.date_to, kinds, limit=max(args.limit, 500), after=cursor)
        for e in page:
            if len(out) >= args.limit:
                scanned_past += 1
            if _keep(e, cats):
                if len(out) < args.limit:
                    out.append(e)
                else:
                    more += 1
        if len(page) < max(args.limit, 500):
            break
        cursor = svc.cursor_of(page[-1])
        if not cats and len(out) >= args.limit:  # no filter to apply: count the rest in the database
            more += svc.count(args.person, args.date_from, args.date_to, kinds, before=cursor)
            break
    return out, more, True


def cmd_timeline(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.records import RecordService

    svc = RecordService(ctx.vault())
    entries, more, exact = timeline_entries(svc, args)
    if args.json:
        _out_json([e.to_json() for e in entries])
    elif not entries:
        print(
            "Nothing found"
            + (" (try without --from/--to/--kind)." if args.kind or args.date_from or args.date_to else ".")
        )
    else:
        _print_entries(entries, {p.id: p.name for p in svc.people()})
        if more:
            if exact:
                print(f"… {more:,} more; use --limit {args.limit + more} or --from/--to to see them.")
            else:
                print(f"… at least {more:,} more; use --limit or --from/--to to see them.")
    return 0


def cmd_encounters(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.records import RecordService

    svc = RecordService(ctx.vault())
    rows = svc.encounters(args.person, args.date_from, args.date_to, args.provider, limit=args.limit)
    if args.json:
        _out_json([{**e.to_json(), "provider": e.row.data.get("provider"), "linked_items": n} for e, n in rows])
    else:
        names = {p.id: p.name for p in svc.people()}
        if not rows:
            print("Nothing found.")
        for e, n in rows:
            prov = e.row.data.get("provider") or ""
            print(
                f"{(e.row.date or '')[:10]:10}  {fit(names.get(e.person_id, ''), 16)}  {fit(e.row.title, 36)} "
                f"{fit(prov, 30)} {plural(n, 'item'):>9}  [{e.id}]"
            )
        if len(rows) >= args.limit:
            print(f"There may be more; use --limit {args.limit * 2} or --from / --to.")
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
    print(f"{item.kind.replace('_', ' ')}: {item.title}")
    for k, v in dataclasses.asdict(item).items():
        if k in ("title", "provenance", "content", "text", "codes", "result_refs") or v in (None, "", [], False):
            continue
        if isinstance(v, str) and v.startswith("0001-01-01"):  # "no date" as some sources write it
            continue
        print(f"    {k.replace('_', ' '):16} {v}")
    p = item.provenance
    print(f"    {'source':16} {p.source_kind} {p.source_name} {p.source_id or ''}")
    if item.kind == "diagnostic_report":
        results = svc.report_results(args.id)
        print(f"Results ({len(results)}):")
        for e in results:
            print(f"    {e.row.summary()}  [{e.id}]")
    if detail:
        print(f"Linked to this visit ({plural(len(detail.items), 'item')}):")
        for e in detail.items:
            same_day = " (same day)" if e.row.data.get("visit_link") == "same day" else ""
            print(f"    {_kind_word(e.row):12} {e.row.summary()}{same_day}  [{e.id}]")
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
        if not hits:
            print(f"Nothing found for {args.query!r}.")
        for e in hits:
            print(
                f"{(e.row.date or '')[:10]:10}  {_kind_word(e.row):12} {fit(names.get(e.person_id, ''), 16)} "
                f"{e.row.title}  [{e.id}]"
            )
            if e.snippet:
                print(f"            {e.snippet}")
    return 0


def cmd_verify(args: argparse.Namespace, ctx: Any) -> int:
    if getattr(args, "repair_header", False):
        fixed = ctx.vault().repair_header()
        print("vault.json: " + ("; ".join(fixed) if fixed else "nothing to repair") + ".")
    report = ctx.vault().verify()
    if report.ok:
        print(f"OK: {plural(report.databases, 'database')} and {plural(report.blobs, 'document')} verified.")
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
    print(
        f"Restored to {ctx.vault_dir}: {plural(report.databases, 'database')} and "
        f"{plural(report.blobs, 'document')} verified."
    )
    return 0


def cmd_audit(args: argparse.Namespace, ctx: Any) -> int:
    vault = ctx.vault()
    if args.verify:
        reports = vault.check_audit(full=True)
        bad = [r for r in reports if r.bad is not None or r.rolled_back]
        if not bad:
            n = sum(r.count for r in reports)
            print(
                f"OK: the {plural(n, 'audit entry', 'audit entries')} you can read ({plural(len(reports), 'log')}) "
                "are intact and signed by their writers."
            )
            return 0
        for r in bad:
            if r.bad is not None:
                print(f"BROKEN: in {vault.chain_label(r.chain)}, entry {r.bad} fails its check ({r.reason}).")
            else:
                print(f"ROLLED BACK: {vault.chain_label(r.chain)} {r.rolled_back}.")
        return 1
    # names of users from household.db; only people this user may see
    users = vault.user_names()
    people = {p.id: p.name for p in vault.persons()}
    user_id = person_id = None
    if args.user:
        user_id = next((i for i, n in users.items() if n.casefold() == args.user.casefold()), None)
        if user_id is None:
            raise InvalidInput(f"No user {args.user!r}.")
    if args.person:
        person_id = vault.person(args.person).id
    rows = vault.audit_entries(
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
        if not rows:
            print("Nothing found.")
        for e in rows:
            print(
                f"{e.ts}  {fit(users.get(e.user_id or '', '?'), 12)} {e.action:16} "
                f"{fit(people.get(e.person_id or '', ''), 16)} {e.item_id or ''} "
                f"{json.dumps(e.detail) if e.detail else ''}"
            )
    return 0


__all__ = ["register", "MedRecordsError"]
