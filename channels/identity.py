"""Pseudonyms for residents: what Rasa, the trackers, cases and logs see instead of a chat id,
phone number or REST sender id.

A pseudonym is a keyed hash (HMAC-SHA256 with the install's secret key) of channel and id: stable,
so a conversation continues, but not reversible without the key (unlike a plain hash of a phone
number, which can be brute-forced). Channels keep the real id, encrypted, in the channel store
so they can reply (``ChannelStore.remember_sender``).
"""

from __future__ import annotations

from channels.crypto import keyed_hash


def pseudonym(channel: str, address: str | int) -> str:
    """The sender id Rasa gets for ``address`` on ``channel`` (32 hex characters)."""
    return keyed_hash(f"{channel}:{address}")
