"""The ``medrecords`` command line: one face over the services (the GUI is the other).

Each module listed in COMMAND_MODULES adds its sub-commands through ``register(subparsers)``; a
command is a function ``run(args, ctx) -> int``.  Errors people can act on print one line on stderr
and exit non-zero; anything else is reported as a bug without a traceback (tracebacks can carry
health data in local variables' reprs).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import MedRecordsError
from ..fsutil import default_vault_dir  # lives in the core: the GUI and `make run` use it too

COMMAND_MODULES = (
    "core",
    "imports",
    "access",
    "exports",
    "editing",
    "missing",
    "portal",
    "paper",
    "selfcheck",
    "immunizations",
    "originals",
    "sync",
)

EXIT_USER_ERROR = 2
EXIT_BUG = 70


class Context:
    """What a command needs: the vault path, passphrase sources, and an opened vault on demand."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.vault_dir = Path(args.vault) if args.vault else default_vault_dir()
        self._vault: Any = None

    def passphrase(
        self,
        prompt: str = "Vault passphrase: ",
        env: str = "MEDRECORDS_PASSPHRASE",
        file_arg: str = "passphrase_file",
        confirm: bool = False,
    ) -> str:
        value = os.environ.get(env)
        if value:
            return value
        path = getattr(self.args, file_arg, None)
        if path:
            try:
                return Path(path).read_text("utf-8").rstrip("\r\n")
            except OSError as e:
                raise MedRecordsError(f"Cannot read the passphrase file {path}: {e.strerror}.") from None
        if not sys.stdin.isatty():
            raise MedRecordsError(
                f"No passphrase: set {env}, pass --{file_arg.replace('_', '-')} FILE, or run in a terminal to be asked."
            )
        import getpass

        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again, to confirm: ") != first:
            raise MedRecordsError("The two passphrases differ.")
        return first

    def vault(self) -> Any:
        if self._vault is None:
            from ..vault.vault import Vault

            self._vault = Vault.open(self.vault_dir, self.passphrase())
            for w in self._vault.warnings:  # tampering, rollback, an unverified roster: every unlock
                print(f"medrecords: warning: {w}", file=sys.stderr)
        return self._vault

    def close(self) -> None:
        if self._vault is not None:
            self._vault.close()
            self._vault = None


class OneLineParser(argparse.ArgumentParser):
    """Argument errors as one line (what was wrong and where to look), not a usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        sys.exit(EXIT_USER_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="medrecords", description="MedRecords Desktop: your family's health records, encrypted, offline."
    )
    parser.add_argument("--version", action="version", version=f"medrecords {__version__}")
    parser.add_argument(
        "--vault", metavar="DIR", help="vault folder (default: $MEDRECORDS_VAULT or the platform's user data folder)"
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the passphrase from FILE (else $MEDRECORDS_PASSPHRASE, else a prompt)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        if args.command is None:
            from .gui_launch import launch_gui

            return launch_gui(args)
        parser.print_help()
        return EXIT_USER_ERROR
    ctx = Context(args)
    run: Callable[[argparse.Namespace, Context], int] = args.run
    try:
        return run(args, ctx)
    except MedRecordsError as e:
        print(f"medrecords: error: {e}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("medrecords: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: say so, without a traceback that could carry health data
        print(
            f"medrecords: internal error ({type(e).__name__}); this is a bug. Run with MEDRECORDS_DEBUG=1 for details.",
            file=sys.stderr,
        )
        if os.environ.get("MEDRECORDS_DEBUG"):
            raise
        return EXIT_BUG
    finally:
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
