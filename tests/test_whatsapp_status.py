"""Issue #22 item 6: WhatsApp status webhooks (sent, delivered, read, failed) are recorded per
message and shown to staff in the case; a failed message is logged (masked) and kept for the
resident's next contact. Bodies follow Meta's "Status messages webhook reference"
(``tests/fixtures/whatsapp/status*.json``)."""

from __future__ import annotations

import time

from channels.cases import default_store
from channels.delivery_state import parse_statuses
from channels.identity import pseudonym
from channels.store import ChannelStore
from tests import fakes
from tests.conftest import STAFF_TOKEN
from tests.fakes import payloads as p


def _status(phone: str, wamid: str, status: str, ts: int | None = None) -> dict:
    return p.wa_fixture(
        "status",
        WHATSAPP_MESSAGE_ID=wamid,
        STATUS=status,
        WHATSAPP_USER_PHONE_NUMBER=phone,
        BSUID=p.bsuid(),
        WEBHOOK_TRIGGER_TIMESTAMP=str(ts or int(time.time())),
    )


def _failed(phone: str, wamid: str) -> dict:
    return p.wa_fixture(
        "status_failed", WHATSAPP_MESSAGE_ID=wamid, WHATSAPP_USER_PHONE_NUMBER=phone
    )


def test_fixtures_name_their_documentation():
    assert "webhooks/reference/messages/status" in p.wa_fixture_doc("status")
    assert "error-codes" in p.wa_fixture_doc("status_failed")


def test_parser_reads_statuses_and_the_error_of_a_failed_one():
    phone = p.phone()
    (failed,) = parse_statuses(_failed(phone, "wamid.x"), fakes.WHATSAPP_PHONE_ID)
    assert (failed.message_id, failed.status) == ("wamid.x", "failed")
    assert failed.error == "131047 Re-engagement message"
    (read,) = parse_statuses(_status(phone, "wamid.y", "read"), fakes.WHATSAPP_PHONE_ID)
    assert (read.status, read.error) == ("read", None)
    assert list(parse_statuses(_status(phone, "wamid.y", "read"), "other-number")) == []


def test_a_late_lower_status_does_not_hide_a_higher_one(tmp_path):
    store = ChannelStore(tmp_path / "c.db")
    store.record_sent("whatsapp", "s1", "wamid.1", "text", "tekst")
    assert store.record_status("wamid.1", "read").status == "read"
    assert store.record_status("wamid.1", "delivered").status == "read"
    assert store.record_status("wamid.unknown", "read") is None


def test_statuses_and_a_failure_are_visible_in_the_case(channel_server, db_url):
    s = channel_server
    phone = p.phone()
    p.post_whatsapp(s.base, p.wa_text(phone, "wat is zorgtoeslag"))
    s.graph.wait_for(lambda _: s.graph.sent_to(phone), timeout=20, settle=1.0)
    wamids = s.graph.message_ids(phone)
    case = default_store().create(
        pseudonym("whatsapp", phone), "whatsapp", "vraag", "Vraag over zorgtoeslag", "chat"
    )
    for status in ("sent", "delivered", "read"):
        assert p.post_whatsapp(s.base, _status(phone, wamids[0], status)).status_code == 200
    assert p.post_whatsapp(s.base, _failed(phone, wamids[-1])).status_code == 200

    detail = p.staff_case(s.base, case.id, STAFF_TOKEN)
    by_text = {d["tekst"]: d for d in detail["bezorging"]}
    assert len(detail["bezorging"]) == len(wamids)
    first, last = detail["bezorging"][0], detail["bezorging"][-1]
    if len(wamids) > 1:
        assert (first["code"], first["status"]) == ("read", "gelezen")
    assert (last["code"], last["status"]) == ("failed", "niet afgeleverd")
    assert last["fout"] == "131047 Re-engagement message"
    # the failed message waits for the resident's next contact, and staff see that too
    assert [w["tekst"] for w in detail["wachtrij"]] == [last["tekst"]]
    assert by_text and phone not in str(detail)
    log = s.log_file.read_text(encoding="utf8", errors="replace")
    assert "whatsapp.delivery.failed" in log and phone not in log


def test_a_status_for_a_message_we_did_not_send_is_answered_200_and_ignored(channel_server):
    phone = p.phone()
    resp = p.post_whatsapp(channel_server.base, _failed(phone, "wamid.not-ours"))
    assert resp.status_code == 200
    time.sleep(0.5)
    assert channel_server.graph.sent_to(phone) == []
