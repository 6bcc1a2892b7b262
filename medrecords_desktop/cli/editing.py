"""``medrecords add KIND``, ``correct``, ``delete``, ``trash``: the user's own entries and fixes."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..services.editing import MANUAL_KINDS
from .text import fit, plural


def register(sub: Any) -> None:
    p = sub.add_parser("add", help="add an entry by hand (lab, vital, blood-pressure, medication, ...)")
    p.add_argument("kind", choices=MANUAL_KINDS)
    p.add_argument("--person", required=True)
    p.add_argument("--name", help="test, medicine, condition, allergy, vaccine... or vital (weight, pulse...)")
    p.add_argument("--date", help="YYYY-MM-DD[THH:MM]")
    p.add_argument("--value")
    p.add_argument("--unit")
    p.add_argument("--low", help="reference range low")
    p.add_argument("--high", help="reference range high")
    p.add_argument("--lab")
    p.add_argument("--systolic")
    p.add_argument("--diastolic")
    p.add_argument("--dose")
    p.add_argument("--route")
    p.add_argument("--frequency")
    p.add_argument("--stop", help="stop date")
    p.add_argument("--reason")
    p.add_argument("--otc", action="store_true", help="over the counter / supplement")
    p.add_argument("--reaction")
    p.add_argument("--severity")
    p.add_argument("--lot")
    p.add_argument("--where", help="where it was done")
    p.add_argument("--relation", help="family history: mother, father, ...")
    p.add_argument("--text", help="note text")
    p.add_argument("--note")
    p.set_defaults(run=cmd_add)

    p = sub.add_parser("correct", help="correct an item; the original is kept")
    p.add_argument("id")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", required=True)
    p.add_argument("--reason")
    p.set_defaults(run=cmd_correct)

    p = sub.add_parser("original", help="show an item's original (before corrections)")
    p.add_argument("id")
    p.set_defaults(run=cmd_original)

    p = sub.add_parser("delete", help="move an item to the Trash")
    p.add_argument("id")
    p.set_defaults(run=cmd_delete)

    p = sub.add_parser("trash", help="list the Trash, restore from it or empty it")
    p.add_argument("--restore", metavar="ID")
    p.add_argument("--empty", action="store_true")
    p.add_argument("--person")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_trash)


FIELDS = (
    "name",
    "date",
    "value",
    "unit",
    "low",
    "high",
    "lab",
    "systolic",
    "diastolic",
    "dose",
    "route",
    "frequency",
    "stop",
    "reason",
    "otc",
    "reaction",
    "severity",
    "lot",
    "where",
    "relation",
    "text",
    "note",
)


def cmd_add(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.editing import EditingService

    fields = {k: getattr(args, k) for k in FIELDS if getattr(args, k) not in (None, False)}
    new_id = EditingService(ctx.vault()).add(args.person, args.kind, fields)
    print(f"Added {args.kind} [{new_id}]")
    return 0


def cmd_correct(args: argparse.Namespace, ctx: Any) -> int:
    from ..errors import InvalidInput
    from ..services.editing import EditingService

    changes = {}
    for s in args.set:
        k, eq, v = s.partition("=")
        if not eq:
            raise InvalidInput(f"--set {s!r}: write FIELD=VALUE, e.g. --set value=5.4")
        changes[k.strip()] = v
    EditingService(ctx.vault()).correct(args.id, changes, args.reason)
    print(f"Corrected {args.id}; the original is kept (medrecords original {args.id}).")
    return 0


def cmd_original(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.editing import EditingService

    svc = EditingService(ctx.vault())
    json.dump(
        {"original": svc.original_of(args.id), "corrections": [c.to_json() for c in svc.corrections(args.id)]},
        sys.stdout,
        indent=1,
        default=str,
    )
    sys.stdout.write("\n")
    return 0


def cmd_delete(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.editing import EditingService

    EditingService(ctx.vault()).delete(args.id)
    print(f"Moved {args.id} to the Trash (medrecords trash --restore {args.id} brings it back).")
    return 0


def cmd_trash(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.editing import EditingService

    svc = EditingService(ctx.vault())
    if args.restore:
        svc.restore(args.restore)
        print(f"Restored {args.restore}.")
        return 0
    if args.empty:
        n = svc.empty_trash(args.person)
        print(
            f"Deleted {plural(n, 'item')} for good. Re-importing the files of items you deleted one by one "
            "will not bring them back."
        )
        return 0
    rows = svc.trash(args.person)
    if args.json:
        json.dump([r.to_json() for r in rows], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        what = {"import": "undone import", "move": "moved away", "person": "person"}
        for r in rows:
            count = f" ({plural(r.items, 'item')})" if r.kind in what else ""
            print(
                f"{r.deleted_at[:16].replace('T', ' ')}  {fit(r.person, 16)} "
                f"{what.get(r.kind, r.kind.replace('_', ' ')):14} {r.title}{count}  [{r.id}]"
            )
        if not rows:
            print("Nothing found: the Trash is empty.")
        else:
            print("Restore one: medrecords trash --restore ID")
    return 0
