"""Bestaanswijzer dialogue (domain, rules, stories) and the command-line entry point."""
