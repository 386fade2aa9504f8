"""Custom Rasa actions: thin adapters from the dialogue to ``knowledge``.

Actions read slots and the last message, ask :mod:`knowledge.service`, and fill the domain's
response templates. No SQL and no content live here.
"""
