"""Signed REST sessions (issue #19 item 10): with ``sessions: signed`` the server hands out the
conversation id and checks its signature on every call; a client's own ``sender`` is refused.
Unit level over channels.sessions, plus a real ``rasa run`` whose resident channel is signed."""

from __future__ import annotations

import httpx
import pytest

from channels.sessions import new_session, verify
from tests.conftest import prestart


def test_a_session_the_install_signed_verifies_and_an_altered_one_does_not():
    session = new_session()
    token = verify(session)
    assert token and session.startswith(token)
    assert verify(new_session()) != token  # unguessable: every session differs
    token_part, signature = session.rsplit(".", 1)
    assert verify(f"{token_part}x.{signature}") is None  # another token, same signature
    assert verify(f"{token_part}.{'0' * len(signature)}") is None
    for bad in ("", "zonder-punt", None, 42, "a" * 500, ".", f".{signature}"):
        assert verify(bad) is None


@prestart("signed_server")
def _signed_server(bg, request):
    """A ``rasa run`` whose resident REST channel hands out signed sessions (started early by
    the session's background thread)."""
    model_path = request.getfixturevalue("model_path")
    folder = request.getfixturevalue("tmp_path_factory").mktemp("signed")

    def start() -> str:
        from bot import runtime, serve

        action_url = bg.get("action_server", request)
        channels = {
            serve.RESIDENT_REST: {"state_db": str(folder / "channels.db"), "sessions": "signed"}
        }
        proc, base, _ = serve.start_rasa_server(model_path, action_url, folder, channels=channels)
        bg.stops.append(lambda: runtime.stop(proc))
        return f"{base}/webhooks/bw"

    return start


@pytest.fixture(scope="session")
def signed_server(background, request, action_server) -> str:
    return background.get("signed_server", request)


def test_the_server_hands_out_the_session_and_refuses_a_client_sender(signed_server):
    with httpx.Client(timeout=60) as client:
        # a client that chooses its own id (or guesses someone else's) is refused
        r = client.post(f"{signed_server}/webhook", json={"sender": "raad-mij", "message": "hoi"})
        assert r.status_code == 400 and "session" in r.json()["error"]
        # the first message without a session gets one, signed, in every answer and a header
        r = client.post(f"{signed_server}/webhook", json={"message": "hoi"})
        assert r.status_code == 200, r.text
        session = r.headers["X-BW-Session"]
        assert verify(session) and all(m["recipient_id"] == session for m in r.json())
        # the conversation continues with it
        r = client.post(
            f"{signed_server}/webhook", json={"session": session, "message": "wat is zorgtoeslag"}
        )
        assert r.status_code == 200 and "zorgtoeslag" in r.text.lower()
        # a forged or altered session is refused, on the webhook and on the outbox
        forged = session[:-1] + ("0" if session[-1] != "0" else "1")
        r = client.post(f"{signed_server}/webhook", json={"session": forged, "message": "hoi"})
        assert r.status_code == 401
        assert (
            client.get(f"{signed_server}/messages", params={"session": forged}).status_code == 401
        )
        assert client.get(f"{signed_server}/messages", params={"session": session}).json() == []
