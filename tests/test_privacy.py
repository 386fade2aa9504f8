"""Privacy end to end on a real ``rasa run`` (REST, resident REST, staff API, Telegram and
WhatsApp against local fakes) with its own action server: personal data typed by a resident is
nowhere in the tracker store, case store, channel store or log files; "verwijder mijn gesprek"
leaves nothing behind; tokens and signatures are checked; rate limit, length cap, and a
friendly answer with a phone number when the action server is down (the message kept)."""

from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from channels.identity import pseudonym
from channels.intake import helpline
from channels.store import ChannelStore
from tests import fakes
from tests.conftest import STAFF_TOKEN, prestart
from tests.fakes import payloads as p

BSN = "111222333"  # passes the 11-proef
IBAN = "NL91ABNA0417164300"  # passes mod-97
PHONE = "0612345678"
EMAIL = "petra.devries@example.nl"
RATE = 12


@dataclass
class Server:
    base: str
    token: str
    folder: Path
    state_db: str
    case_db: Path
    telegram: fakes.FakeTelegramAPI
    graph: fakes.FakeGraphAPI
    action_proc: object

    def files(self) -> dict[str, str]:
        """Every store and log file of this server, as text (SQLite WAL files included)."""
        paths = [
            *self.folder.glob("tracker.db*"),
            *Path(self.state_db).parent.glob(Path(self.state_db).name + "*"),
            *self.case_db.parent.glob(self.case_db.name + "*"),
            *self.folder.glob("*.log"),
        ]
        return {str(p): p.read_bytes().decode("latin-1") for p in paths if p.is_file()}

    def tracker_rows(self, sender: str) -> int:
        with sqlite3.connect(self.folder / "tracker.db") as con:
            return con.execute(
                "select count(*) from events where sender_id=?", (sender,)
            ).fetchone()[0]

    def channel_rows(self, sender: str) -> int:
        with sqlite3.connect(self.state_db) as con:
            return sum(
                con.execute(f"select count(*) from {table} where {col}=?", (sender,)).fetchone()[0]
                for table, col in (
                    ("senders", "sender"),
                    ("last_inbound", "recipient"),
                    ("outbox", "recipient"),
                    ("inbox", "sender"),
                )
            )

    def case_rows(self, sender: str) -> int:
        with sqlite3.connect(self.case_db) as con:
            cases = con.execute(
                "select count(*) from handoff_case where sender_id=?", (sender,)
            ).fetchone()[0]
            outbox = con.execute("select count(*) from outbox where sender_id=?", (sender,))
            return cases + outbox.fetchone()[0]


@prestart("privacy_server")
def _privacy_server(bg, request):
    """This module's own ``rasa run`` with its own action server (the tests read their logs and
    stop the action server), started early by the session's background thread."""
    model_path = request.getfixturevalue("model_path")
    db_url = request.getfixturevalue("db_url")
    folder = request.getfixturevalue("tmp_path_factory").mktemp("privacy")

    def start() -> Server:
        from bot import runtime, serve

        state_db = str(folder / "channels.db")
        action_proc, action_url = runtime.start_action_server(
            extra_env={"BW_DATABASE_URL": db_url}, log_path=folder / "actions.log"
        )
        bg.stops.append(lambda: runtime.stop(action_proc))
        telegram = fakes.FakeTelegramAPI(fakes.TELEGRAM_TOKEN).start()
        bg.stops.append(telegram.stop)
        graph = fakes.FakeGraphAPI(fakes.WHATSAPP_TOKEN, fakes.WHATSAPP_PHONE_ID).start()
        bg.stops.append(graph.stop)
        state = {"state_db": state_db}
        channels = {
            serve.REST: state,
            serve.RESIDENT_REST: state,
            serve.STAFF: {"token": STAFF_TOKEN},
            "channels.telegram.TelegramInput": {
                "token": fakes.TELEGRAM_TOKEN,
                "secret_token": fakes.TELEGRAM_SECRET,
                "api_base": telegram.base_url,
                "state_db": state_db,
            },
            "channels.whatsapp.WhatsAppInput": {
                "token": fakes.WHATSAPP_TOKEN,
                "app_secret": fakes.WHATSAPP_APP_SECRET,
                "verify_token": fakes.WHATSAPP_VERIFY_TOKEN,
                "phone_number_id": fakes.WHATSAPP_PHONE_ID,
                "api_base": graph.base_url,
                "state_db": state_db,
            },
        }
        extra = {
            "BW_DATABASE_URL": db_url,
            "BW_CHANNELS_DB": state_db,
            "BW_RATE_LIMIT": f"{RATE}/60",
        }
        rasa, base, token = serve.start_rasa_server(
            model_path, action_url, folder, channels=channels, extra_env=extra
        )
        bg.stops.append(lambda: runtime.stop(rasa))
        return Server(
            base,
            token,
            folder,
            state_db,
            Path(db_url.removeprefix("sqlite:///")),
            telegram,
            graph,
            action_proc,
        )

    return start


@pytest.fixture(scope="session")
def privacy_server(background, request) -> Server:
    return background.get("privacy_server", request)


@pytest.fixture
def server(privacy_server) -> Server:
    return privacy_server


def say(server: Server, sender: str, text: str, path: str = "bw") -> list[str]:
    resp = httpx.post(
        f"{server.base}/webhooks/{path}/webhook",
        json={"sender": sender, "message": text},
        timeout=60,
    )
    assert resp.status_code == 200, resp.text
    return [m.get("text") or "" for m in resp.json()]


def tg_say(server: Server, cid: int, text: str, n: int = 1) -> list[str]:
    before = len(server.telegram.sent_texts(cid))
    assert p.post_telegram(server.base, p.tg_text(cid, text)).status_code == 200
    server.telegram.wait_for(
        lambda _: len(server.telegram.sent_texts(cid)) >= before + n, timeout=30, settle=0.8
    )
    return server.telegram.sent_texts(cid)[before:]


def tg_press(server: Server, cid: int, data: str, n: int = 1) -> list[str]:
    before = len(server.telegram.sent_texts(cid))
    assert p.post_telegram(server.base, p.tg_callback(cid, data)).status_code == 200
    server.telegram.wait_for(
        lambda _: len(server.telegram.sent_texts(cid)) >= before + n, timeout=30, settle=0.8
    )
    return server.telegram.sent_texts(cid)[before:]


def wa_say(server: Server, phone: str, body: dict, n: int = 1) -> list[str]:
    before = len(server.graph.sent_to(phone))
    assert p.post_whatsapp(server.base, body).status_code == 200
    server.graph.wait_for(
        lambda _: len(server.graph.sent_to(phone)) >= before + n, timeout=30, settle=0.8
    )
    return server.graph.texts(server.graph.sent_to(phone)[before:])


def _sent_with_buttons(server: Server, cid: int) -> list[dict]:
    calls = server.telegram.recorded(
        lambda c: str(c.params.get("chat_id")) == str(cid) and c.params.get("reply_markup")
    )
    return [c.params for c in calls]


# --- personal data is nowhere ----------------------------------------------------------------


def test_personal_data_is_nowhere_in_stores_or_logs(server):
    sender = f"bewoner-{uuid.uuid4().hex[:8]}"
    cid, wa_phone = p.chat_id(), p.phone()
    say(server, sender, f"mijn bsn is {BSN} en mijn iban is {IBAN}")
    say(server, sender, f"je kan me mailen op {EMAIL} of bellen op {PHONE}")
    identity = "mijn naam is Fatima Bakkali, ik woon op Kalverstraat 12, geboren op 12-03-1980"
    say(server, sender, identity)
    assert "deel nooit" in " ".join(say(server, sender, "mijn wachtwoord is Kat1234")).lower()
    assert "doorsturen" in " ".join(say(server, sender, "ik wil een mens spreken"))
    say(server, sender, "ja")  # consent: the summary is shown
    say(server, sender, "ja")  # summary ok: how to contact?
    assert "telefoonnummer" in " ".join(say(server, sender, "bel me maar"))
    created = " ".join(say(server, sender, PHONE))
    assert "medewerker" in created
    tg_say(server, cid, f"mijn bsn is {BSN}, mail {EMAIL}")
    wa_say(server, wa_phone, p.wa_text(wa_phone, f"iban {IBAN} en bel {PHONE}"))

    me = pseudonym("bw", sender)
    assert server.tracker_rows(me) > 5 and server.case_rows(me) == 1
    files = server.files()
    tracker = "".join(v for k, v in files.items() if "tracker.db" in k)
    assert "mijn bsn is [BSN] en mijn iban is [IBAN]" in tracker  # stored, but masked
    for name, content in files.items():
        for secret in (
            BSN,
            IBAN,
            PHONE,
            EMAIL,
            sender,
            "Bakkali",
            "Kalverstraat 12",
            "Kat1234",
            "12-03-1980",
        ):
            assert secret not in content, f"{secret} found in {name}"
        if not name.endswith(".db"):  # logs: not even the chat id or the WhatsApp number
            assert str(cid) not in content and wa_phone not in content, name
    with sqlite3.connect(server.folder / "tracker.db") as con:
        senders = {row[0] for row in con.execute("select distinct sender_id from events")}
    assert {pseudonym("telegram", cid), pseudonym("whatsapp", wa_phone), me} <= senders
    assert not {str(cid), wa_phone, sender} & senders


# --- deleting --------------------------------------------------------------------------------


def test_delete_over_rest_removes_everything(server):
    sender = f"weg-{uuid.uuid4().hex[:8]}"
    me = pseudonym("bw", sender)
    say(server, sender, "ik wil een mens spreken")
    say(server, sender, "ja")
    say(server, sender, "ik kan de huur niet betalen")  # nothing to summarise: the question
    say(server, sender, "hier in de chat")
    resp = httpx.get(
        f"{server.base}/webhooks/staff/cases", headers={"Authorization": f"Bearer {STAFF_TOKEN}"}
    )
    case = max(resp.json(), key=lambda c: c["id"])
    httpx.post(
        f"{server.base}/webhooks/staff/cases/{case['id']}/take",
        json={"medewerker": "anna"},
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
    )
    httpx.post(
        f"{server.base}/webhooks/staff/cases/{case['id']}/reply",
        json={"tekst": "Hoi, ik ben Anna."},
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
    )
    httpx.post(
        f"{server.base}/webhooks/staff/cases/{case['id']}/close",
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
    )
    assert server.tracker_rows(me) > 0 and server.case_rows(me) >= 2  # case + outbox

    asked = " ".join(say(server, sender, "verwijder mijn gesprek"))
    assert "Wil je dat ik je gesprek verwijder" in asked
    done = " ".join(say(server, sender, "/affirm"))
    assert "verwijderd" in done
    assert server.tracker_rows(me) == 0
    assert server.case_rows(me) == 0
    assert server.channel_rows(me) == 0
    assert me not in "".join(v for k, v in server.files().items() if k.endswith(".db"))
    # a new conversation starts from scratch
    assert any("Zorgtoeslag" in t for t in say(server, sender, "wat is zorgtoeslag"))


def test_saying_no_keeps_the_conversation(server):
    sender = f"blijf-{uuid.uuid4().hex[:8]}"
    say(server, sender, "wat is zorgtoeslag")
    say(server, sender, "verwijder mijn gesprek")
    assert "ik verwijder niets" in " ".join(say(server, sender, "/deny"))
    assert server.tracker_rows(pseudonym("bw", sender)) > 0


def test_delete_on_telegram_with_the_command(server):
    cid = p.chat_id()
    me = pseudonym("telegram", cid)
    tg_say(server, cid, "wat is zorgtoeslag")
    assert server.channel_rows(me) == 1 and server.tracker_rows(me) > 0
    asked = tg_say(server, cid, "/verwijder")
    assert any("Wil je dat ik je gesprek verwijder" in t for t in asked)
    buttons = _sent_with_buttons(server, cid)[-1]["reply_markup"]
    assert "/affirm" in str(buttons)
    assert any("verwijderd" in t for t in tg_press(server, cid, "/affirm"))
    time.sleep(0.5)
    assert server.tracker_rows(me) == 0 and server.channel_rows(me) == 0


def test_delete_on_whatsapp_by_typing(server):
    phone = p.phone()
    me = pseudonym("whatsapp", phone)
    wa_say(server, phone, p.wa_text(phone, "wat is zorgtoeslag"))
    assert server.channel_rows(me) == 2  # the encrypted number and the 24-hour window
    wa_say(server, phone, p.wa_text(phone, "verwijder mijn gesprek"))
    done = wa_say(server, phone, p.wa_button_reply(phone, "/affirm", "Ja, verwijder alles"))
    assert any("verwijderd" in t for t in done)
    time.sleep(0.5)
    assert server.tracker_rows(me) == 0 and server.channel_rows(me) == 0


# --- who may call -----------------------------------------------------------------------------


def test_rasa_http_api_needs_the_token(server):
    url = f"{server.base}/conversations/someone/tracker"
    assert httpx.get(url, timeout=10).status_code == 401
    assert httpx.get(url, params={"token": "wrong"}, timeout=10).status_code == 401
    assert httpx.get(url, params={"token": server.token}, timeout=10).status_code == 200


def listening_addresses(port: int) -> list[str]:
    """Local addresses with a listening TCP socket on ``port`` (read from /proc, no traffic)."""
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                listening.append(local.rsplit(":", 1)[0])
    return listening


def test_rasa_binds_to_loopback_only(server):
    port = int(server.base.rsplit(":", 1)[1])
    assert listening_addresses(port) == ["0100007F"]  # 127.0.0.1, nothing else


def test_the_action_server_binds_to_loopback_only(action_server):
    port = int(action_server.rsplit(":", 1)[1].split("/")[0])
    assert listening_addresses(port) == ["0100007F"]  # rasa-sdk alone would bind 0.0.0.0


def test_bad_secrets_are_refused(server):
    assert httpx.get(f"{server.base}/webhooks/staff/cases", timeout=10).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert httpx.get(f"{server.base}/webhooks/staff/cases", headers=wrong).status_code == 401
    update = p.tg_text(p.chat_id(), "hoi")
    assert p.post_telegram(server.base, update, secret="wrong").status_code == 403
    assert p.post_telegram(server.base, update, secret=None).status_code == 403
    body = p.wa_text(p.phone(), "hoi")
    resp = httpx.post(
        f"{server.base}/webhooks/whatsapp/webhook",
        json=body,
        headers={"X-Hub-Signature-256": "sha256=" + "0" * 64},
    )
    assert resp.status_code == 403


# --- floods and huge messages ---------------------------------------------------------------


def test_rate_limit_per_sender_with_a_friendly_message(server):
    from channels.common import texts

    sender = f"snel-{uuid.uuid4().hex[:8]}"
    answers = [say(server, sender, "hoi", path="rest") for _ in range(RATE)]
    assert all(texts()["rate_limited"] not in a for a in answers)
    assert say(server, sender, "hoi", path="rest") == [texts()["rate_limited"]]
    other = f"rustig-{uuid.uuid4().hex[:8]}"
    assert texts()["rate_limited"] not in say(server, other, "hoi", path="rest")
    cid = p.chat_id()
    for _ in range(RATE + 3):
        p.post_telegram(server.base, p.tg_text(cid, "hoi"))
    server.telegram.wait_for(
        lambda _: texts()["rate_limited"] in server.telegram.sent_texts(cid), timeout=60, settle=3
    )
    assert server.telegram.sent_texts(cid).count(texts()["rate_limited"]) == 1


def test_too_long_message_gets_a_friendly_answer(server):
    from channels.common import texts

    sender = f"lang-{uuid.uuid4().hex[:8]}"
    assert say(server, sender, "woord " * 400) == [texts()["too_long"]]
    assert server.tracker_rows(pseudonym("bw", sender)) == 0


# --- the action server is down (keep last: it stops this module's action server) -------------


def test_action_server_down_gives_a_phone_number_and_keeps_the_message(server):
    from bot import runtime

    runtime.stop(server.action_proc)
    name, number = helpline()
    sender = f"stil-{uuid.uuid4().hex[:8]}"
    answer = " ".join(say(server, sender, f"wat is zorgtoeslag? mail {EMAIL}"))
    assert number in answer and name in answer and "ligt niet aan jou" in answer
    cid = p.chat_id()
    assert any(number in t for t in tg_say(server, cid, "wat is huurtoeslag"))
    inbox = {e.recipient: e for e in ChannelStore(server.state_db).inbox()}
    assert inbox[pseudonym("bw", sender)].text == "wat is zorgtoeslag? mail [E-MAIL]"
    assert inbox[pseudonym("telegram", cid)].text == "wat is huurtoeslag"


def test_files_we_create_are_private(tmp_path):
    """The knowledge database (with cases and staff accounts) is created 0600, not 0644, by the
    real CLI in a fresh process (issue #19 item 7)."""
    import os
    import stat
    import subprocess
    import sys

    db = tmp_path / "kb.db"
    env = {**os.environ, "BW_DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run(
        [sys.executable, "-m", "knowledge", "load"], env=env, check=True, capture_output=True
    )
    assert db.exists()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
