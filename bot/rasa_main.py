"""``rasa run`` with its API token from the environment instead of the command line.

A token on the command line is readable by every user of the machine in the process list
(``ps``, ``/proc/<pid>/cmdline``); the environment of a process is readable only by its owner.
``bot.serve`` starts ``python -m bot.rasa_main run ...`` with the token in ``BW_RASA_AUTH_TOKEN``;
this module takes it out of the environment (so nothing Rasa starts inherits it) and hands it
to Rasa's own argument parser in-process.
"""

from __future__ import annotations

import os
import sys

TOKEN_ENV = "BW_RASA_AUTH_TOKEN"


def argv_with_token(argv: list[str], token: str) -> list[str]:
    """Rasa's argv: the given arguments and the token as one argument (it may start with '-')."""
    return ["rasa", *argv, f"--auth-token={token}"]


def main() -> None:
    token = os.environ.pop(TOKEN_ENV, "")
    if not token:
        sys.exit(f"{TOKEN_ENV} ontbreekt: start Rasa via 'python -m bot serve'.")
    sys.argv = argv_with_token(sys.argv[1:], token)
    from rasa.__main__ import main as rasa_main  # noqa: PLC0415 - heavy import after the check

    rasa_main()


if __name__ == "__main__":
    main()
