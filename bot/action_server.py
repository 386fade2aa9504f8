"""The action server entry point: rasa-sdk without TensorFlow.

The actions use spaCy (for the knowledge-base matcher), and spaCy's thinc imports TensorFlow when it
is installed, which Rasa needs in its own process. The action server never uses it: blocking the
import saves about 15 s of start-up and ~400 MB per action server. ``python -m bot.action_server``
takes rasa-sdk's own arguments. It listens on loopback and answers only callers that send the
shared secret (``bot.env.action_token``) in the ``X-BW-Action-Token`` header: Rasa does, through
the ``headers`` of its action endpoint.
"""

from __future__ import annotations

import os
import sys

for _unused in ("tensorflow", "torch", "mxnet"):
    sys.modules.setdefault(_unused, None)  # type: ignore[arg-type]  # import now raises ImportError


def protect(app, token: str) -> None:
    """Refuse every call without the shared secret header (401); ``/health`` stays open."""
    import hmac  # noqa: PLC0415

    from sanic import response  # noqa: PLC0415

    from bot.env import ACTION_TOKEN_HEADER  # noqa: PLC0415 - plain module, no TensorFlow

    @app.middleware("request")
    async def check_token(request):  # noqa: ANN001, ANN202 - Sanic middleware signature
        if request.path == "/health":
            return None
        given = request.headers.get(ACTION_TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            return response.json({"error": "onbekende aanroeper"}, status=401)
        return None


async def _warm_up(app, loop) -> None:  # noqa: ANN001 - Sanic listener signature
    """Load the offline language detector and the content's names before the first request:
    every answer asks which language to answer in (issue #21), and loading them takes seconds."""
    from actions.taal import without_names  # noqa: PLC0415 - the actions' own modules
    from nlu.language import leads  # noqa: PLC0415 - lingua, only in the action server

    def warm() -> None:
        leads(without_names("warming up the language detector for zorgtoeslag"), "en")

    await loop.run_in_executor(None, warm)


def main() -> None:
    import rasa_sdk.endpoint as endpoint  # noqa: PLC0415 - after the block above
    from rasa_sdk.__main__ import main as sdk_main  # noqa: PLC0415

    from bot.env import action_token  # noqa: PLC0415
    from knowledge.db import private_files  # noqa: PLC0415

    private_files()
    token = action_token()
    create_app = endpoint.create_app

    def create_protected_app(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        app = create_app(*args, **kwargs)
        protect(app, token)
        app.register_listener(_warm_up, "before_server_start")
        return app

    endpoint.create_app = create_protected_app  # rasa-sdk's run() builds its app through this

    # rasa-sdk binds every interface unless SANIC_HOST says otherwise: on this machine the action
    # server is only for our own Rasa process, so loopback. The container sets 0.0.0.0 itself.
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")
    sdk_main()


if __name__ == "__main__":
    main()
