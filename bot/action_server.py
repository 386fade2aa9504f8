"""The action server entry point: rasa-sdk without TensorFlow.

The actions use spaCy (for the knowledge-base matcher), and spaCy's thinc imports TensorFlow when it
is installed, which Rasa needs in its own process. The action server never uses it: blocking the
import saves about 15 s of start-up and ~400 MB per action server. ``python -m bot.action_server``
takes rasa-sdk's own arguments.
"""

from __future__ import annotations

import os
import sys

for _unused in ("tensorflow", "torch", "mxnet"):
    sys.modules.setdefault(_unused, None)  # type: ignore[arg-type]  # import now raises ImportError


def main() -> None:
    from rasa_sdk.__main__ import main as sdk_main  # noqa: PLC0415 - after the block above

    # rasa-sdk binds every interface unless SANIC_HOST says otherwise: on this machine the action
    # server is only for our own Rasa process, so loopback. The container sets 0.0.0.0 itself.
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")
    sdk_main()


if __name__ == "__main__":
    main()
