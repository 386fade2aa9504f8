"""Issue #22 item 8: WhatsApp button sets Meta accepts. Titles are shortened at word boundaries
and made unique, ids are unique, URL buttons become a CTA URL message or links in the text; a
test over every button in the Rasa domain. The fake Graph API refuses what Meta's interactive
message pages forbid (131009), so these tests fail when a body would be refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from channels.identity import pseudonym
from channels.settings import WhatsAppSettings
from channels.store import ChannelStore
from channels.whatsapp import WhatsAppOutput
from channels.whatsapp_buttons import build, short_title, unique_titles
from tests.fakes import payloads as p

DOMAIN = Path(__file__).resolve().parent.parent / "bot" / "domain"


def _domain_button_sets() -> list[tuple[str, list[dict]]]:
    sets = []
    for path in sorted(DOMAIN.glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf8")) or {}).get("responses") or {}
        for name, variants in responses.items():
            for i, variant in enumerate(variants):
                if variant.get("buttons"):
                    sets.append((f"{name}[{i}]", variant["buttons"]))
    return sets


def _cut_at_word(original: str, shown: str) -> bool:
    """``shown`` is ``original``, or a prefix ending where a word ends, plus '…'."""
    original = " ".join(original.split())
    if shown == original:
        return True
    if not shown.endswith("…"):
        return False
    stem = shown[:-1]
    return original.startswith(stem) and (
        len(stem) == len(original) or not original[len(stem)].isalnum()
    )


def _interactive_items(bodies: list[dict]) -> list[list[tuple[str, str]]]:
    out = []
    for b in bodies:
        if b["type"] != "interactive":
            continue
        inter = b["interactive"]
        if inter["type"] == "button":
            out.append(
                [(x["reply"]["id"], x["reply"]["title"]) for x in inter["action"]["buttons"]]
            )
        elif inter["type"] == "list":
            out.append([(r["id"], r["title"]) for r in inter["action"]["sections"][0]["rows"]])
    return out


def test_short_title_cuts_at_a_word_boundary():
    assert short_title("Ja, met een mens praten", 20) == "Ja, met een mens…"
    assert short_title("Nee, ik heb een andere vraag", 20) == "Nee, ik heb een…"
    assert short_title("Rekeningen en schulden", 20) == "Rekeningen en…"
    assert short_title("Kort", 20) == "Kort"
    assert (
        short_title("Arbeidsongeschiktheidsverzekering", 20)
        == "Arbeidsongeschiktheidsverzekering"[:19] + "…"
    )


def test_titles_that_would_look_the_same_get_a_number():
    titles = unique_titles(
        ["Met een mens praten over huur", "Met een mens praten over schulden"], 20
    )
    assert len(set(titles)) == 2 and all(len(t) <= 20 for t in titles)
    assert titles[0] == "Met een mens…" and titles[1].endswith("(2)")


def test_equal_payloads_get_distinct_ids_that_resolve(tmp_path):
    store = ChannelStore(tmp_path / "c.db")
    buttons = [{"title": "Ja", "payload": "/affirm"}, {"title": "Ja graag", "payload": "/affirm"}]
    (body,) = build("Wil je dat?", buttons, store)
    ids = [b["reply"]["id"] for b in body["interactive"]["action"]["buttons"]]
    assert ids[0] == "/affirm" and ids[1] != "/affirm"
    assert store.payload(ids[1]) == "/affirm"


def test_one_url_button_becomes_a_cta_url_message(tmp_path):
    store = ChannelStore(tmp_path / "c.db")
    url = "https://www.toeslagen.nl/zorgtoeslag"
    (body,) = build("Lees meer op de site.", [{"title": "Naar Toeslagen.nl", "url": url}], store)
    assert body["interactive"]["type"] == "cta_url"
    assert body["interactive"]["action"]["parameters"] == {
        "display_text": "Naar Toeslagen.nl",
        "url": url,
    }


def test_url_buttons_next_to_reply_buttons_become_links_in_the_text(tmp_path):
    store = ChannelStore(tmp_path / "c.db")
    url = "https://www.toeslagen.nl/zorgtoeslag"
    buttons = [
        {"title": "Toeslagen.nl", "url": url},
        {"title": "Met een mens praten", "payload": "/vraag_mens"},
    ]
    (body,) = build("Wat wil je?", buttons, store)
    assert body["interactive"]["type"] == "button"
    assert f"Toeslagen.nl: {url}" in body["interactive"]["body"]["text"]
    assert [b["reply"]["id"] for b in body["interactive"]["action"]["buttons"]] == ["/vraag_mens"]


@pytest.mark.parametrize(
    "name,buttons", _domain_button_sets(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_domain_button_set_is_valid_for_whatsapp(tmp_path, name, buttons):
    bodies = build("Kies maar.", buttons, ChannelStore(tmp_path / "c.db"))
    originals = [str(b.get("title") or b.get("payload")) for b in buttons if not b.get("url")]
    shown = [t for items in _interactive_items(bodies) for _, t in items]
    for items in _interactive_items(bodies):
        ids, titles = [i for i, _ in items], [t for _, t in items]
        assert len(set(ids)) == len(ids) and len(set(titles)) == len(titles), name
        assert all(len(i) <= 200 for i in ids), name
    limit = 20 if len(originals) <= 3 else 24
    assert all(len(t) <= limit for t in shown), name
    assert all(
        _cut_at_word(o, s) or s.endswith(")") for o, s in zip(originals, shown, strict=False)
    ), name


async def test_domain_buttons_and_collisions_are_accepted_by_the_graph_api(channel_server):
    """Sent for real to the fake, which refuses what Meta refuses."""
    settings = WhatsAppSettings.from_credentials(channel_server.whatsapp_creds)
    store = ChannelStore(settings.state_db)
    out = WhatsAppOutput(settings, store)
    phone = p.phone()
    store.record_inbound("whatsapp", pseudonym("whatsapp", phone))
    tricky = [
        {"title": "Met een mens praten over huur", "payload": "/vraag_mens"},
        {"title": "Met een mens praten over schulden", "payload": "/vraag_mens"},
        {"title": "Nee, ik heb een andere vraag", "payload": "/deny"},
    ]
    sets = [b for _, b in _domain_button_sets()] + [tricky]
    for buttons in sets:
        await out.send_text_with_buttons(phone, "Kies maar.", buttons)
    refused = [
        c
        for c in channel_server.graph.sent_to(phone, failed=True)
        if c not in channel_server.graph.sent_to(phone)
    ]
    assert refused == []
    assert len(channel_server.graph.sent_to(phone)) == len(sets)


def test_every_domain_button_title_fits_a_whatsapp_reply_button():
    """Meta's reply buttons take 20 characters; the domain's own titles fit, so nothing is cut."""
    import yaml

    from bot import env

    too_long = [
        (path.name, name, b["title"])
        for path in sorted((env.ROOT / "bot" / "domain").glob("*.yml"))
        for name, variants in (
            yaml.safe_load(path.read_text("utf8")).get("responses") or {}
        ).items()
        for v in variants
        for b in v.get("buttons") or []
        if len(b["title"]) > 20
    ]
    assert not too_long, too_long
