"""Who a WhatsApp resident is: a phone number, a business-scoped user id (BSUID), or both.

Meta is introducing usernames: a resident who sets one may arrive with only ``from_user_id`` (a
BSUID such as ``NL.1502576394655843``) and no ``from`` phone number. Both are first-class ids here:

- the pseudonym Rasa sees is the keyed hash of the first id we learned (the phone number when it
  came along, else the BSUID), so existing conversations keep going;
- the BSUID is remembered as an alias (a keyed hash, never in the clear) of that pseudonym, so a
  resident who later hides the number keeps the same conversation, 24-hour window and cases;
- replies go to the stored address: ``to`` for a phone number, ``recipient`` for a BSUID
  (Meta's "Business-scoped user IDs" page; both fields exist on ``POST /<id>/messages``).

Usernames and profile names are never stored or logged: a username can change and says who
someone is, the BSUID is enough.
"""

from __future__ import annotations

from channels.crypto import keyed_hash
from channels.identity import pseudonym
from channels.store import ChannelStore

CHANNEL = "whatsapp"


def is_phone(address: str) -> bool:
    """A phone number (digits, maybe a leading +); anything else is a BSUID ('NL.123…')."""
    return address.lstrip("+").isdigit()


def address_field(address: str) -> str:
    """The Graph API field that addresses this resident: ``to`` or ``recipient``."""
    return "to" if is_phone(address) else "recipient"


def user_id_alias(user_id: str) -> str:
    """The stored form of a BSUID: a keyed hash, so the table holds no id in the clear."""
    return keyed_hash(f"{CHANNEL}:user_id:{user_id}")


def resident(store: ChannelStore, phone: str | None, user_id: str | None) -> tuple[str, str]:
    """(pseudonym, address to reply to) for a message from ``phone`` and/or ``user_id``.

    A known BSUID wins (the resident may have hidden the number since); otherwise the phone
    number, otherwise the BSUID names a new resident. The encrypted address is kept for replies.
    """
    alias = user_id_alias(user_id) if user_id else None
    known = store.alias(CHANNEL, alias) if alias else None
    if known is not None:
        address = store.address(CHANNEL, known) or phone or str(user_id)
        store.remember_sender(CHANNEL, known, address)
        store.add_alias(CHANNEL, alias, known)
        return known, address
    address = phone or user_id
    if not address:
        raise ValueError("a WhatsApp message without 'from' and 'from_user_id'")
    sender = pseudonym(CHANNEL, address)
    store.remember_sender(CHANNEL, sender, address)
    if alias:
        store.add_alias(CHANNEL, alias, sender)
    return sender, address


def resolve(store: ChannelStore, recipient_id: str) -> tuple[str, str]:
    """(pseudonym, address) for what the code was given: a pseudonym from Rasa or the staff
    side, a phone number or a BSUID."""
    address = store.address(CHANNEL, str(recipient_id))
    if address is not None:
        return str(recipient_id), address
    rid = str(recipient_id)
    return resident(store, rid if is_phone(rid) else None, None if is_phone(rid) else rid)
