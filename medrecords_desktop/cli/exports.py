"""``medrecords export packet|bundle|labs``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import MedRecordsError
from .text import plural


def register(sub: Any) -> None:
    exp = sub.add_parser("export", help="share records: appointment packet, FHIR archive, labs CSV").add_subparsers(
        dest="export_cmd", metavar="WHAT"
    )
    p = exp.add_parser("packet", help="one AES-256 encrypted PDF to bring to an appointment")
    p.add_argument("--person", required=True)
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--encounter", action="append", default=[], help="include this visit (repeatable)")
    p.add_argument(
        "--include",
        action="append",
        default=[],
        help="kinds to include (repeatable): medication, allergy, condition, immunization, "
        "observation, encounter, procedure, document; default all",
    )
    p.add_argument("--for", dest="prepared_for", default="", help="who it is for, e.g. 'Dr. Kim, cardiology'")
    p.add_argument("--out", required=True, help="the PDF to write")
    p.add_argument(
        "--lang",
        default="en",
        choices=("en", "es"),
        help="the language the packet is printed in: en (English, default) or es (Spanish)",
    )
    p.add_argument("--password-file", help="the packet password; without it a passphrase is generated and shown once")
    p.set_defaults(run=cmd_packet)

    p = exp.add_parser("bundle", help="everything for one person as FHIR + originals in an encrypted 7z")
    p.add_argument("--person", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--password-file")
    p.set_defaults(run=cmd_bundle)

    p = exp.add_parser("labs", help="lab results as CSV for a spreadsheet (not encrypted)")
    p.add_argument("--person", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_labs)


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    if args.password_file:
        try:
            return Path(args.password_file).read_text("utf-8").strip(), False
        except OSError as e:
            raise MedRecordsError(f"Cannot read {args.password_file}: {e.strerror}.") from None
    from ..exporters.passphrase import generate_passphrase

    return generate_passphrase(6), True


def cmd_packet(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.exporting import ExportService, PacketChoice

    password, generated = _password(args)
    choice = PacketChoice(
        person=args.person,
        date_from=args.date_from,
        date_to=args.date_to,
        encounters=args.encounter,
        include=args.include,
        prepared_for=args.prepared_for,
        lang=args.lang,
    )
    res = ExportService(ctx.vault()).packet(choice, args.out, password)
    included = sum(1 for d in res.documents if d.included)
    print(f"Wrote {res.path} ({plural(res.page_count, 'page')}, {plural(included, 'document')} attached, AES-256).")
    for d in res.documents:
        if not d.included:
            print(f"    not included: {d.title} ({d.note})")
    if generated:
        print(f"Password (shown once; tell it to the recipient separately): {password}", file=sys.stderr)
    return 0


def cmd_bundle(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.exporting import ExportService

    password, generated = _password(args)
    n = ExportService(ctx.vault()).bundle_archive(args.person, args.out, password)
    print(
        f"Wrote {args.out}: {plural(n, 'record')} as FHIR plus the original documents, AES-256 7z with hidden "
        "file names."
    )
    if generated:
        print(f"Password (shown once): {password}", file=sys.stderr)
    return 0


def cmd_labs(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.exporting import ExportService

    n = ExportService(ctx.vault()).labs_csv(args.person, args.out)
    print(f"Wrote {n} lab results to {args.out}. This file is NOT encrypted.")
    return 0
