"""Helpers shared by the actions: the knowledge service, the gemeente, the regulation in focus."""

from __future__ import annotations

from rasa_sdk import Tracker

from knowledge.service import DEFAULT_GEMEENTE, KnowledgeService, default_service
from knowledge.views import RegelingView


def kb() -> KnowledgeService:
    """The process-wide knowledge service (one engine and search index per process)."""
    return default_service()


def gemeente(tracker: Tracker) -> str:
    """The resident's gemeente; Amsterdam by default."""
    return tracker.get_slot("gemeente") or DEFAULT_GEMEENTE


def last_text(tracker: Tracker) -> str:
    """The text of the latest user message ('' for button payloads like /intent)."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def regeling_in_focus(tracker: Tracker) -> RegelingView | None:
    """The regulation this message is about: named in the message, else the one in focus.

    "hoe vraag ik huurtoeslag aan" names it; "en hoe vraag ik dat aan?" refers back to the slot.
    """
    service = kb()
    found = (
        service.find_regeling(last_text(tracker), gemeente(tracker)) if last_text(tracker) else None
    )
    if found:
        return found
    slot = tracker.get_slot("regeling")
    return service.regeling(slot) if slot else None
