"""``medrecords immunizations``: which doses count and what is due, per person (CDC CDSi)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

LABEL = {
    "overdue": "OVERDUE",
    "due": "due now",
    "due-soon": "due soon",
    "upcoming": "later",
    "complete": "complete",
    "immune": "immune",
    "aged-out": "aged out",
    "contraindicated": "not now",
}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "immunizations", help="immunization forecast per person (CDC CDSi): which doses count, what is due and when"
    )
    p.add_argument("--person", help="one person (name or id); default: everyone you may see")
    p.add_argument("--as-of", help="judge as of this date (YYYY-MM-DD; default today)")
    p.add_argument("--doses", action="store_true", help="also list every dose with its evaluation")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--load-data",
        metavar="DIR",
        help="install a newer CDC CDSi supporting-data release (the folder of XML files) and exit",
    )
    p.set_defaults(run=cmd_immunizations)


def _print_person(v: Any, show_doses: bool) -> None:
    p = v.person
    print(f"{p.name} (born {p.birth_date or 'unknown'})")
    if v.missing_birth_date:
        print("  No birth date in the record: add one to see what is due.")
        return
    for g in v.groups:
        label = LABEL.get(g.state, g.state)
        valid = sum(1 for d in g.doses if d["status"] == "Valid")
        if g.state == "contraindicated":
            print(f"  {label:9} {g.group:15} contraindicated by the record: {g.note}")
        elif g.state in ("complete", "immune", "aged-out"):
            print(f"  {label:9} {g.group:15} {valid} valid dose{'s' if valid != 1 else ''}")
        else:
            give = f"; give {', '.join(g.vaccines[:3])}" if g.vaccines else ""
            print(
                f"  {label:9} {g.group:15} dose {valid + 1}: earliest {g.earliest}, recommended "
                f"{g.recommended}, past due {g.past_due or '-'}{give}"
            )
        if show_doses:
            for d in g.doses:
                why = f" ({d['reason']})" if d["reason"] else ""
                print(f"              {d['date']}  {d['vaccine'][:40]:40} CVX {d['cvx']:>3}  {d['status']}{why}")
    for name in v.unrecognised:
        print(f"  not recognised as a vaccine CDSi knows (not counted): {name}")
    for u in v.unconfirmed:
        print(
            f"  only a typed-in or scanned form records {u['vaccine']} on {u['date']}: "
            "no record from the clinic or a portal (ask them for it)"
        )
    if v.observations:
        print(f"  conditions taken into account: {', '.join(v.observations)}")


def cmd_immunizations(args: argparse.Namespace, ctx: Any) -> int:
    from pathlib import Path

    from ..immunization.data import install, user_data_file

    if args.load_data:
        sup = install(Path(args.load_data))
        print(
            f"Installed CDC CDSi supporting data {sup.version} ({len(sup.antigens)} antigens) "
            f"at {user_data_file()}; it is used when newer than the copy shipped with the app."
        )
        return 0
    from ..services.immunizations import ImmunizationService, parse_as_of

    svc = ImmunizationService(ctx.vault())
    as_of = parse_as_of(args.as_of)
    views = [svc.for_person(args.person, as_of)] if args.person else svc.family(as_of)
    if args.json:
        json.dump([v.to_json() for v in views], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    if views:
        print(views[0].notice + f" As of {views[0].as_of.isoformat()}.")
    for v in views:
        print()
        _print_person(v, args.doses)
    return 0
