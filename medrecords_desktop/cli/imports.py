"""``medrecords import``: files and folders, with a progress line and a per-file report."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..importers.base import PatientInfo
from ..model.records import Person
from .text import plural

if TYPE_CHECKING:
    from ..services.importing import ImportProgress


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import files or folders (FHIR, C-CDA, XDM zip, PDF, images, CSV)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--person", help="put everything into this person's records")
    p.add_argument(
        "--create-persons", action="store_true", help="add a new person when a file's patient matches nobody"
    )
    p.add_argument("--title", help="title for a PDF, image or text document")
    p.add_argument("--date", help="date for a PDF, image or text document (YYYY-MM-DD)")
    p.add_argument("--kind", help="document type (e.g. 'lab report', 'discharge summary')")
    p.add_argument("--encounter", help="link documents to this encounter id")
    p.add_argument("--password-file", help="password of an encrypted appointment packet")
    p.add_argument("--no-ocr", action="store_true", help="do not recognise the text of scans and photos")
    p.add_argument(
        "--force",
        action="store_true",
        help="import even when the file names another patient than --person, or is a damaged image",
    )
    p.add_argument("--json", action="store_true", help="print a machine-readable report")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser(
        "imports",
        help="import history; 'imports undo ID' takes an import back whole, "
        "'imports move ID --to PERSON' gives it to another person",
    )
    p.add_argument("--person")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_history)
    acts = p.add_subparsers(dest="imports_cmd", metavar="ACTION")
    u = acts.add_parser("undo", help="take an import back whole (to the Trash: medrecords trash --restore)")
    u.add_argument("id", help="the import's id, as medrecords imports shows it (p1a2b3c4d5.i3)")
    u.set_defaults(run=cmd_undo)
    m = acts.add_parser("move", help="move an import's records to another person (duplicates there are folded)")
    m.add_argument("id")
    m.add_argument("--to", required=True, metavar="PERSON")
    m.set_defaults(run=cmd_move_import)

    p = sub.add_parser("move", help="move items (and what hangs on a visit) to another person")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--to", required=True, metavar="PERSON")
    p.set_defaults(run=cmd_move_items)


def _progress(p: ImportProgress) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[KImporting {p.fraction():4.0%} {p.label()[:90]}")
        if not p.file:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _ask(patient: PatientInfo, candidates: list[Person], file: str) -> str | None:
    """Whose record? Everyone, the likeliest first with the reason; a number, a name, n, or empty to skip."""
    from ..services.importing import SkipFile, rank_candidates

    if not sys.stdin.isatty():
        return None
    label = patient.name or " ".join(x for x in (patient.given, patient.family) if x) or "unnamed patient"
    print(
        f"\n{file}: whose record is this? The file says {label}, born {patient.birth_date or 'unknown'}.",
        file=sys.stderr,
    )
    ranked = rank_candidates(patient, candidates)
    for n, (p, _score, why) in enumerate(ranked, 1):
        print(f"  {n}. {p.name} ({p.birth_date or 'no date of birth'}): {why}", file=sys.stderr)
    print("  n. a new person with the file's name", file=sys.stderr)
    for _ in range(3):
        try:
            answer = input("Choice (a number or a name; n for new; empty to skip this file): ").strip()
        except EOFError:
            print(file=sys.stderr)
            raise SkipFile(
                f"skipped: end of input at the question for {label}; nothing of it was imported "
                "(import it again and choose, or pass --person NAME)"
            ) from None
        if not answer:
            return None
        if answer.lower() == "n":
            return "create"
        if answer.isdigit() and 1 <= int(answer) <= len(ranked):
            return ranked[int(answer) - 1][0].id
        key = " ".join(answer.casefold().split())
        hits = [p for p, _, _ in ranked if p.name.casefold() == key] or [
            p for p, _, _ in ranked if any(w.startswith(key) for w in [p.name.casefold(), *p.name.casefold().split()])
        ]
        if len(hits) == 1:
            return hits[0].id
        print(
            f"  {answer!r} "
            + (f"could be {', '.join(p.name for p in hits)}" if hits else "is none of these")
            + f"; give a number from 1 to {len(ranked)} or more of the name.",
            file=sys.stderr,
        )
    return None


def cmd_import(args: argparse.Namespace, ctx: Any) -> int:
    from pathlib import Path

    from ..services.importing import ImportOptions, ImportService

    password = Path(args.password_file).read_text("utf-8").strip() if args.password_file else None
    opts = ImportOptions(
        person=args.person,
        create_persons=args.create_persons,
        title=args.title,
        date=args.date,
        kind=args.kind,
        encounter=args.encounter,
        password=password,
        ocr=not args.no_ocr,
        force=args.force,
    )
    svc = ImportService(ctx.vault())
    chooser = None if (args.json or not sys.stdin.isatty()) else _ask
    report = svc.import_paths(args.paths, opts, choose_person=chooser, progress=_progress)
    if args.json:
        json.dump(report.to_json(), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for f in report.files:
            added = ", ".join(plural(n, k) for k, n in sorted(f.added.items())) or "nothing new"
            if f.status == "ok":
                extra = f"; {plural(f.duplicates, 'duplicate')} skipped" if f.duplicates else ""
                extra += f"; {f.kept} kept, not shown" if f.kept else ""
                extra += f"; {f.skipped_deleted} you had deleted" if f.skipped_deleted else ""
                print(f"{f.file}: {added}{extra}")
                if f.patients_found or f.people:
                    found = "; ".join(f.patients_found) or "no patient named in the file"
                    print(f"    patient in the file: {found}; imported into: {', '.join(f.people) or 'nobody'}")
                if f.linked_same_day:
                    print(f"    {f.linked_same_day} linked to the visit of the same day")
                for w in f.warnings[:20]:
                    print(f"    note: {w}")
                if len(f.warnings) > 20:
                    print(f"    ... and {len(f.warnings) - 20} more notes")
            else:
                why = f.error or (
                    "stopped before its end; nothing of it was imported"
                    if f.status == "cancelled"
                    else "no reason given"
                )
                print(f"{f.file}: {f.status.upper()}: {why}", file=sys.stderr)
        total = ", ".join(plural(n, k) for k, n in sorted(report.added.items())) or "nothing new"
        done = sum(1 for f in report.files if f.status == "ok")
        others = Counter(f.status for f in report.files if f.status != "ok")
        extra = "".join(f", {n} {st}" for st, n in sorted(others.items()))
        print(
            f"Imported {done} of {plural(len(report.files), 'file')}{extra}: {total}; "
            f"{plural(report.duplicates, 'duplicate')} skipped."
        )
    return 1 if report.failed else 0


def cmd_history(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.importing import ImportService
    from .text import fit

    rows = ImportService(ctx.vault()).history(args.person)
    if args.json:
        json.dump([r.to_json() for r in rows], sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif not rows:
        print("Nothing found: nothing imported yet.")
    else:
        status = {"ok": "imported", "running": "interrupted"}
        for r in rows:
            added = _added(r.counts)
            print(
                f"{r.public_id:16} {r.started[:16].replace('T', ' ')}  {fit(r.person, 16)} "
                f"{status.get(r.status, r.status):11} {added:>10}  {r.source_name}"
            )
        print("Undo one: medrecords imports undo ID; give it to another person: medrecords imports move ID --to NAME")
    return 0


def _added(counts: str | None) -> str:
    from .text import plural

    try:
        d = json.loads(counts or "{}")
    except ValueError:
        return ""
    return plural(sum(v for k, v in d.items() if isinstance(v, int) and k != "kept_not_shown"), "item")


def cmd_undo(args: argparse.Namespace, ctx: Any) -> int:
    import time

    from ..services.people import PeopleService

    t = time.perf_counter()
    unit = PeopleService(ctx.vault()).undo_import(args.id)
    print(
        f"Took back import {args.id} in {time.perf_counter() - t:.1f} s. "
        f"It is in the Trash: medrecords trash --restore {unit} brings it back."
    )
    return 0


def cmd_move_import(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.people import PeopleService

    vault = ctx.vault()
    dest = vault.person(args.to)
    res = PeopleService(vault).move_import(args.id, dest.id)
    print(f"Moved import {args.id} to {dest.name}: {res.summary()}. Undo: medrecords trash --restore {res.unit_id}")
    return 0


def cmd_move_items(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.people import PeopleService

    vault = ctx.vault()
    dest = vault.person(args.to)
    res = PeopleService(vault).move_items(args.ids, dest.id)
    print(f"Moved to {dest.name}: {res.summary()}. Undo: medrecords trash --restore {res.unit_id}")
    return 0
