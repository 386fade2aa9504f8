"""Inbound webhook bodies as Telegram and Meta send them, and helpers to post them."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from channels.whatsapp import signature
from tests import fakes

_update_ids = itertools.count(int(time.time()) % 100_000 * 1000)


def chat_id() -> int:
    """A fresh Telegram chat id, so tests sharing one server never see each other's replies."""
    return 10_000_000 + uuid.uuid4().int % 89_999_999


def phone() -> str:
    """A fresh (fictional) WhatsApp number."""
    return "3161" + str(uuid.uuid4().int % 10_000_000).zfill(7)


def _user(cid: int) -> dict[str, Any]:
    return {"id": cid, "is_bot": False, "first_name": "Test", "language_code": "nl"}


def tg_message(cid: int, **content: Any) -> dict[str, Any]:
    message = {
        "message_id": next(_update_ids) % 1_000_000,
        "date": int(time.time()),
        "chat": {"id": cid, "type": "private", "first_name": "Test"},
        "from": _user(cid),
        **content,
    }
    return {"update_id": next(_update_ids), "message": message}


def tg_text(cid: int, text: str) -> dict[str, Any]:
    entities = []
    if text.startswith("/"):
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return tg_message(cid, text=text, entities=entities) if entities else tg_message(cid, text=text)


def tg_callback(cid: int, data: str) -> dict[str, Any]:
    message = tg_message(cid, text="Kies")["message"]
    message["from"] = {"id": 7000001, "is_bot": True, "first_name": "Bestaanswijzer"}
    query = {
        "id": str(next(_update_ids)),
        "from": _user(cid),
        "chat_instance": "ci-1",
        "message": message,
        "data": data,
    }
    return {"update_id": next(_update_ids), "callback_query": query}


def post_telegram(
    base: str, update: Any, secret: str | None = fakes.TELEGRAM_SECRET, raw: bytes | None = None
) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = raw if raw is not None else json.dumps(update).encode()
    return httpx.post(
        f"{base}/webhooks/telegram/webhook", content=body, headers=headers, timeout=30
    )


def wa_body(
    messages: list[dict[str, Any]] | None = None, statuses: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": "31201234567",
            "phone_number_id": fakes.WHATSAPP_PHONE_ID,
        },
    }
    if messages is not None:
        value["contacts"] = [{"profile": {"name": "Test"}, "wa_id": messages[0]["from"]}]
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA-1", "changes": [{"value": value, "field": "messages"}]}],
    }


def wa_message(
    sender: str, kind: str, content: dict[str, Any], mid: str | None = None
) -> dict[str, Any]:
    return {
        "from": sender,
        "id": mid or f"wamid.in{uuid.uuid4().hex}",
        "timestamp": str(int(time.time())),
        "type": kind,
        kind: content,
    }


def wa_text(sender: str, text: str, mid: str | None = None) -> dict[str, Any]:
    return wa_body([wa_message(sender, "text", {"body": text}, mid)])


def wa_button_reply(sender: str, reply_id: str, title: str = "Knop") -> dict[str, Any]:
    content = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
    return wa_body([wa_message(sender, "interactive", content)])


def wa_list_reply(sender: str, reply_id: str, title: str = "Rij") -> dict[str, Any]:
    content = {"type": "list_reply", "list_reply": {"id": reply_id, "title": title}}
    return wa_body([wa_message(sender, "interactive", content)])


def post_whatsapp(
    base: str, body: Any, secret: str | None = fakes.WHATSAPP_APP_SECRET, raw: bytes | None = None
) -> httpx.Response:
    data = raw if raw is not None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = signature(secret, data)
    return httpx.post(
        f"{base}/webhooks/whatsapp/webhook", content=data, headers=headers, timeout=30
    )


def domain_buttons(response: str) -> list[dict[str, str]]:
    """The buttons of a response in the Rasa domain (so tests follow content changes)."""
    from pathlib import Path

    import yaml

    for path in sorted((Path(__file__).resolve().parents[2] / "bot" / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf8")) or {}).get("responses") or {}
        if response in responses:
            return responses[response][0].get("buttons") or []
    return []


WA_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "whatsapp"
_DROP = object()


def bsuid() -> str:
    """A fresh business-scoped user id in Meta's format (country code, period, digits)."""
    return "NL." + str(uuid.uuid4().int % 10**19).zfill(19)


def wa_fixture(name: str, **values: Any) -> dict[str, Any]:
    """A documented webhook body from ``tests/fixtures/whatsapp/<name>.json``, its ``<PLACEHOLDER>``
    strings filled from ``values`` (a value of None drops that field, as Meta omits it). Every
    placeholder must be filled, so a test never posts Meta's template text by mistake."""
    data = json.loads((WA_FIXTURES / f"{name}.json").read_text(encoding="utf8"))
    data.pop("_doc")
    filled = {
        "BUSINESS_PHONE_NUMBER_ID": fakes.WHATSAPP_PHONE_ID,
        "WEBHOOK_TRIGGER_TIMESTAMP": str(int(time.time())),
        "WHATSAPP_MESSAGE_ID": f"wamid.in{uuid.uuid4().hex}",
        "USER_DISPLAY_NAME": "Test Bewoner",
        "USERNAME": "testbewoner",
        "CONTEXT_MESSAGE_ID": "wamid.template",
        "BUTTON_LABEL_TEXT": "Lees het bericht",
        **values,
    }

    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            out = {k: fill(v) for k, v in value.items()}
            return {k: v for k, v in out.items() if v is not _DROP}
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
            key = value[1:-1]
            if key not in filled:
                raise KeyError(f"{name}.json: fill in {value}")
            return _DROP if filled[key] is None else filled[key]
        return value

    return fill(data)


def wa_fixture_doc(name: str) -> str:
    """The documentation page a fixture follows (its ``_doc`` field)."""
    return json.loads((WA_FIXTURES / f"{name}.json").read_text(encoding="utf8"))["_doc"]


TG_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"


def tg_fixture(name: str, cid: int, **changes: Any) -> dict[str, Any]:
    """A documented sample update from ``tests/fixtures/telegram/<name>.json`` for chat ``cid``
    (the sample's user and chat id 1111111 replaced), with a fresh update id."""
    raw = (TG_FIXTURES / f"{name}.json").read_text(encoding="utf8").replace("1111111", str(cid))
    data = json.loads(raw)
    data.pop("_doc")
    data["update_id"] = next(_update_ids)
    for key, value in changes.items():
        data[next(k for k in data if k != "update_id")][key] = value
    return data


def staff_case(base: str, case_id: int, token: str) -> dict:
    """A case's detail from the staff API, as a buurtteam worker's console reads it."""
    resp = httpx.get(
        f"{base}/webhooks/staff/cases/{case_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()


def use_whatsapp_env(monkeypatch: Any, creds: dict[str, str]) -> None:
    """The WhatsApp settings of the test channel server, for code that reads the environment
    (the staff-reply entry point runs outside the server); no template, so nothing waits for one."""
    for key, value in {
        "WHATSAPP_TOKEN": creds["token"],
        "WHATSAPP_PHONE_NUMBER_ID": creds["phone_number_id"],
        "WHATSAPP_API_BASE": creds["api_base"],
        "WHATSAPP_TEMPLATE_NAME": "",
        "BW_CHANNELS_DB": creds["state_db"],
    }.items():
        monkeypatch.setenv(key, value)


def letters(n: int = 6) -> str:
    """A random suffix of letters only: a name like "sanne-2355cc" reads as a street and house
    number to the privacy masker, and a test that looks for it in masked text then flakes."""
    return uuid.uuid4().hex[:n].translate(str.maketrans("0123456789", "ghijklmnop"))
