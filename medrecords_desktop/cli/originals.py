"""``medrecords save ID --out FILE``: a document's original, written out (the GUI's "Save a copy")."""

from __future__ import annotations

import argparse
import sys
from typing import Any

WARNING = (
    "The copy you save will NOT be encrypted: anyone who can open that folder can read it.\n"
    "Save it only where you mean to share it, and delete it when you are done."
)


def register(sub: Any) -> None:
    p = sub.add_parser("save", help="write a document's original file out (unencrypted)")
    p.add_argument("id", help="the document's id (from timeline, show or search)")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write it (must not exist)")
    p.add_argument("--yes", action="store_true", help="do not ask: you have read the warning")
    p.set_defaults(run=cmd_save)


def cmd_save(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.records import RecordService

    svc = RecordService(ctx.vault())
    print(WARNING, file=sys.stderr)
    if not args.yes:
        if not sys.stdin.isatty():
            print("Not saved: add --yes to save an unencrypted copy without being asked.", file=sys.stderr)
            return 1
        if input("Save the unencrypted copy? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Not saved.", file=sys.stderr)
            return 1
    n = svc.save_original(args.id, args.out)
    print(f"Saved {n:,} bytes to {args.out}")
    return 0
