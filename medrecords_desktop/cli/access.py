"""Users and grants: ``user add/list/remove``, ``grant``, ``revoke``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    user = sub.add_parser("user", help="vault users (the owner and proxies)").add_subparsers(
        dest="user_cmd", metavar="ACTION"
    )
    p = user.add_parser("add", help="add a proxy user (asks for their passphrase)")
    p.add_argument("name")
    p.add_argument("--new-passphrase-file", metavar="FILE")
    p.set_defaults(run=cmd_user_add)
    p = user.add_parser("list", help="users and what they may see")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_user_list)
    p = user.add_parser("remove", help="remove a proxy (their people's keys and the household key are rotated)")
    p.add_argument("name")
    p.set_defaults(run=cmd_user_remove)

    p = sub.add_parser("grant", help="let a user see (--view) or manage (--manage) a person's records")
    p.add_argument("user")
    p.add_argument("person")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--view", dest="scope", action="store_const", const="view")
    g.add_argument("--manage", dest="scope", action="store_const", const="manage")
    p.set_defaults(run=cmd_grant)

    p = sub.add_parser("revoke", help="take a user's access to a person away (rotates that person's key)")
    p.add_argument("user")
    p.add_argument("person")
    p.set_defaults(run=cmd_revoke)


def cmd_user_add(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.access import add_user

    vault = ctx.vault()
    pw = ctx.passphrase(
        f"Passphrase for {args.name}: ", env="MEDRECORDS_NEW_PASSPHRASE", file_arg="new_passphrase_file", confirm=True
    )
    code = add_user(vault, args.name, pw)
    print(f"Added {args.name}. They see nobody until you grant access (medrecords grant {args.name} PERSON --view).")
    print(f"Their recovery code (give it to them; shown once): {code}")
    return 0


def cmd_user_list(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.access import list_users

    users = list_users(ctx.vault())
    if args.json:
        json.dump([u.__dict__ for u in users], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for u in users:
            grants = ", ".join(f"{p} ({s})" for p, s in u.grants.items()) or "nobody yet"
            if u.role == "owner":  # the owner holds every key, whatever the signed-in user can see
                grants = "everyone (owns the vault)"
            print(f"{u.name:20} {u.role:6} {grants}")
    return 0


def _progress(done: int, total: int, what: str) -> None:
    if sys.stderr.isatty() and total:
        sys.stderr.write(f"\r\x1b[KRotating the key: {what} {done}/{total}")
        if done == total:
            sys.stderr.write("\n")


def cmd_user_remove(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.access import remove_user

    remove_user(ctx.vault(), args.name, _progress)
    print(f"Removed {args.name}; the keys of the people they could see were replaced.")
    return 0


def cmd_grant(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.access import grant

    grant(ctx.vault(), args.user, args.person, args.scope)
    print(f"{args.user} may now {'see' if args.scope == 'view' else 'see and manage'} {args.person}'s records.")
    return 0


def cmd_revoke(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.access import revoke

    revoke(ctx.vault(), args.user, args.person, _progress)
    print(f"{args.user} can no longer open {args.person}'s records; that person's key was replaced.")
    return 0
