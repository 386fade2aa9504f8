"""Reading a Telegram update tolerantly (issue #22 item 10).

python-telegram-bot's ``Update.de_json`` needs every field its classes require, but Telegram's own
sample updates ("Testing your bot with updates" on core.telegram.org/bots/webhooks) leave out
``is_bot`` on users, ``type`` on chats and ``chat_instance`` on callback queries. We fill in
what the documentation lets us assume before parsing. An update that still cannot be read is
answered 200 by the webhook and ignored: it is authenticated (it came from Telegram), so a 4xx
would only make Telegram send it again and again.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, Update

MESSAGE_KEYS = {
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "reply_to_message",
    "pinned_message",
}


def _fill(value: Any, key: str = "") -> Any:
    """A copy of ``value`` with the defaults below filled in, at any depth."""
    if isinstance(value, list):
        return [_fill(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _fill(v, k) for k, v in value.items()}
    if key in ("from", "user") and "id" in out:
        out.setdefault("is_bot", False)
        out.setdefault("first_name", "")
    elif key == "chat" and "id" in out and "type" not in out:
        # Private chats have the user's (positive) id; groups and channels a negative one.
        out["type"] = "private" if _int(out["id"]) > 0 else "group"
    elif key == "callback_query":
        out.setdefault("chat_instance", "")
    elif key in MESSAGE_KEYS:
        out.setdefault("date", 0)
    return out


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def parse_update(data: Any, bot: Bot) -> Update | None:
    """The update in ``data``, or None when it is not one we can read."""
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(_fill(data), bot)
    except Exception:  # noqa: BLE001 - any shape PTB cannot read: ignored, not retried
        return None
