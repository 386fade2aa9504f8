"""``staff`` command: manage console accounts (``python -m bot staff add|list|remove|password``).

The password comes from a prompt (asked twice), or from the first line of stdin with
``--password-stdin`` (for scripts). It is never an argument, so it stays out of shell history.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from channels.staff_accounts import MIN_PASSWORD, AccountError, AccountStore


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Wachtwoord (minstens {MIN_PASSWORD} tekens): ")
    if getpass.getpass("Nog een keer: ") != first:
        raise AccountError("de wachtwoorden zijn niet gelijk")
    return first


def cmd_add(args: argparse.Namespace) -> int:
    AccountStore().add(args.naam, _password(args))
    print(f"Account '{args.naam.strip().lower()}' gemaakt.")
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    AccountStore().set_password(args.naam, _password(args))
    print(f"Wachtwoord van '{args.naam}' gewijzigd; open sessies zijn beëindigd.")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    AccountStore().remove(args.naam)
    print(f"Account '{args.naam}' verwijderd.")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    AccountStore().unlock(args.naam)
    print(f"Account '{args.naam}' is weer vrijgegeven.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = AccountStore().list()
    if not rows:
        print("Nog geen accounts. Maak er een: python -m bot staff add <naam>")
    for r in rows:
        last = r["laatst_ingelogd"].strftime("%Y-%m-%d %H:%M") if r["laatst_ingelogd"] else "nooit"
        locked = (
            f", geblokkeerd tot {r['geblokkeerd_tot']:%H:%M} UTC" if r["geblokkeerd_tot"] else ""
        )
        print(f"{r['naam']:20s} laatst ingelogd: {last}{locked}")
    return 0


def _run(func):
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except AccountError as exc:
            print(f"Fout: {exc}", file=sys.stderr)
            return 1

    return wrapper


def build_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the staff subcommands to ``parser``."""
    sub = parser.add_subparsers(dest="staff_cmd", required=True)
    for name, func, help_ in (
        ("add", cmd_add, "nieuw account voor de console"),
        ("password", cmd_password, "nieuw wachtwoord (beëindigt open sessies)"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("naam")
        p.add_argument(
            "--password-stdin", action="store_true", help="lees het wachtwoord van stdin"
        )
        p.set_defaults(func=_run(func))
    p = sub.add_parser("unlock", help="account vrijgeven na te veel mislukte pogingen")
    p.add_argument("naam")
    p.set_defaults(func=_run(cmd_unlock))
    p = sub.add_parser("remove", help="account verwijderen")
    p.add_argument("naam")
    p.set_defaults(func=_run(cmd_remove))
    sub.add_parser("list", help="accounts tonen").set_defaults(func=_run(cmd_list))
    return parser
