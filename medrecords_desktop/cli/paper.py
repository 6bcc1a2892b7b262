"""Paper records on the command line: lab results read from a scanned or text lab report, and photos
of several pages imported as one document.

``results-from`` only shows what was read (nothing is saved); ``confirm-results`` saves the rows a
person checked (a JSON file in the shape ``results-from --json`` prints, edited as needed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from .text import plural


def register(sub: Any) -> None:
    p = sub.add_parser("results-from", help="lab results read from a lab report document (not saved)")
    p.add_argument("id", metavar="ID", help="the document's item id")
    p.add_argument("--json", action="store_true", help="rows as JSON (the input of confirm-results)")
    p.set_defaults(run=cmd_results_from)

    p = sub.add_parser("confirm-results", help="save checked lab results read from a document")
    p.add_argument("id", metavar="ID", help="the document's item id")
    p.add_argument(
        "--rows",
        required=True,
        metavar="FILE.json",
        help="rows to save, as printed by 'results-from ID --json' (edit or delete rows first)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_confirm)

    p = sub.add_parser("import-pages", help="import photos of several pages as one document (a PDF)")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="the pages, in order")
    p.add_argument("--person", required=True, help="whose record it is")
    p.add_argument("--title", required=True, help="the document's title")
    p.add_argument("--date", help="the document's date (YYYY-MM-DD)")
    p.add_argument("--kind", help="document type (e.g. 'lab report')")
    p.add_argument("--encounter", help="link the document to this encounter id")
    p.set_defaults(run=cmd_import_pages)


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def cmd_results_from(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.labreport import results_from_document

    rows = results_from_document(ctx.vault(), args.id)
    if args.json:
        json.dump([r.to_json() for r in rows], sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("No lab results found in this document.")
        return 0
    print(f"{'TEST':32} {'LOINC':9} {'VALUE':>9} {'UNIT':14} {'RANGE':13} {'FLAG':4} {'DATE':16} CONF")
    for r in rows:
        value = r.value_text if r.value_text else _fmt(r.value)
        rng = f"{_fmt(r.low)}-{_fmt(r.high)}" if r.low is not None or r.high is not None else ""
        print(
            f"{r.name[:32]:32} {r.loinc or '':9} {value:>9} {r.unit or '':14} {rng:13} {r.flag or '':4} "
            f"{r.date or '':16} {r.confidence:.2f}"
        )
    print(
        f"{plural(len(rows), 'result')} proposed; nothing saved. Save checked rows with: "
        f"medrecords results-from {args.id} --json > rows.json; medrecords confirm-results {args.id} "
        "--rows rows.json"
    )
    return 0


def cmd_confirm(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.labreport import ProposedRow, confirm_results

    try:
        data = json.loads(Path(args.rows).read_text("utf-8"))
    except OSError as e:
        raise InvalidInput(f"Cannot read {args.rows}: {e.strerror}.") from None
    except json.JSONDecodeError as e:
        raise InvalidInput(f"{args.rows} at line {e.lineno}: not JSON ({e.msg}).") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise InvalidInput(f"{args.rows}: expected a JSON list of rows (objects).")
    rows = []
    for n, d in enumerate(data, 1):
        try:
            rows.append(ProposedRow.from_json(d))
        except TypeError as e:
            raise InvalidInput(f"{args.rows} row {n}: {e}.") from None
    vault = ctx.vault()
    ids = confirm_results(vault, args.id, rows, vault.user.name or None)
    if args.json:
        json.dump({"saved": ids}, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(f"Saved {len(ids)} lab results from {args.id}: {' '.join(ids)}")
    return 0


def cmd_import_pages(args: argparse.Namespace, ctx: Any) -> int:
    from ..importers.scan import combine_pages
    from ..services.importing import ImportOptions, ImportService

    pages = []
    for name in args.images:
        try:
            pages.append(Path(name).read_bytes())
        except OSError as e:
            raise InvalidInput(f"Cannot read {name}: {e.strerror}.") from None
    pdf = combine_pages(pages, args.title)
    opts = ImportOptions(person=args.person, title=args.title, date=args.date, kind=args.kind, encounter=args.encounter)
    outcome = ImportService(ctx.vault()).import_bytes(pdf, f"{args.title}.pdf", opts)
    added = ", ".join(f"{n} {k}" for k, n in sorted(outcome.added.items())) or "nothing new"
    print(f"{len(pages)} pages imported as one document: {added}")
    for w in outcome.warnings:
        print(f"    note: {w}")
    return 0
