"""Hostile input never crashes anything: hypothesis throws random unicode, huge and empty
messages, malformed JSON and wrong content types at the real webhooks (resident REST, REST,
Telegram, WhatsApp, staff API) of a running ``rasa run``, and random text at the NLU entry
(the trained model's ``parse_message``, the tokenizer and the crisis detector). No 5xx, no crash,
the server still answers afterwards and its log holds no traceback."""

from __future__ import annotations

import functools
import json
import os
import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.whatsapp import signature
from tests import fakes
from tests.conftest import STAFF_TOKEN
from tests.fakes import payloads as p

# 25 per test in the suite (CI time); `BW_FUZZ_EXAMPLES=1200 pytest tests/test_fuzz.py` is the long run
# (9 tests, over 10,000 inputs) whose figure docs/security.md reports.
FUZZ = settings(
    max_examples=int(os.environ.get("BW_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=50),
    st.just(""),
    st.just("x" * 100_000),
    st.just("\x00\ud7ff\ufffe"),
    st.just("hallo \ud800 lone surrogate"),
    st.just("\udfff"),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=20),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=500),
    # deep nesting and huge metadata (issue #19 items 2 and 8)
    st.integers(min_value=50, max_value=5000).map(
        lambda n: (
            '{"sender":"deep","message":"hoi","metadata":' + "[" * n + "]" * n + "}"
        ).encode()
    ),
    st.integers(min_value=1, max_value=200_000).map(
        lambda n: json.dumps(
            {"sender": "big", "message": "hoi", "metadata": {"x": "a" * n}}
        ).encode()
    ),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(
        lambda s, m: json.dumps({"sender": s, "message": m}).encode(),
        st.one_of(st.text(max_size=30), st.integers(), st.none()),
        st.one_of(texts, st.integers(), st.none(), st.lists(st.text(max_size=5))),
    ),
)
content_types = st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", "", "image/png"]
)


@pytest.fixture(scope="module")
def server(channel_server):
    """The shared channel server, plus a client; checks the server still works afterwards."""
    with httpx.Client(base_url=channel_server.base, timeout=60) as client:
        yield channel_server, client
    resp = httpx.post(
        f"{channel_server.base}/webhooks/rest/webhook",
        json={"sender": f"na-fuzz-{uuid.uuid4().hex[:6]}", "message": "wat is zorgtoeslag"},
        timeout=60,
    )
    assert resp.status_code == 200 and any("Zorgtoeslag" in m.get("text", "") for m in resp.json())


@FUZZ
@given(body=bodies, ctype=content_types, path=st.just("rest"))  # bw: same class
def test_rest_webhooks_never_5xx(server, body, ctype, path):
    _, client = server
    resp = client.post(f"/webhooks/{path}/webhook", content=body, headers={"Content-Type": ctype})
    assert resp.status_code < 500, (resp.status_code, body[:200])
    assert resp.status_code in (200, 400)


@FUZZ
@given(text=texts)
def test_rest_any_text_gets_an_answer(server, text):
    _, client = server
    sender = f"fuzz-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"sender": sender, "message": text})  # escapes lone surrogates
    resp = client.post("/webhooks/rest/webhook", content=body.encode())
    assert resp.status_code == 200
    assert isinstance(resp.json(), list)
    assert all(isinstance(m.get("text", ""), str) for m in resp.json())


@FUZZ
@given(body=bodies, ctype=content_types)
def test_telegram_webhook_never_5xx(server, body, ctype):
    s, client = server
    headers = {"Content-Type": ctype, "X-Telegram-Bot-Api-Secret-Token": fakes.TELEGRAM_SECRET}
    resp = client.post("/webhooks/telegram/webhook", content=body, headers=headers)
    assert resp.status_code in (200, 400), resp.status_code


@FUZZ
@given(text=texts)
def test_telegram_random_text_is_handled(server, text):
    s, client = server
    resp = p.post_telegram(s.base, p.tg_text(p.chat_id(), text))
    assert resp.status_code == 200


@FUZZ
@given(body=bodies, ctype=content_types, signed=st.booleans())
def test_whatsapp_webhook_never_5xx(server, body, ctype, signed):
    _, client = server
    headers = {"Content-Type": ctype}
    if signed:
        headers["X-Hub-Signature-256"] = signature(fakes.WHATSAPP_APP_SECRET, body)
    resp = client.post("/webhooks/whatsapp/webhook", content=body, headers=headers)
    assert resp.status_code in ((200, 400) if signed else (403,)), resp.status_code


@FUZZ
@given(text=texts)
def test_whatsapp_random_text_is_handled(server, text):
    s, _ = server
    assert p.post_whatsapp(s.base, p.wa_text(p.phone(), text)).status_code == 200


@pytest.fixture(scope="module")
def staff(rasa_server):
    base, _ = rasa_server
    with httpx.Client(base_url=base, timeout=30) as client:
        yield client


@FUZZ
@given(
    body=bodies,
    ctype=content_types,
    action=st.sampled_from(["take", "reply", "close"]),
    case_id=st.integers(min_value=0, max_value=10**6),
)
def test_staff_api_never_5xx(staff, body, ctype, action, case_id):
    headers = {"Content-Type": ctype, "Authorization": f"Bearer {STAFF_TOKEN}"}
    resp = staff.post(f"/webhooks/staff/cases/{case_id}/{action}", content=body, headers=headers)
    assert resp.status_code in (200, 400, 404, 409), resp.status_code
    assert staff.post(f"/webhooks/staff/cases/{case_id}/{action}", content=body).status_code == 401


# --- the NLU entry ----------------------------------------------------------------------------


@FUZZ
@given(text=texts)
async def test_nlu_parse_never_crashes(agent, text):
    result = await agent.parse_message(text)
    assert "intent" in result


@functools.cache
def _tokenizer():
    """One tokenizer for every example (building one loads spaCy's Dutch, about a second)."""
    from nlu.tokenizer import DutchTokenizer

    return DutchTokenizer(DutchTokenizer.get_default_config())


@FUZZ
@given(text=texts)
def test_tokenizer_and_crisis_detector_never_crash(text):
    from rasa.shared.nlu.training_data.message import Message

    from nlu.components import CrisisDetector
    from nlu.crisis import detect

    message = Message(data={"text": text})
    tokens = _tokenizer().tokenize(message, "text")
    assert all(t.text for t in tokens)
    detect(text)
    CrisisDetector().process([message])
