"""Signed session ids for a REST channel reachable from outside (``BW_REST_SESSIONS=signed``).

On the loopback default the client's ``sender`` is the conversation (the terminal chat, tests,
tools). Exposed, that id would be the only credential: whoever knows or guesses it reads staff
replies, continues or deletes the chat (issue #19 item 10). There the server hands out the id: an
unguessable token with an HMAC of the install's secret key, checked on every call; a ``sender``
from the client is refused.
"""

from __future__ import annotations

import hmac
import secrets

from channels.crypto import keyed_hash

SEPARATOR = "."
MAX_SESSION = 200


def _signature(token: str) -> str:
    return keyed_hash(f"rest-session:{token}")


def new_session() -> str:
    """A fresh session id: a random token and its signature."""
    token = secrets.token_urlsafe(24)
    return f"{token}{SEPARATOR}{_signature(token)}"


def verify(session: object) -> str | None:
    """The token of a session id this install signed, else None (forged, altered or malformed)."""
    if not isinstance(session, str) or len(session) > MAX_SESSION or SEPARATOR not in session:
        return None
    token, signature = session.rsplit(SEPARATOR, 1)
    if not token or not hmac.compare_digest(signature.encode(), _signature(token).encode()):
        return None
    return token
