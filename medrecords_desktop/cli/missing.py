"""``medrecords missing``: overdue records per visit; marks and records requests."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("missing", help="records each visit should have produced that have not arrived")
    p.add_argument("--person")
    p.add_argument("--today", type=date.fromisoformat, help="judge as of this date (YYYY-MM-DD)")
    p.add_argument("--all", action="store_true", help="also list what arrived or was marked")
    p.add_argument("--rules", help="a rules file instead of the built-in one")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_missing)

    p = sub.add_parser("missing-mark", help="mark an expected record as received on paper or not needed")
    p.add_argument("encounter")
    p.add_argument("rule")
    p.add_argument("status", choices=("received-on-paper", "not-needed", "clear"))
    p.add_argument("--note")
    p.set_defaults(run=cmd_mark)

    p = sub.add_parser("records-request", help="start a records request for a missing record")
    p.add_argument("encounter")
    p.add_argument("rule")
    p.add_argument("--letter", help="write the prefilled request letter (PDF, not encrypted) here")
    p.set_defaults(run=cmd_request)

    p = sub.add_parser("requests", help="the records-request tracker")
    p.add_argument("--set-status", nargs=2, metavar=("ID", "STATUS"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_requests)


def cmd_missing(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.missing import MissingService

    svc = MissingService(ctx.vault(), args.rules)
    rows = svc.expectations(args.person, args.today, include_met=args.all)
    if args.json:
        json.dump([e.to_json() for e in rows], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    if not rows:
        if args.all:
            print("Nothing to show.")
        else:
            print(f"Nothing is missing in the last {svc.lookback_days()} days (older visits are not chased).")
    for e in rows:
        state = f"OVERDUE {e.days_overdue} d" if e.status == "overdue" else e.status
        print(
            f"{e.encounter_date}  {e.person[:14]:14} {e.label[:32]:32} {state:16} due {e.due}  "
            f"{(e.provider or '')[:28]}  [{e.encounter_id} {e.rule_id}]"
        )
        for s in e.next_steps:
            print(f"            next: {s}")
    return 0


def cmd_mark(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.missing import MissingService

    svc = MissingService(ctx.vault())
    if args.status == "clear":
        svc.unmark(args.encounter, args.rule)
    else:
        svc.mark(args.encounter, args.rule, args.status, args.note)
    print("Marked.")
    return 0


def cmd_request(args: argparse.Namespace, ctx: Any) -> int:
    from pathlib import Path

    from ..errors import NotFound
    from ..services.missing import MissingService

    svc = MissingService(ctx.vault())
    exp = next(
        (e for e in svc.expectations(include_met=True) if e.encounter_id == args.encounter and e.rule_id == args.rule),
        None,
    )
    if exp is None:
        raise NotFound(f"No expected record {args.rule} for visit {args.encounter}.")
    rid = svc.request_records(exp, Path(args.letter) if args.letter else None)
    print(f"Request {rid} started for {exp.label} ({exp.provider or 'provider'}).")
    if args.letter:
        print(f"Letter written to {args.letter} (NOT encrypted: it names the patient; delete it once sent).")
    return 0


def cmd_requests(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.missing import MissingService

    svc = MissingService(ctx.vault())
    if args.set_status:
        svc.update_request(int(args.set_status[0]), args.set_status[1])
    rows = svc.requests()
    if args.json:
        json.dump([r.to_json() for r in rows], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for r in rows:
            print(f"#{r.id:<4} {r.asked_on}  {r.person[:14]:14} {r.status:10} due {r.due_on}  {r.provider}: {r.what}")
    return 0
