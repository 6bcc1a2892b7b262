"""``medrecords portal add/list/remove/connect/sync/checked``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    portal = sub.add_parser("portal", help="patient portals: connect once, sync from then on").add_subparsers(
        dest="portal_cmd", metavar="ACTION")
    p = portal.add_parser("add", help="add a portal account")
    p.add_argument("name")
    p.add_argument("--person", required=True)
    p.add_argument("--fhir-base", help="the portal's FHIR R4 endpoint (patient access API)")
    p.add_argument("--website", help="the official sign-in page (opened from the app, never from e-mail links)")
    p.add_argument("--brand", help="Epic MyChart, Oracle Health, athenahealth, VA, ...")
    p.add_argument("--client-id", help="the app registration's client id at this portal")
    p.add_argument("--username")
    p.add_argument("--notes")
    p.set_defaults(run=cmd_add)
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
    from ..services.portals import PortalService

    a = PortalService(ctx.vault()).add(args.name, args.person, args.fhir_base, args.website, args.brand,
                                       args.client_id, args.username, args.notes)
    print(f"Added portal {a.name} for {a.person}." + (f" Next: medrecords portal connect {a.name!r}"
                                                         if a.has_api else ""))
    return 0


def cmd_list(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.portals import PortalService

    rows = PortalService(ctx.vault()).accounts()
    if args.json:
        json.dump([a.to_json() for a in rows], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for a in rows:
            print(f"{a.name:24} {a.person or '':16} {a.status:24} last sync {a.last_sync or 'never':25} "
                  f"{a.website or a.fhir_base or ''}")
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
        except MedRecordsError as e:
            failed += 1
            print(f"{name}: {e}", file=sys.stderr)
            continue
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        results.append(out)
        added = ", ".join(f"{n} {k}" for k, n in sorted(out.added.items())) or "nothing new"
        print(f"{name}: {added}; {out.updated} updated; {out.fetched} fetched in {out.pages} pages "
              f"({out.seconds:.1f} s)")
        for e in out.errors:
            print(f"    problem: {e}")
    if args.json:
        json.dump([{"account": o.account, "status": o.status, "added": dict(o.added), "updated": o.updated,
                    "fetched": o.fetched} for o in results], sys.stdout, indent=1)
        sys.stdout.write("\n")
    return 1 if failed else 0


def cmd_checked(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.portals import PortalService

    PortalService(ctx.vault()).mark_checked(args.name)
    print("Noted.")
    return 0
