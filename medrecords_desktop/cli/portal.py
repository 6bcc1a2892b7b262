"""``medrecords portal add/list/remove/connect/sync/checked``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    portal = sub.add_parser("portal", help="patient portals: connect once, sync from then on").add_subparsers(
        dest="portal_cmd", metavar="ACTION"
    )
    p = portal.add_parser("add", help="add a portal account")
    p.add_argument("name")
    p.add_argument("--person", required=True)
    p.add_argument("--fhir-base", help="the portal's FHIR R4 endpoint (patient access API)")
    p.add_argument("--website", help="the official sign-in page (opened from the app, never from e-mail links)")
    p.add_argument("--brand", help="Epic MyChart, Oracle Health, athenahealth, VA, ...")
    p.add_argument("--client-id", help="the app registration's client id at this portal")
    p.add_argument("--username")
    p.add_argument("--notes")
    p.add_argument(
        "--from-directory",
        metavar="ID",
        help="fill FHIR base, vendor and website from the provider directory (an id from: portal find)",
    )
    p.set_defaults(run=cmd_add)
    p = portal.add_parser("find", help="find your provider's patient portal in the directory (name, city or ZIP)")
    p.add_argument("words", nargs="+")
    p.add_argument("--limit", type=int, default=15)
    p.add_argument("--payers", action="store_true", help="health plans only (claims)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_find)
    p = portal.add_parser("directory", help="the provider directory: its size, or rebuild it from Lantern's files")
    p.add_argument(
        "--rebuild",
        metavar="FROM_DIR",
        help="a copy of Lantern's resources/prod_resources (the *_EndpointSources.json files)",
    )
    p.add_argument("--out", help="write the index here instead of the app's own copy")
    p.set_defaults(run=cmd_directory)
    p = portal.add_parser("list", help="portals with their status and last sync")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)
    p = portal.add_parser("remove", help="forget a portal (its records stay)")
    p.add_argument("name")
    p.set_defaults(run=cmd_remove)
    p = portal.add_parser("connect", help="sign in at the portal (prints the address to open)")
    p.add_argument("name")
    p.add_argument("--timeout", type=float, default=300)
    p.set_defaults(run=cmd_connect)
    p = portal.add_parser("sync", help="fetch what is new (all connected portals without NAME)")
    p.add_argument("name", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_sync)
    p = portal.add_parser("checked", help="note that you checked a portal without an API today")
    p.add_argument("name")
    p.set_defaults(run=cmd_checked)


def cmd_add(args: argparse.Namespace, ctx: Any) -> int:
    from ..errors import InvalidInput
    from ..services.portals import PortalService

    svc = PortalService(ctx.vault())
    if args.from_directory is not None:
        if args.fhir_base or args.website or args.brand:
            raise InvalidInput("--from-directory fills the FHIR base, vendor and website; give none of those.")
        entry = args.from_directory.lstrip("#")
        if not entry.isdigit():
            raise InvalidInput(f"--from-directory {args.from_directory}: give the id `medrecords portal find` shows.")
        a = svc.add_from_directory(args.name, args.person, int(entry), args.client_id, args.username, args.notes)
    else:
        a = svc.add(
            args.name, args.person, args.fhir_base, args.website, args.brand, args.client_id, args.username, args.notes
        )
    print(
        f"Added portal {a.name} for {a.person} ({a.brand or 'vendor not given'}; {a.fhir_base or a.website})."
        + (f" Next: medrecords portal connect {a.name!r}" if a.has_api else "")
    )
    warning = svc.registration_status(a.name)
    if warning:
        print(f"Note: {warning}")
    return 0


def cmd_find(args: argparse.Namespace, ctx: Any) -> int:
    import time

    from ..portals.directory import load

    directory = load()
    started = time.perf_counter()
    hits = directory.search(" ".join(args.words), limit=args.limit, kind="payer" if args.payers else None)
    took = (time.perf_counter() - started) * 1000
    if args.json:
        json.dump([h.to_json() for h in hits], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0 if hits else 1
    for h in hits:
        version = f" [{h.version}]" if h.version else ""
        print(
            f"#{h.id:<6} {h.organization}  ({h.vendor}{', ' + h.place if h.place else ''})\n"
            f"        {h.fhir_base}{version}{'  website ' + h.website if h.website else ''}"
        )
    if not hits:
        print(
            "Not listed. Enter the portal's address yourself: medrecords portal add NAME --person WHO "
            "--fhir-base URL (or --website URL for a portal without an API)."
        )
        return 1
    print(f"{len(hits)} shown ({took:.1f} ms). Add one: medrecords portal add NAME --person WHO --from-directory ID")
    return 0


def cmd_directory(args: argparse.Namespace, ctx: Any) -> int:
    from pathlib import Path

    from ..portals.directory import index_bytes, load, shipped_index_path, write_index

    if args.rebuild:
        out, counts = write_index(Path(args.rebuild), Path(args.out) if args.out else None)
        print(
            f"Wrote {out} ({counts['bytes']:,} bytes): {counts['entries']:,} organizations from "
            f"{counts['endpoints_read']:,} endpoints of {counts['vendors']} developers; "
            f"{counts['dstu2_dropped']:,} DSTU2 bases dropped for an R4 one; {counts['with_city']:,} with a city."
        )
        if not counts.get("zip_database"):
            print("Note: the zipcodes package is not installed, so no cities were added (pip install zipcodes).")
        return 0
    path = shipped_index_path()
    print(
        f"{path}: {index_bytes():,} bytes, {len(load()):,} organizations. "
        "Rebuild: medrecords portal directory --rebuild FROM_DIR"
    )
    return 0


def cmd_list(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.portals import PortalService

    rows = PortalService(ctx.vault()).accounts()
    if args.json:
        json.dump([a.to_json() for a in rows], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for a in rows:
            print(
                f"{a.name:24} {a.person or '':16} {a.status:24} last sync {a.last_sync or 'never':25} "
                f"{a.website or a.fhir_base or ''}"
            )
        if not rows:
            print("No portals yet: medrecords portal add NAME --person WHO --fhir-base URL")
    return 0


def cmd_remove(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.portals import PortalService

    PortalService(ctx.vault()).remove(args.name)
    print(f"Removed {args.name}; its sign-in was deleted, the records it brought stay.")
    return 0


def cmd_connect(args: argparse.Namespace, ctx: Any) -> int:
    from ..portals.smart import printing_opener
    from ..services.portals import PortalService

    a = PortalService(ctx.vault()).connect(args.name, printing_opener(sys.stderr), timeout=args.timeout)
    print(f"Connected {a.name} (patient {a.patient_id}). Sync with: medrecords portal sync {a.name!r}")
    return 0


def _progress(p: Any) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[K[{p.step}/{p.steps}] {p.resource_type}: {p.resources_so_far} so far")
        sys.stderr.flush()


def cmd_sync(args: argparse.Namespace, ctx: Any) -> int:
    from ..errors import MedRecordsError
    from ..services.portals import PortalService

    svc = PortalService(ctx.vault())
    names = [args.name] if args.name else [a.name for a in svc.accounts() if a.has_api and a.status != "not connected"]
    failed = 0
    results = []
    for name in names:
        try:
            out = svc.sync(name, progress=_progress)
        except MedRecordsError as exc:
            failed += 1
            print(f"{name}: {exc}", file=sys.stderr)
            continue
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        results.append(out)
        added = ", ".join(f"{n} {k}" for k, n in sorted(out.added.items())) or "nothing new"
        print(
            f"{name}: {added}; {out.updated} updated; {out.fetched} fetched in {out.pages} pages ({out.seconds:.1f} s)"
        )
        if out.resumed:
            print("    continued where the last sync stopped")
        for n in out.notes:
            print(f"    note: {n}")
        for e in out.errors:
            print(f"    problem: {e}")
    if args.json:
        json.dump(
            [
                {
                    "account": o.account,
                    "status": o.status,
                    "added": dict(o.added),
                    "updated": o.updated,
                    "fetched": o.fetched,
                }
                for o in results
            ],
            sys.stdout,
            indent=1,
        )
        sys.stdout.write("\n")
    return 1 if failed else 0


def cmd_checked(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.portals import PortalService

    PortalService(ctx.vault()).mark_checked(args.name)
    print("Noted.")
    return 0
