"""Crisis mode as a dialogue policy: doubts are checked, and after a crisis answer the
conversation stays safe.

A message the detector is in doubt about keeps its own intent; outside a form this policy sends it
to ``action_crisis`` first (a short check with the right number, the question one tap away).

When the slot ``crisis_modus`` is set (by ``action_crisis``) and no form is running, the turns that
would otherwise get small talk, a joke, a form or "ik begrijp je niet" go to
``action_crisis_vervolg``. Questions about regulations, a request for a person, privacy and a new
crisis message keep their normal path. The policy outranks the rule policy on a tie (priority 8)
and abstains everywhere else, so it adds one behaviour and changes nothing outside crisis mode.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policy_base import RuleInCodePolicy
from nlu.crisis import NOT_SURE

CRISIS = "action_crisis"
VERVOLG = "action_crisis_vervolg"
SLOT = "crisis_modus"
# What a person in crisis mode may say that must not get the ordinary answer.
INTERCEPTED = frozenset(
    {
        "nlu_fallback",
        "chitchat",
        "deny",
        "affirm",
        "thank",
        "goodbye",
        "greet",
        "out_of_scope",
        "feedback_negatief",
        "weet_niet",
        "regelcheck",
        "achttien_worden",
        "meerdere_problemen",
        "inform_getal",
        "inform_gemeente",
    }
)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class CrisisModePolicy(RuleInCodePolicy):
    """Sends intercepted turns in crisis mode to ``action_crisis_vervolg``."""

    PRIORITY = 8  # above the follow-up policy: crisis mode comes first

    @staticmethod
    def next_action(tracker: DialogueStateTracker) -> str | None:
        """The action crisis mode wants now, or None to leave the turn to the other policies."""
        if tracker.active_loop_name or not tracker.latest_message:
            return None  # in a form only a sure crisis interrupts, through the rules
        message = tracker.latest_message
        intent = (message.intent or {}).get("name")
        latest = tracker.latest_action_name
        doubt = intent != "crisis" and any(
            e.get("entity") == "crisis_zekerheid" and e.get("value") in NOT_SURE
            for e in message.entities or []
        )
        if doubt:
            # A doubt: check with the person first, then wait for their answer. A question for
            # someone else or for work gets the lines as information, the same way.
            if latest == ACTION_LISTEN_NAME:
                return CRISIS
            if latest == CRISIS:
                return ACTION_LISTEN_NAME
        if latest == VERVOLG:
            return ACTION_LISTEN_NAME  # also when that turn just ended crisis mode
        if not tracker.get_slot(SLOT) or latest != ACTION_LISTEN_NAME:
            return None
        return VERVOLG if intent in INTERCEPTED else None
