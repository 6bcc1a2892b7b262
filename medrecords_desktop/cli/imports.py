"""``medrecords import``: files and folders, with a progress line and a per-file report."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ..importers.base import PatientInfo
from ..model.records import Person

if TYPE_CHECKING:
    from ..services.importing import ImportProgress


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import files or folders (FHIR, C-CDA, XDM zip, PDF, images, CSV)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--person", help="put everything into this person's records")
    p.add_argument("--create-persons", action="store_true",
                   help="add a new person when a file's patient matches nobody")
    p.add_argument("--title", help="title for a PDF, image or text document")
    p.add_argument("--date", help="date for a PDF, image or text document (YYYY-MM-DD)")
    p.add_argument("--kind", help="document type (e.g. 'lab report', 'discharge summary')")
    p.add_argument("--encounter", help="link documents to this encounter id")
    p.add_argument("--password-file", help="password of an encrypted appointment packet")
    p.add_argument("--no-ocr", action="store_true", help="do not recognise the text of scans and photos")
    p.add_argument("--force", action="store_true",
                   help="import even when the file names another patient than --person, or is a damaged image")
    p.add_argument("--json", action="store_true", help="print a machine-readable report")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("imports", help="import history")
    p.add_argument("--person")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_history)


def _progress(p: ImportProgress) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[KImporting {p.fraction():4.0%} {p.label()[:90]}")
        if not p.file:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _ask(patient: PatientInfo, candidates: list[Person], file: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    label = patient.name or " ".join(x for x in (patient.given, patient.family) if x) or "unnamed patient"
    print(f"\n{file}: whose record is this? The file says {label}, born {patient.birth_date or 'unknown'}.",
          file=sys.stderr)
    for n, p in enumerate(candidates, 1):
        print(f"  {n}. {p.name} ({p.birth_date or 'no date of birth'})", file=sys.stderr)
    print("  n. a new person with the file's name", file=sys.stderr)
    answer = input("Choice (empty to skip this file): ").strip().lower()
    if answer == "n":
        return "create"
    if answer.isdigit() and 1 <= int(answer) <= len(candidates):
        return candidates[int(answer) - 1].id
    return None


def cmd_import(args: argparse.Namespace, ctx: Any) -> int:
    from pathlib import Path

    from ..services.importing import ImportOptions, ImportService

    password = Path(args.password_file).read_text("utf-8").strip() if args.password_file else None
    opts = ImportOptions(person=args.person, create_persons=args.create_persons, title=args.title,
                         date=args.date, kind=args.kind, encounter=args.encounter, password=password,
                         ocr=not args.no_ocr, force=args.force)
    svc = ImportService(ctx.vault())
    chooser = None if (args.json or not sys.stdin.isatty()) else _ask
    report = svc.import_paths(args.paths, opts, choose_person=chooser, progress=_progress)
    if args.json:
        json.dump(report.to_json(), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for f in report.files:
            added = ", ".join(f"{n} {k}" for k, n in sorted(f.added.items())) or "nothing new"
            if f.status == "ok":
                extra = f"; {f.duplicates} duplicates skipped" if f.duplicates else ""
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
                print(f"{f.file}: {f.status.upper()}: {f.error or ''}", file=sys.stderr)
        total = ", ".join(f"{n} {k}" for k, n in sorted(report.added.items())) or "nothing new"
        print(f"Imported {len(report.files) - len(report.failed)} of {len(report.files)} files: {total}; "
              f"{report.duplicates} duplicates skipped.")
    return 1 if report.failed else 0


def cmd_history(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.importing import ImportService

    rows = ImportService(ctx.vault()).history(args.person)
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for r in rows:
            print(f"{r['started']}  {r['person']:14.14} {r['source_kind']:7} {r['format'] or '':12} "
                  f"{r['status']:10} {r['source_name']}")
    return 0
