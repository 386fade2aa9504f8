"""Rasa buttons as WhatsApp interactive messages that Meta accepts (issue #22 item 8).

Meta's limits ("Interactive reply buttons messages", "Interactive list messages" and
"Interactive CTA URL button messages" pages): at most 3 reply buttons with titles of 20
characters and unique ids (256), lists of 10 rows with titles of 24 and descriptions of 72
characters and unique ids (200), one URL button per CTA URL message. So:

- a title that is too long is shortened at a word boundary with an ellipsis, never mid-word;
  two titles that would look the same get a number, so the resident can tell them apart;
- equal payloads get distinct ids (a stored short key each); a payload too long for an id too;
- one URL button alone becomes a CTA URL message; URL buttons next to others become links in the
  text (a reply button cannot carry a link).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from channels.common import split_text, texts
from channels.store import ChannelStore

TEXT_LIMIT = 4096  # text message body
BODY_LIMIT = 1024  # interactive message body
BUTTON_TITLE = 20
ROW_TITLE = 24
ROW_DESCRIPTION = 72
MAX_BUTTONS = 3
MAX_ROWS = 10
REPLY_ID_LIMIT = 200  # list row ids (button reply ids allow 256): one limit for both
KEY_PREFIX = "k:"


@dataclass
class Option:
    title: str
    payload: str


def short_title(title: str, limit: int) -> str:
    """``title`` within ``limit`` characters, cut at the last word boundary with '…' (a single
    long word is cut where it must)."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    window = title[: limit - 1]
    cut = window.rfind(" ")
    kept = window[:cut] if cut >= limit // 3 else window
    return kept.rstrip(" ,.;:-") + "…"


def unique_titles(titles: list[str], limit: int) -> list[str]:
    """Shortened titles, made unique by a number where two would look the same."""
    short = [short_title(t, limit) for t in titles]
    seen: dict[str, int] = {}
    out = []
    for title in short:
        n = seen.get(title, 0) + 1
        seen[title] = n
        if n > 1:
            suffix = f" ({n})"
            title = short_title(title.rstrip("…"), limit - len(suffix)) + suffix
        out.append(title)
    return out


def reply_ids(payloads: list[str], store: ChannelStore) -> list[str]:
    """Unique ids: the payload itself when it fits and is new, else a stored short key (the
    same payload twice gets a different key the second time, both resolving to it)."""
    ids: list[str] = []
    for i, payload in enumerate(payloads):
        fits = payload and len(payload) <= REPLY_ID_LIMIT and not payload.startswith(KEY_PREFIX)
        if fits and payload not in ids:
            ids.append(payload)
            continue
        salt = f"{i}:" if payload in payloads[:i] else ""
        ids.append(short_key(store, payload, salt))
    return ids


def short_key(store: ChannelStore, payload: str, salt: str = "") -> str:
    """A stored short key for ``payload`` (``salt`` makes a second, distinct key)."""
    if not salt:
        return store.short_key(payload, KEY_PREFIX)
    key = KEY_PREFIX + hashlib.sha256((salt + payload).encode()).hexdigest()[:16]
    return store.remember_key(key, payload)


def text_bodies(text: str) -> list[dict[str, Any]]:
    return [
        {"type": "text", "text": {"body": part, "preview_url": False}}
        for part in split_text(text, TEXT_LIMIT)
    ]


def build(text: str, buttons: list[dict[str, Any]], store: ChannelStore) -> list[dict[str, Any]]:
    """The message bodies for ``text`` with ``buttons``, in order."""
    links = [b for b in buttons if b.get("url")]
    options = [
        Option(
            str(b.get("title") or b.get("payload") or ""), str(b.get("payload") or b.get("title"))
        )
        for b in buttons
        if not b.get("url")
    ]
    body = text or texts()["choose"]
    if len(links) == 1 and not options:
        return _cta_url(body, links[0])
    if links:  # a reply button cannot carry a link: the links go in the text
        body = body + "\n\n" + "\n".join(f"{b.get('title') or b['url']}: {b['url']}" for b in links)
    if not options:
        return text_bodies(body)
    bodies: list[dict[str, Any]] = []
    if len(body) > BODY_LIMIT:  # interactive bodies are short: text first, then the choice
        bodies += text_bodies(body)
        body = texts()["choose"]
    ids = reply_ids([o.payload for o in options], store)
    if len(options) <= MAX_BUTTONS:
        titles = unique_titles([o.title for o in options], BUTTON_TITLE)
        bodies.append(_buttons(body, list(zip(titles, ids, strict=False))))
        return bodies
    titles = unique_titles([o.title for o in options], ROW_TITLE)
    for i in range(0, len(options), MAX_ROWS):
        rows = []
        for option, title, rid in zip(options[i : i + MAX_ROWS], titles[i:], ids[i:], strict=False):
            row = {"id": rid, "title": title}
            if title != option.title:  # the full title still fits in the description
                row["description"] = short_title(option.title, ROW_DESCRIPTION)
            rows.append(row)
        bodies.append(_list(body if i == 0 else texts()["choose"], rows))
    return bodies


def _buttons(body: str, options: list[tuple[str, str]]) -> dict[str, Any]:
    buttons = [{"type": "reply", "reply": {"id": rid, "title": t}} for t, rid in options]
    return {
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}},
    }


def _list(body: str, rows: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": body},
            "action": {
                "button": short_title(texts()["list_button"], BUTTON_TITLE),
                "sections": [{"rows": rows}],
            },
        },
    }


def _cta_url(body: str, link: dict[str, Any]) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    if len(body) > BODY_LIMIT:
        bodies += text_bodies(body)
        body = texts()["choose"]
    title = short_title(str(link.get("title") or texts()["open_link"]), BUTTON_TITLE)
    bodies.append(
        {
            "type": "interactive",
            "interactive": {
                "type": "cta_url",
                "body": {"text": body},
                "action": {
                    "name": "cta_url",
                    "parameters": {"display_text": title, "url": str(link["url"])},
                },
            },
        }
    )
    return bodies
